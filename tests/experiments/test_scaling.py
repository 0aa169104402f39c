"""Tests of tts_lib.scaling (scaling laws of the two-timescale regime)."""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib.experiments import scaling

U_ONE = np.array([0.2, 0.45, 0.6, 0.85])


def one_jump():
    """One jump of height 2 at 1/2; the nearer flanking neuron (0.45) captures it at tau ~ 0.04."""
    return tts.PiecewiseConstant([0.5], [0.0, 2.0])


def test_fit_power_law_recovers_exponent():
    x = np.array([1.0, 2.0, 4.0, 8.0])
    c, p = scaling.fit_power_law(x, 3.0 * x**-1.5)
    assert c == pytest.approx(3.0) and p == pytest.approx(-1.5)
    with pytest.raises(ValueError, match="y"):
        scaling.fit_power_law(x, -x)
    with pytest.raises(ValueError, match="x"):
        scaling.fit_power_law([1.0, 1.0], [1.0, 2.0])


@pytest.mark.parametrize("eta", [1e-3, 4e-3, 0.02])
def test_centred_loss_is_the_exact_loss_of_the_centred_network(paper_target, eta):
    a, u = scaling.centred_network(paper_target, eta)
    assert scaling.centred_loss(paper_target, eta) == pytest.approx(tts.loss(a, u, paper_target, eta), rel=1e-10)
    # sum of squared jumps of the paper's target is 56: the loss is eta itself
    assert scaling.centred_loss(paper_target, eta) == pytest.approx(eta, rel=1e-12)


def test_centred_loss_rejects_overlapping_windows(paper_target):
    with pytest.raises(ValueError, match="eta"):
        scaling.centred_loss(paper_target, 0.2)
    with pytest.raises(ValueError, match="eta"):
        scaling.centred_network(paper_target, -1.0)


def test_final_loss_vs_eta_reaches_the_centred_floor():
    tg = one_jump()
    res = scaling.final_loss_vs_eta(tg, U_ONE, [0.005, 0.01, 0.02], 0.3)
    # optimal outer weights and extra neurons can only do better than one centred neuron per jump
    assert np.all(res.loss <= res.centred * (1 + 1e-6))
    assert np.all(res.loss >= 0.8 * res.centred)
    assert 0.9 < res.exponent < 1.1


def test_capture_time_reads_the_last_entry_into_coverage():
    tg = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    t = np.arange(5.0)
    u = np.array([[0.1], [0.49], [0.3], [0.499], [0.5]])
    assert scaling.capture_time(t, u, tg, 0.02) == 3.0
    assert np.isnan(scaling.capture_time(t[:3], u[:3], tg, 0.02))
    with pytest.raises(ValueError, match="u_history"):
        scaling.capture_time(t, u[:4], tg, 0.02)
    with pytest.raises(ValueError, match="tol"):
        scaling.capture_time(t, u, tg, 0.0)


def test_ideal_capture_time_symmetric_pair():
    # symmetric pair around a jump of height D: both move at D^2/8 and arrive at 8 d / D^2
    d, height = 0.1, 2.0
    tg = tts.PiecewiseConstant([0.5], [0.0, height])
    tau = scaling.ideal_capture_time([0.5 - d, 0.5 + d], tg, 1.0)
    assert tau == pytest.approx(8 * d / height**2, rel=1e-4)
    assert np.isnan(scaling.ideal_capture_time([0.5 - d, 0.5 + d], tg, 0.1))


def test_reduced_capture_time_approaches_the_ideal_one():
    tg = one_jump()
    ideal = scaling.ideal_capture_time(U_ONE, tg, 0.1)
    tr = scaling.reduced_capture_time(U_ONE, tg, 0.002, 0.1)
    # within eta of the jump a little before the exact arrival of the ideal flow
    assert 0.9 * ideal <= tr <= ideal * 1.01
    with pytest.raises(ValueError, match="n_eval"):
        scaling.reduced_capture_time(U_ONE, tg, 0.002, 0.1, n_eval=1)


def test_capture_times_scale_like_one_over_eps():
    tg = one_jump()
    res = scaling.capture_times(tg, U_ONE, [0.001, 0.002, 0.004], eta=0.01, lr=2e-4, tau_end=0.1,
                                seeds=[0, 1], t_extra=20.0, tol=0.01)
    assert res.t_cap.shape == (3, 2)
    assert np.all(np.isfinite(res.t_cap))
    med = res.median_t_cap
    assert med[0] > med[1] > med[2]
    np.testing.assert_array_equal(res.steps, np.ceil((0.1 / res.eps + 20.0) / 2e-4).astype(int))
    ref = scaling.reduced_capture_time(U_ONE, tg, 0.01, 0.3, 0.01)
    assert res.tau_star == pytest.approx(ref, rel=0.3)
    assert 0.6 < res.exponent < 1.1
    with pytest.raises(ValueError, match="eps_values"):
        scaling.capture_times(tg, U_ONE, [0.0, 1.0], eta=0.02, lr=1e-3, tau_end=0.3, seeds=[0])
    with pytest.raises(ValueError, match="seeds"):
        scaling.capture_times(tg, U_ONE, [0.1, 1.0], eta=0.02, lr=1e-3, tau_end=0.3, seeds=[])


def test_tracking_errors_are_of_order_eps():
    small = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
    u0 = np.array([0.1, 0.2, 0.4, 0.5, 0.7, 0.8])
    res = scaling.tracking_errors(small, u0, 0.02, [2e-5, 1e-5], 0.05, n_eval=11)
    assert np.all(res.gap > 0) and res.gap[0] > res.gap[1]
    assert 0.9 < res.exponent < 1.1
    assert np.all(res.gap / res.eps < 0.05)
    with pytest.raises(ValueError, match="eps_values"):
        scaling.tracking_errors(small, u0, 0.02, [1e-5], 0.05)
    with pytest.raises(ValueError, match="tau_end"):
        scaling.tracking_errors(small, u0, 0.02, [2e-5, 1e-5], 0.0)


def test_fit_power_law_stderr():
    from scipy import stats

    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    y = 3.0 * x**1.5 * np.exp(np.array([0.01, -0.02, 0.015, 0.0, -0.01]))
    c, p, se = scaling.fit_power_law(x, y, stderr=True)
    ref = stats.linregress(np.log(x), np.log(y))            # independent OLS
    assert p == pytest.approx(ref.slope, rel=1e-12) and se == pytest.approx(ref.stderr, rel=1e-10)
    assert scaling.fit_power_law(x, y) == pytest.approx((c, p))
    assert np.isnan(scaling.fit_power_law([1.0, 2.0], [1.0, 2.0], stderr=True)[2])
