"""Where a chapter's seconds go: time per cell and per top-level library call of every chapter page (not a test).

    .venv/bin/python benchmarks/bench_chapters.py [PAGE.md ...] [--mode cold|warm|both] [--out FILE.json]
    .venv/bin/python benchmarks/bench_chapters.py --report FILE.json [--cells 6]

Each page (default: every ``chapters/**/*.md`` with a code cell) is read as a notebook (Jupytext) and executed
top to bottom in a fresh kernel (nbclient, working directory = the page's folder, as the book build does):

- ``cold``: with an empty numba cache (``NUMBA_CACHE_DIR`` = a new temporary folder), so every kernel the page
  uses is compiled;
- ``warm``: again, in a new kernel, with the cache the cold run filled (what a student who reruns the page sees,
  and what the book build pays once the cache is there).

A harness cell, put in front of the page and not timed, registers IPython ``pre_run_cell``/``post_run_cell``
hooks that record, for every cell, the wall time (``perf_counter``) and the CPU time of the kernel (its own
``process_time``, all threads, plus ``RUSAGE_CHILDREN``: worker processes that ended). After each cell it wraps
every ``tts_lib`` function and method loaded so far (plain Python functions only, never a numba dispatcher), and
the ``tts_lib`` functions the page imported by name, with a timer that records only the outermost call: the
"top library calls" of each cell (a call's time includes everything it calls). The kernel's start and the
imports are in the totals: ``total_wall`` is nbclient's whole execution, ``total_cpu`` the kernel process's CPU
time at the end (start-up, imports, every cell).

CPU time is the figure to compare on a shared machine (wall time grows with the other processes' load); a
parallel study shows CPU > wall. Writes ``benchmarks/results/chapters-<mode>.json`` (or ``--out``) and prints
the per-page table and each page's slowest cells with their top calls.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HARNESS = r'''
def __tts_bench_setup(out_path):
    import functools, inspect, json, resource, sys, time, types
    ip = get_ipython()
    state = {"cell": 0, "t0": 0.0, "c0": 0.0, "depth": 0, "cells": [], "calls": [], "wrapped": set(), "wrappers": {}}

    def cpu():
        ch = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + ch.ru_utime + ch.ru_stime

    def record(name, wall, cpu_s):
        state["calls"].append([state["cell"], name, wall, cpu_s])

    def wrap(f, name):
        if id(f) in state["wrappers"]:
            return state["wrappers"][id(f)]

        @functools.wraps(f)
        def timed(*a, **k):
            if state["depth"]:
                return f(*a, **k)
            state["depth"] += 1
            c0, t0 = cpu(), time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                state["depth"] -= 1
                record(name, time.perf_counter() - t0, cpu() - c0)
        timed.__tts_bench__ = True
        state["wrappers"][id(f)] = timed
        state.setdefault("keep", []).append(f)
        return timed

    def wrappable(f):
        return isinstance(f, types.FunctionType) and not getattr(f, "__tts_bench__", False)

    def wrap_module(mod):
        for key, obj in list(vars(mod).items()):
            if wrappable(obj) and str(getattr(obj, "__module__", "")).startswith("tts_lib"):
                setattr(mod, key, wrap(obj, f"{obj.__module__.removeprefix('tts_lib.')}.{obj.__qualname__}"))
            elif isinstance(obj, type) and obj.__module__ == mod.__name__ and id(obj) not in state["wrapped"]:
                state["wrapped"].add(id(obj))
                for attr, val in list(vars(obj).items()):
                    if attr.startswith("__") and attr not in ("__init__", "__call__"):
                        continue
                    label = f"{obj.__name__}.{attr}"
                    if isinstance(val, (staticmethod, classmethod)) and wrappable(val.__func__):
                        setattr(obj, attr, type(val)(wrap(val.__func__, label)))
                    elif wrappable(val):
                        setattr(obj, attr, wrap(val, label))

    def wrap_all():
        for name, mod in list(sys.modules.items()):
            if (name == "tts_lib" or name.startswith("tts_lib.")) and isinstance(mod, types.ModuleType):
                if id(mod) not in state["wrapped"]:
                    state["wrapped"].add(id(mod))
                    wrap_module(mod)
        ns = ip.user_ns
        for key, obj in list(ns.items()):
            if wrappable(obj) and str(getattr(obj, "__module__", "")).startswith("tts_lib"):
                ns[key] = wrap(obj, f"{obj.__module__.removeprefix('tts_lib.')}.{obj.__qualname__}")

    def pre(info):
        state["cell"] += 1
        state["t0"], state["c0"] = time.perf_counter(), cpu()

    def post(result):
        wall, cpu_s = time.perf_counter() - state["t0"], cpu() - state["c0"]
        state["cells"].append([state["cell"], wall, cpu_s, result.error_in_exec is not None])
        wrap_all()
        with open(out_path, "w") as fh:
            json.dump({"cells": state["cells"], "calls": state["calls"], "kernel_cpu": cpu()}, fh)

    ip.events.register("pre_run_cell", pre)
    ip.events.register("post_run_cell", post)

__tts_bench_setup(OUT_PATH)
del __tts_bench_setup
'''


def pages_default():
    return sorted(p for p in (ROOT / "chapters").rglob("*.md") if "```{code-cell}" in p.read_text())


def run_page(md: Path, numba_cache: Path, timeout: int = 3600) -> dict:
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(md)
    code = [c for c in nb.cells if c.cell_type == "code"]
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    harness = nbformat.v4.new_code_cell(HARNESS.replace("OUT_PATH", repr(str(out))))
    nb.cells = [harness] + code
    env_before = os.environ.get("NUMBA_CACHE_DIR")
    os.environ["NUMBA_CACHE_DIR"] = str(numba_cache)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(md.parent)}})
    error = None
    t0 = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:       # keep the timings of the cells that ran
        error = str(exc).splitlines()[-1][:300] if str(exc) else "cell error"
    finally:
        if env_before is None:
            os.environ.pop("NUMBA_CACHE_DIR", None)
        else:
            os.environ["NUMBA_CACHE_DIR"] = env_before
    total_wall = time.perf_counter() - t0
    data = json.loads(out.read_text()) if out.stat().st_size else {"cells": [], "calls": [], "kernel_cpu": None}
    out.unlink()
    cells = []
    for idx, wall, cpu_s, failed in data["cells"]:
        if idx == 0:                        # the harness itself (its post_run_cell hook: cell 0)
            continue
        src = code[idx - 1].source.strip().splitlines()
        first = next((ln for ln in src if ln.strip() and not ln.lstrip().startswith("#")), "")
        calls = {}
        for cidx, name, cw, cc in data["calls"]:
            if cidx == idx:
                c = calls.setdefault(name, [0, 0.0, 0.0])
                c[0] += 1
                c[1] += cw
                c[2] += cc
        top = sorted(([n, k, w, c] for n, (k, w, c) in calls.items()), key=lambda r: -r[2])
        cells.append({"cell": idx, "wall": wall, "cpu": cpu_s, "failed": failed, "first_line": first[:90],
                      "top_calls": top[:8]})
    return {"page": str(md.relative_to(ROOT)), "total_wall": total_wall, "total_cpu": data["kernel_cpu"],
            "cells_wall": sum(c["wall"] for c in cells), "cells_cpu": sum(c["cpu"] for c in cells),
            "n_cells": len(code), "error": error, "cells": cells}


def report(results: dict, n_cells: int = 6) -> str:
    lines = []
    modes = [m for m in ("cold", "warm") if m in results]
    pages = list(dict.fromkeys(r["page"] for m in modes for r in results[m]))
    head = "| page | " + " | ".join(f"{m} wall s | {m} CPU s" for m in modes) + " |"
    lines += [head, "|" + "---|" * (1 + 2 * len(modes))]
    tot = {m: [0.0, 0.0] for m in modes}
    for p in pages:
        row = [p]
        for m in modes:
            r = next((r for r in results[m] if r["page"] == p), None)
            if r is None:
                row += ["", ""]
                continue
            flag = " (error)" if r["error"] else ""
            row += [f"{r['total_wall']:.1f}{flag}", f"{r['total_cpu'] or 0:.1f}"]
            tot[m][0] += r["total_wall"]
            tot[m][1] += r["total_cpu"] or 0
        lines.append("| " + " | ".join(row) + " |")
    lines.append("| **sum** | " + " | ".join(f"{tot[m][0]:.1f} | {tot[m][1]:.1f}" for m in modes) + " |")
    for m in modes:
        lines.append(f"\n### slowest cells ({m})")
        for r in results[m]:
            lines.append(f"\n{r['page']}: {r['total_wall']:.1f} s wall, {r['total_cpu'] or 0:.1f} s CPU "
                         f"(cells {r['cells_wall']:.1f} s wall / {r['cells_cpu']:.1f} s CPU; {r['n_cells']} cells)"
                         + (f"  ERROR: {r['error']}" if r["error"] else ""))
            for c in sorted(r["cells"], key=lambda c: -c["wall"])[:n_cells]:
                calls = "; ".join(f"{n}×{k} {w:.1f}/{cc:.1f}" for n, k, w, cc in c["top_calls"][:3] if w >= 0.05)
                lines.append(f"  cell {c['cell']:>3}: {c['wall']:6.1f} s wall {c['cpu']:6.1f} s CPU  "
                             f"`{c['first_line']}`" + (f"  [{calls}]" if calls else ""))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", help="chapter pages (.md); default: every chapters/**/*.md with code")
    ap.add_argument("--mode", choices=["cold", "warm", "both"], default="both")
    ap.add_argument("--out", default=None, help="JSON file (default benchmarks/results/chapters-<mode>.json)")
    ap.add_argument("--report", default=None, help="only print the tables of a JSON file written before")
    ap.add_argument("--cells", type=int, default=6, help="slowest cells shown per page")
    args = ap.parse_args()
    if args.report:
        print(report(json.loads(Path(args.report).read_text())["results"], args.cells))
        return
    pages = [Path(p).resolve() for p in args.pages] or pages_default()
    modes = ["cold", "warm"] if args.mode == "both" else [args.mode]
    results = {m: [] for m in modes}
    out = Path(args.out) if args.out else ROOT / "benchmarks" / "results" / f"chapters-{args.mode}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tts-bench-numba-") as tmp:
        for md in pages:
            cache = Path(tmp) / md.stem     # each page cold on its own: what a first run of that page costs
            cache.mkdir()
            for m in modes:
                if m == "warm" and "cold" not in modes:
                    run_page(md, cache)     # fill the cache first
                r = run_page(md, cache)
                r["mode"] = m
                results[m].append(r)
                print(f"{m:4} {r['page']}: {r['total_wall']:.1f} s wall, {r['total_cpu'] or 0:.1f} s CPU"
                      + (f"  ERROR {r['error']}" if r["error"] else ""), flush=True)
                out.write_text(json.dumps({"machine": platform.node(), "cpus": os.cpu_count(),
                                           "loadavg": os.getloadavg(), "python": sys.version.split()[0],
                                           "results": results}, indent=1))
    print()
    print(report(results, args.cells))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
