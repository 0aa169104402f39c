"""Chapters 5-6's laws over many independent starts (issue #26): measure, check, save.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/laws_over_starts.py [--laws capture eta ...] [--n 32]
        [--out tts_lib/experiments/data/laws_over_starts.json]

For each law of ``tts_lib.experiments.laws.LAWS`` (capture-time exponent, tracking exponent, eta law, lazy
floor, NTK at m = 1000, ramp vs exact derivative) measures starts 0 .. n - 1 (``laws.law_sample``), prints the
typical value (median, distribution-free 95 % interval) and the 10-90 % spread of every field, and merges the
per-start values into the JSON file (other laws already stored are kept). The chapters load it and replicate
each law on a few fresh starts (``laws.FRESH_FIRST`` on). Always run at offset 0 (``TTS_SEED_OFFSET`` unset):
the stored starts are the book's.

Cost on one core of the project's 2-core machine, unloaded (the script prints each law's wall time):
capture ~5 s per start (5.2e7 SGD steps), tracking ~20 s (three full flows to tau = 0.3), eta ~5 s, lazy
~15 s (two least-squares fits, m = 640 and 960), ntk ~10 s (3e6 steps at m = 1000), ramp ~3 s (2 x 3.5e6 steps).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tts_lib.experiments import laws


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laws", nargs="+", default=sorted(laws.LAWS), choices=sorted(laws.LAWS))
    ap.add_argument("--n", type=int, default=32, help="starts per law (>= 32 for the book)")
    ap.add_argument("--out", default=str(laws.LAWS_FILE))
    args = ap.parse_args()
    if os.environ.get("TTS_SEED_OFFSET", "0").strip() not in ("", "0"):
        sys.exit("run at offset 0: the stored starts are the book's (unset TTS_SEED_OFFSET)")
    out = Path(args.out)
    for law in args.laws:
        sample = laws.law_sample(law, args.n, progress=lambda line: print(line, flush=True))
        sample.check()
        for name in sample.values:
            try:
                print("  " + sample.describe(name), flush=True)
            except ValueError as err:
                print(f"  {name}: {err}", flush=True)
        data = json.loads(out.read_text()) if out.is_file() else {}      # merge: other laws stay
        data[law] = sample.to_dict()
        out.write_text(json.dumps(data, indent=1))
        print(f"{law}: {args.n} starts in {sample.wall_time:.0f} s, wrote {out}", flush=True)


if __name__ == "__main__":
    main()
