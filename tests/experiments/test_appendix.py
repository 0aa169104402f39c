"""Tests of the appendix models (tts_lib.appendix)."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tts_lib.experiments.appendix import (
    additive_objective_grad,
    additive_predict,
    additive_target,
    relu_objective_grad,
    relu_predict,
    relu_teacher,
    train_additive,
    train_relu,
)


def _additive_problem(seed, d, n, p=10, eta=0.01, spread=0.05):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, d))
    y = additive_target(X)
    a = rng.normal(size=d * p + 1)
    u = rng.uniform(-spread, 1 + spread, size=d * p)
    return a, u, X, y


def test_additive_target_values():
    X = np.array([[0.0, 0.0], [0.31, 0.0], [0.6, 0.71], [1.0, 1.0], [0.3, 0.5]])
    np.testing.assert_array_equal(additive_target(X), [0, 1, 5, 6, 1])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), d=st.integers(1, 4), n=st.integers(5, 400), eta=st.floats(0.005, 0.2))
def test_sorted_matches_dense(seed, d, n, eta):
    a, u, X, y = _additive_problem(seed, d, n, eta=eta)
    J1, ga1, gu1 = additive_objective_grad(a, u, X, y, 10, eta, dense=True)
    J2, ga2, gu2 = additive_objective_grad(a, u, X, y, 10, eta)
    assert J2 == pytest.approx(J1, rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(ga2, ga1, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gu2, gu1, rtol=1e-9, atol=1e-12)
    # the objective is ||pred - y|| / n with the documented prediction
    pred = additive_predict(X, a, u, 10, eta)
    assert J1 == pytest.approx(np.linalg.norm(pred - y) / n, rel=1e-12)


def _fd(fun, theta, h):
    g = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (fun(theta + e) - fun(theta - e)) / (2 * h)
    return g


@pytest.mark.parametrize("dense", [False, True])
def test_additive_gradient_matches_finite_differences(dense):
    """Central differences with step 1e-6 (error O(h^2 J''') ~ 1e-9 relative to eta-scale curvature)."""
    eta, p, d = 0.05, 3, 2
    a, u, X, y = _additive_problem(3, d, 300, p=p, eta=eta)
    _, ga, gu = additive_objective_grad(a, u, X, y, p, eta, dense=dense)
    fa = _fd(lambda t: additive_objective_grad(t, u, X, y, p, eta, dense=dense)[0], a, 1e-6)
    fu = _fd(lambda t: additive_objective_grad(a, t, X, y, p, eta, dense=dense)[0], u, 1e-6)
    np.testing.assert_allclose(ga, fa, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(gu, fu, rtol=1e-5, atol=1e-8)


def test_relu_gradient_matches_finite_differences():
    rng = np.random.default_rng(4)
    x = rng.uniform(size=200)
    y = relu_teacher(x)
    a, u = rng.normal(size=6), rng.uniform(size=5)
    J, ga, gu = relu_objective_grad(a, u, x, y)
    assert J == pytest.approx(np.linalg.norm(relu_predict(x, a, u) - y) / x.size)
    np.testing.assert_allclose(ga, _fd(lambda t: relu_objective_grad(t, u, x, y)[0], a, 1e-7), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(gu, _fd(lambda t: relu_objective_grad(a, t, x, y)[0], u, 1e-7), rtol=1e-5, atol=1e-9)


def test_relu_teacher_values():
    np.testing.assert_allclose(relu_teacher([0.2, 0.4, 0.6, 1.0]), [0.0, 0.1, 0.3 - 0.2, 0.7 - 1.0 + 0.9])


def test_gd_decreases_objective_and_is_deterministic():
    r1 = train_additive(2, n_samples=500, lr_a=1.0, lr_u=0.01, epochs=300, seed=1)
    r2 = train_additive(2, n_samples=500, lr_a=1.0, lr_u=0.01, epochs=300, seed=1)
    assert np.array_equal(r1.u, r2.u) and r1.final_error == r2.final_error
    assert r1.error_history.shape == (301,) and r1.final_error < 0.5 * r1.error_history[0]
    assert np.all((r1.a0[1:] >= 0) & (r1.a0[1:] <= 3)) and r1.a0[0] == 0.0
    r3 = train_relu(lr_a=1.0, lr_u=0.01, epochs=300, seed=1)
    assert r3.final_error < r3.error_history[0]


def test_two_timescale_run_is_fast_for_d2():
    train_additive(2, n_samples=1000, lr_a=1.0, lr_u=0.01, epochs=10, seed=0)  # warm-up
    t = time.perf_counter()
    train_additive(2, n_samples=1000, lr_a=1.0, lr_u=0.01, epochs=5000, seed=0)
    assert time.perf_counter() - t < 3.0  # ~0.3 s on the project machine; generous for loaded CI


@pytest.mark.parametrize(
    "kw, name",
    [
        (dict(d=0), "d"),
        (dict(n_samples=0), "n_samples"),
        (dict(lr_a=0.0), "lr_a"),
        (dict(lr_u=-1.0), "lr_u"),
        (dict(epochs=-1), "epochs"),
        (dict(seed=-1), "seed"),
        (dict(eta=0.0), "eta"),
        (dict(p=0), "p"),
    ],
)
def test_train_additive_bad_input(kw, name):
    args = dict(d=2, n_samples=10, lr_a=1.0, lr_u=0.01, epochs=1, seed=0) | kw
    with pytest.raises(ValueError, match=name):
        train_additive(args.pop("d"), **args)


def test_objective_bad_input():
    a, u, X, y = _additive_problem(0, 2, 20)
    with pytest.raises(ValueError, match="p"):
        additive_objective_grad(a, u, X, y, 3, 0.01)
    with pytest.raises(ValueError, match="X"):
        additive_objective_grad(a, u, X[:, :1], y, 10, 0.01)
    with pytest.raises(ValueError, match="y"):
        additive_objective_grad(a, u, X, y[:-1], 10, 0.01)
    with pytest.raises(ValueError, match="a"):
        additive_objective_grad(a[:-1], u, X, y, 10, 0.01)


def test_standard_step_grid_pairs_one_two_timescale_run_per_seed():
    from tts_lib.experiments import paper

    g = paper.standard_step_grid("relu", lrs=[1.0, 0.1], epochs=20, repeats=2)
    assert g.error.shape == g.found.shape == (2, 2) and g.tt_error.shape == (2,)
    assert np.all(np.isfinite(g.error)) and np.all((0 <= g.found) & (g.found <= 1))
    assert g.best in (0, 1) and g.epochs == 20
    with pytest.raises(ValueError, match="repeats"):
        paper.standard_step_grid("relu", repeats=0)
    with pytest.raises(ValueError, match="name"):
        paper.standard_step_grid("eps-sweep")


def test_stored_appendix_studies_load_as_results():
    from tts_lib.experiments import paper

    g = paper.load_standard_step_grid("additive-2d")
    assert g.error.shape == (g.lr.size, g.seeds.size) and g.epochs == 5000 and 0 <= g.best < g.lr.size
    assert np.allclose(g.lr, paper.HALF_DECADE_STEPS)
    with pytest.raises(ValueError, match="name"):
        paper.load_standard_step_grid("additive-10d")
    a = paper.load_appendix_10d()
    assert a.errors("standard").shape == a.errors("two_timescale").shape == a.seeds.shape
    with pytest.raises(ValueError, match="regime"):
        a.errors("equal")


def test_train_additive_float32_parameters_float64_criterion():
    # the authors' precision: float32 parameters, the objective against float64 labels; close to double for a
    # short, smooth run (two-timescale steps), and refused on the compiled path
    from tts_lib.experiments.appendix import train_additive

    kw = dict(n_samples=200, lr_a=1.0, lr_u=0.01, epochs=50, seed=3, dense=True)
    r32 = train_additive(2, dtype=np.float32, **kw)
    r64 = train_additive(2, **kw)
    assert r32.u.dtype == np.float32 and r32.a.dtype == np.float32 and r32.error_history.dtype == np.float64
    assert abs(r32.final_error / r64.final_error - 1) < 1e-3       # single-precision rounding over 50 smooth steps
    assert r32.final_error != r64.final_error
    with pytest.raises(ValueError, match="dense=True"):
        train_additive(2, n_samples=10, lr_a=1.0, lr_u=0.01, epochs=1, seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match="dtype"):
        train_additive(2, n_samples=10, lr_a=1.0, lr_u=0.01, epochs=1, seed=0, dense=True, dtype=np.float16)
