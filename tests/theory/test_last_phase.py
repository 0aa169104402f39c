"""Tests of tts_lib.last_phase (the O(eta) floor of the loss near a jump)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import minimize

import tts_lib as tts
from tts_lib.theory import last_phase


def test_kappa_values():
    k1, k2 = last_phase.kappa(1), last_phase.kappa(2)
    assert k1 == pytest.approx(0.0169837, rel=1e-5)
    assert k2 == pytest.approx(0.0137812, rel=1e-5)
    assert 0 < k2 < k1 < 1 / 56


def test_step_fit_loss_against_quadrature():
    s = 0.13
    z = np.linspace(-1, 1, 400_001)
    x = np.stack([np.ones_like(z), tts.sigma(z - s)], 1)
    y = (z >= 0).astype(float)
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    r = x @ coef - y
    val = 0.5 * np.trapezoid(r * r, z)
    assert last_phase.step_fit_loss([s]) == pytest.approx(val, rel=1e-4)
    # far away window: constant fit, value 1/4
    assert last_phase.step_fit_loss([3.0]) == pytest.approx(0.25, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_kappa_is_a_lower_bound(s1, s2):
    assert last_phase.step_fit_loss([s1]) >= last_phase.kappa(1) - 1e-12
    assert last_phase.step_fit_loss([s1, s2]) >= last_phase.kappa(2) - 1e-9


def test_no_distinct_pair_beats_kappa2():
    for start in ([0.0, 0.3], [-0.3, 0.1], [0.05, 0.15]):
        res = minimize(lambda p: last_phase.step_fit_loss(list(p)), start, method="Nelder-Mead",
                       options={"xatol": 1e-9, "fatol": 1e-14})
        assert res.fun >= last_phase.kappa(2) * (1 - 1e-6)  # near-merged pairs: lstsq noise ~1e-9


def test_captured_loss_exact():
    assert quad(lambda z: (tts.sigma(z) - (z >= 0)) ** 2, -0.5, 0.5, points=[0.0])[0] == pytest.approx(1 / 28)
    f = tts.PiecewiseConstant.paper()
    eta = 0.01
    a = np.concatenate(([f.values[0]], f.heights))
    assert tts.loss(a, f.jumps, f, eta) == pytest.approx(last_phase.captured_loss(f, eta), rel=1e-12)
    assert tts.reduced_loss(f.jumps, f, eta) <= last_phase.captured_loss(f, eta) + 1e-15


def test_lower_bound_on_a_real_network():
    f = tts.PiecewiseConstant([0.5], [0.0, 2.0])
    eta = 0.01
    rng = np.random.default_rng(1)
    for _ in range(20):
        u = np.array([0.2, 0.5 + rng.uniform(-1, 1) * eta, 0.8])
        assert tts.reduced_loss(u, f, eta) >= last_phase.jump_loss_lower_bound(2.0, eta) - 1e-14


def test_validation():
    with pytest.raises(ValueError, match="n_near"):
        last_phase.kappa(3)
    with pytest.raises(ValueError, match="shifts"):
        last_phase.step_fit_loss([0.0, 0.1], merged=True)
    with pytest.raises(ValueError, match="eta"):
        last_phase.jump_loss_lower_bound(1.0, 0.0)
