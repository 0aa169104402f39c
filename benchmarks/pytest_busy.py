"""pytest plugin: the machine's busy CPU seconds and the wall seconds of every test, summed by module.

Chromium's renderers, JupyterLab's kernels and dask's workers are not children that the test process waits for, so
rusage and a process-tree count miss most of their CPU (for eight page loads: 17 of 62 core-s). This plugin reads
the machine's own counters (``/proc/stat``: user + nice + system + irq + softirq + steal) before and after each
test, so it counts everything, and is right only when the test runs alone: serially (no ``-n``) on an otherwise
idle machine. ``benchmarks/ci_times.md`` has what it found for ``tests/site``.

    TTS_PDF=0 PYTHONPATH=benchmarks python -m pytest tests/site -p pytest_busy -q      # after a book build

Each test's row goes to ``$TTS_BUSY_OUT`` (JSON lines; default ``_build/busy.jsonl``); the per-module sums
are printed at the end of the run.
"""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path

import pytest

_OUT = Path(os.environ.get("TTS_BUSY_OUT") or Path(__file__).resolve().parents[1] / "_build" / "busy.jsonl")
_ROWS: list[dict] = []


def busy_seconds() -> float:
    """Busy CPU seconds of the whole machine since boot, all cores."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = v[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def pytest_configure(config):
    if getattr(config.option, "numprocesses", None):
        raise pytest.UsageError("pytest_busy: run serially (no -n): the machine's counters cannot tell tests apart")
    _OUT.parent.mkdir(parents=True, exist_ok=True)
    _OUT.write_text("")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    c0, w0 = busy_seconds(), time.monotonic()
    yield
    row = {"id": item.nodeid, "cpu": busy_seconds() - c0, "wall": time.monotonic() - w0}
    _ROWS.append(row)
    with _OUT.open("a") as f:
        f.write(json.dumps(row) + "\n")


def pytest_terminal_summary(terminalreporter):
    by = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for r in _ROWS:
        m = by[r["id"].split("::")[0]]
        m[0] += r["cpu"]
        m[1] += r["wall"]
        m[2] += 1
    tr = terminalreporter
    tr.section("busy core-s by module (pytest_busy)")
    tr.write_line(f"{'core-s':>8} {'wall s':>8} {'tests':>6}  module")
    for mod, (c, w, n) in sorted(by.items(), key=lambda kv: -kv[1][0]):
        tr.write_line(f"{c:8.1f} {w:8.1f} {n:6d}  {mod}")
    tr.write_line(f"{sum(r['cpu'] for r in _ROWS):8.1f} {sum(r['wall'] for r in _ROWS):8.1f} {len(_ROWS):6d}  total"
                  f" (rows: {_OUT})")
