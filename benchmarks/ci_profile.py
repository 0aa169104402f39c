"""Where CI's minutes go: run a command (default ``bash .ci/run``) and record, every second, how busy the
machine's cores are, then sum it up per step (not a test).

    .venv/bin/python benchmarks/ci_profile.py [--out _build/ci_profile.json] [-- COMMAND ...]   (in the checkout to run)
    .venv/bin/python benchmarks/ci_profile.py --report _build/ci_profile.json

The command's output is passed through, each line stamped with the seconds since the start; a line of
``tools/run_tests.sh``'s banners (20 ``=`` either side of ``a. library tests ...``; pytest's own lines of ``=``
are wider) starts a new step. Every second the machine-wide CPU counters of ``/proc/stat`` are read: busy = user +
nice + system + irq + softirq (+ steal counted as lost), idle = idle + iowait. Per step the report gives the wall
seconds, the busy core-seconds and the utilisation (busy / (wall x cores)): a step at 50 % on 2 cores leaves one
core idle on average, time that running two steps side by side (or balancing a step's workers) could take back.
The figures are machine-wide, so run it on an otherwise idle machine. """

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BANNER = re.compile(r"^={20} (.+) ={20}$")   # tools/run_tests.sh's banner()


def cpu_counters() -> tuple[float, float]:
    """(busy, idle) jiffies of all cores since boot, from the first line of /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq = fields[:7]
    steal = fields[7] if len(fields) > 7 else 0.0
    return user + nice + system + irq + softirq + steal, idle + iowait


def run(cmd: list[str], out: Path) -> int:
    t0 = time.monotonic()
    samples, steps = [], [(0.0, "setup (before the first banner)")]
    stop = threading.Event()

    def sample():
        last = cpu_counters()
        while not stop.wait(1.0):
            now = cpu_counters()
            busy, idle = now[0] - last[0], now[1] - last[1]
            samples.append((round(time.monotonic() - t0, 2), busy / max(busy + idle, 1e-9)))
            last = now

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    try:
        for line in p.stdout:
            t = time.monotonic() - t0
            sys.stdout.write(f"[{t:7.1f}] {line}")
            m = BANNER.match(line.strip())
            if m:
                steps.append((round(t, 2), m.group(1)))
        rc = p.wait()
    except KeyboardInterrupt:
        p.terminate()
        rc = p.wait()
    stop.set()
    th.join()
    total = time.monotonic() - t0
    data = {"command": cmd, "rc": rc, "cores": os.cpu_count(), "total_s": round(total, 1), "steps": steps,
            "samples": samples}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data))
    report(data)
    return rc


def report(data: dict) -> None:
    steps, samples, total = data["steps"], data["samples"], data["total_s"]
    bounds = [t for t, _ in steps[1:]] + [total]
    print(f"\n{'step':58s} {'wall s':>7s} {'busy core-s':>12s} {'utilisation':>12s}")
    for (t_start, name), t_end in zip(steps, bounds):
        u = [f for t, f in samples if t_start < t <= t_end]
        wall = t_end - t_start
        busy = sum(u) * data["cores"]        # one sample a second: fraction x cores = core-seconds
        util = sum(u) / len(u) if u else float("nan")
        print(f"{name[:58]:58s} {wall:7.0f} {busy:12.0f} {100 * util:11.0f} %")
    u = [f for _, f in samples]
    print(f"{'total':58s} {total:7.0f} {sum(u) * data['cores']:12.0f} {100 * sum(u) / max(len(u), 1):11.0f} %"
          f"   (exit {data['rc']})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "_build" / "ci_profile.json")
    ap.add_argument("--report", type=Path, help="print the summary of a saved profile and exit")
    ap.add_argument("cmd", nargs="*", help="the command (after --); default: bash .ci/run")
    a = ap.parse_args()
    if a.report:
        report(json.loads(a.report.read_text()))
        return 0
    return run(a.cmd or ["bash", ".ci/run"], a.out)


if __name__ == "__main__":
    sys.exit(main())
