"""The appendix's additive model in dimension 10 at the paper's parameters (20 seeds, both regimes): run, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/appendix_10d.py [--out tts_lib/experiments/data/appendix_10d.json]

Section 5.4 loads it (``paper.load_appendix_10d``) instead of spending about two minutes of CPU on it, and runs a
smaller live replication with fresh seeds. Offset 0 only (the stored study is the book's own seeds).
"""

from __future__ import annotations

import argparse

import numpy as np

from tts_lib.experiments import paper, stored
from tts_lib.experiments.appendix import thresholds_found
from tts_lib.experiments.datafiles import DATA_DIR
from tts_lib.seeds import seed_offset


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(DATA_DIR / "appendix_10d.json"))
    args = ap.parse_args()
    if seed_offset() != 0:
        raise SystemExit("the stored study uses the book's own seeds: unset TTS_SEED_OFFSET")
    r = paper.run("additive-10d", progress=False)
    c = r.config
    data = {"seeds": list(map(int, r.seeds)), "n_samples": c.n_samples, "standard_epochs": c.standard[2],
            "two_timescale_epochs": c.two_timescale[2], "wall_time": r.wall_time}
    for reg in ("standard", "two_timescale"):
        data[f"error_{reg}"] = r.errors(reg).tolist()
        data[f"found_{reg}"] = [thresholds_found(x.u, c.model, c.d) for x in getattr(r, reg)]
    stored.write(args.out, data, indent=1)
    s, t = r.errors("standard"), r.errors("two_timescale")
    print(f"additive-10d: median error standard {np.median(s):.4g}, two-timescale {np.median(t):.4g}, "
          f"two-timescale better in {np.sum(t < s)}/{t.size}; {r.wall_time:.0f} s")


if __name__ == "__main__":
    main()
