"""Latency of the live explorer (tts_lib.plots.explore.NetworkExplorer): slider move -> new figure.

    .venv/bin/python benchmarks/bench_explorer.py

A slider's ``value`` is set (as a browser drag does, through the widget's trait), which runs the
explorer's observer: recompute :math:`a^*(u)`, :math:`L` and :math:`\\ell`, update the artists, render the PNG
and put it into the ``Image`` widget. Timed from the assignment to the new bytes in ``explorer.image``
(the kernel side of a live notebook; the browser then only swaps an image). Compared, in the same run,
with the previous way: a new figure drawn by ``plot_network`` and rendered to PNG (what ``display(fig)``
did in the inline backend) after the same recomputation. Median and 90th percentile of 40 moves each,
with "optimal outer weights" on (the costlier case). Writes benchmarks/results/explorer.json.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import numpy as np

from tts_lib import PiecewiseConstant
from tts_lib.plots import explore, style

U = [0.1, 0.25, 0.42, 0.55, 0.7, 0.85]


def _old_redraw(ex):
    """The explorer's former update: recompute, then a new figure drawn from scratch and rendered."""
    vals = ex.values()
    fig, ax = style.subplots(height=3.6)
    explore.plot_network(ax, ex.target, vals["a"], vals["u"], vals["eta"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=style.SCREEN_DPI)
    return buf.getvalue()


def main(n=40):
    target = PiecewiseConstant.paper()
    ex = explore.NetworkExplorer(target, U, eta=0.02)
    rng = np.random.default_rng(0)
    new, old = [], []
    for k in range(n):
        s = ex.u_sliders[k % len(U)]
        before = ex.image.value
        t0 = time.perf_counter()
        s.value = float(np.clip(s.value + rng.uniform(-0.03, 0.03), 0.0, 1.0))
        t1 = time.perf_counter()
        assert ex.image.value is not before and len(ex.image.value) > 1000
        new.append(t1 - t0)
        t0 = time.perf_counter()
        png = _old_redraw(ex)
        old.append(time.perf_counter() - t0)
        assert len(png) > 1000
    out = {"load_average_at_start": os.getloadavg(), "moves": n,
           "update_artists_ms": {"median": 1e3 * float(np.median(new)), "p90": 1e3 * float(np.percentile(new, 90))},
           "full_redraw_ms": {"median": 1e3 * float(np.median(old)), "p90": 1e3 * float(np.percentile(old, 90))}}
    print(json.dumps(out, indent=1))
    path = Path(__file__).parent / "results" / "explorer.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
