"""Shared fixtures and strategies for the library tests (and, as their parent folder's conftest, of tests/site).

tools/run_tests.sh runs the tests in parallel, one pytest-xdist worker per core, ``--dist loadfile``: the tests of
one module stay on one worker, so a module-scoped fixture (a toy book built three times, numba's reference
process, a page the explorable tests share) is built once. (``--dist loadgroup`` would be finer, but with
pytest 9 pytest-xdist 3.8 ignores the ``xdist_group`` mark.) Each worker compiles into its own numba cache,
``NUMBA_CACHE_DIR``/gwN (``_build/.numba-cache/gwN`` when ``NUMBA_CACHE_DIR`` is unset: the folders the notebook
gate's kernels use), set here before numba is imported: two processes compiling into one cache at the same
time can leave an index naming another signature's code (the trap the house rules name).
"""

import os
from pathlib import Path

_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:  # before tts_lib (numba) is imported
    _base = os.environ.get("NUMBA_CACHE_DIR") or str(Path(__file__).resolve().parents[1] / "_build" / ".numba-cache")
    os.environ["NUMBA_CACHE_DIR"] = os.path.join(_base, _WORKER)

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.integrate as si  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import tts_lib as tts  # noqa: E402


# The modules that take longest (CPU and waiting on subprocesses: numba's reference and worker processes, three
# toy-book builds, the grader's batch of kernels, Dask clusters, the CLI end to end; in tests/site the ones
# below), longest first, handed out first under xdist so that no worker is left with one of them at the end.
# --dist loadfile gives the modules out in collection order only with --no-loadscope-reorder: by default
# pytest-xdist 3.8 reorders them by their number of tests, which puts these (few tests each) last.
SLOW_MODULES = ("tests/core/test_numba_cache.py", "tests/book/test_book_extensions.py",
                "tests/core/test_sgd_parallel.py", "tests/course/test_grader.py", "tests/experiments/test_cli.py",
                # tests/site: the fresh venv, every page, every chapter at two widths, JupyterLab
                "tests/site/test_bundle.py", "tests/site/test_built_site.py", "tests/site/test_legibility.py",
                "tests/site/test_lab.py")


def pytest_collection_modifyitems(config, items):
    if _WORKER:  # the same order in every worker (xdist checks that they collected the same list)
        rank = {m: i for i, m in enumerate(SLOW_MODULES)}
        items.sort(key=lambda it: rank.get(it.nodeid.split("::", 1)[0], len(rank)))  # stable: the rest keep order


@pytest.fixture
def paper_target():
    return tts.PiecewiseConstant.paper()


@st.composite
def targets(draw, max_jumps=4):
    """Random piecewise-constant targets with well separated jumps."""
    n = draw(st.integers(0, max_jumps))
    cuts = draw(st.lists(st.floats(0.05, 0.95), min_size=n, max_size=n, unique=True))
    jumps = np.sort(np.array(cuts, dtype=float))
    if n > 1 and np.min(np.diff(jumps)) < 1e-3:
        jumps = np.linspace(0.1, 0.9, n)
    values = draw(st.lists(st.floats(-3, 3), min_size=n + 1, max_size=n + 1))
    return tts.PiecewiseConstant(jumps, values)


@st.composite
def networks(draw, max_m=6):
    """(a, u, eta) with positions that may put windows across 0 and 1 and make them overlap."""
    m = draw(st.integers(1, max_m))
    eta = draw(st.floats(0.01, 0.3))
    u = np.array(draw(st.lists(st.floats(-0.1, 1.1), min_size=m, max_size=m)))
    a = np.array(draw(st.lists(st.floats(-3, 3), min_size=m + 1, max_size=m + 1)))
    return a, u, eta


def quad_integral(func, target, u, eta):
    """Independent check: adaptive quadrature of ``func`` over [0, 1], split at every breakpoint."""
    pts = np.unique(np.clip(np.concatenate(([0, 1], target.jumps, u - eta / 2, u, u + eta / 2)), 0, 1))
    total = 0.0
    for p, q in zip(pts[:-1], pts[1:]):
        if q > p:
            total += si.quad(func, p, q, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    return total
