"""The kernels' cheap self-checks raise CompiledCodeError when their own output breaks its contract.

A poisoned numba cache (issue 24) ran one kernel's calls on another's code: an unsorted "sorted" array and a
wrong loss, with no error. Each check is exercised here by running the kernel's Python source
(``.py_func``) with the sort it relies on replaced by a broken one, or by a loss kernel that returns what no
correct kernel can return.
"""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib import _kernels, _sparse_kernel, model
from tts_lib.errors import CompiledCodeError

TARGET = tts.PiecewiseConstant.paper()
JUMPS = TARGET.jumps.astype(float)
VALUES = TARGET.values.astype(float)


def test_sorted_breakpoints_checks_its_output(monkeypatch):
    u = np.array([0.7, 0.2, 0.5])
    good = _kernels.sorted_breakpoints.py_func(u, JUMPS, 0.1)
    assert np.array_equal(good, np.sort(good))
    monkeypatch.setattr(_kernels, "sort", lambda x: None)  # a "sort" that leaves the array as it is
    with pytest.raises(CompiledCodeError, match="not sorted"):
        _kernels.sorted_breakpoints.py_func(u, JUMPS, 0.1)


@pytest.mark.parametrize("bad", [lambda u: np.arange(u.shape[0]), lambda u: np.zeros(u.shape[0], dtype=np.int64)])
def test_sorted_sums_checks_its_permutation(monkeypatch, bad):
    rng = np.random.default_rng(1)
    u = rng.uniform(size=300)
    a = rng.normal(size=301)
    x, w, f = _kernels.gauss_nodes(u, JUMPS, VALUES, 0.01)
    ga, gu = np.empty(301), np.empty(300)
    monkeypatch.setattr(_kernels, "argsort", bad)  # the identity (unsorted u) or a repeated index
    with pytest.raises(CompiledCodeError, match="sorting permutation"):
        _kernels._sorted_sums.py_func(a, u, x, w, f, 0.01, ga, gu)


def test_the_loss_is_never_negative_nor_non_finite(monkeypatch):
    a, u = np.array([0.0, 1.0, -1.0]), np.array([0.3, 0.6])
    assert tts.loss(a, u, TARGET, 0.05) >= 0.0

    def fake(value):
        def kernel(a, u, jumps, values, eta, grad_a, grad_u):
            grad_a[:] = 0.0
            grad_u[:] = 0.0
            return value
        return kernel

    monkeypatch.setattr(model, "loss_grad_kernel", fake(-1e-3))
    with pytest.raises(CompiledCodeError, match="< 0"):
        tts.loss(a, u, TARGET, 0.05)
    with pytest.raises(CompiledCodeError, match="< 0"):
        tts.loss_grad(a, u, TARGET, 0.05)
    monkeypatch.setattr(model, "loss_grad_kernel", fake(np.nan))
    with pytest.raises(CompiledCodeError, match="validated inputs"):
        tts.loss(a, u, TARGET, 0.05)


def test_the_sparse_engine_checks_its_order():
    rng = np.random.default_rng(2)
    u = rng.uniform(size=50)
    a = rng.normal(size=51)
    state = _sparse_kernel.init_state(a, u, 0.02)
    a2, u2 = np.empty(51), np.empty(50)
    _sparse_kernel.materialise(state, a2, u2)
    # the weights come back through differences D_j and a running sum: each of the m differences and m sums
    # rounds once, on values at most 2 max|a| (differences) or max|a| (sums), so |error| <= 3 m u max|a|
    assert np.array_equal(u2, u)
    assert np.max(np.abs(a2 - a)) <= 4 * 50 * 2.0**-53 * np.max(np.abs(a))
    state[1][[10, 20]] = state[1][[20, 10]]  # two slots out of order
    with pytest.raises(CompiledCodeError, match="out of order"):
        _sparse_kernel.materialise(state, a2, u2)
    state[1][[10, 20]] = state[1][[20, 10]]
    state[1][5] = np.nan  # a diverged position: left to the divergence check of the caller
    _sparse_kernel.materialise(state, a2, u2)
