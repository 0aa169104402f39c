"""Tests of tts_lib.plateaus (finite-eta plateaus and the gradient gap to the ideal limit)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

import tts_lib as tts
from tts_lib.theory import plateaus


def test_beta_is_the_integral():
    val = quad(lambda z: tts.sigma(z) * (1 - tts.sigma(z)), -0.5, 0.5, points=[0.0], epsabs=1e-14)[0]
    assert plateaus.BETA == pytest.approx(val, rel=1e-12)


def _instance(seed):
    rng = np.random.default_rng(seed)
    n_j = rng.integers(1, 4)
    jumps = np.sort(rng.uniform(0.1, 0.9, n_j))
    f = tts.PiecewiseConstant(jumps, rng.uniform(-3, 3, n_j + 1))
    u = np.sort(rng.uniform(0.02, 0.98, rng.integers(2, 9)))
    eta = float(rng.choice([0.002, 0.005, 0.01]))
    return f, rng.permutation(u), eta


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 100_000))
def test_plateau_identity_and_gradient(seed):
    f, u, eta = _instance(seed)
    assume(plateaus.window_separated(u, f, eta))
    assume(4 * plateaus.BETA * eta / np.diff(np.concatenate(([0], np.sort(u), [1]))).min() < 0.5)
    a = tts.optimal_outer(u, f, eta)
    c = plateaus.plateau_values(a, u)
    cbar = plateaus.interval_means(u, f)
    assert np.allclose(c - cbar, plateaus.anti_diffusion(c, u, eta), atol=1e-9)
    assert np.all(np.abs(c - cbar) <= plateaus.plateau_error_bound(u, f, eta) + 1e-10)
    grad = tts.reduced_loss_grad(u, f, eta)
    assert np.allclose(grad, plateaus.gradient_from_plateaus(c, u, f), atol=1e-9)
    ideal = -tts.ideal_velocity(u, f)
    assert np.allclose(plateaus.gradient_from_plateaus(cbar, u, f), ideal, atol=1e-12)
    assert np.all(np.abs(grad - ideal) <= plateaus.gradient_gap_bound(u, f, eta) + 1e-9)


def test_window_separation_cases():
    f = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    assert plateaus.window_separated([0.2, 0.7], f, 0.02)
    assert not plateaus.window_separated([0.495, 0.7], f, 0.02)  # jump in a window
    assert not plateaus.window_separated([0.2, 0.21], f, 0.02)  # overlap
    assert not plateaus.window_separated([0.005, 0.7], f, 0.02)  # leaves [0, 1]


def test_plateau_values_order_free():
    a = np.array([1.0, 2.0, -1.0])
    assert plateaus.plateau_values(a, [0.7, 0.2]).tolist() == [1.0, 0.0, 2.0]


def test_validation():
    f = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    with pytest.raises(ValueError, match="eta"):
        plateaus.plateau_error_bound([0.2, 0.7], f, 1.5)
    with pytest.raises(ValueError, match="c"):
        plateaus.anti_diffusion([1.0], [0.2, 0.7], 0.01)
    with pytest.raises(ValueError, match="u"):
        plateaus.interval_means([0.0, 0.5], f)
