"""Benchmark of the in-page explorables (not a test): SGD steps per second in the reader's browser.

    .venv/bin/python benchmarks/bench_explorables.py [--steps 1000000] [--repeats 5]

Serves ``_extra/explorables`` with a minimal page on 127.0.0.1 (no book build needed), opens it in
Debian's headless Chromium (Playwright, as the browser test) and times
the engine of ``window.ttsExplorables.sgd.run`` (``ttsExplorableCore.sgdRun``, without the UI) with ``{eps: 2e-5, lr: 2e-5, steps}`` at the paper's configuration (m = 20 neurons,
eta = 4e-3, the paper's target), after one warm-up run; also times ``ideal.run(0.6)`` and a
``network.set`` (exact loss, a*(u) and the l(u) curve of 241 points) for reference. For comparison it
times ``tts.sgd`` (compiled with numba) on the same number of steps. Prints a table and writes
benchmarks/results/explorables.json.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

import tts_lib as tts

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TTS_CHROMIUM", "/usr/bin/chromium")
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="explorables/explorables.css"></head><body>
<figure class="tts-explorable" data-explorable="network"><div class="tts-mount"></div></figure>
<figure class="tts-explorable" data-explorable="ideal"><div class="tts-mount"></div></figure>
<script src="explorables/core.js"></script><script src="explorables/network.js"></script>
<script src="explorables/ideal.js"></script><script src="explorables/sgd.js"></script>
</body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    opts = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "_extra" / "explorables", Path(tmp) / "explorables")
        (Path(tmp) / "index.html").write_text(PAGE, encoding="utf-8")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-gpu"])
                pg = browser.new_page()
                pg.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html", wait_until="load")
                js = "(n) => { const t = performance.now(); window.ttsExplorableCore.sgdRun({eps: 2e-5, lr: 2e-5, steps: n, record: 0}); return performance.now() - t; }"
                pg.evaluate(js, opts.steps)  # warm-up (JIT)
                ms = [pg.evaluate(js, opts.steps) for _ in range(opts.repeats)]
                ideal_ms = pg.evaluate("() => { const t = performance.now(); window.ttsExplorables.ideal.run(0.6); return performance.now() - t; }")
                net_ms = pg.evaluate("() => { const t = performance.now(); window.ttsExplorables.network.set({eta: 0.021}); return performance.now() - t; }")
                browser_version = browser.version
                browser.close()
        finally:
            server.shutdown()
            server.server_close()

    target = tts.PiecewiseConstant.paper()
    u0 = np.sort(np.random.default_rng(0).uniform(size=20))
    tts.sgd(np.zeros(21), u0, target, eta=4e-3, lr=2e-5, eps=2e-5, steps=1000)  # compile
    lib = []
    for _ in range(opts.repeats):
        t0 = time.perf_counter()
        tts.sgd(np.zeros(21), u0, target, eta=4e-3, lr=2e-5, eps=2e-5, steps=opts.steps)
        lib.append(time.perf_counter() - t0)

    page_ns = [1e6 * t / opts.steps for t in ms]
    lib_ns = [1e9 * t / opts.steps for t in lib]
    out = {
        "steps": opts.steps,
        "page_sgd_ms": ms,
        "page_sgd_ns_per_step_median": statistics.median(page_ns),
        "page_sgd_ns_per_step_best": min(page_ns),
        "tts_lib_sgd_ns_per_step_median": statistics.median(lib_ns),
        "tts_lib_sgd_ns_per_step_best": min(lib_ns),
        "page_ideal_run_0p6_ms": ideal_ms,
        "page_network_update_ms": net_ms,
        "browser": f"chromium {browser_version}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
    }
    print(f"in-page SGD, {opts.steps:,} steps (m = 20): median {statistics.median(ms):.0f} ms, "
          f"{out['page_sgd_ns_per_step_median']:.0f} ns/step (best {out['page_sgd_ns_per_step_best']:.0f})")
    print(f"tts.sgd (numba), same steps:         {out['tts_lib_sgd_ns_per_step_median']:.0f} ns/step "
          f"(best {out['tts_lib_sgd_ns_per_step_best']:.0f})")
    print(f"in-page ideal.run(0.6): {ideal_ms:.0f} ms;  network update (loss, a*, l(u) curve): {net_ms:.0f} ms")
    res = ROOT / "benchmarks" / "results"
    res.mkdir(parents=True, exist_ok=True)
    (res / "explorables.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
