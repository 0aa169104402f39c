"""The lazy floors of chapter 6 at widths too large for the chapter: run, check, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/lazy_floor.py [--out benchmarks/lazy_floor.json]

For m in {160, 320, 640, 960, 1280} and 4 uniform initialisations each (``sample_positions(m, s)``), the
exact finite-eta (eta = 4e-3) floor of lazy training on the paper's target:

* ``random_feature``: positions frozen, a = 0 at the start, so the tangent features are the random
  features 1, sigma_eta(x - u_j) only (``regimes.tangent_floor(target, u, eta)``, equal to ``ell(u)``);
* ``tangent``: random initial outer weights (a_j ~ N(0, 1)), so the features sigma'((x - u_j)/eta) join.

Checks that the random-feature floor decreases with m and crosses L_tts = eta between 640 and 1280
neurons, and that the tangent floor is below it; writes the numbers as JSON (chapter 6 quotes them).
A few minutes on one core (least squares with up to 2561 columns).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import tts_lib as tts
from tts_lib.experiments import regimes
from tts_lib.initialisation import sample_positions

M = [160, 320, 640, 960, 1280]
SEEDS = 4
ETA = 4e-3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).with_name("lazy_floor.json")))
    args = ap.parse_args()
    target = tts.PiecewiseConstant.paper()
    rf, tg = np.empty((len(M), SEEDS)), np.empty((len(M), SEEDS))
    for k, m in enumerate(M):
        for s in range(SEEDS):
            u = np.asarray(sample_positions(m, s))
            a = np.r_[0.0, np.random.default_rng([m, s]).normal(size=m)]
            rf[k, s] = regimes.tangent_floor(target, u, ETA)
            tg[k, s] = regimes.tangent_floor(target, u, ETA, a)
        print(f"m = {m:5d}: random-feature floor {rf[k].mean():.5f}, with tangent features {tg[k].mean():.5f}",
              flush=True)
    l_tts = ETA
    mean = rf.mean(axis=1)
    assert np.all(np.diff(mean) < 0), mean
    assert mean[M.index(640)] > l_tts > mean[M.index(1280)], mean
    assert np.all(tg <= rf * (1 + 1e-9)), (tg, rf)
    out = {"m": M, "seeds": SEEDS, "eta": ETA, "random_feature": rf.tolist(), "tangent": tg.tolist()}
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
