"""Table-driven bad-input suite for every public function of the core (``tts_lib`` top level), except the SGD
engine (``tts_lib.sgd``), which has its own suite.

Each parameter meets every class of bad input of its kind (see ``tests/badinput.py``): NaN, infinities,
magnitudes that would overflow, complex numbers and arrays, bools and bool arrays, numeric strings, wrong
types and shapes, widths float64 cannot resolve, out-of-range solver tolerances, resources that cannot be
granted. Every case must raise ValueError/TypeError naming the parameter the caller passed, in time.
"""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib import _validate
from tts_lib.errors import ArgumentTypeError
from tts_lib.initialisation import neurons_per_piece
from tts_lib.target import check_target

from badinput import (array_bad, cases, check_refused, flag_bad, integer_bad, scalar_bad, span_bad, target_bad,
                      time_limit)

T = tts.PiecewiseConstant([0.3, 0.6], [0.0, 1.0, -0.5])
U = np.array([0.2, 0.45, 0.7])
A = np.array([0.1, 0.5, -0.3, 0.2])
ETA = 0.05
X = np.array([0.1, 0.5, 0.9])

_arr = array_bad


def _pts(good):
    return array_bad(good, any_shape=True)


_pos = scalar_bad("positive")
_width = scalar_bad("width")
_tol = {"rtol": scalar_bad("rtol"), "atol": scalar_bad("atol")}


def _network_bad(a_name, u_name):
    return {a_name: _arr(A) + [("wrong length", A[:-1])], u_name: _arr(U) + [("empty", np.zeros(0))]}


TABLE = {
    "sigma": (tts.sigma, dict(z=X), {"z": _pts(X)}),
    "sigma_prime": (tts.sigma_prime, dict(z=X), {"z": _pts(X)}),
    "sigma_second": (tts.sigma_second, dict(z=X), {"z": _pts(X)}),
    "PiecewiseConstant": (tts.PiecewiseConstant, dict(jumps=[0.3, 0.6], values=[0.0, 1.0, -0.5]),
                          {"jumps": _arr([0.3, 0.6]) + [("outside (0, 1)", [0.3, 1.5]), ("unsorted", [0.6, 0.3])],
                           "values": _arr([0.0, 1.0, -0.5]) + [("wrong length", [0.0, 1.0])]}),
    "from_increments": (tts.PiecewiseConstant.from_increments, dict(jumps=[0.3, 0.6], increments=[0.0, 1.0, -1.5]),
                        {"increments": _arr([0.0, 1.0, -1.5])}),
    "target.__call__": (lambda x: T(x), dict(x=X), {"x": _pts(X)}),
    "target.piece": (lambda x: T.piece(x), dict(x=X), {"x": _pts(X)}),
    "target.primitive": (lambda x: T.primitive(x), dict(x=X), {"x": _pts(X)}),
    "target.primitive_sq": (lambda x: T.primitive_sq(x), dict(x=X), {"x": _pts(X)}),
    "check_target": (check_target, dict(value=T), {"value": []}),
    "predict": (tts.predict, dict(x=X, a=A, u=U, eta=ETA),
                {"x": _pts(X), **_network_bad("a", "u"), "eta": _width}),
    **{
        f.__name__: (f, dict(a=A, u=U, target=T, eta=ETA),
                     {**_network_bad("a", "u"), "target": target_bad(), "eta": _width})
        for f in (tts.loss, tts.loss_grad, tts.loss_hessian)
    },
    "gram": (tts.gram, dict(u=U, eta=ETA), {"u": _arr(U), "eta": _width}),
    **{
        f.__name__: (f, dict(u=U, target=T, eta=ETA), {"u": _arr(U), "target": target_bad(), "eta": _width})
        for f in (tts.target_features, tts.optimal_outer, tts.reduced_loss, tts.reduced_loss_grad)
    },
    **{
        f.__name__: (f, dict(u=U, target=T), {"u": _arr(U, "unit"), "target": target_bad()})
        for f in (tts.ideal_loss, tts.ideal_velocity)
    },
    "ideal_flow": (tts.ideal_flow, dict(u0=U, target=T, tau_span=(0.0, 0.05), tau_eval=[0.0, 0.05], rtol=1e-8, atol=1e-12),
                   {"u0": _arr(U, "unit"), "target": target_bad(), "tau_span": span_bad(),
                    "tau_eval": _arr([0.0, 0.05], optional=True) + [("outside the span", [0.0, 0.5]), ("unsorted", [0.05, 0.0])],
                    **_tol}),
    "gradient_flow": (tts.gradient_flow,
                      dict(a0=A, u0=U, target=T, eta=ETA, eps=0.1, t_span=(0.0, 0.5), t_eval=[0.0, 0.5], method="Radau",
                           rtol=1e-6, atol=1e-9, jacobian=True, max_evaluations=10_000),
                      {**_network_bad("a0", "u0"), "target": target_bad(), "eta": _width, "eps": _pos,
                       "t_span": span_bad(), "t_eval": _arr([0.0, 0.5], optional=True) + [("outside the span", [0.0, 5.0])],
                       "method": [("unknown", "Euler"), ("not a string", 3), ("None", None)], **_tol,
                       "jacobian": flag_bad(), "max_evaluations": integer_bad("count_pos") + [("huge", 10**12)]}),
    "reduced_flow": (tts.reduced_flow,
                     dict(u0=U, target=T, eta=ETA, tau_span=(0.0, 0.05), tau_eval=[0.0, 0.05], method="LSODA",
                          rtol=1e-6, atol=1e-9, max_evaluations=10_000),
                     {"u0": _arr(U), "target": target_bad(), "eta": _width, "tau_span": span_bad(),
                      "tau_eval": _arr([0.0, 0.05], optional=True), "method": [("unknown", "Euler"), ("not a string", 3)], **_tol,
                      "max_evaluations": integer_bad("count_pos")}),
    "two_per_piece": (tts.two_per_piece, dict(u=U, target=T), {"u": _arr(U), "target": target_bad()}),
    "neurons_per_piece": (neurons_per_piece, dict(u=U, target=T), {"u": _arr(U), "target": target_bad()}),
    "sample_positions": (tts.sample_positions,
                         dict(m=6, rng_or_seed=0, target=T, require_two_per_piece=True, max_tries=100),
                         {"m": integer_bad("count_pos") + [("needs 8 TiB", 10**12)],
                          "rng_or_seed": integer_bad() + [("generator class", np.random.Generator)],
                          "target": target_bad()[:1] + target_bad()[2:],
                          "require_two_per_piece": flag_bad(),
                          "max_tries": integer_bad("count_pos") + [("would run for hours", 10**12)]}),
}

CASES = cases(TABLE)


@pytest.mark.parametrize("func, valid, name, value", CASES)
def test_bad_input_is_refused_naming_the_parameter(func, valid, name, value):
    check_refused(func, {**valid, name: value}, name)


@pytest.mark.parametrize("label", list(TABLE))
def test_valid_call_of_the_table_is_accepted(label):
    """The base call of every row works, so each refusal above is due to the one bad argument."""
    func, valid, _ = TABLE[label]
    # a hang guard, not a timing test: the first valid call may compile numba kernels from a cold cache
    # (5-10 s on an idle 2-core machine, over a minute on a loaded one), so the guard allows 300 s
    with time_limit(300):
        func(**valid)


def test_the_suite_is_large():
    assert len(CASES) > 700


# --- answers beyond the table ---------------------------------------------------------------------------------


def test_type_errors_are_both_type_and_value_errors():
    with pytest.raises(TypeError, match="eta"):
        tts.loss(A, U, T, "0.05")
    with pytest.raises(ValueError, match="eta"):
        tts.loss(A, U, T, "0.05")
    with pytest.raises(ArgumentTypeError, match="u must be an array of real numbers, got an array of complex"):
        tts.reduced_loss(U + 0j, T, ETA)


def test_flow_start_is_named_as_passed():
    msg = r"^a0 and u0 must have matching lengths, len\(a0\) = len\(u0\) \+ 1 \(a0\[0\] is the bias\): got "
    with pytest.raises(ValueError, match=msg + r"len\(a0\) = 3 and len\(u0\) = 3"):
        tts.gradient_flow(A[:-1], U, T, ETA, 0.1, (0, 1))
    with pytest.raises(ValueError, match=msg + r"len\(a0\) = 4 and len\(u0\) = 2"):  # either may be wrong: both named
        tts.gradient_flow(A, U[:-1], T, ETA, 0.1, (0, 1))
    with pytest.raises(ValueError, match="^u0 must contain only finite"):
        tts.gradient_flow(A, [0.2, np.nan, 0.7], T, ETA, 0.1, (0, 1))


def test_solver_tolerances_nan_no_longer_hang_or_lie():
    """ideal_flow(rtol=nan) looped forever inside scipy; reduced_flow(rtol=nan) returned a wrong answer."""
    for func, args in ((tts.ideal_flow, (U, T, (0.0, 1.0))), (tts.reduced_flow, (U, T, ETA, (0.0, 0.1)))):
        with time_limit(10), pytest.raises(ValueError, match="^rtol must be finite"):
            func(*args, rtol=float("nan"))
        with time_limit(10), pytest.raises(ValueError, match="^atol must be positive"):
            func(*args, atol=0.0)


def test_width_range_is_the_documented_one():
    assert _validate.ETA_MIN == pytest.approx(1.49e-8, rel=1e-2) and _validate.ETA_MAX == pytest.approx(6.71e7, rel=1e-2)
    assert tts.loss(A, U, T, _validate.ETA_MIN) > 0 and tts.loss(A, U, T, _validate.ETA_MAX) > 0
    for eta in (_validate.ETA_MIN / 2, _validate.ETA_MAX * 2):
        with pytest.raises(ValueError, match="^eta must lie in the supported range"):
            tts.loss_grad(A, U, T, eta)


def test_gradient_is_accurate_at_the_smallest_width():
    """One neuron (bias 0, weight 1) at u = v + c eta on a unit step at v: in z = (x - v)/eta the residual is
    sigma(z - c) - 1[z >= 0] and the position gradient -1/eta int r sigma'((x - u)/eta) dx does not depend on
    eta at all. At eta = ETA_MIN it must agree with eta = 0.01 to the relative accuracy that width() documents
    (24 sqrt(eps) ~ 4e-7); at c = 0 it vanishes (odd residual, even sigma')."""
    eta = _validate.ETA_MIN
    f = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    assert abs(tts.loss_grad([0.0, 1.0], [0.5], f, eta)[1][0]) < 1e-6
    g = tts.loss_grad([0.0, 1.0], [0.5 + eta / 4], f, eta)[1][0]
    g_ref = tts.loss_grad([0.0, 1.0], [0.5 + 0.01 / 4], f, 0.01)[1][0]
    assert abs(g_ref) > 0.05
    assert g == pytest.approx(g_ref, rel=1e-6)


def test_magnitudes_that_would_overflow_are_refused_and_the_largest_accepted_stay_finite():
    big = _validate.MAX_ABS
    with pytest.raises(ValueError, match="^values must have entries of magnitude <= 1e"):
        tts.PiecewiseConstant([0.5], [0.0, 1e155])
    with pytest.raises(ValueError, match="^a must have entries of magnitude"):
        tts.loss([0.0, 1e200], [0.5], T, ETA)
    f = tts.PiecewiseConstant([0.5], [-big, big])
    a = np.full(U.shape[0] + 1, big)
    for out in (tts.loss(a, U, f, _validate.ETA_MIN), *tts.loss_grad(a, U, f, _validate.ETA_MIN),
                tts.loss_hessian(a, U, f, _validate.ETA_MIN), tts.reduced_loss_grad(U, f, ETA)):
        assert np.all(np.isfinite(out))


def test_resources_are_checked_before_starting():
    with time_limit(5), pytest.raises(ValueError, match=r"^m is too large: one draw of m = 1000000000000 positions would need"):
        tts.sample_positions(10**12, 0)
    with time_limit(5), pytest.raises(ValueError, match=r"^u has 20000 neurons; exact computations are limited to 10000"):
        tts.reduced_loss(np.linspace(0, 1, 20_000), T, ETA)
    with time_limit(5), pytest.raises(ValueError, match=r"^u is too large: the exact Hessian for m = 5000"):
        tts.loss_hessian(np.zeros(5001), np.linspace(0, 1, 5000), T, ETA)


def test_a_flow_that_cannot_finish_stops_loudly():
    with time_limit(60), pytest.raises(RuntimeError, match="gradient_flow: 50 evaluations reached at t="):
        tts.gradient_flow(A, U, T, ETA, 0.1, (0.0, 100.0), max_evaluations=50)


def test_accepted_equivalents():
    """Integer arrays, lists, float32 arrays, numpy scalars and ints are real numbers: accepted."""
    ref = tts.loss(A, U, T, ETA)
    assert tts.loss(list(A), tuple(U), T, np.float64(ETA)) == ref
    assert tts.loss(A.astype(np.float32), U, T, ETA) == tts.loss(A.astype(np.float32).astype(float), U, T, ETA)
    assert tts.loss(np.zeros(4, dtype=int), U, T, ETA) == tts.loss(np.zeros(4), U, T, ETA)
    assert tts.gram([0.5], 1).shape == (2, 2)


def test_trajectories_that_would_not_fit_in_memory_are_refused_up_front():
    u = np.linspace(0.05, 0.95, 5000)
    times = np.linspace(0.0, 1.0, 30_000)  # 30 000 x 5000 positions = 1.2 GB per copy
    with time_limit(10), pytest.raises(ValueError, match=r"^tau_eval is too large: the trajectory at 30000 times"):
        tts.ideal_flow(u, T, (0.0, 1.0), tau_eval=times)
    with time_limit(10), pytest.raises(ValueError, match=r"^tau_eval is too large"):
        tts.reduced_flow(u, T, ETA, (0.0, 1.0), tau_eval=times)
    with time_limit(10), pytest.raises(ValueError, match=r"^t_eval is too large"):
        tts.gradient_flow(np.zeros(5001), u, T, ETA, 0.1, (0.0, 1.0), t_eval=times, method="RK45")
