"""Subprocess tests of the command line (``python -m tts_lib reproduce``): bad ``--out`` and ``--seed`` are usage
errors (exit status 2) reported before any experiment runs; a folder holding earlier results is not overwritten
without ``--force``; ``--force`` leaves no stale file; the summary records seed, configuration and command."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tts_lib.__main__ import SEED_MAX


def _cli(*args, cwd, timeout=120):
    return subprocess.run([sys.executable, "-m", "tts_lib", "reproduce", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def _usage_error(proc, words):
    assert proc.returncode == 2, proc.stderr
    assert "usage: python -m tts_lib reproduce" in proc.stderr
    assert words in proc.stderr
    assert "reproducing" not in proc.stderr  # nothing ran


@pytest.mark.parametrize("name", ["relu", "all"])
def test_out_pointing_at_a_file_is_a_usage_error_before_running(tmp_path, name):
    (tmp_path / "results").write_text("not a folder")
    _usage_error(_cli(name, "--quick", "--out", "results", cwd=tmp_path), "exists and is not a directory")
    _usage_error(_cli(name, "--quick", "--out", "results/inside", cwd=tmp_path), "cannot be created")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc (an unwritable place, even for root)")
def test_out_in_an_unwritable_place_is_a_usage_error(tmp_path):
    _usage_error(_cli("relu", "--quick", "--out", "/proc/tts-lib-results", cwd=tmp_path), "cannot be created")


@pytest.mark.parametrize("seed, words", [("-1", "must lie in [0, 4294967295]"), (str(SEED_MAX + 1), "must lie in"),
                                         ("1.5", "must be an integer"), ("x", "must be an integer"),
                                         (str(10**30), "must lie in")])
def test_out_of_range_seeds_are_usage_errors(tmp_path, seed, words):
    _usage_error(_cli("relu", "--quick", "--seed", seed, "--out", "r", cwd=tmp_path), words)
    assert not (tmp_path / "r").exists()


def test_rerun_needs_force_and_force_leaves_no_stale_file(tmp_path):
    out = tmp_path / "r"
    folder = out / "relu"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text("{}")
    (folder / "relu-stale.png").write_bytes(b"old")
    proc = _cli("relu", "--quick", "--out", "r", cwd=tmp_path)
    _usage_error(proc, "already holds results")
    assert (folder / "relu-stale.png").read_bytes() == b"old"  # untouched
    proc = _cli("relu", "--quick", "--out", "r", "--seed", "7", "--force", cwd=tmp_path, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr  # 1 would be a failed claim, still a complete run
    summary = json.loads((folder / "summary.json").read_text())
    assert not (folder / "relu-stale.png").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(summary["figures"] + ["summary.json"])
    assert summary["seed"] == 7 and summary["quick"] is True
    assert summary["configuration"]["name"] == "relu" and summary["configuration"]["repeats"] == 3
    assert summary["command"][-5:] == ["--out", "r", "--seed", "7", "--force"]
    # files that are not this experiment's results are never removed
    (folder / "notes.txt").write_text("mine")
    _usage_error(_cli("relu", "--quick", "--out", "r", "--force", cwd=tmp_path), "not results of 'relu'")
    assert (folder / "notes.txt").read_text() == "mine"


def test_an_error_in_one_experiment_does_not_skip_the_others_of_all(tmp_path, monkeypatch, capsys):
    """In process, with every experiment replaced by one that raises: all are attempted, the exit status is 1."""
    import tts_lib.experiments as experiments
    from tts_lib.__main__ import main

    attempted = []

    def broken(name, **_kw):
        attempted.append(name)
        raise RuntimeError(f"broken {name}")

    monkeypatch.setattr(experiments, "run", broken)
    assert main(["reproduce", "all", "--quick", "--out", str(tmp_path / "r")]) == 1
    assert attempted == list(experiments.CONFIGS)
    err = capsys.readouterr().err
    assert all(f"{name}: ERROR RuntimeError: broken {name}" in err for name in experiments.CONFIGS)


# --- a run is atomic; one writer at a time ---------------------------------------------------------------
_SLOW_CLI = """
import sys, time
import tts_lib.experiments as experiments
from tts_lib.__main__ import main

def slow(name, **kw):  # an experiment that takes a minute: the test signals it mid-run
    print("[test] running", flush=True, file=sys.stderr)
    time.sleep(60)
    raise RuntimeError("not reached")

experiments.run = slow
sys.exit(main(sys.argv[1:]))
"""


def _start_slow(tmp_path, *args):
    """``python -m tts_lib reproduce ARGS`` with a slow experiment, returned once the experiment runs."""
    script = tmp_path / "slow_cli.py"
    script.write_text(_SLOW_CLI)
    proc = subprocess.Popen([sys.executable, str(script), "reproduce", *args], cwd=tmp_path, text=True,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    lines = []
    for line in proc.stderr:  # blocks until the experiment starts (or the process ends)
        lines.append(line)
        if "[test] running" in line:
            return proc
    proc.wait(timeout=30)
    pytest.fail(f"the slow run ended before its experiment started: {''.join(lines)}")


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigterm_mid_run_with_force_keeps_the_earlier_results(tmp_path):
    """``--force`` used to delete the earlier results before the run started, so a run killed midway left an
    empty folder. Now a run writes into a temporary folder beside the target and replaces the old results only
    when complete: SIGTERM mid-run leaves the earlier results untouched and no partial folder behind."""
    folder = tmp_path / "r" / "relu"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text('{"old": true}')
    (folder / "relu-loss.png").write_bytes(b"old figure")
    proc = _start_slow(tmp_path, "relu", "--quick", "--out", "r", "--force")
    status = _stop(proc)
    assert status != 0, "the run ended normally before it was signalled"
    assert (folder / "summary.json").read_text() == '{"old": true}'
    assert (folder / "relu-loss.png").read_bytes() == b"old figure"
    assert sorted(p.name for p in folder.iterdir()) == ["relu-loss.png", "summary.json"]
    leftovers = [p.name for p in (tmp_path / "r").iterdir() if p.name not in ("relu",) and not p.name.endswith(".lock")]
    assert leftovers == [], leftovers  # no partial folder


def test_a_second_concurrent_writer_is_refused_clearly(tmp_path):
    """Two runs into one ``--out`` used to both report "wrote", one silently replacing the other. Now the
    second refuses at once (usage error, exit status 2) naming the folder and the pid of the run writing it."""
    first = _start_slow(tmp_path, "relu", "--quick", "--out", "r")
    try:
        second = _cli("relu", "--quick", "--out", "r", "--force", cwd=tmp_path, timeout=120)
        _usage_error(second, "is being written by another run")
        assert f"pid {first.pid}" in second.stderr, second.stderr
        both = _cli("all", "--quick", "--out", "r", cwd=tmp_path, timeout=120)  # 'all' includes relu
        _usage_error(both, f"pid {first.pid}")
    finally:
        _stop(first)
    # the lock dies with its holder: a new run may write again
    from tts_lib.__main__ import _lock

    with _lock(tmp_path / "r", "relu"):
        pass
