"""sgd_ensemble on executors (threads, a Dask cluster of worker processes), Ctrl-C, divergence, bad seeds."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from tts_lib import DivergenceError, PiecewiseConstant
from tts_lib.sgd import sgd, sgd_ensemble

T = PiecewiseConstant.paper()
KW = dict(eta=4e-3, lr=1e-3, eps=0.01, steps=40_000, record_every=20_000)


def _init(m, seed):
    rng = np.random.default_rng(seed)
    return np.zeros(m + 1), np.sort(rng.uniform(size=m))


def _same(e1, e2):
    return all(np.array_equal(r1.a, r2.a) and np.array_equal(r1.u, r2.u)
               and np.array_equal(r1.loss_history, r2.loss_history) for r1, r2 in zip(e1.runs, e2.runs))


def test_executor_threads_equal_default():
    a0, u0 = _init(20, 0)
    ref = sgd_ensemble(a0, u0, T, seeds=[3, 1, 4], **KW)
    with ThreadPoolExecutor(2) as ex:
        ens = sgd_ensemble(a0, u0, T, seeds=[3, 1, 4], executor=ex, **KW)
    assert _same(ref, ens) and ens.seeds.tolist() == [3, 1, 4]


SCRIPT = textwrap.dedent("""
    import numpy as np
    from tts_lib import PiecewiseConstant
    from tts_lib.sgd import sgd_ensemble
    u0 = np.sort(np.random.default_rng(0).uniform(size=20))
    print("started", flush=True)
    sgd_ensemble(np.zeros(21), u0, PiecewiseConstant.paper(), eta=4e-3, lr=1e-5, eps=1e-5, steps=10**9,
                 seeds=range(4), workers=2)  # about 40 s per run
    print("finished", flush=True)
""")


def test_ctrl_c_stops_every_run_promptly():
    # (above the Dask tests on purpose: with the module's LocalCluster alive in an xdist worker, the child
    # process ignored SIGINT in CI; the cluster fixture starts with the first test that asks for it)
    """SIGINT while four runs of 10^9 steps each (about 40 s per run) run in two threads: the process
    raises KeyboardInterrupt and exits within a few blocks of 65,536 steps (~3 ms each), not after the runs."""
    # the same call with 10 steps first, in its own process: it fills this worker's numba cache, so that the
    # timed process below spends its first 3 s importing and loading the kernels and is then running them (on a
    # cold cache the SIGINT would come while the threads compile, which numba cannot interrupt, not while they run)
    warm = subprocess.run([sys.executable, "-c", SCRIPT.replace("steps=10**9", "steps=10")], capture_output=True,
                          text=True, timeout=600)
    assert warm.returncode == 0 and "finished" in warm.stdout, warm.stderr[-2000:]
    # SIGINT's default action restored in the child: a process started with SIGINT ignored (any background job of a
    # non-interactive shell, e.g. tools/run_tests.sh's library tests beside the notebook gate) passes the ignore on,
    # and Python then never installs its KeyboardInterrupt handler; that is the parent's choice, not the library's
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # "started" is printed once the imports are done (they take seconds on a loaded machine), then the kernels
    # load from the warm cache and the runs start: the signal comes 1.5 s after it
    import select
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    assert ready and proc.stdout.readline().strip() == "started", "the script did not start within 120 s"
    time.sleep(1.5)
    assert proc.poll() is None, proc.communicate()
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    elapsed = time.perf_counter() - t0
    assert "KeyboardInterrupt" in err and "finished" not in out
    assert elapsed < 5.0, elapsed


@pytest.fixture(scope="module")
def cluster():
    """One LocalCluster of two worker processes on the loopback interface, shared by the module's Dask tests
    (starting one costs seconds of CPU: two interpreters that import the library)."""
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is not installed (pip install 'dask[distributed]')")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster


def test_dask_local_cluster_of_processes_is_bit_identical(cluster):
    """Two worker processes on the loopback interface: the same call returns the same bits."""
    import distributed

    a0, u0 = _init(300, 1)  # the sparse engine (m >= 256) and the dense one (m = 20) both
    a1, u1 = _init(20, 1)
    with distributed.Client(cluster) as client:
        ex = client.get_executor()
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids
        for a, u in ((a0, u0), (a1, u1)):
            remote = sgd_ensemble(a, u, T, seeds=range(4), executor=ex, **KW)
            local = sgd_ensemble(a, u, T, seeds=range(4), **KW)
            assert _same(remote, local)


def test_cli_scheduler_runs_the_sweep_on_a_dask_cluster(cluster, tmp_path):
    """``python -m tts_lib reproduce eps-sweep --quick --scheduler ADDRESS`` on a LocalCluster of two
    worker processes writes the same final errors as the same experiment run here in threads; an address
    where no scheduler listens is a usage error (exit 2)."""
    import json

    from tts_lib.experiments import run

    local = run("eps-sweep", quick=True)
    proc = subprocess.run([sys.executable, "-m", "tts_lib", "reproduce", "eps-sweep", "--quick", "--scheduler",
                           cluster.scheduler_address, "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((tmp_path / "eps-sweep" / "summary.json").read_text())
    assert summary["final_l2_error"] == local.summary()["final_l2_error"]
    bad = subprocess.run([sys.executable, "-m", "tts_lib", "reproduce", "eps-sweep", "--quick", "--scheduler",
                          "tcp://127.0.0.1:9", "--out", str(tmp_path / "x")], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "--scheduler" in bad.stderr


def test_divergence_names_the_seed_and_keeps_the_other_runs():
    """At lr = 2 seeds 1 and 2 diverge (at steps 221 and 212), seeds 0 and 3 do not: the error names
    seed 1 (the first diverged run in order) at its exact step, and the finished runs are kept."""
    a0, u0 = np.zeros(3), np.array([0.3, 0.7])
    kw = dict(eta=0.05, lr=2.0, eps=1.0, steps=200_000)
    with pytest.raises(DivergenceError) as single:
        sgd(a0, u0, T, seed=1, **kw)
    with pytest.raises(DivergenceError) as info:
        sgd_ensemble(a0, u0, T, seeds=[0, 1, 2, 3], **kw)
    err = info.value
    assert "seed 1" in str(err) and err.seed == 1 and err.index == 1 and err.step == single.value.step
    assert set(err.errors) == {1, 2} and "[1, 2]" in str(err)
    assert err.results[1] is None and err.results[2] is None
    assert np.array_equal(err.results[3].u, sgd(a0, u0, T, seed=3, **kw).u)


@pytest.mark.parametrize("seeds", [[1.0, 2.0], [True, 2], np.array([1.5, 2.5]), ["1"], 3.0])
def test_seeds_must_be_integers(seeds):
    with pytest.raises((TypeError, ValueError), match="seeds"):
        sgd_ensemble(np.zeros(3), [0.2, 0.6], T, eta=0.05, lr=0.01, eps=0.5, steps=10, seeds=seeds)


def test_huge_history_refused_up_front_with_the_figure():
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"record_every.*GiB"):
        sgd(np.zeros(3), [0.2, 0.6], T, eta=0.05, lr=0.01, eps=0.5, steps=10**10, record_every=1)
    with pytest.raises(ValueError, match=r"record_every.*GiB"):
        sgd_ensemble(np.zeros(3), [0.2, 0.6], T, eta=0.05, lr=0.01, eps=0.5, steps=10**8, record_every=1,
                     seeds=range(8))
    with pytest.raises(ValueError, match="steps"):
        sgd(np.zeros(3), [0.2, 0.6], T, eta=0.05, lr=0.01, eps=0.5, steps=1e10, record_every=1)
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.parametrize("change, name", [
    (dict(a0=np.zeros(4)), "a0"), (dict(u0=[0.1, np.nan]), "u0"), (dict(u0=[0.2, 0.5, 0.6]), "u0"),
    (dict(u0=np.array([0.2, 0.6 + 1j])), "u0"), (dict(a0=np.array([True, False, True])), "a0"),
    (dict(workers=2, executor=ThreadPoolExecutor(1)), "executor"), (dict(executor="local"), "executor"),
])
def test_messages_use_the_callers_names(change, name):
    kw = dict(a0=np.zeros(3), u0=[0.2, 0.6], eta=0.05, lr=0.01, eps=0.5, steps=10, seeds=[0, 1])
    kw.update(change)
    with pytest.raises((TypeError, ValueError), match=name):
        sgd_ensemble(kw.pop("a0"), kw.pop("u0"), T, **kw)


# --- an executor that cancels its futures ---------------------------------------------------------
_CANCEL_SCRIPT = textwrap.dedent("""
    import sys, time
    from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
    import numpy as np
    from tts_lib import PiecewiseConstant
    from tts_lib.sgd import sgd_ensemble

    class Cancelling:
        '''Submits to ``pool`` and, after the last submission, shuts it down with cancel_futures=True
        (what a user's Ctrl-C handler or a scheduler shutting down does).'''
        def __init__(self, pool, n):
            self.pool, self.n, self.k = pool, n, 0
        def submit(self, fn, *args, **kwargs):
            fut = self.pool.submit(fn, *args, **kwargs)
            self.k += 1
            if self.k == self.n:
                self.pool.shutdown(wait=False, cancel_futures=True)
            return fut

    class AlreadyCancelled:
        '''A custom executor whose futures come back cancelled (never run).'''
        def submit(self, fn, *args, **kwargs):
            fut = Future()
            fut.cancel()
            return fut

    kind = sys.argv[1]
    seeds = [11, 12, 13, 14, 15, 16]
    if kind == "custom":
        ex = AlreadyCancelled()
    elif kind == "threads":
        ex = Cancelling(ThreadPoolExecutor(1), len(seeds))
    else:
        ex = Cancelling(ProcessPoolExecutor(1), len(seeds))
    t0 = time.perf_counter()
    try:
        sgd_ensemble(np.zeros(21), np.linspace(0.02, 0.98, 20), PiecewiseConstant.paper(), eta=4e-3, lr=1e-3,
                     eps=0.01, steps=200_000, seeds=seeds, executor=ex)
    except CancelledError as err:
        print("CANCELLED", f"{time.perf_counter() - t0:.2f}", err)
        sys.exit(0)
    print("NO ERROR")
    sys.exit(3)
""")


@pytest.mark.parametrize("kind", ["custom", "threads", "processes"])
def test_cancelled_futures_raise_cancelled_error_naming_the_runs(kind, tmp_path):
    """Futures cancelled by the executor (``shutdown(cancel_futures=True)`` on a thread or process pool, or a
    custom executor returning cancelled futures) used to make ``sgd_ensemble`` wait forever: a cancelled future
    that no worker picks up is never "done" for ``concurrent.futures.wait``. Expected: a prompt
    ``CancelledError`` naming the seeds that did not finish. Run in a subprocess with a timeout, so that a
    regression fails instead of hanging the suite."""
    script = tmp_path / "cancel.py"
    script.write_text(_CANCEL_SCRIPT)
    try:
        proc = subprocess.run([sys.executable, str(script), kind], capture_output=True, text=True, timeout=90,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    except subprocess.TimeoutExpired:
        pytest.fail(f"sgd_ensemble with a cancelling {kind} executor hung (no answer in 90 s)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = proc.stdout.strip().splitlines()[-1]
    assert line.startswith("CANCELLED"), line
    elapsed = float(line.split()[1])
    assert elapsed < 60, line  # prompt: at most the runs that did start (each < 1 s here), not forever
    assert "cancelled" in line and "seeds [" in line, line
    if kind == "custom":  # nothing ran: every seed is named
        assert "seeds [11, 12, 13, 14, 15, 16]" in line, line
    else:  # the pool had one worker, so the last seed at least was still queued when it was cancelled
        assert "16]" in line, line
