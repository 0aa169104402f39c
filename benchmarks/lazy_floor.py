"""The lazy floors of chapter 6 at widths too large for the chapter: run, check, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/lazy_floor.py [--out tts_lib/experiments/data/lazy_floor.json]

For m in {160, 320, 640, 960, 1280} and uniform initialisations ``sample_positions(m, s)`` (4 per width up to
m = 640, 2 beyond), the exact finite-eta (eta = 4e-3) floor of lazy training on the paper's target:

* ``random_feature``: positions frozen, a = 0 at the start, so the tangent features are the random
  features 1, sigma_eta(x - u_j) only (``regimes.tangent_floor(target, u, eta)``, equal to ``ell(u)``);
* ``tangent``: random initial outer weights (a_j ~ N(0, 1)), so the features sigma'((x - u_j)/eta) join
  (up to m = 640: twice the columns, eight times the cost).

Checks that the random-feature floor decreases with m and crosses L_tts = eta between 640 and 1280
neurons, and that the tangent floor is below it; writes the numbers as JSON (chapter 6 quotes them).
A few minutes on one core (least squares with up to 1281 columns).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import tts_lib as tts
from tts_lib.experiments import regimes, stored
from tts_lib.initialisation import sample_positions

M = [160, 320, 640, 960, 1280]
SEEDS = {160: 4, 320: 4, 640: 4, 960: 2, 1280: 2}
M_TANGENT = [160, 320, 640]
ETA = 4e-3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "tts_lib" / "experiments" / "data" / "lazy_floor.json"))
    args = ap.parse_args()
    target = tts.PiecewiseConstant.paper()
    rf, tg = [], []
    for m in M:
        rf.append([])
        for s in range(SEEDS[m]):
            u = np.asarray(sample_positions(m, s))
            rf[-1].append(regimes.tangent_floor(target, u, ETA))
            if m in M_TANGENT:
                if len(tg) < M_TANGENT.index(m) + 1:
                    tg.append([])
                a = np.r_[0.0, np.random.default_rng([m, s]).normal(size=m)]
                tg[-1].append(regimes.tangent_floor(target, u, ETA, a))
        print(f"m = {m:5d}: random-feature floor {np.mean(rf[-1]):.5f}"
              + (f", with tangent features {np.mean(tg[-1]):.5f}" if m in M_TANGENT else ""), flush=True)
    l_tts = ETA
    mean = np.array([np.mean(r) for r in rf])
    assert np.all(np.diff(mean) < 0), mean
    assert mean[M.index(640)] > l_tts > mean[M.index(1280)], mean
    assert all(np.all(np.array(t) <= np.array(r[: len(t)]) * (1 + 1e-9)) for t, r in zip(tg, rf)), (tg, rf)
    out = {"m": M, "m_tangent": M_TANGENT, "seeds": SEEDS, "eta": ETA, "random_feature": rf, "tangent": tg}
    stored.write(args.out, out, indent=1)  # with its checksum (tts_lib.experiments.stored)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
