import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

import tts_lib as tts

ONE_JUMP = tts.PiecewiseConstant([0.5], [0.0, 2.0])


def test_ideal_loss_direct():
    f = tts.PiecewiseConstant([0.5], [0.0, 2.0])
    # one interval [0.1, 0.7] around the jump: (D^2/2) dL dR / (dL + dR)
    u = np.array([0.1, 0.7])
    assert tts.ideal_loss(u, f) == pytest.approx(0.5 * 4 * 0.4 * 0.2 / 0.6, rel=1e-12)
    assert tts.ideal_loss([0.5], f) == pytest.approx(0.0, abs=1e-15)
    # paper target, neurons on every jump: zero
    g = tts.PiecewiseConstant.paper()
    assert tts.ideal_loss(g.jumps, g) == pytest.approx(0.0, abs=1e-14)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.01, 0.45), st.floats(0.01, 0.45), st.floats(-3, 3).filter(lambda d: abs(d) > 0.05))
def test_velocity_closed_form_one_jump(d_left, d_right, height):
    f = tts.PiecewiseConstant([0.5], [1.0, 1.0 + height])
    u = np.array([0.5 - d_left, 0.5 + d_right])
    vel = tts.ideal_velocity(u, f)
    s = d_left + d_right
    assert vel[0] == pytest.approx(height**2 / 2 * (d_right / s) ** 2, rel=1e-10)
    assert vel[1] == pytest.approx(-(height**2) / 2 * (d_left / s) ** 2, rel=1e-10)


def test_velocity_is_minus_gradient_of_ideal_loss():
    f = tts.PiecewiseConstant.paper()
    rng = np.random.default_rng(2)
    for _ in range(10):
        u = np.sort(rng.uniform(0, 1, 12))
        h = 1e-7
        fd = [(tts.ideal_loss(u + h * e, f) - tts.ideal_loss(u - h * e, f)) / (2 * h) for e in np.eye(12)]
        assert np.allclose(tts.ideal_velocity(u, f), -np.array(fd), atol=1e-6)


def test_ideal_velocity_is_the_eta_to_zero_limit_of_the_reduced_gradient():
    f = tts.PiecewiseConstant.paper()
    u = np.array([0.05, 0.12, 0.27, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.75, 0.85, 0.9])
    ideal = tts.ideal_velocity(u, f)
    errors = [np.max(np.abs(-tts.reduced_loss_grad(u, f, eta) - ideal)) for eta in (1e-2, 1e-3, 1e-4)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-2 * np.max(np.abs(ideal))


def _pair_arrival_time(d_left, d_right, height):
    """Independent integration of the closed-form two-neuron system until the nearer one arrives."""

    def rhs(_t, d):
        s = d[0] + d[1]
        return [-(height**2) / 2 * (d[1] / s) ** 2, -(height**2) / 2 * (d[0] / s) ** 2]

    ev = lambda _t, d: min(d)  # noqa: E731
    ev.terminal = True
    sol = solve_ivp(rhs, (0, 100), [d_left, d_right], events=ev, rtol=1e-12, atol=1e-14)
    return sol.t_events[0][0]


@settings(max_examples=20, deadline=None)
@given(st.floats(0.02, 0.4), st.floats(0.02, 0.4), st.floats(0.5, 3))
def test_nearer_neuron_arrives_first_within_the_bound(d_left, d_right, height):
    assume(abs(d_left - d_right) > 1e-3)  # a tie sends both neurons onto the jump together
    f = tts.PiecewiseConstant([0.5], [0.0, height])
    u0 = np.array([0.5 - d_left, 0.5 + d_right])
    bound = 8 * min(d_left, d_right) / height**2
    res = tts.ideal_flow(u0, f, (0, bound * 1.01))
    nearer = 0 if d_left <= d_right else 1
    assert res.arrival_jump[nearer] == 0
    assert res.arrival_tau[nearer] <= bound
    assert np.isnan(res.arrival_tau[1 - nearer])
    assert res.arrival_tau[nearer] == pytest.approx(_pair_arrival_time(d_left, d_right, height), rel=1e-7)
    assert res.u[-1, nearer] == 0.5  # it stops exactly on the jump
    assert res.loss[-1] == pytest.approx(0.0, abs=1e-12)
    # the order of the neurons is preserved and the distance ratio is monotone
    assert np.all(res.u[:, 0] <= res.u[:, 1])


def test_paper_target_with_two_per_piece_converges_and_still_neurons_stay():
    f = tts.PiecewiseConstant.paper()
    u0 = np.array([0.05, 0.15, 0.22, 0.3, 0.38, 0.45, 0.53, 0.6, 0.68, 0.72, 0.84, 0.95])
    res = tts.ideal_flow(u0, f, (0, 1.0))
    edges = f.edges
    flanking = set()
    for v in f.jumps:
        flanking.add(int(np.max(np.nonzero(u0 < v))))
        flanking.add(int(np.min(np.nonzero(u0 > v))))
    for j in range(len(u0)):
        if j not in flanking:
            assert np.all(res.u[:, j] == u0[j])
    assert np.all(np.diff(res.u, axis=1) >= 0)
    assert res.loss[-1] == pytest.approx(0.0, abs=1e-12)
    assert sorted(res.arrival_jump[res.arrival_jump >= 0].tolist()) == list(range(5))
    assert np.all(np.diff(res.loss) <= 1e-14)
    assert edges[0] == 0


def test_bad_input():
    with pytest.raises(ValueError, match="u"):
        tts.ideal_loss([1.5], ONE_JUMP)
    with pytest.raises(ValueError, match="u"):
        tts.ideal_velocity([np.nan], ONE_JUMP)
    with pytest.raises(ValueError, match="tau_span"):
        tts.ideal_flow([0.2, 0.7], ONE_JUMP, (1, 0))
    with pytest.raises(ValueError, match="tau_span"):
        tts.ideal_flow([0.2, 0.7], ONE_JUMP, (-1, 1))
    with pytest.raises(ValueError, match="tau_eval"):
        tts.ideal_flow([0.2, 0.7], ONE_JUMP, (0, 1), tau_eval=[0, 2])
    with pytest.raises(ValueError, match="target"):
        tts.ideal_flow([0.2, 0.7], None, (0, 1))


def test_a_tie_sends_both_flanking_neurons_onto_the_jump_at_8d_over_delta_squared():
    # d_L = d_R: both move at Delta^2 / 8 and meet on the jump at tau = 8 d / Delta^2
    f = tts.PiecewiseConstant([0.5], [1.0, 2.0])
    res = tts.ideal_flow([0.1, 0.25, 0.75, 0.9], f, (0, 3))
    assert res.arrival_tau[1] == pytest.approx(2.0, rel=1e-9)
    assert res.arrival_tau[2] == pytest.approx(2.0, rel=1e-9)
    assert np.all(res.u[-1] == [0.1, 0.5, 0.5, 0.9])


def test_capture_times_closed_form_against_the_flow():
    # the closed form (conserved d_R^3 - d_L^3, incomplete beta) against the event-located ODE integration
    g = tts.PiecewiseConstant.paper()
    from tts_lib.ideal import capture_times
    from tts_lib.initialisation import sample_positions

    for s in (3, 11):
        u = np.asarray(sample_positions(20, s, g, require_two_per_piece=True))
        res = tts.ideal_flow(u, g, (0.0, 1.0), tau_eval=[0.0, 1.0])
        first = [np.nanmin(res.arrival_tau[res.arrival_jump == i]) for i in range(g.jumps.size)]
        assert capture_times(u, g) == pytest.approx(first, rel=1e-6)   # the solver's rtol is 1e-10


@settings(max_examples=30, deadline=None)
@given(st.floats(0.001, 0.2), st.floats(0.001, 0.2), st.floats(-3, 3).filter(lambda d: abs(d) > 0.05))
def test_capture_times_bounds_one_jump(d_left, d_right, height):
    from tts_lib.ideal import capture_times

    f = tts.PiecewiseConstant([0.5], [1.0, 1.0 + height])
    u = [0.01, 0.02, 0.5 - d_left, 0.5 + d_right, 0.98, 0.99]
    (tau,) = capture_times(u, f)
    x0 = min(d_left, d_right)
    assert 2 * x0 / height**2 * (1 - 1e-9) <= tau <= 8 * x0 / height**2 * (1 + 1e-9)   # speed between D^2/8 and D^2/2


def test_capture_times_needs_two_per_piece():
    from tts_lib.ideal import capture_times

    with pytest.raises(ValueError, match="two neurons"):
        capture_times([0.4, 0.6], ONE_JUMP)
    assert capture_times([0.1, 0.2, 0.5, 0.6, 0.7], ONE_JUMP)[0] == 0.0     # a neuron on the jump: captured
    # an equidistant pair (exact distances 1/4): the bound 8d/D^2 is attained (C = 0; the time has a cube-root
    # dependence on d_R - d_L, so a pair equidistant only to rounding is not a sharp test)
    assert capture_times([0.1, 0.2, 0.25, 0.75, 0.8, 0.9], ONE_JUMP)[0] == pytest.approx(8 * 0.25 / 4, rel=1e-12)
