"""Tests of tts_lib.tracking (the O(eps) distance to the slow manifold)."""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib.theory import tracking

F = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
U0 = np.array([0.1, 0.2, 0.4, 0.5, 0.7, 0.8])
ETA = 0.02


def test_tikhonov_bound_holds_along_the_flow():
    eps = 2e-4
    t = np.linspace(0, 0.03 / eps, 61)
    res = tts.gradient_flow(np.zeros(7), U0, F, ETA, eps, (0, t[-1]), t_eval=t, method="LSODA", rtol=1e-10, atol=1e-12)
    e = tracking.manifold_distance(res.a, res.u, F, ETA)
    mu = tracking.smallest_gram_eigenvalue(res.u, ETA).min()
    drift = tracking.slow_drift(res.a, res.u, F, ETA).max()
    bound = tracking.tikhonov_bound(res.t, eps, mu, drift, e[0])
    assert np.all(e <= 1.05 * bound + 1e-9)
    # after the transient the distance is O(eps): it is far below the initial one
    assert e[-1] < 1e-2 * e[0]


def test_distance_scales_with_eps():
    ends = []
    for eps in (4e-4, 1e-4):
        tau = 0.02
        a0 = tts.optimal_outer(U0, F, ETA)
        res = tts.gradient_flow(a0, U0, F, ETA, eps, (0, tau / eps), t_eval=[tau / eps], method="LSODA", rtol=1e-11, atol=1e-13)
        ends.append(tracking.manifold_distance(res.a, res.u, F, ETA)[-1] / eps)
    assert ends[0] == pytest.approx(ends[1], rel=0.3)


def test_zero_on_the_manifold_and_validation():
    a = tts.optimal_outer(U0, F, ETA)
    assert tracking.manifold_distance(a, U0, F, ETA)[0] == pytest.approx(0, abs=1e-12)
    with pytest.raises(ValueError, match="a and u"):
        tracking.manifold_distance(a[:-1], U0, F, ETA)
    with pytest.raises(ValueError, match="mu"):
        tracking.tikhonov_bound(1.0, 1e-3, 0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="eps"):
        tracking.tikhonov_bound(1.0, 0.0, 1.0, 1.0, 1.0)


def test_smallest_gram_eigenvalue_shapes_and_validation():
    lam = tracking.smallest_gram_eigenvalue(U0, ETA)
    assert lam.shape == (1,) and lam[0] == pytest.approx(np.linalg.eigvalsh(tts.gram(U0, ETA))[0], rel=1e-12)
    two = tracking.smallest_gram_eigenvalue(np.stack([U0, U0 + 0.01]), ETA)
    assert two.shape == (2,) and two[0] == pytest.approx(lam[0])
    with pytest.raises(ValueError, match="u must contain only finite"):
        tracking.smallest_gram_eigenvalue([[0.1, np.nan]], ETA)
    with pytest.raises(ValueError, match="u must be a"):
        tracking.smallest_gram_eigenvalue(np.zeros((2, 2, 2)), ETA)
    with pytest.raises(ValueError, match="u must be a"):
        tracking.smallest_gram_eigenvalue([], ETA)
    with pytest.raises(ValueError, match="eta"):
        tracking.smallest_gram_eigenvalue(U0, 0.0)
