"""The full phase study of chapter 6 (too heavy for the chapter itself): run, check, save.

    .venv/bin/python benchmarks/phase_study.py [--seeds 100] [--out tts_lib/experiments/data/phase_study.json]

Runs :func:`tts_lib.experiments.phase.phase_study` on the paper's target (eta = 4e-3, outer step
h = 2e-5) over eps in {0.01, 0.1, 1} and m in {12, 20, 28}, with 100 independent
initialisations per cell and each cell run until its outcome stops changing (or t = 100), checks the
result (``PhaseStudy.check`` and the claims chapter 6 quotes from it, below) and writes it as JSON.
Chapter 6 loads the JSON (``phase.load_study``) for its figures and re-checks the quoted numbers; it also
runs a smaller version of the same study itself.
About 4e9 SGD steps: 5-10 minutes on 2 free cores.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import tts_lib as tts
from tts_lib.experiments import phase, stored

EPS = [0.01, 0.1, 1.0]
M = [12, 20, 28]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "tts_lib" / "experiments" / "data" / "phase_study.json"))
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    target = tts.PiecewiseConstant.paper()
    st = phase.phase_study(target, eps_values=EPS, m_values=M, n_seeds=args.seeds, t_max=100.0, workers=args.workers,
                          progress=True)
    stored.write(args.out, st.to_dict())      # with its checksum; saved first: a failed check keeps the data
    print(f"wrote {args.out}")
    print(st.summary())
    st.check()


if __name__ == "__main__":
    main()
