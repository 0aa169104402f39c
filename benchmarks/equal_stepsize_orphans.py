"""Section 5.2's orphaned jumps over many runs (too long for the page): run, check, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/equal_stepsize_orphans.py [--n 96]
        [--out tts_lib/experiments/data/equal_stepsize_orphans.json]

The named experiment ``equal-stepsizes`` (eps = 1, m = 20, the paper's step, t = 20 from a conditioned start,
a = 0), on seeds 10 .. 10 + n - 1 (the page runs seeds 0 .. 9: these are independent of them), each continued ten
times longer (10^7 more steps, stream ``1000 + seed``) as section 5.2 does. For every jump left uncovered at
t = 20 (no neuron within 2 eta) it records the distance to the nearest neuron, in units of eta, at t = 20 and at
t = 220. The page splits them at 20 eta ("far" / "near") and states: far orphans stay orphaned, near ones are
sometimes caught; it checks its own ten runs against these counts.

Checks that the far orphans are almost never caught and the near ones more often, and writes JSON. About
0.45 s of CPU per run (1.1e7 SGD steps); 96 runs take about a minute on two cores.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import tts_lib as tts
from tts_lib import experiments
from tts_lib.experiments import stored
from tts_lib.experiments.paper import _initial_positions
from tts_lib.seeds import seed_offset

FIRST = 10           # the page's own runs are seeds 0..9
SPLIT = 20.0         # far / near, in units of eta (the page's split)


def orphans(seeds):
    """Rows (seed, jump index, distance at t = 20, distance at t = 220), distances over eta, for every jump
    uncovered at t = 20, exactly as section 5.2 computes them."""
    target = tts.PiecewiseConstant.paper()
    cfg = experiments.config("equal-stepsizes")
    u0, _ = _initial_positions(cfg.m, seeds, target)
    ens = tts.sgd_ensemble(np.zeros(cfg.m + 1), u0, target, eta=cfg.eta, lr=cfg.lr, eps=cfg.eps, steps=cfg.steps,
                           seeds=seeds)
    more = tts.sgd_ensemble(np.array([r.a for r in ens.runs]), np.array([r.u for r in ens.runs]), target,
                            eta=cfg.eta, lr=cfg.lr, eps=1.0, steps=10 * cfg.steps, seeds=[1000 + s for s in seeds])
    rows = []
    for s, r, rm in zip(seeds, ens.runs, more.runs):
        before = experiments.jump_summary(r.u, target, cfg.eta)
        after = experiments.jump_summary(rm.u, target, cfg.eta)
        for j in range(target.jumps.size):
            if not before["covered"][j]:
                rows.append([int(s), j, float(before["distance_over_eta"][j]), float(after["distance_over_eta"][j])])
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=96, help="runs (seeds 10 .. 10 + n - 1)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "tts_lib" / "experiments" / "data"
                                          / "equal_stepsize_orphans.json"))
    args = ap.parse_args()
    if seed_offset() != 0:
        raise SystemExit("the stored study uses the book's own seeds: unset TTS_SEED_OFFSET")
    seeds = list(range(FIRST, FIRST + args.n))
    t0 = time.perf_counter()
    rows = orphans(seeds)
    d0, d1 = np.array([r[2] for r in rows]), np.array([r[3] for r in rows])
    far, near = d0 > SPLIT, d0 <= SPLIT
    print(f"{len(seeds)} runs in {time.perf_counter() - t0:.0f} s: {len(rows)} uncovered jumps at t = 20")
    print(f"far (> {SPLIT:g} eta): {far.sum()}, caught by t = 220: {np.sum(far & (d1 <= 2))}")
    print(f"near (<= {SPLIT:g} eta): {near.sum()}, caught by t = 220: {np.sum(near & (d1 <= 2))}")
    assert far.sum() >= 30 and near.sum() >= 15, (far.sum(), near.sum())
    assert np.mean(d1[far] <= 2) < 0.1 < np.mean(d1[near] <= 2), "far orphans are caught as often as near ones"
    stored.write(args.out, {"seeds": seeds, "split": SPLIT, "rows": rows}, indent=None)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
