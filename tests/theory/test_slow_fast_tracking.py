"""Tests of tts_lib.slow_fast_tracking (fast relaxation rate, Gram spectrum vs spacing, eps-tracking)."""

import numpy as np
import pytest
from scipy.integrate import quad

import tts_lib as tts
from tts_lib.theory import slow_fast_tracking as sft

TARGET = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
U0 = np.array([0.1, 0.2, 0.4, 0.5, 0.7, 0.8])


def test_sigma_prime_sq_integral():
    val = quad(lambda z: float(tts.sigma_prime(z)) ** 2, -0.5, 0.5)[0]
    assert val == pytest.approx(sft.SIGMA_PRIME_SQ_INTEGRAL, rel=1e-12)


def test_gram_min_eigenvalue_matches_numpy():
    g = tts.gram(U0, 0.02)
    assert sft.gram_min_eigenvalue(U0, 0.02) == pytest.approx(np.min(np.linalg.eigvalsh(g)), rel=1e-12)


def test_pair_eigenvalue_bound_and_asymptote():
    eta = 0.02
    s = eta * np.array([1e-3, 1e-2, 0.1, 0.5, 1.0, 2.0])
    lam = sft.pair_spacing_eigenvalues(s, eta)
    gap = sft.feature_gap_sq(s, eta)
    assert np.all(lam <= 0.5 * gap * (1 + 1e-9))
    assert np.all(np.diff(lam) > 0)  # falls as the neurons approach
    # small spacing: ||phi1 - phi2||^2 ~ (9/5) s^2 / eta
    assert gap[0] == pytest.approx(1.8 * s[0] ** 2 / eta, rel=1e-3)
    assert lam[0] == pytest.approx(0.9 * s[0] ** 2 / eta, rel=2e-2)


def test_frozen_relaxation_is_the_linear_ode():
    eta = 0.02
    a0 = np.zeros(U0.size + 1)
    t = np.array([0.0, 5.0, 50.0])
    a = sft.frozen_relaxation(a0, U0, TARGET, eta, t)
    assert np.allclose(a[0], a0)
    # the ODE da/dt = -(G a - b), integrated with an independent solver
    fl = tts.gradient_flow(a0, U0, TARGET, eta, 1e-14, (0, 50), t_eval=t, rtol=1e-11, atol=1e-13)
    assert np.allclose(a, fl.a, atol=1e-7)
    lam = sft.gram_min_eigenvalue(U0, eta)
    a_star = tts.optimal_outer(U0, TARGET, eta)
    d = np.linalg.norm(a - a_star, axis=1)
    assert np.all(d <= np.exp(-lam * t) * d[0] * (1 + 1e-9))


def test_tracking_gap_is_order_eps():
    res = sft.tracking_gaps(TARGET, U0, 0.02, [2e-4, 1e-4, 5e-5], 0.05, n_eval=11)
    ratio = res.gap / res.eps
    assert np.all((ratio > 0.01) & (ratio < 0.04))
    assert sft.loglog_slope(res.eps, res.gap) == pytest.approx(1.0, abs=0.1)
    assert res.u_reduced.shape == (11, 6) and len(res.u_full) == 3


def test_loglog_slope_exact():
    x = np.array([1.0, 2.0, 4.0])
    assert sft.loglog_slope(x, 3 * x**2) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="positive"):
        sft.loglog_slope(x, -x)




@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: sft.pair_spacing_eigenvalues([-0.1], 0.02), "spacings"),
        (lambda: sft.pair_spacing_eigenvalues([0.1], -0.02), "eta"),
        (lambda: sft.pair_spacing_eigenvalues([0.1], 0.02, centre=1.2), "centre"),
        (lambda: sft.pair_spacing_eigenvalues([0.1], 0.02, centre="middle"), "centre"),
        (lambda: sft.feature_gap_sq([0.01], 0.02, centre=0.0), "centre"),
        (lambda: sft.pair_spacing_eigenvalues([1.2], 0.02), "spacings"),
        (lambda: sft.tracking_gaps(TARGET, U0, 0.02, [0.0], 0.05), "eps_values"),
        (lambda: sft.tracking_gaps(TARGET, U0, 0.02, [1e-3], -1), "tau_end"),
        (lambda: sft.frozen_relaxation(np.zeros(3), U0, TARGET, 0.02, [0.0]), "a0"),
        (lambda: sft.frozen_relaxation(np.zeros(7), U0, TARGET, 0.02, [-1.0]), "t"),
    ],
)
def test_validation(call, name):
    with pytest.raises(ValueError, match=name):
        call()


