"""Tests of tts_lib.spacing (strong convexity of the fast problem)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

import tts_lib as tts
from tts_lib.theory import spacing


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.floats(0.002, 0.05), st.integers(0, 10_000))
def test_spacing_bound_holds(m, eta, seed):
    u = np.random.default_rng(seed).uniform(0, 1, m)
    g = spacing.plateau_lengths(u, eta)
    assert g.shape == (m + 1,)
    assert g.sum() == pytest.approx(1 - m * eta)
    lam = np.linalg.eigvalsh(tts.gram(u, eta))[0]
    assert lam >= spacing.strong_convexity_bound(u, eta) * (1 - 1e-9) - 1e-14


def test_bound_is_zero_when_windows_overlap():
    assert spacing.strong_convexity_bound([0.5, 0.505], 0.02) == 0.0
    assert spacing.strong_convexity_bound([0.005, 0.5], 0.02) == 0.0
    assert spacing.strong_convexity_bound([0.25, 0.5, 0.75], 0.02) == pytest.approx(0.25 * 0.23)


def test_frozen_u_relaxation():
    f = tts.PiecewiseConstant.paper()
    rng = np.random.default_rng(3)
    eta = 0.01
    for _ in range(5):
        u = np.sort(rng.uniform(0.05, 0.95, 8))
        g = tts.gram(u, eta)
        astar = tts.optimal_outer(u, f, eta)
        e0 = rng.normal(size=9)
        mu = spacing.strong_convexity_bound(u, eta)
        for t in (0.5, 5.0, 50.0):
            e = expm(-g * t) @ e0  # a' = -(G a - b)
            assert np.linalg.norm(e) <= spacing.relaxation_bound(t, mu, np.linalg.norm(e0)) * (1 + 1e-9)
        assert np.allclose(g @ astar, tts.target_features(u, f, eta))


def test_validation():
    with pytest.raises(ValueError, match="eta"):
        spacing.plateau_lengths([0.5], 0.0)
    with pytest.raises(ValueError, match="u"):
        spacing.plateau_lengths([], 0.1)
    with pytest.raises(ValueError, match="t"):
        spacing.relaxation_bound(-1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="mu"):
        spacing.relaxation_bound(1.0, -1.0, 1.0)
