import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tts_lib as tts
from tts_lib.theory import jump_pair as jp

dists = st.floats(0.01, 0.3)
heights = st.floats(-3, 3).filter(lambda d: abs(d) > 0.2)


@settings(max_examples=30, deadline=None)
@given(dists, dists, heights)
def test_velocity_matches_ideal_velocity(dl, dr, delta):
    """The closed form agrees with the library's ideal flow velocity for a pair flanking one jump."""
    f = tts.PiecewiseConstant([0.5], [1.0, 1.0 + delta])
    u = np.array([0.5 - dl - 0.1, 0.5 - dl, 0.5 + dr, 0.5 + dr + 0.1])
    vel = tts.ideal_velocity(u, f)
    vl, vr = jp.pair_velocity(dl, dr, delta)
    assert -vl == pytest.approx(vel[1], rel=1e-10)  # u^L = v - d_L
    assert vr == pytest.approx(vel[2], rel=1e-10)  # u^R = v + d_R
    assert abs(vel[0]) < 1e-14 and abs(vel[3]) < 1e-14


@settings(max_examples=20, deadline=None)
@given(dists, dists, heights)
def test_invariant_conserved_and_nearer_stays_nearer(dl, dr, delta):
    tau = np.linspace(0, 0.9 * jp.arrival_time(dl, dr, delta), 30)
    xl, xr = jp.pair_trajectory(dl, dr, delta, tau)
    c = jp.pair_invariant(xl, xr)
    assert np.allclose(c, dl**3 - dr**3, atol=1e-9)
    assert np.all(np.sign(xl - xr) == np.sign(dl - dr)) or dl == dr


@settings(max_examples=10, deadline=None)
@given(dists, dists, heights)
def test_arrival_time_below_bound_and_matches_ideal_flow(dl, dr, delta):
    # (equal distances make both neurons arrive at once, a degenerate event for the ODE solver)
    assume(abs(dl - dr) > 0.02)
    t = jp.arrival_time(dl, dr, delta)
    assert 0 < t <= jp.arrival_bound(dl, dr, delta) * (1 + 1e-12)
    # also at least d/(max speed Delta^2/2)
    assert t >= 2 * min(dl, dr) / delta**2 * (1 - 1e-12)
    f = tts.PiecewiseConstant([0.5], [1.0, 1.0 + delta])
    u = np.array([0.5 - dl - 0.15, 0.5 - dl, 0.5 + dr, 0.5 + dr + 0.15])
    res = tts.ideal_flow(u, f, (0, 1.5 * t + 1e-9))
    arrived = res.arrival_tau[~np.isnan(res.arrival_tau)]
    assert arrived.size >= 1
    assert np.min(arrived) == pytest.approx(t, rel=1e-6)


def test_equal_distances_meet_the_bound_exactly():
    assert jp.arrival_time(0.1, 0.1, 2.0) == pytest.approx(8 * 0.1 / 4, rel=1e-10)


def test_trajectory_end_state():
    tau = np.array([0.0, 10.0])
    xl, xr = jp.pair_trajectory(0.05, 0.15, 2.0, tau)
    assert xl[0] == 0.05 and xr[0] == 0.15
    assert xl[1] == 0.0
    assert xr[1] == pytest.approx(np.cbrt(0.15**3 - 0.05**3), rel=1e-12)




@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: jp.pair_velocity(-0.1, 0.1, 1.0), "d_left"),
        (lambda: jp.pair_velocity(0.1, -0.1, 1.0), "d_right"),
        (lambda: jp.pair_velocity(0.0, 0.0, 1.0), r"d_left \+ d_right"),
        (lambda: jp.pair_velocity(0.1, 0.1, 0.0), "delta"),
        (lambda: jp.arrival_time(0.1, 0.1, "x"), "delta"),
        (lambda: jp.pair_trajectory(0.1, 0.1, 1.0, [0.2, 0.1]), "tau_eval"),
        (lambda: jp.arrival_time([0.1, 0.2], [0.1, 0.2], 1.0), "scalars"),
    ],
)
def test_validation(call, name):
    with pytest.raises(ValueError, match=name):
        call()
