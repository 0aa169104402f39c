"""The appendix's standard regime, tuned (issue #26): a half-decade step grid at equal budget; run, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/appendix_step_grid.py [--names relu additive-2d]
        [--out tts_lib/experiments/data/appendix_step_grid.json]

For each appendix experiment, the standard regime (both steps h) for h in 1, 10^-0.5, ..., 10^-2 at the
two-timescale regime's budget (5000 epochs), 20 seeds paired with the two-timescale runs
(``paper.standard_step_grid``): final errors and fractions of thresholds found. Prints the median error per step,
the best step and the ratio of the best standard median to the two-timescale median; merges into the JSON file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from tts_lib.experiments import paper, stored
from tts_lib.experiments.datafiles import DATA_DIR


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", nargs="+", default=["relu", "additive-2d"])
    ap.add_argument("--out", default=str(DATA_DIR / "appendix_step_grid.json"))
    args = ap.parse_args()
    out = Path(args.out)
    for name in args.names:
        g = paper.standard_step_grid(name)
        med = np.median(g.error, axis=1)
        for h, e, f in zip(g.lr, med, g.found):
            print(f"{name}: h = {h:.3g}: median error {e:.3g}, all thresholds found in {int(np.sum(f == 1))}/{f.size}",
                  flush=True)
        print(f"{name}: best h = {g.lr[g.best]:.3g}; two-timescale median {np.median(g.tt_error):.3g}; ratio "
              f"{med[g.best] / np.median(g.tt_error):.2f} ({g.wall_time:.0f} s)", flush=True)
        data = json.loads(out.read_text()) if out.is_file() else {}
        data.pop(stored.CHECKSUM_FIELD, None)
        data[name] = {"lr": g.lr.tolist(), "seeds": g.seeds.tolist(), "epochs": g.epochs, "error": g.error.tolist(),
                      "found": g.found.tolist(), "tt_error": g.tt_error.tolist(), "tt_found": g.tt_found.tolist(),
                      "wall_time": g.wall_time}
        stored.write(out, data, indent=1)


if __name__ == "__main__":
    main()
