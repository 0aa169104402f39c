"""Tests of tts_lib.theory.marked_windows: the plateau identity when windows hold a jump, and its bounds.

Each check compares with an independent computation: the optimal outer weights by exact linear algebra
(tts.optimal_outer), the reduced and ideal gradients of the core, and quadrature of the offsets."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

import tts_lib as tts
from tts_lib.theory import marked_windows as mw
from tts_lib.theory import plateaus


def test_offset_profile_is_the_integral():
    for th in np.linspace(-0.49, 0.49, 23):
        val = quad(lambda z: tts.sigma(z) - (z >= 0), th, 0.5, points=[0.0] if th < 0 else None, epsabs=1e-14)[0]
        assert mw.offset_profile(th) == pytest.approx(val, abs=1e-12)
    assert mw.offset_profile(0.0) == pytest.approx(-1 / 16) and mw.offset_profile(0.7) == 0.0


def _marked_instance(seed):
    """Random target, random neurons, and some neurons put inside the windows of jumps (marked)."""
    rng = np.random.default_rng(seed)
    n_j = int(rng.integers(1, 4))
    jumps = np.sort(rng.uniform(0.1, 0.9, n_j))
    f = tts.PiecewiseConstant(jumps, rng.uniform(-3, 3, n_j + 1))
    eta = float(rng.choice([0.002, 0.005, 0.01]))
    k = int(rng.integers(1, n_j + 1))
    u = np.concatenate([rng.uniform(0.03, 0.97, rng.integers(2, 7)), jumps[:k] + rng.uniform(-0.5, 0.5, k) * eta])
    return f, rng.permutation(u), eta


def test_window_offsets_by_quadrature():
    n = 0
    for seed in range(200):
        f, u, eta = _marked_instance(seed)
        if not mw.marked_separated(u, f, eta):
            continue
        om = mw.window_offsets(u, f, eta)
        for j in np.nonzero(mw.marked(u, f, eta))[0]:
            lo, hi = u[j] - eta / 2, u[j] + eta / 2
            pts = [u[j]] + [v for v in f.jumps if lo < v < hi]
            val = quad(lambda x: f(x) * (tts.sigma((x - u[j]) / eta) - (x >= u[j])), lo, hi, points=pts,
                       epsabs=1e-15, epsrel=1e-12)[0]
            assert om[j] == pytest.approx(val, abs=1e-12 * eta)
            assert abs(om[j]) <= abs(f.heights).max() * eta / 16 * (1 + 1e-12)
        assert np.all(om[~mw.marked(u, f, eta)] == 0.0)
        n += 1
    assert n > 50


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 100_000))
def test_marked_plateau_identity_and_bounds(seed):
    f, u, eta = _marked_instance(seed)
    assume(mw.marked_separated(u, f, eta))
    length = np.diff(np.concatenate(([0.0], np.sort(u), [1.0])))
    assume(eta <= length.min() / 4)
    c = plateaus.plateau_values(tts.optimal_outer(u, f, eta), u)
    cbar = plateaus.interval_means(u, f)
    assert np.allclose(c - cbar, plateaus.anti_diffusion(c, u, eta) + mw.jump_terms(u, f, eta), atol=1e-9)
    big_m = f.sup_norm
    assert np.abs(c).max() <= mw.PLATEAU_SUP * big_m * (1 + 1e-9)
    assert np.all(np.abs(c - cbar) <= 2 / 3 * big_m * eta / length * (1 + 1e-9) + 1e-12)
    gap = np.abs(tts.reduced_loss_grad(u, f, eta) + tts.ideal_velocity(u, f))
    free = ~mw.marked(u, f, eta)
    assert np.all(gap[free] <= mw.unmarked_gap_bound(u, f, eta) * (1 + 1e-9) + 1e-12)
    # on an unmarked neuron the reduced gradient has the ideal form with the plateaus c
    assert np.allclose(tts.reduced_loss_grad(u, f, eta)[free], plateaus.gradient_from_plateaus(c, u, f)[free], atol=1e-9)


def test_the_jump_terms_are_needed():
    """Without the marked windows' term the identity fails by about |Delta| eta / (16 |I|): the lemma has content."""
    f = tts.PiecewiseConstant([0.5], [0.0, 2.0])
    eta = 0.01
    u = np.array([0.2, 0.5 + 0.1 * eta, 0.8])
    c = plateaus.plateau_values(tts.optimal_outer(u, f, eta), u)
    resid = c - plateaus.interval_means(u, f) - plateaus.anti_diffusion(c, u, eta)
    assert np.abs(resid).max() > 0.5 * 2 * eta * 0.4**4 / 0.3
    assert np.allclose(resid, mw.jump_terms(u, f, eta), atol=1e-10)


def test_validation():
    f = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    with pytest.raises(ValueError, match="windows"):
        mw.window_offsets([0.5, 0.501], f, 0.01)
    with pytest.raises(ValueError, match="eta must be at most"):
        mw.unmarked_gap_bound([0.2, 0.3, 0.8], f, 0.04)
    with pytest.raises(ValueError, match="theta"):
        mw.offset_profile(np.nan)
