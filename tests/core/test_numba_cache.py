"""numba's on-disk cache stays correct whatever the processes that fill it and the order they load it in.

numba names a compiled function by its qualified name, argument types, ABI tags and a counter of the functions
compiled so far *in that process*; a cached library carries its callees as weak symbols, and a process that
loads two cached libraries defining one name binds both to the body loaded first. Two libraries compiled in
different processes can share a counter value; if the name then stands for two different bodies (one template
instantiated twice, e.g. numba's quicksort behind both ``ndarray.sort()`` and ``np.argsort``), a third process
that loads both runs one library's calls on the other's code: a segfault or, worse, silently wrong numbers
(issue 24: ``tts.loss`` 128.74 instead of 48.35).

Two checks, both run in subprocesses (``numba_cache_worker.py``) on fresh cache folders:

* **audit**: one process compiles every part of the library; no two native functions of the cached kernels'
  libraries may have the same name up to that counter (which would make them a pair that another process
  can confuse). This is the cause itself, checked for every function of every cached kernel reached.
* **cross-process matrix**: each part (7) is compiled by its own process into one shared cache; then two
  processes load all parts, in forward and in reverse order (every pair of parts in both orders), and every
  exit status and every value must equal the one-process reference bit for
  bit (same machine, same compiled code, same inputs: the very same operations, so exact equality is the
  contract here, not a tolerance question). The compiling processes give every function the same counter
  value (``TTS_NUMBA_PIN_UID``), the worst case of the counter: any two libraries that define one name up to
  the counter do collide, instead of by chance as in real runs. With ``TTS_SLOW_TESTS=1`` the loads also run in
  every rotation (each part loaded first once), and a larger matrix runs with numba's own counters: every pair of parts compiled by two processes in each order, then
  loaded in both orders, as the book's runs do (84 processes).

On the code before the fix (sort/argsort from numba's templates in the cached kernels) the audit names
``numba.misc.quicksort...run_quicksort1`` twice (the sort's and the argsort's, in ``_loss_grad_sorted`` and
``_sorted_sums``), and the matrix fails everywhere: the compiling process of ``nodes`` segfaults, and of the 8
loading processes of the rotations, 3 segfault and 5 return wrong losses, Gram matrices and Gauss nodes
(``tts.loss`` 987.18 instead of 245.65) without any error.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("numba_cache_worker.py")
#: The worker's parts (``part_*`` there): each reaches a different set of cached kernels.
PARTS = ["loss", "gram", "nodes", "sgd", "sparse", "samples", "additive"]
SLOW = os.environ.get("TTS_SLOW_TESTS") == "1"
TIMEOUT = 900  # s, one worker (a full compile takes ~20 s of CPU; the CI machine may be busy)


def start_worker(parts, cache, *, pin=None, symbols=False):
    """Start the worker on ``parts`` with ``NUMBA_CACHE_DIR=cache`` (a ``Popen``; :func:`finish` waits for it)."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    env.pop("TTS_NUMBA_PIN_UID", None)
    if pin is not None:
        env["TTS_NUMBA_PIN_UID"] = str(pin)
    args = [sys.executable, str(WORKER)] + (["--symbols"] if symbols else []) + list(parts)
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, cwd=ROOT)


def finish(proc):
    """Wait for a worker: ``(returncode, {part: values}, stderr)``."""
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    out = json.loads(stdout.strip().splitlines()[-1]) if proc.returncode == 0 else {}
    return proc.returncode, out, stderr


def run_worker(parts, cache, *, pin=None, symbols=False):
    """Run the worker on ``parts`` with ``NUMBA_CACHE_DIR=cache``: ``(returncode, {part: values}, stderr)``."""
    return finish(start_worker(parts, cache, pin=pin, symbols=symbols))


class Reference:
    """The reference process, started at once and awaited on first use: the cross-process matrix starts its own
    processes (on another cache folder) while it runs, so a free core is not left idle."""

    def __init__(self, cache):
        self._proc, self._out = start_worker(PARTS, cache, symbols=True), None

    def result(self):
        if self._out is None:
            rc, out, err = finish(self._proc)
            assert rc == 0, f"the reference process failed (exit {rc}):\n{err[-3000:]}"
            self._out = out
        return self._out


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    """Every part in one process on a fresh cache (numba's own counter): the values and the native symbols."""
    ref = Reference(tmp_path_factory.mktemp("numba-reference"))
    yield ref
    ref._proc.kill()


@pytest.fixture(scope="module")
def reference(reference_run):
    return reference_run.result()


def uid_free(name):
    """A native function's mangled name without numba's per-process counter (``B<len>v<uid>``), or ``None``
    for the names numba gives no counter (runtime helpers such as ``NRT_incref``: one body per name)."""
    import re

    m = re.search(r"B\d+v(\d+)B", name)
    if m is None:
        return None
    return name[: m.start()] + "Bv" + name[m.end() - 1:]


def test_processes_sharing_a_cache_give_the_reference_bits(reference_run, tmp_path):
    """(First in the file: its processes run while the reference process of the module runs.)"""
    cache = tmp_path / "numba-cache"
    failures = []
    results = []
    for part in PARTS:  # each part compiled by its own process, every counter value pinned (worst case)
        results.append((run_worker([part], cache, pin=7), f"compile [{part}]"))
    # Forward and reverse: every pair of parts loaded in both orders. A process binds a name to the first body
    # it loads, so if the libraries that define one name do not all hold the same body, the winner differs from
    # at least one of them in any order, and that one's part fails. The slow run adds every rotation.
    orders = [PARTS, PARTS[::-1]]
    if SLOW:
        orders += [PARTS[i:] + PARTS[:i] for i in range(1, len(PARTS))]
    for order in orders:
        results.append((run_worker(order, cache), f"load {order}"))
    reference = reference_run.result()
    for (rc, out, err), what in results:
        failures += compare(reference, rc, out, err, what)
    assert not failures, "\n".join(failures)


def test_no_two_compiled_functions_share_a_name_up_to_the_counter(reference):
    symbols = reference["--symbols"]
    assert len(symbols) >= 20, f"the audit saw too few compiled kernels: {sorted(symbols)}"
    uids = {}
    for kernel, names in symbols.items():
        for name in names:
            key = uid_free(name)
            if key is not None:
                uids.setdefault(key, {}).setdefault(name, set()).add(kernel)
    clashes = {key: found for key, found in uids.items() if len(found) > 1}
    assert not clashes, (
        "functions that differ only by numba's per-process counter (another process can give both the same "
        "counter, and a process loading both runs one's calls on the other's body):\n"
        + "\n".join(f"{name}\n    in {sorted({k.split('(')[0] for k in kernels})}" for found in clashes.values()
                    for name, kernels in found.items())
    )


def compare(reference, rc, out, err, what):
    """The failures of one worker run against the reference, as lines."""
    if rc != 0:
        crash = " (segmentation fault)" if rc == -11 else ""
        return [f"{what}: exit {rc}{crash}: {err.strip().splitlines()[-1] if err.strip() else ''}"]
    bad = []
    for part, values in out.items():
        for i, (got, want) in enumerate(zip(values, reference[part])):
            if got != want:
                bad.append(f"{what}: {part}[{i}] = {got}, reference {want}")
    return bad


@pytest.mark.skipif(not SLOW, reason="the larger matrix: TTS_SLOW_TESTS=1")
def test_every_pair_of_parts_compiled_apart_and_loaded_together(reference, tmp_path):
    """numba's own counters: for each pair {P, Q} of parts, P compiled by one process and Q by another into
    a fresh cache, then a process running P, Q and one running Q, P (4 processes a pair, 21 pairs)."""
    failures = []
    for k, (p, q) in enumerate(itertools.combinations(PARTS, 2)):
        cache = tmp_path / f"pair{k}"
        for part in (p, q):
            rc, out, err = run_worker([part], cache)
            failures += compare(reference, rc, out, err, f"pair {p}, {q}: compile [{part}]")
        for order in ([p, q], [q, p]):
            rc, out, err = run_worker(order, cache)
            failures += compare(reference, rc, out, err, f"pair {p}, {q}: load {order}")
    assert not failures, "\n".join(failures)
