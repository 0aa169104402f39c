"""Command line: ``python -m tts_lib reproduce NAME [--out DIR] [--seed S] [--quick]``.

The program on top of every layer (it may import all of them): runs the named experiment of
:mod:`tts_lib.experiments` (or ``all`` of them), writes its figures
(PNG) and a JSON summary (parameters, final losses, per-jump distance/covered, steps, wall time)
to ``DIR/NAME/``, and asserts the qualitative result it reproduces: the exit status is 1 if a
claim fails (the JSON is still written, with ``"check": "FAILED: ..."``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _reproduce(name: str, out: Path, seed: int, quick: bool) -> bool:
    from .experiments import run
    from .plots.experiments import figures

    print(f"[tts_lib] reproducing {name}{' (quick)' if quick else ''} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    result = run(name, quick=quick, seed=seed, progress=True)
    directory = out / name
    directory.mkdir(parents=True, exist_ok=True)
    summary = result.summary()
    summary["quick"] = quick
    ok = True
    try:
        msgs = result.check()
        summary["check"] = "passed"
        summary["verified"] = msgs
    except AssertionError as err:
        ok = False
        msgs = [f"FAILED: {err}"]
        summary["check"] = f"FAILED: {err}"
    summary["total_wall_time_s"] = time.perf_counter() - t0
    files = []
    for key, fig in figures(result).items():
        path = directory / f"{name}-{key}.png"
        fig.savefig(path, dpi=120)
        files.append(path.name)
    summary["figures"] = files
    (directory / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    for m in msgs:
        print(f"[tts_lib] {name}: {m}", file=sys.stderr)
    print(f"[tts_lib] {name}: wrote {directory} in {summary['total_wall_time_s']:.1f} s", file=sys.stderr)
    return ok


def main(argv=None) -> int:
    from .experiments import CONFIGS

    parser = argparse.ArgumentParser(prog="python -m tts_lib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reproduce", help="run an experiment of the paper, write figures and a JSON summary")
    rep.add_argument("name", choices=[*CONFIGS, "all"])
    rep.add_argument("--out", type=Path, default=Path("reproductions"), help="output directory (default: reproductions)")
    rep.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    rep.add_argument("--quick", action="store_true", help="reduced configuration (for CI)")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed must be >= 0")
    names = list(CONFIGS) if args.name == "all" else [args.name]
    failed = [n for n in names if not _reproduce(n, args.out, args.seed, args.quick)]
    if failed:
        print(f"[tts_lib] claims FAILED for: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
