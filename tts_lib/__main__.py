"""Command line: ``python -m tts_lib reproduce NAME [--out DIR] [--seed S] [--quick] [--force]``.

The program on top of every layer (it may import all of them): runs the named experiment of
:mod:`tts_lib.experiments` (or ``all`` of them), writes its figures
(PNG) and a JSON summary (the command, seed and configuration, final losses, per-jump distance/covered,
steps, wall time) to ``DIR/NAME/``, and asserts the qualitative result it reproduces: the exit status is 1
if a claim fails (the JSON is still written, with ``"check": "FAILED: ..."``) or an experiment raised an
error (reported; with ``all`` the other experiments still run).

Before anything runs, every output folder is checked: ``DIR`` must be (or be creatable as) a writable
directory, and ``DIR/NAME`` must not already hold files (results of an earlier run) unless ``--force`` is
given, in which case the earlier run's files (``summary.json`` and ``NAME-*.png``) are removed first so that
no stale figure survives. A bad ``--out`` or ``--seed`` is a usage error (exit status 2), reported before
any experiment starts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

#: Seeds accepted by the command line: 0 <= seed <= SEED_MAX (experiments use seed, seed + 1, ...; every
#: engine takes them as unsigned 64-bit integers and numpy's generators accept them).
SEED_MAX = 2**32 - 1


def _stale_files(directory: Path, name: str) -> list[Path]:
    """Files an earlier run of ``name`` wrote into ``directory``."""
    return sorted([p for p in directory.glob(f"{name}-*.png")] + [p for p in [directory / "summary.json"] if p.exists()])


def _check_out(out: Path, names: list[str], force: bool) -> str | None:
    """A usage message if results cannot be written to ``out/NAME`` for every name, else None.

    Creates ``out`` (and the per-experiment folders) and tries to write a file in each, so an unwritable place
    is found before any experiment runs.
    """
    if out.exists() and not out.is_dir():
        return f"--out {out} exists and is not a directory"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        return f"--out {out} cannot be created: {err.strerror or err}"
    for name in names:
        directory = out / name
        if directory.exists() and not directory.is_dir():
            return f"--out {out}: {directory} exists and is not a directory"
        try:
            directory.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
                pass
        except OSError as err:
            return f"--out {out}: cannot write into {directory}: {err.strerror or err}"
        others = [p for p in directory.iterdir() if not p.name.startswith(".write-test-")]
        if others and not force:
            shown = ", ".join(p.name for p in others[:3]) + (" ..." if len(others) > 3 else "")
            return (f"{directory} already holds results ({shown}); pass --force to replace them, "
                    f"or choose another --out")
        if others:
            unknown = [p for p in others if p not in _stale_files(directory, name)]
            if unknown:
                return (f"{directory} holds files that are not results of '{name}' "
                        f"({', '.join(p.name for p in unknown[:3])}); not removing them even with --force")
    return None


def _configuration(name: str, quick: bool):
    """The experiment's configuration (a dataclass of the experiments layer) as plain JSON values."""
    from .experiments import config

    cfg = config(name, quick=quick)
    plain = dataclasses.asdict(cfg) if dataclasses.is_dataclass(cfg) else {"repr": repr(cfg)}
    return json.loads(json.dumps(plain, default=lambda o: o.tolist() if hasattr(o, "tolist") else repr(o)))


def _reproduce(name: str, out: Path, seed: int, quick: bool, force: bool, argv: list[str], executor=None) -> bool:
    from . import __version__
    from .experiments import run
    from .plots import style
    from .plots.experiments import figures

    directory = out / name
    if force:
        for path in _stale_files(directory, name):
            path.unlink()
    print(f"[tts_lib] reproducing {name}{' (quick)' if quick else ''} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    result = run(name, quick=quick, seed=seed, progress=True, executor=executor)
    directory.mkdir(parents=True, exist_ok=True)
    summary = result.summary()
    summary["quick"] = quick
    summary["seed"] = seed
    summary["configuration"] = _configuration(name, quick)
    summary["command"] = ["python", "-m", "tts_lib", *argv]
    summary["tts_lib_version"] = __version__
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
        fig.savefig(path, dpi=style.DPI)  # the book's resolution (2x the display's)
        files.append(path.name)
    summary["figures"] = files
    (directory / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    for m in msgs:
        print(f"[tts_lib] {name}: {m}", file=sys.stderr)
    print(f"[tts_lib] {name}: wrote {directory} in {summary['total_wall_time_s']:.1f} s", file=sys.stderr)
    return ok


def _seed(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"must lie in [0, {SEED_MAX}], got {value}")
    return value


def main(argv=None) -> int:
    from .experiments import CONFIGS

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m tts_lib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reproduce", help="run an experiment of the paper, write figures and a JSON summary")
    rep.add_argument("name", choices=[*CONFIGS, "all"])
    rep.add_argument("--out", type=Path, default=Path("reproductions"), help="output directory (default: reproductions)")
    rep.add_argument("--seed", type=_seed, default=0, help=f"first seed, 0 to {SEED_MAX} (default 0)")
    rep.add_argument("--quick", action="store_true", help="reduced configuration (for CI)")
    rep.add_argument("--force", action="store_true", help="replace the results of an earlier run in DIR/NAME")
    rep.add_argument("--scheduler", metavar="ADDRESS", default=None,
                     help="run the SGD ensembles on a Dask cluster (e.g. tcp://HOST:8786); results are bit-identical")
    args = parser.parse_args(argv)
    names = list(CONFIGS) if args.name == "all" else [args.name]
    problem = _check_out(args.out, names, args.force)
    if problem:
        rep.error(problem)
    executor = None
    if args.scheduler is not None:
        try:
            from distributed import Client
        except ImportError:
            rep.error("--scheduler needs dask.distributed: pip install 'dask[distributed]'")
        try:
            executor = Client(args.scheduler, timeout=10).get_executor()
        except (OSError, ValueError, TypeError) as err:
            rep.error(f"--scheduler {args.scheduler}: cannot connect ({err})")
    failed = []
    for n in names:
        try:
            ok = _reproduce(n, args.out, args.seed, args.quick, args.force, argv, executor)
        except Exception as err:  # one experiment's error must not skip the others of ``all``
            print(f"[tts_lib] {n}: ERROR {type(err).__name__}: {err}", file=sys.stderr)
            ok = False
        if not ok:
            failed.append(n)
    if failed:
        print(f"[tts_lib] claims FAILED for: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
