r"""Graded variants of the book's exercises: other parameters, targets or seeds, drawn per term from the
lecturer's secret, with their answers computed here (never shipped to students).

A variant is a dict::

    {"label", "week", "title", "statement" (Markdown), "setup" (code defining the variant's parameters),
     "parts": {part: {"variable", "describe", "kind", "tol", "marks", "value", "hints": [[value, hint], ...]}},
     "solution" (Markdown, with the numbers), "scheme" (Markdown: how the marks are given)}

``make_variant(label, rng)`` draws one; :data:`GENERATORS` lists the exercises that have variants (those whose
answer is a number computed from parameters the statement can change). The drawn parameters never coincide with
the book's practice version, whose answers ship with the library's self-checks: :func:`make_variant` draws
again when any answer of a draw matches a practice answer within its tolerance.
"""

from __future__ import annotations

import numpy as np

GRID = np.round(np.arange(0.1, 0.91, 0.05), 2)


def _target(rng, n_jumps=3):
    """A random piecewise-constant target: jumps on a 0.05 grid at least 0.1 apart, values on a 0.5 grid."""
    while True:
        jumps = np.sort(rng.choice(GRID, n_jumps, replace=False))
        edges = np.r_[0.0, jumps, 1.0]
        if np.min(np.diff(edges)) >= 0.1 - 1e-9:
            break
    values = [float(rng.choice(np.arange(-2.0, 3.01, 0.5)))]
    while len(values) < n_jumps + 1:
        v = float(rng.choice(np.arange(-2.0, 3.01, 0.5)))
        if v != values[-1]:
            values.append(v)
    return [float(j) for j in jumps], values


def _target_phrase(jumps, values=None):
    text = f"the target with jumps ${', '.join(f'{j:g}' for j in jumps)}$"
    return text + (f" and values ${', '.join(f'{v:g}' for v in values)}$" if values is not None else "")


def _part(variable, describe, kind, tol, marks, value, hints=()):
    return {"variable": variable, "describe": describe, "kind": kind, "tol": tol, "marks": marks,
            "value": float(value), "hints": [[float(v), h] for v, h in hints]}


def _fmt(x):
    return f"{x:.6g}"


def intro_steps(rng):
    h = float(rng.choice([1e-5, 2e-5, 5e-5]))
    eps = float(rng.choice([1e-5, 5e-5, 1e-4]))
    tau = float(rng.choice([0.03, 0.05, 0.09, 0.12]))
    n = tau / (eps * h)
    return {
        "label": "intro-ex-steps", "week": 1, "title": "Slow time and the cost of two timescales",
        "statement": (f"With outer step $h$ and ratio $\\varepsilon$, $N$ SGD steps advance the positions by a slow time "
                      f"$\\tau = \\varepsilon h N$. How many steps $N$ are needed for $h = {h:g}$, "
                      f"$\\varepsilon = {eps:g}$, $\\tau = {tau:g}$? Store it in `N_steps`."),
        "setup": f"h = {h!r}\neps = {eps!r}\ntau = {tau!r}",
        "parts": {"N": _part("N_steps", "the number of SGD steps", "rel", 1e-4, 2, n,
                             [(tau / h, "this is τ/h: the slow time also carries the factor ε")])},
        "solution": f"$N = \\tau/(\\varepsilon h) = {_fmt(n)}$.",
        "scheme": "2 marks: the formula $N = \\tau/(\\varepsilon h)$ (1), the number (1).",
    }


def setting_constants(rng):
    jumps, values = _target(rng)
    edges = np.r_[0.0, jumps, 1.0]
    dv, df, M = float(np.min(np.diff(edges))), float(np.min(np.abs(np.diff(values)))), float(np.max(np.abs(values)))
    return {
        "label": "setting-ex-constants", "week": 1, "title": "The constants of a target",
        "statement": (f"For {_target_phrase(jumps, values)}, compute $\\Delta v$, $\\Delta f$ and $M$ by hand, then "
                      "with `PiecewiseConstant`; store them in `delta_v`, `delta_f`, `M`. Which jump will be the "
                      "hardest to find, and why?"),
        "setup": f"jumps = {jumps!r}\nvalues = {values!r}",
        "parts": {"delta_v": _part("delta_v", "the smallest piece length", "rel", 1e-4, 1, dv),
                  "delta_f": _part("delta_f", "the smallest jump height", "rel", 1e-4, 1, df),
                  "M": _part("M", "the largest |value|", "rel", 1e-4, 1, M)},
        "solution": f"$\\Delta v = {dv:g}$, $\\Delta f = {df:g}$, $M = {M:g}$; the faintest jump is the hardest "
                    "(neurons approach a jump at a speed proportional to its height squared).",
        "scheme": "3 marks for the numbers (1 each); 1 mark (written) for the hardest jump with the reason $\\Delta^2$.",
    }


def setting_constant_fit(rng):
    jumps, values = _target(rng)
    edges = np.r_[0.0, jumps, 1.0]
    w = np.diff(edges)
    mean = float(np.dot(w, values))
    var = float(np.dot(w, np.square(values)) - mean**2)
    return {
        "label": "setting-ex-constant-fit", "week": 1, "title": "The best constant",
        "statement": (f"For {_target_phrase(jumps, values)}, show that the best network with every outer weight "
                      "but the bias set to zero has $a_0 = \\int_0^1 f^*$ and loss $\\tfrac12\\operatorname{Var} f^*(x)$; "
                      "store $a_0$ in `a0` and the loss in `best_loss`, and check the loss with `tts.loss`."),
        "setup": f"jumps = {jumps!r}\nvalues = {values!r}",
        "parts": {"a0": _part("a0", "the best bias", "rel", 1e-4, 2, mean),
                  "loss": _part("best_loss", "its loss", "rel", 1e-4, 2, var / 2,
                                [(var, "this is Var f*(x): the loss carries a factor ½")])},
        "solution": f"$a_0 = \\bar f = {_fmt(mean)}$, loss $= \\tfrac12\\operatorname{{Var}} f^* = {_fmt(var / 2)}$.",
        "scheme": "2 marks for the derivation (quadratic in $a_0$, minimised at the mean); 2 + 2 for the numbers.",
    }


def intro_lazy(rng):
    import tts_lib as tts

    seed = int(rng.integers(1, 10_000))
    m = int(rng.choice([16, 18, 22, 24]))
    eta = 4e-3
    u = np.asarray(tts.sample_positions(m, seed))
    ratio = tts.reduced_loss(u, tts.PiecewiseConstant.paper(), eta) / eta
    return {
        "label": "intro-ex-lazy", "week": 1, "title": "What the lazy regime gives up",
        "statement": (f"For the paper's target and $\\eta = 4\\cdot 10^{{-3}}$, freeze $u_0$ = `sample_positions({m}, {seed})` "
                      "and compute the best loss the outer weights can reach, $\\ell(u_0)$ (`tts.reduced_loss`), as a "
                      "multiple of $\\eta$; store it in `lazy_ratio`. Then say in two sentences what the lazy and the "
                      "mean-field analyses would each need to close the gap."),
        "setup": f"m = {m}\nseed = {seed}\neta = 4e-3",
        "parts": {"ratio": _part("lazy_ratio", "ℓ(u₀)/η", "rel", 5e-3, 2, ratio)},
        "solution": f"$\\ell(u_0)/\\eta \\approx {ratio:.4g}$.",
        "scheme": "2 marks for the number; 2 marks (written) for the two sentences.",
    }


def sf_invariant(rng):
    d_l = float(rng.choice([0.06, 0.08, 0.09, 0.11]))
    d_r = round(d_l + float(rng.choice([0.01, 0.02, 0.03, 0.05])), 3)
    delta = float(rng.choice([0.5, 1.5, 2.0]))
    d_far = float(np.cbrt(d_r**3 - d_l**3))
    return {
        "label": "sf-ex-invariant", "week": 2, "title": "The invariant of the pair dynamics",
        "statement": (f"Integrate the pair dynamics numerically (`scipy.integrate.solve_ivp`) for $\\Delta = {delta:g}$, "
                      f"$d_L(0) = {d_l:g}$, $d_R(0) = {d_r:g}$ until the near neuron reaches the jump, and check that "
                      "$d_L^3 - d_R^3$ is conserved. Where does the far neuron stop? Store its final distance to the "
                      "jump in `d_R_final`."),
        "setup": f"delta = {delta!r}\nd_L0 = {d_l!r}\nd_R0 = {d_r!r}",
        "parts": {"d_R": _part("d_R_final", "the far neuron's final distance", "rel", 1e-3, 3, d_far,
                               [(d_r - d_l, "this is d_R(0) − d_L(0): both neurons move")])},
        "solution": f"By the invariant, $d_R(\\tau^\\star) = (d_R(0)^3 - d_L(0)^3)^{{1/3}} = {d_far:.5g}$ (whatever $\\Delta$).",
        "scheme": "1 mark for the integration with a stopping event; 1 for the conserved invariant; 3 for the number.",
    }


def sf_arrival(rng):
    d_l = float(rng.choice([0.03, 0.04, 0.06, 0.07]))
    delta = float(rng.choice([1.0, 1.5, 2.5, 3.0]))
    limit = 2 * d_l / delta**2
    return {
        "label": "sf-ex-arrival", "week": 2, "title": "How sharp is the arrival bound?",
        "statement": (f"For $\\Delta = {delta:g}$ and $d_L(0) = {d_l:g}$, plot the exact arrival time $\\tau^\\star$ "
                      "(`jump_pair.arrival_time`) and the bound $8 d_L(0)/\\Delta^2$ against $d_R(0)$. What is the "
                      "limit of $\\tau^\\star$ as $d_R(0) \\to \\infty$, and why? Store it in `tau_limit`."),
        "setup": f"delta = {delta!r}\nd_L0 = {d_l!r}",
        "parts": {"limit": _part("tau_limit", "the limit of τ*", "rel", 1e-4, 3, limit,
                                 [(8 * d_l / delta**2, "this is the bound 8 d_L(0)/Δ², attained at d_R(0) = d_L(0)")])},
        "solution": f"The near neuron moves at the maximal speed $\\Delta^2/2$: $\\tau^\\star \\to 2d_L(0)/\\Delta^2 = {limit:.5g}$.",
        "scheme": "1 mark for the plot; 3 for the limit; 1 (written) for the reason (maximal speed $\\Delta^2/2$).",
    }


def sf_spacing(rng):
    from tts_lib.theory import slow_fast_tracking as sft

    eta = float(rng.choice([0.01, 0.03, 0.04]))
    k = int(rng.choice([5, 8, 20]))
    lam = sft.pair_spacing_eigenvalues(np.array([eta / k]), eta)[0]
    return {
        "label": "sf-ex-spacing", "week": 2, "title": "The fast relaxation rate of a close pair",
        "statement": (f"Two neurons at distance $s = \\eta/{k}$, placed symmetrically about $\\tfrac12$ ($u = \\tfrac12 "
                      f"\\mp \\tfrac s2$; the bias is the third feature), $\\eta = {eta:g}$. Compare "
                      "$\\tfrac12\\|\\varphi_1 - \\varphi_2\\|^2$ with $\\lambda_{\\min}(G)$ and $\\tfrac9{10}s^2/\\eta$, and "
                      "give the relaxation time $1/\\lambda_{\\min}(G)$ in `relax_time`."),
        "setup": f"eta = {eta!r}\ns = eta / {k}",
        "parts": {"time": _part("relax_time", "1/λ_min(G)", "rel", 1e-3, 3, 1 / lam,
                                [(1 / (0.9 * (eta / k) ** 2 / eta), "this is the asymptote 10η/(9s²), not λ_min itself")])},
        "solution": f"$1/\\lambda_{{\\min}}(G) \\approx {1 / lam:.5g}$ (the asymptote gives {1 / (0.9 * (eta / k) ** 2 / eta):.5g}).",
        "scheme": "1 mark for the comparison of the three numbers; 3 for the relaxation time.",
    }


def proof_interval(rng):
    import tts_lib as tts

    jumps, values = _target(rng, 2)
    u = np.sort(rng.choice(np.round(np.arange(0.05, 0.96, 0.05), 2), 6, replace=False))
    ell0 = tts.ideal_loss(u, tts.PiecewiseConstant(jumps, values))
    return {
        "label": "proof-ex-interval", "week": 2, "title": "One-interval loss and the ideal loss",
        "statement": (f"For {_target_phrase(jumps, values)} and the positions $u = ({', '.join(f'{x:g}' for x in u)})$, "
                      "compute the ideal loss $\\ell_0(u)$ by hand, interval by interval, and compare with "
                      "`tts.ideal_loss`; store it in `ell0`."),
        "setup": f"jumps = {jumps!r}\nvalues = {values!r}\nu = {[float(x) for x in u]!r}",
        "parts": {"ell0": _part("ell0", "the ideal loss", "rel", 1e-4, 4, ell0)},
        "solution": f"$\\ell_0(u) = {_fmt(ell0)}$.",
        "scheme": "2 marks for the one-interval formula, applied to each interval; 4 for the number.",
    }


def proof_probability(rng):
    from tts_lib.theory import probability

    jumps, _ = _target(rng, 4)
    lengths = np.diff(np.r_[0.0, jumps, 1.0])
    m2, m1 = probability.min_neurons(lengths, 0.9, 2), probability.min_neurons(lengths, 0.9, 1)
    return {
        "label": "proof-ex-probability", "week": 2, "title": "How many neurons?",
        "statement": (f"For a target whose pieces have lengths ${', '.join(f'{x:g}' for x in lengths)}$, find the smallest "
                      "$m$ with $P_2(m) \\ge 0.9$ (store it in `m_two`) and the same for one neuron per piece "
                      "(`m_one`)."),
        "setup": f"lengths = {[float(x) for x in lengths]!r}",
        "parts": {"m2": _part("m_two", "smallest m, two per piece", "abs", 0, 2, m2),
                  "m1": _part("m_one", "smallest m, one per piece", "abs", 0, 2, m1)},
        "solution": f"$m = {m2}$ for two neurons per piece, $m = {m1}$ for one.",
        "scheme": "2 + 2 marks for the two integers (off by one: 1 mark each if the method is right, by hand).",
    }


def beyond_probability(rng):
    import tts_lib as tts
    from tts_lib.theory import probability

    jumps, values = _target(rng)
    m = int(rng.choice([16, 24, 28]))
    p = probability.two_per_piece_probability(m, tts.PiecewiseConstant(jumps, values))
    return {
        "label": "beyond-ex-probability", "week": 3, "title": "The probability of the condition, exactly",
        "statement": (f"For {_target_phrase(jumps)}, compute exactly the "
                      f"probability that $m = {m}$ uniform positions put at least two neurons in every piece; store it "
                      "in `p_two`. Check it against a Monte Carlo estimate."),
        "setup": f"jumps = {jumps!r}\nm = {m}",
        "parts": {"p": _part("p_two", "P(two per piece)", "rel", 1e-4, 4, p)},
        "solution": f"$P_2({m}) = {p:.6f}$.",
        "scheme": "4 marks for the exact number; 2 for the Monte Carlo check with its standard error.",
    }


def beyond_phase(rng):
    from tts_lib.experiments import phase

    study = phase.load_study()
    cells = [(i, k) for i in range(study.eps.size) for k in range(study.m.size)
             if not (abs(study.eps[i] - 0.1) < 1e-12 and study.m[k] == 12)]
    i, k = cells[int(rng.integers(len(cells)))]
    cov = int(study.covered()[i, k].sum())
    n = study.n_seeds
    lo, hi = phase.wilson_interval(cov, n)
    p = cov / n
    wald = 1.959963984540054 * np.sqrt(p * (1 - p) / n)
    eps, m = float(study.eps[i]), int(study.m[k])
    return {
        "label": "beyond-ex-phase", "week": 3, "title": "Reading the phase diagram",
        "statement": (f"From the stored phase study (`phase.load_study()`), give the proportion of runs that cover every "
                      f"jump at $\\varepsilon = {eps:g}$, $m = {m}$ (`prop`) and its 95 % Wilson interval (`wilson_lo`, "
                      "`wilson_hi`)."),
        "setup": f"eps = {eps!r}\nm = {m}",
        "parts": {"proportion": _part("prop", "the proportion covered", "abs", 0.005, 2, p),
                  "lower": _part("wilson_lo", "Wilson lower end", "rel", 1e-3, 1, lo,
                                 [(p - wald, "this is the Wald interval; the exercise asks for Wilson's")]),
                  "upper": _part("wilson_hi", "Wilson upper end", "rel", 1e-3, 1, hi,
                                 [(p + wald, "this is the Wald interval; the exercise asks for Wilson's")])},
        "solution": f"{cov}/{n} = {p:.3f}, Wilson interval [{lo:.4f}, {hi:.4f}].",
        "scheme": "2 marks for the proportion; 1 + 1 for the interval (0 for a Wald interval).",
    }


def concl_floor(rng):
    import tts_lib as tts

    jumps, values = _target(rng, 2)
    eta = float(rng.choice([0.005, 0.015, 0.03]))
    target = tts.PiecewiseConstant(jumps, values)
    ratio = tts.reduced_loss(np.asarray(target.jumps), target, eta) / (eta * np.sum(np.square(target.heights)) / 56)
    return {
        "label": "concl-ex-floor", "week": 3, "title": "The smoothing floor",
        "statement": (f"For {_target_phrase(jumps, values)}, put one neuron on each jump with the best outer weights "
                      f"and compute $\\ell(u) / (\\eta\\sum_i \\Delta_i^2/56)$ at $\\eta = {eta:g}$; store it in "
                      "`floor_ratio`. Why can the loss not reach 0?"),
        "setup": f"jumps = {jumps!r}\nvalues = {values!r}\neta = {eta!r}",
        "parts": {"ratio": _part("floor_ratio", "the ratio", "rel", 1e-3, 2, ratio)},
        "solution": f"The ratio is {ratio:.5f}, just below 1.",
        "scheme": "2 marks for the ratio; 1 (written) for the reason (a smooth step of width η cannot make a jump).",
    }


def proof_gen_eta0(rng):
    from tts_lib.theory import constants
    import tts_lib as tts

    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    while True:
        v = float(rng.choice([0.4, 0.45, 0.5, 0.55, 0.6]))
        a, b = (float(x) for x in rng.choice(np.arange(-2.0, 3.01, 0.5), 2, replace=False))
        left = np.sort(rng.choice(grid[grid < v - 1e-9], 2, replace=False))
        right = np.sort(rng.choice(grid[grid > v + 1e-9], 2, replace=False))
        u = np.r_[left, right]
        if abs((v - left[1]) - (right[0] - v)) > 1e-9:   # generic: the flanking pair is not equidistant
            break
    target = tts.PiecewiseConstant([v], [a, b])
    c = constants.theorem_constants(u, target)
    terms = {"ν/30": c["nu"] / 30, "Δf²ν/(176M²)": c["delta_f"] ** 2 * c["nu"] / (176 * c["M"] ** 2),
             "ν²/(352M²T)": c["nu"] ** 2 / (352 * c["M"] ** 2 * c["T"])}
    smallest = min(terms, key=terms.get)
    hints = [(x, f"this is {name}; η₀ is the smallest of the three terms, here {smallest}")
             for name, x in terms.items() if name != smallest and abs(x - c["eta0"]) > 1e-3 * c["eta0"]]
    return {
        "label": "proof-gen-ex-eta0", "week": 2, "title": "The theorem's thresholds for one jump",
        "statement": (f"For the one-jump target with the jump at ${v:g}$ and values ${a:g}, {b:g}$, and the start "
                      f"$u(0) = ({', '.join(f'{x:g}' for x in u)})$, compute by hand $\\Delta u$, $\\Delta d$, $\\nu$, $T$ and "
                      "the three terms of $\\eta_0$, and check with `constants.theorem_constants`. Store $\\nu$ in `nu`, "
                      "$T$ in `T_max` and $\\eta_0$ in `eta0`. Which term is the smallest, and which step of the proof "
                      "does it come from?"),
        "setup": f"jumps = {[v]!r}\nvalues = {[a, b]!r}\nu0 = {[float(x) for x in u]!r}",
        "parts": {"nu": _part("nu", "ν = min(Δu, Δd)", "rel", 1e-3, 1, c["nu"]),
                  "T": _part("T_max", "T = max 16 dᵢ/Δᵢ²", "rel", 1e-3, 1, c["T"]),
                  "eta0": _part("eta0", "η₀, the smallest term", "rel", 5e-3, 2, c["eta0"], hints)},
        "solution": (f"$\\Delta u = {c['delta_u']:g}$, $\\Delta d = {c['delta_d']:g}$, $\\nu = {c['nu']:g}$, "
                     f"$T = {c['T']:.5g}$; the terms are " + ", ".join(f"${k} = {x:.4g}$" for k, x in terms.items()) +
                     f"; $\\eta_0 = {c['eta0']:.4g}$ ({smallest})."),
        "scheme": "1 mark each for ν and T, 2 for η₀; 2 (written) for the smallest term and the step it comes from.",
    }


def exp_flight(rng):
    import tts_lib as tts
    from tts_lib.initialisation import sample_positions

    target = tts.PiecewiseConstant.paper()
    tau_end, step = 0.07, 2e-5 * 2e-5
    for _ in range(500):
        seed = int(rng.integers(2, 100_000))
        u_start = np.asarray(sample_positions(20, seed, target, require_two_per_piece=True))
        ideal = tts.ideal_flow(u_start, target, (0.0, tau_end))
        flight = [i for i in range(target.jumps.size) if not np.any(ideal.arrival_jump == i)]
        if len(flight) == 1:
            break
    else:
        raise RuntimeError("exp-ex-flight: no start with one jump in flight in 500 draws")
    j, u_end = flight[0], ideal.u[-1]
    more = tts.ideal_flow(u_end, target, (0.0, 1.0), tau_eval=[0.0, 1.0])
    extra = float(np.nanmin(more.arrival_tau[more.arrival_jump == j]))
    v = float(target.jumps[j])
    d_l, d_r = float(np.min(v - u_end[u_end < v])), float(np.min(u_end[u_end > v] - v))
    h2 = float(target.heights[j]) ** 2
    bound, bound_far = 8 * min(d_l, d_r) / h2, 8 * max(d_l, d_r) / h2
    return {
        "label": "exp-ex-flight", "week": 3, "title": "How long until the jump in flight lands?",
        "statement": (f"On the paper's target, start the ideal flow from `sample_positions(20, {seed}, target, "
                      "require_two_per_piece=True)` and run it to $\\tau = 0.07$ (`tts.ideal_flow`): one jump is still in "
                      "flight. Run the flow on from the final positions until it is captured; store the extra slow time "
                      "in `extra_tau`, the same in SGD steps at $h = \\varepsilon = 2\\cdot10^{-5}$ ($\\tau = \\varepsilon h N$) "
                      "in `extra_steps`, and the bound $8d/\\Delta^2$ for its flanking pair at $\\tau = 0.07$ in `bound`."),
        "setup": f"seed = {seed}\ntarget = tts.PiecewiseConstant.paper()",
        "parts": {"extra": _part("extra_tau", "the extra slow time", "rel", 5e-3, 1, extra,
                                 [(tau_end + extra, "this is the capture time from the start; the exercise asks for the time after τ = 0.07")]),
                  "steps": _part("extra_steps", "the extra SGD steps", "rel", 5e-3, 1, extra / step,
                                 [(extra / 2e-5, "this is τ/h: the slow time also carries the factor ε")]),
                  "bound": _part("bound", "8d/Δ² at τ = 0.07", "rel", 5e-3, 1, bound,
                                 [(bound_far, "this uses the farther neuron's distance; d is the nearer one's")])},
        "solution": (f"The jump at {v:g} is captured {extra:.4g} slow time after $\\tau = 0.07$, i.e. {extra / step:.4g} SGD "
                     f"steps; the bound is $8d/\\Delta^2 = {bound:.4g}$."),
        "scheme": "1 mark for each number; 1 (written) for the comparison with the bound.",
    }


GENERATORS = {
    "intro-ex-steps": intro_steps,
    "setting-ex-constants": setting_constants,
    "setting-ex-constant-fit": setting_constant_fit,
    "intro-ex-lazy": intro_lazy,
    "sf-ex-invariant": sf_invariant,
    "sf-ex-arrival": sf_arrival,
    "sf-ex-spacing": sf_spacing,
    "proof-ex-interval": proof_interval,
    "proof-ex-probability": proof_probability,
    "proof-gen-ex-eta0": proof_gen_eta0,
    "exp-ex-flight": exp_flight,
    "beyond-ex-probability": beyond_probability,
    "beyond-ex-phase": beyond_phase,
    "concl-ex-floor": concl_floor,
}


def rng_for(secret: str, term: str, label: str) -> np.random.Generator:
    """The generator of one exercise's variant: a function of the lecturer's secret, the term and the label only."""
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), f"{term}:{label}".encode(), hashlib.sha256).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def make_variant(label: str, secret: str, term: str) -> dict:
    if label not in GENERATORS:
        raise ValueError(f"label {label!r} has no graded variant; those with one: {', '.join(GENERATORS)}")
    rng = rng_for(secret, term, label)
    practice = _practice_values(label)
    for _ in range(100):
        variant = GENERATORS[label](rng)
        if not any(abs(p["value"] - y) <= max(p["tol"] * (abs(y) if p["kind"] == "rel" else 1.0), 1e-12)
                   for p in variant["parts"].values() for y in practice):
            return variant
    raise RuntimeError(f"{label}: no variant distinct from the practice version in 100 draws")


def _practice_values(label: str) -> list[float]:
    """The practice answers of ``label`` (from the library's self-checks), to keep variants away from them."""
    from tts_lib.course._answers import ANSWERS
    from tts_lib.course.check import _decode

    if label not in ANSWERS:
        return []
    return [float(v) for v in _decode(label, ANSWERS[label]["data"])["values"].values()]


__all__ = ["GENERATORS", "make_variant", "rng_for"]
