"""Chapter 6's equal-stepsize sweeps up to m = 10^4 (too long for the chapter): run, check, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/equal_stepsize_widths.py [--parts widths,threshold,small_step]

Online SGD with equal stepsizes in the book's parametrisation (eps = 1) on the paper's target (eta = 4e-3), from
``sample_positions(m, s)`` and a = 0, up to t = 20 (``regimes.equal_stepsize_sweep``: worst-covered jump at the
start and at the end, final exact loss). Three parts, saved together (``regimes.load_equal_stepsize_sweep(part)``):

* ``widths``: m in {20, 40, 80, 160, 320, 640, 1250, 2500, 5000, 10000}, seeds 0..31, outer step h = 2e-5
  (10^6 steps per run);
* ``threshold``: m in {40, 80, 160, 320} (where coverage turns), seeds 32..159 (128 more, independent of the
  first part's), h = 2e-5;
* ``small_step``: m in {1250, 10000}, seeds 0..3 (the first part's starts and streams), h = 2e-6 (10^7 steps):
  how much of the final loss is the step.

Checks what chapter 6 states and writes JSON (default ``tts_lib/experiments/data/equal_stepsize_widths.json``;
parts not recomputed are kept from the existing file). CPU time on 2 cores: widths 48 s, threshold 43 s,
small_step 18 s (57 s of wall time in all). At eps = 1 the neurons gather at the jumps, where dozens share a
window and cross at every step: a sparse step at m = 10^4 costs about 0.5 us there (0.27 us in a run whose
neurons hardly move, ``bench_sgd.py --scaling``), and one exact loss about 20 ms.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import tts_lib as tts
from tts_lib.experiments import regimes, scaling, stored

ETA, LR, T_END = 4e-3, 2e-5, 20.0
PARTS = {
    "widths": dict(m_values=[20, 40, 80, 160, 320, 640, 1250, 2500, 5000, 10000], seeds=range(32), lr=LR),
    "threshold": dict(m_values=[40, 80, 160, 320], seeds=range(32, 160), lr=LR),
    "small_step": dict(m_values=[1250, 10000], seeds=range(4), lr=LR / 10),
}


def check(part, sweep, l_tts):
    """What chapter 6 states about each part (the chapter asserts the same on the loaded data)."""
    sweep.check()
    k, p, lo, hi = sweep.coverage()
    k0, p0, lo0, hi0 = sweep.coverage(at_start=True)
    S, m = sweep.seeds.size, sweep.m
    med = sweep.median_loss() / l_tts
    if part == "widths":
        assert p[0] < 0.5 and np.all(k[m >= 80] == S) and np.all(k0[m >= 320] == S), (k, k0)
        assert np.all(med > 2) and np.argmin(med) not in (0, m.size - 1), med     # never L_tts; a minimum inside
    elif part == "threshold":
        assert lo[list(m).index(80)] > 0.9 and p0[list(m).index(80)] < 0.5, (k, k0)
    elif part == "small_step":
        assert np.all(k == S), k


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(regimes.EQUAL_STEPSIZE_FILE))
    ap.add_argument("--parts", default=",".join(PARTS))
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    parts = args.parts.split(",")
    if any(p not in PARTS for p in parts):
        ap.error(f"--parts: choose among {list(PARTS)}")
    target = tts.PiecewiseConstant.paper()
    l_tts = scaling.centred_loss(target, ETA)
    out = Path(args.out)
    data = json.loads(out.read_text()) if out.is_file() else {}
    data.pop(stored.CHECKSUM_FIELD, None)  # rewritten below with the new parts
    for part in parts:
        t0 = time.process_time()
        cfg = PARTS[part]
        sweep = regimes.equal_stepsize_sweep(target, cfg["m_values"], cfg["seeds"], eta=ETA, lr=cfg["lr"],
                                             t_end=T_END, workers=args.workers)
        print(f"[{part}] " + sweep.summary(l_tts))
        print(f"[{part}] CPU time {time.process_time() - t0:.0f} s, wall {sweep.wall_time:.0f} s", flush=True)
        check(part, sweep, l_tts)
        data[part] = sweep.to_dict()
        stored.write(out, data, indent=1)  # with its checksum (tts_lib.experiments.stored)
    print(f"wrote {out}: parts {sorted(data)}")


if __name__ == "__main__":
    main()
