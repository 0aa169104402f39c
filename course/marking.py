"""The marking scheme: marks per part for every exercise of the book (numbers and written parts).

``SCHEME[label]`` is a list of ``(part, marks, what earns them)``. For a part with a self-check (``check``) or a
graded variant, the part name is the check's; "close" earns half the marks (a rounding slip), a named known
mistake none. Written parts are marked by hand. ``python -m course scheme`` prints it as Markdown (marking.md).
"""

from __future__ import annotations

SCHEME = {
    # chapter 1
    "intro-ex-symmetry": [("max", 2, "the largest L on the segment (check)"),
                          ("equal ends", 1, "L unchanged by the relabelling, shown numerically"),
                          ("convexity", 2, "written: a convex function is at most its endpoint value on a segment; here it is not")],
    "intro-ex-steps": [("N", 2, "N = τ/(εh) = 1.75·10⁸ (check)"),
                       ("time", 1, "the wall time at the preview's speed"), ("comparison", 1, "ten times fewer steps in the preview: h ten times larger")],
    "intro-ex-init": [("p20", 2, "Monte Carlo estimate for m = 20 (check, ±0.075)"), ("p30", 2, "the same for m = 30"),
                      ("reason", 1, "written: the smallest pieces hold few neurons on average")],
    "intro-ex-convex-in-a": [("a-block", 2, "the a-block is G(u), positive semi-definite (numerically and why: aᵀGa = ∫f²)"),
                             ("full", 2, "a negative eigenvalue of the full Hessian")],
    "intro-ex-lazy": [("ratio", 2, "ℓ(u₀)/η, 3 significant digits (check)"),
                      ("lazy / mean field", 2, "written: m → ∞ for both, features frozen vs a distribution of neurons"),
                      ("two timescales", 1, "written: m fixed, slow features, two neurons per piece")],
    # chapter 2
    "setting-ex-constants": [("delta_v", 1, "Δv (check)"), ("delta_f", 1, "Δf (check)"), ("M", 1, "M (check)"),
                             ("hardest jump", 1, "written: the faintest jump; speed ∝ Δ²")],
    "setting-ex-constant-fit": [("derivation", 2, "quadratic in a₀, minimised at the mean; loss ½Var"),
                                ("a0", 1, "a₀ (check)"), ("loss", 1, "½ Var f* (check; Var alone is a named mistake)")],
    "setting-ex-ramp": [("ramp_jump", 2, "jump of ∂²L/∂u₁² for the ramp, = a₁Δ/η = 10 (check)"),
                        ("cubic_jump", 1, "≈ 0 for the cubic (check)"),
                        ("explanation", 2, "written: ρ'' has Dirac masses; the boundary term jumps by a₁Δ/η")],
    "setting-ex-floor": [("derivation", 3, "written: L = Δ²η/56 for the neuron on the jump"),
                         ("floor", 1, "L/(Δ²η) (check)"), ("growth", 1, "(L_shifted − L)/(Δ²η) (check)"),
                         ("weights", 1, "a* within about 1 % of (0, Δ); the loss lowered by at most 2 %")],
    # chapter 3
    "sf-ex-spacing": [("integral", 1, "∫σ'² = 9/5 (check)"), ("comparison", 1, "the three numbers within a few per cent"),
                      ("time", 2, "1/λ_min(G) for the pair centred at ½ (check)")],
    "sf-ex-envelope": [("correction", 1, "(∂a*/∂u)ᵀ∇_aL = 0 to rounding (check)"), ("gap", 2, "the distance to ∇ℓ for the given ν (check)"),
                       ("meaning", 2, "written: the reduced flow is right only on the slow manifold; the gap is linear in the distance")],
    "sf-ex-invariant": [("integration", 1, "solve_ivp with a terminal event at d_L = 0"), ("invariant", 1, "d_L³ − d_R³ constant to the solver's accuracy"),
                        ("d_R", 3, "where the far neuron stops (check)")],
    "sf-ex-arrival": [("plot", 1, "τ* and the bound against d_R(0)"), ("limit", 2, "2d_L(0)/Δ² (check; the bound is a named mistake)"),
                      ("why", 2, "written: the near neuron moves at the maximal speed Δ²/2")],
    "sf-ex-proof-strict": [("(i)", 3, "symmetric start: by symmetry d_L = d_R, ODE solved, τ = 8d/Δ²"),
                           ("(ii)", 3, "asymmetric start: comparison of speeds, strict inequality"),
                           ("(iii)", 2, "lower bound from the maximal speed Δ²/2"), ("ODE facts", 2, "existence, uniqueness, invariance stated")],
    # chapter 4
    "proof-ex-interval": [("formula", 2, "the one-interval loss, summed over the intervals"), ("ell0", 2, "ℓ₀(u) (check)")],
    "proof-ex-probability": [("m2", 1, "P₂(m) ≥ 0.95 (check; the 90 % answer is a named mistake)"), ("m1", 1, "check"), ("m2_equal", 1, "check"), ("m1_equal", 1, "check"),
                             ("comment", 1, "written: small pieces dominate; equal pieces need fewer neurons")],
    "proof-ex-interior": [("setting", 2, "the two jumps and the two neurons, the reduced dynamics written"),
                          ("argument", 5, "each step justified"), ("conclusion", 3, "what is captured and when")],
    "proof-ex-kappa": [("integrals", 2, "∫1, ∫σ, ∫σ², ∫Hσ by hand"), ("alpha0", 1, "α₀ = −3/92 from the normal equations (check)"),
                       ("alpha1", 1, "α₁ = 49/46 (check)"),
                       ("kappa1", 2, "the residual κ₁ = 25/1472 (check)")],
    "proof-gen-ex-eta0": [("delta_u", 1, "Δu = 0.1 (check)"), ("delta_d", 1, "Δd = 0.1 (check)"), ("nu", 1, "ν = 0.1 (check)"),
                          ("T", 1, "T = 1.6 (check)"), ("first", 1, "ν/30 (check)"), ("second", 1, "Δf²ν/(176M²) (check)"),
                          ("third", 1, "ν²/(352M²T) = η₀ (check; leaving out T is a named mistake)"),
                          ("which step", 2, "written: the smallest term and the lemma it comes from (drift over T)")],
    "proof-gen-ex-offset": [("integral", 3, "the offset −(½ − |θ|)⁴ derived for both signs of θ"), ("quadrature", 1, "checked numerically"),
                            ("configuration", 3, "a start where the marked term is of the order of the anti-diffusion term")],
    "proof-gen-ex-symmetric": [("(i)", 3, "ν = 0: η₀ = μ = 0; the approach lemma's margin D − d is lost"),
                               ("(ii)", 2, "λ_min(G) at τ = 1 against the generic start"), ("(iii)", 2, "the loss still ends at O(η); the proof does not reach it")],
    # chapter 5
    "exp-ex-why-equal": [("distance", 2, "‖a(1) − a*‖/‖a*‖ (check)"), ("cosine", 2, "the cosine (check)"),
                         ("why", 2, "written: at ε = 1 the positions move before a has relaxed")],
    "exp-ex-radius": [("runs_eta", 1, "runs with an uncovered jump at radius η (check; counting jumps is a named mistake)"),
                      ("runs_4eta", 1, "the same at 4η (check)"), ("seed", 1, "the run whose verdict changes (check)"),
                      ("why 2η", 2, "written: the gap between the two groups of distances")],
    "exp-ex-flight": [("extra", 1, "the extra slow time after τ = 0.07 (check)"),
                      ("steps", 1, "in SGD steps, τ/(εh) (check; τ/h is a named mistake)"),
                      ("bound", 1, "8d/Δ² with the nearer neuron's d (check)"),
                      ("comparison", 1, "written: the capture comes well before the bound")],
    "exp-ex-ramp": [("kernel", 3, "even kernel of unit mass: the ideal limit is unchanged"), ("steps", 4, "each step justified"),
                    ("SGD", 2, "what SGD with the ramp changes (O(η) in position)")],
    # chapter 6
    "beyond-ex-phase": [("proportion", 1, "check"), ("lower", 1, "Wilson, not Wald (check)"), ("upper", 1, "check"),
                        ("reading", 2, "written: what the cell says about the condition")],
    "beyond-ex-lazy": [("prediction", 2, "Σ Δᵢ²/6 (check)"), ("estimate", 2, "m E ℓ₀ from 400 seeds with its standard error"),
                       ("neurons", 1, "the width needed for η = 10⁻³ (check)")],
    "beyond-ex-refit": [("final", 1, "check"), ("refit", 1, "check"), ("where", 2, "written: the error lives in the weights, not in the positions")],
    "beyond-ex-probability": [("p25", 3, "the exact probability for m = 25 (check; P₂(20) is a named mistake)"), ("method", 2, "recursion or inclusion–exclusion, stated")],
    # chapter 7
    "concl-ex-bound": [("ratio_first", 1, "check"), ("ratio_second", 1, "check"), ("which neuron", 1, "the nearer flanking neuron")],
    "concl-ex-floor": [("ratio", 1, "at η = 0.01 (check)"), ("why", 2, "written: a smooth step of width η cannot make a jump")],
    "concl-ex-condition": [("counterexample", 2, "a start that violates the condition and still converges"),
                           ("explanation", 2, "written: sufficient, not necessary")],
}


def cell(text: str) -> str:
    """Text for a Markdown table cell: a literal | (as in |θ|) escaped, so that it does not split the cell."""
    return text.replace("|", r"\|")


def total(label: str) -> int:
    return sum(m for _, m, _ in SCHEME[label])


def markdown(titles: dict | None = None) -> str:
    """The scheme as a Markdown page (``titles``: label -> exercise title, optional)."""
    titles = titles or {}
    lines = ["# Marking schemes", "",
             "Marks per part for every exercise of the book. A part checked by `check` (or by the grader on a graded "
             "variant) earns full marks when correct, half when *close* (within 3 times a relative tolerance: a rounding "
             "slip), none for a named known mistake or otherwise. Written parts are marked by hand.", ""]
    for label, parts in SCHEME.items():
        head = f"`{label}`" + (f" — {titles[label]}" if label in titles else "")
        lines += [f"## {head} ({total(label)} marks)", "", "| part | marks | for |", "| --- | --- | --- |"]
        lines += [f"| {p} | {m} | {cell(w)} |" for p, m, w in parts]
        lines.append("")
    return "\n".join(lines)
