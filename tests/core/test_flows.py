import numpy as np
import pytest

import tts_lib as tts
from tts_lib.errors import DivergenceError
from tts_lib.flows import _check_finite

TARGET = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
U0 = np.array([0.1, 0.2, 0.4, 0.5, 0.7, 0.8])
ETA = 0.02


def test_gradient_flow_decreases_the_loss():
    res = tts.gradient_flow(np.zeros(7), U0, TARGET, ETA, 0.1, (0, 200))
    assert np.all(np.diff(res.loss) <= 1e-12)
    assert res.loss[-1] < 0.2 * res.loss[0]
    assert np.allclose(res.tau, 0.1 * res.t)


def test_reduced_flow_decreases_the_reduced_loss_and_stays_on_the_manifold():
    res = tts.reduced_flow(U0, TARGET, ETA, (0, 0.3))
    assert np.all(np.diff(res.loss) <= 1e-12)
    for u, a in zip(res.u[::50], res.a[::50]):
        assert np.allclose(a, tts.optimal_outer(u, TARGET, ETA))


def test_full_flow_tracks_the_reduced_flow_with_error_proportional_to_eps():
    tau = 0.05
    times = np.linspace(0, tau, 6)
    ref = tts.reduced_flow(U0, TARGET, ETA, (0, tau), tau_eval=times, method="DOP853", rtol=1e-12, atol=1e-14)
    a0 = tts.optimal_outer(U0, TARGET, ETA)
    gaps = []
    epss = [4e-4, 2e-4, 1e-4]
    for eps in epss:
        res = tts.gradient_flow(
            a0, U0, TARGET, ETA, eps, (0, tau / eps), t_eval=times / eps, method="LSODA", rtol=1e-11, atol=1e-13
        )
        gaps.append(np.max(np.abs(res.u - ref.u)))
    ratios = np.array(gaps) / np.array(epss)
    # error = C * eps + o(eps): the ratio settles, and halving eps roughly halves the gap
    assert np.all(ratios > 0.01) and np.all(ratios < 0.05)
    assert gaps[0] / gaps[1] == pytest.approx(2.0, rel=0.25)
    assert gaps[1] / gaps[2] == pytest.approx(2.0, rel=0.25)


def test_implicit_solver_with_exact_jacobian_agrees_with_explicit():
    a0 = np.zeros(7)
    r1 = tts.gradient_flow(a0, U0, TARGET, ETA, 0.5, (0, 20), method="Radau", rtol=1e-10, atol=1e-12)
    r2 = tts.gradient_flow(a0, U0, TARGET, ETA, 0.5, (0, 20), method="DOP853", rtol=1e-10, atol=1e-12)
    assert np.max(np.abs(r1.u - r2.u)) < 1e-6
    assert np.max(np.abs(r1.a - r2.a)) < 1e-6


def test_blow_up_is_reported_with_its_time():
    with pytest.raises(DivergenceError, match="at step 3.5") as info:
        _check_finite(np.array([0.0, np.nan]), 3.5, "state")
    assert info.value.step == 3.5


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(eps=0.0), "eps"),
        (dict(eps=np.inf), "eps"),
        (dict(eta=-1.0), "eta"),
        (dict(t_span=(1.0, 1.0)), "t_span"),
        (dict(t_span=(0.0,)), "t_span"),
        (dict(a0=[0.0] * 3), "a"),
        (dict(t_eval=[0.0, 5.0]), "t_eval"),
        (dict(method="Euler"), "method"),
    ],
)
def test_gradient_flow_bad_input(kwargs, word):
    args = dict(a0=np.zeros(7), u0=U0, target=TARGET, eta=ETA, eps=0.1, t_span=(0.0, 1.0))
    extra = {k: kwargs.pop(k) for k in list(kwargs) if k in ("t_eval", "method")}
    args.update(kwargs)
    with pytest.raises(ValueError, match=word):
        tts.gradient_flow(**args, **extra)


def test_reduced_flow_bad_input():
    with pytest.raises(ValueError, match="tau_span"):
        tts.reduced_flow(U0, TARGET, ETA, (0.0, -1.0))
    with pytest.raises(ValueError, match="u0"):
        tts.reduced_flow([np.nan], TARGET, ETA, (0.0, 1.0))


def test_reduced_flow_stops_loudly_when_it_cannot_finish():
    with pytest.raises(RuntimeError, match="evaluations reached at tau="):
        tts.reduced_flow(U0, TARGET, ETA, (0.0, 5.0), max_evaluations=20)
    with pytest.raises(ValueError, match="max_evaluations"):
        tts.reduced_flow(U0, TARGET, ETA, (0.0, 1.0), max_evaluations=0)
