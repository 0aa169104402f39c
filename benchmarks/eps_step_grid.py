"""Section 5.3's (eps, h) grid over 24 conditioned starts: run, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eps_step_grid.py [--seeds 24] [--out tts_lib/experiments/data/eps_step_grid.json]

Rows eps = 0.01, 0.1, 1; columns eps h = 2e-7, 2e-6, 2e-5; slow time >= 1.2 and fast time >= 6 per run; the
noise-free flow from the first six starts (``regimes.step_grid``). Starts 0-7 are the page's former eight. The
page loads the result (``regimes.load_step_grid``) and replicates one column live with fresh starts. Offset 0
only (the stored study is the book's own seeds).
"""

from __future__ import annotations

import argparse

import tts_lib as tts
from tts_lib.experiments import regimes, stored
from tts_lib.experiments.datafiles import DATA_DIR
from tts_lib.seeds import seed_offset


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=24)
    ap.add_argument("--out", default=str(DATA_DIR / "eps_step_grid.json"))
    args = ap.parse_args()
    if seed_offset() != 0:
        raise SystemExit("the stored study uses the book's own seeds: unset TTS_SEED_OFFSET")
    grid = regimes.step_grid(tts.PiecewiseConstant.paper(), [0.01, 0.1, 1.0], [2e-7, 2e-6, 2e-5], range(args.seeds),
                             flow_seeds=6)
    stored.write(args.out, regimes.step_grid_to_dict(grid), indent=None)
    print(grid.summary())
    print(f"{grid.wall_time:.0f} s")


if __name__ == "__main__":
    main()
