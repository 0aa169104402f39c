"""Compile time of the cached kernels (cold cache) and load time (warm cache); cost of the sort and self-checks.

    python benchmarks/bench_compile.py [--root TREE] [--repeat 3]    # cold / warm, CPU seconds of the process
    python benchmarks/bench_compile.py --checks                       # the sort and the self-checks, in process

Cold and warm: a fresh process runs every part of ``tests/core/numba_cache_worker.py`` (every cached kernel
of the library, with the inputs of the cross-process test) on a fresh ``NUMBA_CACHE_DIR`` (cold: everything
compiled), then again on the same folder (warm: everything loaded); a third process only imports the library
(the baseline). Reported: user + system CPU seconds of each process (the machine is shared, so wall time is
printed too but CPU time is the figure to compare). ``--root`` runs another checkout (e.g. ``git archive`` of
an older commit unpacked in /tmp) with this file's worker, to compare before and after a change.

Measured on the shared 2-core CI machine under heavy load (one repeat each, so about +-20%), CPU seconds:
before issue 24's fix (numba's quicksort in the kernels) import 2.5, cold 34.0, warm 3.2; after (own merge sort,
self-checks) import 2.2, cold 26.8, warm 3.2. The self-checks cost 0.3-2% of a loss evaluation (m = 20..3000)
and 0.7% of an additive-model gradient (n = 1000, d = 4, p = 10).

``--checks``: microseconds per call of the library's sort (:mod:`tts_lib._sort`) against numba's
``ndarray.sort()`` / ``np.argsort`` (compiled here without cache), of the O(n) self-checks, and of the kernels
they guard (``loss_grad_kernel`` at several widths, the additive model's ``objective_grad``).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
WORKER = HERE / "tests" / "core" / "numba_cache_worker.py"
PARTS = ["loss", "gram", "nodes", "sgd", "sparse", "samples", "additive"]


def child(args, root, cache):
    """Run ``python args`` with ``PYTHONPATH=root``; return (cpu seconds, wall seconds)."""
    env = dict(os.environ, PYTHONPATH=str(root), NUMBA_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable] + args, env=env, check=True, stdout=subprocess.DEVNULL, cwd=root)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def compile_times(root, repeat):
    rows = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            base = child(["-c", "import tts_lib, tts_lib.experiments.appendix"], root, cache)
            cold = child([str(WORKER)] + PARTS, root, cache)
            warm = child([str(WORKER)] + PARTS, root, cache)
        rows.append((base, cold, warm))
    print(f"tree {root}: {len(PARTS)} parts, every cached kernel; CPU s (wall s), {repeat} repeats")
    for name, k in (("import only", 0), ("cold (compile)", 1), ("warm (load)", 2)):
        cpus = sorted(r[k][0] for r in rows)
        walls = sorted(r[k][1] for r in rows)
        print(f"  {name:15s} CPU min {cpus[0]:6.2f}  median {cpus[len(cpus) // 2]:6.2f}   "
              f"(wall median {walls[len(walls) // 2]:6.2f})")


def per_call(f, *args, n=None):
    """Median microseconds per call of ``f(*args)`` (batches of about 50 ms)."""
    f(*args)
    t0 = time.perf_counter()
    f(*args)
    one = max(time.perf_counter() - t0, 1e-7)
    n = n or max(1, int(0.05 / one))
    samples = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(n):
            f(*args)
        samples.append((time.perf_counter() - t0) / n * 1e6)
    return sorted(samples)[3]


def checks():
    import numpy as np
    from numba import njit

    import tts_lib as tts
    from tts_lib import _kernels, _sort
    from tts_lib.experiments import appendix

    @njit
    def numba_sort(x):
        y = x.copy()
        y.sort()
        return y

    @njit
    def numba_argsort(x):
        return np.argsort(x)

    @njit
    def own_sort(x):
        y = x.copy()
        _sort.sort(y)
        return y

    target = tts.PiecewiseConstant.paper()
    jumps, values = target.jumps.astype(float), target.values.astype(float)
    rng = np.random.default_rng(0)
    print("microseconds per call (median of 7 batches)")
    print(f"{'m':>6} {'bp':>6} | {'np sort':>8} {'own sort':>8} {'is_sorted':>9} | {'np argsort':>10} "
          f"{'own argsort':>11} {'perm check':>10} | {'loss kernel':>11} {'checks/kernel':>13}")
    for m in (20, 100, 300, 1000, 3000):
        u = rng.uniform(size=m)
        a = rng.normal(size=m + 1)
        eta = 0.004 if m >= 256 else 0.05
        bp = _kernels.sorted_breakpoints(u, jumps, eta)
        raw = rng.permutation(bp)
        order = _sort.argsort(u)
        t_np, t_own = per_call(numba_sort, raw), per_call(own_sort, raw)
        t_chk = per_call(_sort.is_sorted, bp)
        t_npa, t_owna = per_call(numba_argsort, u), per_call(_sort.argsort, u)
        t_perm = per_call(_sort.is_sorting_permutation, u, order)
        ga, gu = np.empty(m + 1), np.empty(m)
        t_kernel = per_call(_kernels.loss_grad_kernel, a, u, jumps, values, eta, ga, gu)
        spent = t_chk + (t_perm if m >= _kernels.SORTED_MIN_NEURONS else 0.0)
        print(f"{m:6d} {bp.shape[0]:6d} | {t_np:8.2f} {t_own:8.2f} {t_chk:9.2f} | {t_npa:10.2f} {t_owna:11.2f} "
              f"{t_perm:10.2f} | {t_kernel:11.1f} {spent / t_kernel:12.2%}")
    X = rng.uniform(size=(1000, 4))
    y = appendix.additive_target(X)
    p = 10
    a, u = rng.uniform(size=4 * p + 1), rng.uniform(size=4 * p)
    t_add = per_call(appendix.additive_objective_grad, a, u, X, y, p, 0.01)
    t_perm = per_call(_sort.is_sorting_permutation, u[:p], _sort.argsort(u[:p]))
    print(f"additive objective_grad, n = 1000, d = 4, p = {p}: {t_add:.1f} us a call (Python wrapper included); "
          f"the checks, 2 d = 8 permutation checks of {p}: {8 * t_perm:.2f} us ({8 * t_perm / t_add:.2%})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=HERE, help="checkout to measure (default: this one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--checks", action="store_true", help="the sort and the self-checks instead")
    args = ap.parse_args()
    if args.checks:
        checks()
    else:
        compile_times(args.root.resolve(), args.repeat)


if __name__ == "__main__":
    main()
