"""Compute the expected answers of the checkable exercises with tts_lib and write tts_lib/course/_answers.py.

`python tools/make_answers.py` rewrites the file; `--check` exits non-zero when it is out of date (a test calls
it; the comparison allows a small fraction of each part's tolerance, see MARGIN). Each entry: what the student
passes (part -> description), the tolerance of each part, and the values with the known mistakes of each part
(value, hint), encoded by tts_lib.course.check._encode so that they do not stand in the source in clear. These are
the *practice* answers of the self-checks; graded variants are made on the lecturer's side (course/).
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tts_lib" / "course" / "_answers.py"
#: --check accepts a recomputed value within MARGIN x (the part's tolerance) of the stored one; see main().
MARGIN = 0.01


def exercises():
    import tts_lib as tts
    from tts_lib.theory import jump_pair, probability, slow_fast_tracking as sft

    paper = tts.PiecewiseConstant.paper()
    p20 = probability.two_per_piece_probability(20, paper)
    p30 = probability.two_per_piece_probability(30, paper)
    mean = float(paper.primitive(1.0))
    var = float(paper.norm_sq()) - mean**2
    one = tts.PiecewiseConstant([0.5], [0.0, 2.0])
    e = 0.01
    L0 = tts.loss([0.0, 2.0], [0.5], one, e)
    L1 = tts.loss([0.0, 2.0], [0.5 + e / 4], one, e)
    eta = 0.02
    lam = sft.pair_spacing_eigenvalues(np.array([eta / 10]), eta)[0]
    toy = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
    lengths = np.diff(paper.edges)
    equal = np.full(6, 1 / 6)
    R = ("rel", 1e-4)
    from tts_lib.experiments import phase

    study = phase.load_study()
    e01, m12, m20 = list(study.eps).index(0.1), list(study.m).index(12), list(study.m).index(20)
    cov = int(study.covered()[e01, m12].sum())
    lo, hi = phase.wilson_interval(cov, study.n_seeds)
    final_ok = float(study.loss_ok()[e01, m20].mean())
    refit_ok = float(study.loss_ok(refit=True)[e01, m20].mean())
    from scipy.linalg import expm

    eta_p = 4e-3
    u_w = np.asarray(tts.sample_positions(20, 0))
    a_star = tts.optimal_outer(u_w, paper, eta_p)
    a_1 = a_star - expm(-tts.gram(u_w, eta_p)) @ a_star
    _, g_u = tts.loss_grad(a_1, u_w, paper, eta_p)
    g_ell = tts.reduced_loss_grad(u_w, paper, eta_p)
    z = 1.959963984540054  # the 95 % normal quantile (phase.Z95)
    p_hat = cov / study.n_seeds
    wald = z * np.sqrt(p_hat * (1 - p_hat) / study.n_seeds)
    ch = chapter_values()
    return {
        "intro-ex-lazy": {"ratio": ("ℓ(u₀) / η for the frozen positions (3 significant digits)", ("rel", 5e-3),
                                    tts.reduced_loss(u_w, paper, eta_p) / eta_p)},
        "exp-ex-why-equal": {
            "distance": ("‖a(1) − a*‖ / ‖a*‖ at t = 1", ("rel", 1e-3), np.linalg.norm(a_1 - a_star) / np.linalg.norm(a_star)),
            "cosine": ("the cosine between ∇_u L(a(1), u₀) and ∇ℓ(u₀)", ("rel", 1e-3),
                       g_u @ g_ell / (np.linalg.norm(g_u) * np.linalg.norm(g_ell))),
        },
        "intro-ex-steps": {"N": ("the number of SGD steps N", R, 0.07 / (2e-5 * 2e-5),
                                [(0.07 / 2e-5, "this is τ/h: the slow time also carries the factor ε")])},
        "intro-ex-symmetry": {
            "max": ("the largest value of L on the segment", ("rel", 1e-3), ch["sym_max"]),
        },
        "intro-ex-init": {
            "p20": ("your estimate of the probability for m = 20 (from 400 draws)", ("abs", 0.075), p20),
            "p30": ("your estimate of the probability for m = 30 (from 400 draws)", ("abs", 0.075), p30),
        },
        "setting-ex-constants": {
            "delta_v": ("the smallest piece length Δv", R, 0.1),
            "delta_f": ("the smallest jump |Δf|", R, 0.5),
            "M": ("the largest |f*_i|, M", R, 2.5),
        },
        "setting-ex-constant-fit": {
            "a0": ("the best bias a_0 for the paper's target", R, mean),
            "loss": ("its loss ½ Var f*(x)", R, var / 2, [(var, "this is Var f*(x): the loss carries a factor ½")]),
        },
        "setting-ex-ramp": {
            "ramp_jump": ("the jump of ∂²L/∂u₁² at u₁ = 0.55 for the ramp (value before minus value after)", ("rel", 1e-3), ch["ramp_jump"]),
            "cubic_jump": ("the same for the cubic σ", ("abs", 1e-2), ch["cubic_jump"]),
        },
        "setting-ex-floor": {
            "floor": ("L / (Δ² η) for the neuron on the jump", R, L0 / (4 * e)),
            "growth": ("(L_shifted − L) / (Δ² η) after the shift by η/4", ("rel", 1e-3), (L1 - L0) / (4 * e)),
        },
        "sf-ex-spacing": {
            "integral": ("∫ σ'(z)² dz over [−1/2, 1/2]", R, 9 / 5),
            "time": ("the relaxation time 1/λ_min(G) for η = 0.02, s = η/10", ("rel", 1e-3), 1 / lam),
        },
        "sf-ex-invariant": {
            "d_R": ("the far neuron's final distance to the jump (3 significant digits)", ("rel", 1e-3),
                    float(np.cbrt(0.12**3 - 0.1**3)), [(0.12 - 0.1, "this is d_R(0) − d_L(0): both neurons move")]),
        },
        "sf-ex-envelope": {
            "correction": ("the largest |entry| of (∂a*/∂u)ᵀ ∇_a L(a*(u₀), u₀) (give 0 if it is rounding)", ("abs", 1e-6), 0.0),
            "gap": ("‖∇_u L(a*(u₀) + 0.1 ν, u₀) − ∇ℓ(u₀)‖ for the ν of the exercise", ("rel", 1e-3), ch["env_gap"]),
        },
        "sf-ex-arrival": {"limit": ("the limit of τ* as d_R(0) → ∞", R, 2 * 0.05 / 4,
                                    [(8 * 0.05 / 4, "this is the bound 8 d_L(0)/Δ², attained at d_R(0) = d_L(0)")])},
        "proof-ex-interval": {"ell0": ("the ideal loss ℓ₀(u)", R, tts.ideal_loss([0.1, 0.25, 0.45, 0.5, 0.62, 0.9], toy))},
        "proof-ex-kappa": {
            "alpha0": ("α₀ of the least-squares fit (a decimal number)", R, -3 / 92),
            "alpha1": ("α₁ of the least-squares fit", R, 49 / 46),
            "kappa1": ("the residual loss κ₁ (a decimal number)", R, 25 / 1472,
                       [(1 - 15 / 16, "this is the residual without the fitted bias: solve for α₀ and α₁ together")]),
        },
        "proof-ex-probability": {
            "m2": ("the smallest m with P₂(m) ≥ 0.95, paper's target", ("abs", 0), probability.min_neurons(lengths, 0.95, 2),
                   [(probability.min_neurons(lengths, 0.9, 2), "this is the m for 90 %; the exercise asks for 95 %")]),
            "m1": ("the same for one neuron per piece, paper's target", ("abs", 0), probability.min_neurons(lengths, 0.95, 1)),
            "m2_equal": ("the smallest m with P₂(m) ≥ 0.95, six equal pieces", ("abs", 0), probability.min_neurons(equal, 0.95, 2)),
            "m1_equal": ("the same for one neuron per piece, six equal pieces", ("abs", 0), probability.min_neurons(equal, 0.95, 1)),
        },
        "beyond-ex-phase": {
            "proportion": ("the proportion covered at ε = 0.1, m = 12", ("abs", 0.005), cov / study.n_seeds),
            "lower": ("the lower end of its 95 % Wilson interval", ("rel", 1e-3), lo,
                      [(p_hat - wald, "this is the Wald interval p̂ ± z√(p̂(1−p̂)/n); the exercise asks for Wilson's")]),
            "upper": ("the upper end of its 95 % Wilson interval", ("rel", 1e-3), hi,
                      [(p_hat + wald, "this is the Wald interval p̂ ± z√(p̂(1−p̂)/n); the exercise asks for Wilson's")]),
        },
        "beyond-ex-refit": {
            "final": ("the proportion with L ≤ 2 L_tts with the final weights (ε = 0.1, m = 20)", ("abs", 0.005), final_ok),
            "refit": ("the same with the refitted weights", ("abs", 0.005), refit_ok),
        },
        "beyond-ex-probability": {"p25": ("P(every piece holds ≥ 2 of 25 neurons), paper's target", R,
                                           probability.two_per_piece_probability(25, paper),
                                           [(p20, "this is P₂(20); the exercise asks for m = 25")])},
        "beyond-ex-lazy": {
            "prediction": ("the predicted m E ℓ₀(u₀) for large m", ("rel", 1e-3), 9 / 6),
            "neurons": ("the number of frozen neurons that reach the centred loss of η = 10⁻³", ("rel", 1e-3),
                        (9 / 6) / (1e-3 * 9 / 56)),
        },
        "concl-ex-bound": {
            "ratio_first": ("capture time / bound for the jump at 0.3", ("rel", 1e-3), ch["bound_ratios"][0]),
            "ratio_second": ("capture time / bound for the jump at 0.6", ("rel", 1e-3), ch["bound_ratios"][1]),
        },
        "concl-ex-floor": {
            "ratio": ("ℓ(u) / (η Σ Δᵢ² / 56) at η = 0.01", ("rel", 1e-3), ch["floor_ratio"]),
        },
        "proof-gen-ex-eta0": {
            "delta_u": ("Δu for the start (0.1, 0.3, 0.6, 0.9)", ("rel", 1e-3), ch["eta0"]["delta_u"]),
            "delta_d": ("Δd", ("rel", 1e-3), ch["eta0"]["delta_d"]),
            "nu": ("ν = min(Δu, Δd)", ("rel", 1e-3), ch["eta0"]["nu"]),
            "T": ("T = max 16 dᵢ/Δᵢ²", ("rel", 1e-3), ch["eta0"]["T"]),
            "first": ("the first term of η₀, ν/30 (3 significant digits)", ("rel", 5e-3), ch["eta0"]["first"]),
            "second": ("the second term, Δf² ν/(176 M²) (3 significant digits)", ("rel", 5e-3), ch["eta0"]["second"]),
            "third": ("the third term, ν²/(352 M² T) (3 significant digits)", ("rel", 5e-3), ch["eta0"]["third"],
                      [(ch["eta0"]["nu"] ** 2 / 352, "this leaves out T: the third term is ν²/(352 M² T)")]),
        },
        "exp-ex-flight": {
            "extra": ("the extra slow time after τ = 0.07 until the jump in flight is captured (3 significant digits)",
                      ("rel", 5e-3), ch["flight"]["extra"],
                      [(0.07 + ch["flight"]["extra"], "this is the capture time from the start of the run; the exercise "
                                                      "asks for the slow time after τ = 0.07")]),
            "steps": ("that extra slow time in SGD steps, N = τ/(εh) (3 significant digits)", ("rel", 5e-3),
                      ch["flight"]["extra"] / (2e-5 * 2e-5),
                      [(ch["flight"]["extra"] / 2e-5, "this is τ/h: the slow time also carries the factor ε"),
                       (ch["flight"]["extra"] / (1e-5 * 2e-5), "this uses the authors' h = 10⁻⁵, which is in their units: "
                                                               "in τ = εhN the run's step is h = 2·10⁻⁵")]),
            "bound": ("the bound 8d/Δ² for the flanking pair at τ = 0.07 (3 significant digits)", ("rel", 5e-3),
                      ch["flight"]["bound"],
                      [(ch["flight"]["bound_far"], "this uses the farther neuron's distance; d is the nearer one's")]),
        },
        "exp-ex-radius": {
            "runs_eta": ("how many of the ten runs leave a jump uncovered at radius η", ("abs", 0), ch["radius"][1.0][0],
                         [(ch["radius"][1.0][1], "this counts uncovered jumps; the exercise asks how many runs have one")]),
            "runs_4eta": ("the same at radius 4η", ("abs", 0), ch["radius"][4.0][0],
                          [(ch["radius"][4.0][1], "this counts uncovered jumps; the exercise asks how many runs have one")]),
            "seed": ("the seed of the run whose verdict changes between radius η and 2η", ("abs", 0), ch["radius"]["changed"]),
        },
    }


def chapter_values():
    """The answers of the exercises whose numbers come from a chapter's own objects (its target, eta, u0)."""
    import tts_lib as tts
    from tts_lib.theory import flanking

    target = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
    eta = 0.02
    out = {}
    # intro-ex-symmetry
    u = np.array([0.2, 0.3, 0.6])
    a = tts.optimal_outer(u, target, eta)
    ur, ar = u[::-1], np.r_[a[0], a[:0:-1]]
    out["sym_ends"] = tts.loss(a, u, target, eta)
    out["sym_max"] = max(tts.loss((1 - s) * a + s * ar, (1 - s) * u + s * ur, target, eta) for s in np.linspace(0, 1, 41))
    # setting-ex-ramp: the second derivative just before and after u1 = 0.55
    from tts_lib.plots import explore

    one = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    ramp = lambda z: np.clip(z + 0.5, 0.0, 1.0)  # noqa: E731
    for name, prof in [("ramp", ramp), ("cubic", tts.sigma)]:
        before, after = (explore.position_derivatives(prof, [0.0, 1.0], [x], 0, one, 0.1)[1] for x in (0.5498, 0.5502))
        out[f"{name}_jump"] = before - after
    # sf-ex-envelope
    u0 = np.array([0.1, 0.22, 0.4, 0.5, 0.65, 0.8])
    a_s = tts.optimal_outer(u0, target, eta)
    nu = np.random.default_rng(1).normal(size=7)
    nu /= np.linalg.norm(nu)
    out["env_gap"] = np.linalg.norm(tts.loss_grad(a_s + 0.1 * nu, u0, target, eta)[1] - tts.reduced_loss_grad(u0, target, eta))
    # concl-ex-bound, concl-ex-floor
    _, t_cap, t_bound = flanking.predicted_captures(np.array([0.1, 0.25, 0.38, 0.45, 0.7, 0.85]), target)  # not chapter 3's
    # start, whose capture times chapter 3 prints
    out["bound_ratios"] = list(np.asarray(t_cap) / np.asarray(t_bound))
    out["floor_ratio"] = tts.reduced_loss(target.jumps, target, 0.01) / (0.01 * np.sum(target.heights**2) / 56)
    # proof-gen-ex-eta0: the theorem's thresholds for one jump and the start (0.1, 0.3, 0.6, 0.9)
    from tts_lib.theory import constants

    c = constants.theorem_constants([0.1, 0.3, 0.6, 0.9], tts.PiecewiseConstant([0.5], [0.0, 1.0]))
    out["eta0"] = {"delta_u": c["delta_u"], "delta_d": c["delta_d"], "nu": c["nu"], "T": c["T"],
                   "first": c["nu"] / 30, "second": c["delta_f"] ** 2 * c["nu"] / (176 * c["M"] ** 2),
                   "third": c["nu"] ** 2 / (352 * c["M"] ** 2 * c["T"])}
    assert abs(out["eta0"]["third"] - c["eta0"]) <= 1e-15
    out["flight"] = _flight()
    out["radius"] = _radius()
    return out


def _flight():
    """exp-ex-flight: seed 1 of the two-timescale run. Its ideal limit is the ideal flow from seed 1's start up to
    the run's slow time (chapter 5.1 integrates the same flow alongside SGD); continued, it captures the jump in
    flight. No SGD is needed for the answer."""
    import tts_lib as tts
    from tts_lib import experiments
    from tts_lib.initialisation import sample_positions

    cfg = experiments.config("two-timescale")
    target = tts.PiecewiseConstant.paper()
    tau_end = cfg.lr * cfg.eps * cfg.steps
    u_start = np.clip(np.asarray(sample_positions(cfg.m, 1, target, require_two_per_piece=True)), 0.0, 1.0)
    ideal = tts.ideal_flow(u_start, target, (0.0, tau_end))
    flight = [i for i in range(target.jumps.size) if not np.any(ideal.arrival_jump == i)]
    assert flight == [3], flight                                  # chapter 5.1 names the jump at 0.65
    j = flight[0]
    u_end = ideal.u[-1]
    more = tts.ideal_flow(u_end, target, (0.0, 0.5), tau_eval=[0.0, 0.5])
    extra = float(np.nanmin(more.arrival_tau[more.arrival_jump == j]))
    v = target.jumps[j]
    d_l, d_r = np.min(v - u_end[u_end < v]), np.min(u_end[u_end > v] - v)
    h2 = target.heights[j] ** 2
    return {"extra": extra, "bound": 8 * min(d_l, d_r) / h2, "bound_far": 8 * max(d_l, d_r) / h2}


def _radius():
    """exp-ex-radius: the ten equal-stepsize runs of chapter 5.2 (about 10 s), recounted at radii eta, 2 eta, 4 eta:
    radius -> (runs with an uncovered jump, uncovered jumps), and the seed whose verdict changes from eta to 2 eta."""
    from tts_lib import experiments

    eq = experiments.run("equal-stepsizes", progress=False)
    out, verdicts = {}, {}
    for radius in (1.0, 2.0, 4.0):
        covered = [experiments.jump_summary(r.u, eq.target, eq.config.eta, radius=radius)["covered"] for r in eq.runs]
        verdicts[radius] = [all(c) for c in covered]
        out[radius] = (verdicts[radius].count(False), sum(c.count(False) for c in covered))
    changed = [eq.seeds[i] for i in range(len(eq.runs)) if verdicts[1.0][i] != verdicts[2.0][i]]
    assert len(changed) == 1, changed                             # the solution's statement
    out["changed"] = int(changed[0])
    return out


def render() -> str:
    from tts_lib.course.check import _encode

    table = {}
    for label, parts in exercises().items():
        payload = {
            "values": {k: float(v[2]) for k, v in parts.items()},
            "mistakes": {k: [[float(m), h] for m, h in v[3]] for k, v in parts.items() if len(v) > 3},
        }
        table[label] = {
            "describe": {k: v[0] for k, v in parts.items()},
            "tol": {k: [v[1][0], v[1][1]] for k, v in parts.items()},
            "data": _encode(label, payload),
        }
    return ('"""Expected answers of the checkable exercises, encoded. Generated by tools/make_answers.py: do not edit."""\n\n'
            "ANSWERS = " + pprint.pformat(table, width=110, sort_dicts=True) + "\n")


def _load(text: str) -> dict:
    scope: dict = {}
    exec(compile(text, str(OUT), "exec"), scope)  # the generated module: a literal dict
    return scope["ANSWERS"]


def differences(stored_text: str, new_text: str, margin: float = MARGIN) -> list[str]:
    """What differs between two renderings: descriptions, tolerances and hints exactly, values within
    ``margin`` x the part's tolerance (exactly for a tolerance of 0: integer answers)."""
    from tts_lib.course.check import _decode

    old, new = _load(stored_text), _load(new_text)
    out = []
    if set(old) != set(new):
        return [f"labels differ: {sorted(set(old) ^ set(new))}"]
    for label in sorted(new):
        if old[label]["describe"] != new[label]["describe"] or old[label]["tol"] != new[label]["tol"]:
            out.append(f"{label}: descriptions or tolerances differ")
            continue
        a, b = _decode(label, old[label]["data"]), _decode(label, new[label]["data"])
        for key in ("values", "mistakes"):
            pairs = []
            if key == "values":
                pairs = [(part, a[key].get(part), y) for part, y in b[key].items()]
            else:
                if {p: [h for _, h in m] for p, m in a[key].items()} != {p: [h for _, h in m] for p, m in b[key].items()}:
                    out.append(f"{label}: known mistakes differ")
                    continue
                pairs = [(part, x[0], y[0]) for part in b[key] for x, y in zip(a[key][part], b[key][part])]
            for part, x, y in pairs:
                kind, tol = new[label]["tol"][part]
                allowed = margin * tol * (abs(y) if kind == "rel" else 1.0)
                if x is None or abs(float(x) - float(y)) > allowed:
                    out.append(f"{label}/{part} ({key}): stored {x!r}, recomputed {y!r}, allowed difference {allowed:.3g}")
    return out


def main(argv) -> int:
    text = render()
    if "--check" in argv:
        problems = ["the file is missing"] if not OUT.exists() else differences(OUT.read_text(), text)
        if problems:
            print(f"{OUT} is out of date: run python tools/make_answers.py", *problems, sep="\n  ", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
