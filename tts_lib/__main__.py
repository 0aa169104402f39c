"""Command line: ``python -m tts_lib reproduce NAME [--out DIR] [--seed S] [--quick] [--force]``.

The program on top of every layer (it may import all of them): runs the named experiment of
:mod:`tts_lib.experiments` (or ``all`` of them), writes its figures
(PNG) and a JSON summary (the command, seed and configuration, final losses, per-jump distance/covered,
steps, wall time) to ``DIR/NAME/``, and asserts the qualitative result it reproduces: the exit status is 1
if a claim fails (the JSON is still written, with ``"check": "FAILED: ..."``) or an experiment raised an
error (reported; with ``all`` the other experiments still run).

Before anything runs, every output folder is checked: ``DIR`` must be (or be creatable as) a writable
directory, and ``DIR/NAME`` must not already hold files (results of an earlier run) unless ``--force`` is
given. A bad ``--out`` or ``--seed`` is a usage error (exit status 2), reported before any experiment starts.

A run is atomic: it writes into a fresh temporary folder beside the target (``DIR/.NAME-partial-*``) and
moves it into place (a rename) only once complete; with ``--force`` the earlier results are replaced only
then, so no stale figure survives and a run that is killed or fails midway leaves the earlier results as
they were. One writer at a time: each run holds an exclusive lock (``fcntl.flock`` on ``DIR/.NAME.lock``,
which records its pid; released by the system when the process ends, however it ends), and a second run
into the same ``DIR/NAME`` is refused at once (exit status 2) naming the pid of the run that is writing.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import json
import os
import shutil
import signal
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
    try:  # the runs are staged in ``out`` and renamed into place
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as err:
        return f"--out {out}: cannot write into it: {err.strerror or err}"
    for name in names:
        directory = out / name
        if directory.exists() and not directory.is_dir():
            return f"--out {out}: {directory} exists and is not a directory"
        if not directory.exists():
            continue
        try:
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


class Busy(Exception):
    """Another run holds the lock of ``DIR/NAME``."""


@contextlib.contextmanager
def _lock(out: Path, name: str):
    """Hold the exclusive lock of ``out/name`` (``out/.name.lock``, recording the pid) for the block; raise
    :class:`Busy`, naming the holder's pid, if another process holds it. ``flock`` locks die with their
    process, so a killed run never leaves a stale lock; the (empty) lock file itself stays, since removing it
    could let two processes lock two different files."""
    import fcntl

    path = out / f".{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise Busy(f"{out / name} is being written by another run (pid {holder}); wait for it to finish, "
                       f"or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        for stale in [*out.glob(f".{name}-partial-*"), *out.glob(f".{name}-old-*")]:  # from killed runs
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        os.close(fd)  # releases the lock


def _publish(staging: Path, directory: Path):
    """Move the complete run in ``staging`` to ``directory``, replacing earlier results (if any) only now.
    Termination signals are held back during the two renames, so the folder is always the old or the new."""
    signals = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    old = None
    try:
        if directory.exists():
            if any(directory.iterdir()):
                old = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}-old-"))
                os.rename(directory, old / "results")
            else:
                directory.rmdir()
        os.rename(staging, directory)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
    staging = Path(tempfile.mkdtemp(dir=out, prefix=f".{name}-partial-"))
    try:
        ok = _write_run(name, staging, seed, quick, argv, executor, run, style, figures, __version__)
        _publish(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # a failed or interrupted run leaves nothing behind
    print(f"[tts_lib] {name}: wrote {directory}", file=sys.stderr)
    return ok


def _write_run(name, directory, seed, quick, argv, executor, run, style, figures, version) -> bool:
    """Run ``name`` and write its figures and summary into ``directory`` (the staging folder)."""
    print(f"[tts_lib] reproducing {name}{' (quick)' if quick else ''} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    result = run(name, quick=quick, seed=seed, progress=True, executor=executor)
    summary = result.summary()
    summary["quick"] = quick
    summary["seed"] = seed
    summary["configuration"] = _configuration(name, quick)
    summary["command"] = ["python", "-m", "tts_lib", *argv]
    summary["tts_lib_version"] = version
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
    print(f"[tts_lib] {name}: finished in {summary['total_wall_time_s']:.1f} s", file=sys.stderr)
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
    # SIGTERM ends the run through Python (so the staging folder is removed) instead of killing it outright
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    with contextlib.ExitStack() as locks:
        if previous is not None:
            locks.callback(signal.signal, signal.SIGTERM, previous)
        try:
            for n in names:
                locks.enter_context(_lock(args.out, n))
        except Busy as err:
            rep.error(str(err))
        problem = _check_out(args.out, names, args.force)  # again, now that no other run can write
        if problem:
            rep.error(problem)
        return _run_all(args, names, argv, rep)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def _run_all(args, names, argv, rep) -> int:
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
