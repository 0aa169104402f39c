"""Compute the expected answers of the checkable exercises with tts_lib and write tts_lib/course/_answers.py.

`python tools/make_answers.py` rewrites the file; `--check` exits non-zero when it is out of date (a test calls
it). Each entry: what the student passes (part -> description), the tolerance of each part, and the values,
encoded by tts_lib.course.check.encode so that they do not stand in the source in clear.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tts_lib" / "course" / "_answers.py"


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
    return {
        "intro-ex-lazy": {"ratio": ("ℓ(u₀) / η for the frozen positions", ("rel", 1e-3),
                                    tts.reduced_loss(u_w, paper, eta_p) / eta_p)},
        "exp-ex-why-equal": {
            "distance": ("‖a(1) − a*‖ / ‖a*‖ at t = 1", ("rel", 1e-3), np.linalg.norm(a_1 - a_star) / np.linalg.norm(a_star)),
            "cosine": ("the cosine between ∇_u L(a(1), u₀) and ∇ℓ(u₀)", ("rel", 1e-3),
                       g_u @ g_ell / (np.linalg.norm(g_u) * np.linalg.norm(g_ell))),
        },
        "intro-ex-steps": {"N": ("the number of SGD steps N", R, 0.07 / (2e-5 * 2e-5))},
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
            "loss": ("its loss ½ Var f*(x)", R, var / 2),
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
            "d_R": ("the far neuron's final distance to the jump", R, float(np.cbrt(0.12**3 - 0.1**3))),
            "tau": ("the arrival time of the near neuron", ("rel", 1e-5), jump_pair.arrival_time(0.1, 0.12, 1.0)),
        },
        "sf-ex-arrival": {"limit": ("the limit of τ* as d_R(0) → ∞", R, 2 * 0.05 / 4)},
        "proof-ex-interval": {"ell0": ("the ideal loss ℓ₀(u)", R, tts.ideal_loss([0.1, 0.25, 0.45, 0.5, 0.62, 0.9], toy))},
        "proof-ex-kappa": {"kappa1": ("κ₁ (a decimal number)", R, 25 / 1472)},
        "proof-ex-probability": {
            "m2": ("the smallest m with P₂(m) ≥ 0.9, paper's target", ("abs", 0), probability.min_neurons(lengths, 0.9, 2)),
            "m1": ("the same for one neuron per piece, paper's target", ("abs", 0), probability.min_neurons(lengths, 0.9, 1)),
            "m2_equal": ("the smallest m with P₂(m) ≥ 0.9, six equal pieces", ("abs", 0), probability.min_neurons(equal, 0.9, 2)),
            "m1_equal": ("the same for one neuron per piece, six equal pieces", ("abs", 0), probability.min_neurons(equal, 0.9, 1)),
        },
        "beyond-ex-phase": {
            "proportion": ("the proportion covered at ε = 0.1, m = 12", ("abs", 0.005), cov / study.n_seeds),
            "lower": ("the lower end of its 95 % Wilson interval", ("rel", 1e-3), lo),
            "upper": ("the upper end of its 95 % Wilson interval", ("rel", 1e-3), hi),
        },
        "beyond-ex-refit": {
            "final": ("the proportion with L ≤ 2 L_tts with the final weights (ε = 0.1, m = 20)", ("abs", 0.005), final_ok),
            "refit": ("the same with the refitted weights", ("abs", 0.005), refit_ok),
        },
        "beyond-ex-probability": {"p20": ("P(every piece holds ≥ 2 of 20 neurons), paper's target", R, p20)},
    }


def render() -> str:
    from tts_lib.course.check import encode

    table = {}
    for label, parts in exercises().items():
        values = {k: float(v[2]) for k, v in parts.items()}
        table[label] = {
            "describe": {k: v[0] for k, v in parts.items()},
            "tol": {k: [v[1][0], v[1][1]] for k, v in parts.items()},
            "data": encode(label, values),
        }
    return ('"""Expected answers of the checkable exercises, encoded. Generated by tools/make_answers.py: do not edit."""\n\n'
            "ANSWERS = " + pprint.pformat(table, width=110, sort_dicts=True) + "\n")


def main(argv) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} is out of date: run python tools/make_answers.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
