"""Tests of the reproductions run as the authors ran them (issue 13): their start ``np.random.seed(42)``,
the ε sweep's unconditioned starts, the appendix models without bias, the authors' error quantity."""

import dataclasses
import json

import numpy as np
import pytest

from tts_lib import experiments
from tts_lib.experiments import CONFIGS, QUICK_CONFIGS, authors_start, run
from tts_lib.experiments.appendix import train_additive, train_relu
from tts_lib.initialisation import two_per_piece
from tts_lib.model import loss


def test_authors_start_is_numpy_seed_42_sorted():
    state = np.random.get_state()
    u = authors_start()
    # the global state is untouched
    assert all(np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y
               for x, y in zip(state, np.random.get_state()))
    # an independent transcription of the authors' main.py / experiment.run
    np.random.seed(42)
    theirs = np.sort(np.random.rand(20))
    np.random.set_state(state)
    np.testing.assert_array_equal(u, theirs)
    assert u[0] == pytest.approx(0.0205844943) and u[-1] == pytest.approx(0.9699098522)
    assert not np.array_equal(authors_start(20, 43), u)
    with pytest.raises(ValueError, match="numpy_seed"):
        authors_start(20, -1)
    with pytest.raises(ValueError, match="m"):
        authors_start(0)


def test_authors_seed_configs():
    cfg = CONFIGS["authors-seed-42"]
    assert cfg.numpy_seed == 42
    tt, eq = cfg.two_timescale, cfg.equal_stepsizes
    assert tt.derivative == eq.derivative == "ramp"
    assert (tt.eps, tt.steps, tt.lr, eq.eps, eq.steps, eq.repeats) == (2e-5, 175_000_000, 2e-5, 1.0, 1_000_000, 10)
    assert QUICK_CONFIGS["authors-seed-42"].two_timescale.tau == pytest.approx(tt.tau)


def test_authors_seed_quick_runs_from_their_start_and_check_can_fail():
    res = run("authors-seed-42", quick=True, seed=0)
    u0 = authors_start()
    np.testing.assert_array_equal(res.u0, u0)
    for r in (res.two_timescale, res.equal_stepsizes):
        assert all(np.array_equal(row, u0) for row in r.u0)
        assert r.config.derivative == "ramp"
    np.testing.assert_allclose(res.two_timescale.ideal.u[0], u0)
    # different noise streams from the same start end in different places
    assert not np.array_equal(res.equal_stepsizes.runs[0].u, res.equal_stepsizes.runs[1].u)
    msgs = res.check()
    assert any(m.startswith("two timescales") for m in msgs) and any(m.startswith("equal stepsizes") for m in msgs)
    s = res.summary()
    json.dumps(s)
    assert s["numpy_seed"] == 42 and s["neurons_per_piece"] == [6, 3, 2, 3, 2, 4]
    assert s["two_timescale"]["parameters"]["derivative"] == "ramp"
    # an equal-stepsize result whose runs all cover every jump must fail the check
    for r in res.equal_stepsizes.runs:
        r.u[:5] = res.two_timescale.target.jumps
    with pytest.raises(AssertionError):
        res.check()
    with pytest.raises(ValueError, match="cfg"):
        experiments.run_authors_seed(CONFIGS["relu"])


def test_ramp_derivative_is_used():
    cfg = dataclasses.replace(QUICK_CONFIGS["authors-seed-42"].equal_stepsizes, repeats=1, t_max=0.5)
    ramp = experiments.paper._run_sgd_experiment(cfg, 0, False, start=authors_start())
    exact = experiments.paper._run_sgd_experiment(dataclasses.replace(cfg, derivative="exact"), 0, False,
                                                  start=authors_start())
    assert not np.array_equal(ramp.main.u, exact.main.u)
    assert ramp.summary()["parameters"]["derivative"] == "ramp"


@pytest.fixture(scope="module")
def quick_sweep():
    return run("eps-sweep", quick=True, seed=0)


def test_eps_sweep_draws_fresh_unconditioned_starts(quick_sweep):
    cfg = quick_sweep.config
    assert cfg.conditioned is False
    runs = quick_sweep.runs
    assert len(runs) == len(cfg.eps_values) * cfg.repeats
    assert {tuple(sorted(r)) for r in runs} == {("eps", "repeat", "seed", "two_per_piece", "u0")}
    # one generator seeded once: the starts are its successive sorted draws, all different
    rng = np.random.default_rng(0)
    for r in runs:
        np.testing.assert_array_equal(r["u0"], np.sort(rng.uniform(0.0, 1.0, size=cfg.m)))
    assert len({tuple(r["u0"]) for r in runs}) == len(runs)
    assert len({r["seed"] for r in runs}) == len(runs)
    # not conditioned: the flag is recorded honestly and some starts miss the condition
    target = quick_sweep.target
    assert all(r["two_per_piece"] == two_per_piece(np.array(r["u0"]), target) for r in runs)
    assert not all(r["two_per_piece"] for r in runs)
    s = quick_sweep.summary()
    json.dumps(s)
    assert s["runs"] == runs and "authors' way" in s["starts"]
    for e in cfg.eps_values:
        assert s["starts_with_two_per_piece"][str(e)] == sum(r["two_per_piece"] for r in runs if r["eps"] == e)
        assert s["runs_with_uncovered_jump_among_two_per_piece"][str(e)] <= s["runs_with_uncovered_jump"][str(e)]


def test_eps_sweep_authors_error_is_twice_the_loss(quick_sweep):
    for e, err in quick_sweep.errors.items():
        np.testing.assert_allclose(quick_sweep.authors_errors()[e], err**2, rtol=1e-12)
    # and it is the integral of (f - f*)^2: 2 L from the exact loss, on one run
    from tts_lib.sgd import sgd

    r0 = quick_sweep.runs[0]
    cfg = quick_sweep.config
    res = sgd(np.zeros(cfg.m + 1), np.array(r0["u0"]), quick_sweep.target, eta=cfg.eta, lr=cfg.lr, eps=r0["eps"],
              steps=cfg.steps(r0["eps"]), seed=r0["seed"])
    assert quick_sweep.authors_errors()[r0["eps"]][0] == pytest.approx(2 * loss(res.a, res.u, quick_sweep.target,
                                                                                cfg.eta), rel=1e-9)


def test_eps_sweep_check_can_fail(quick_sweep):
    res = dataclasses.replace(quick_sweep, errors=dict(quick_sweep.errors))
    res.check()
    res.errors[0.1] = res.errors[1.0] * 2
    with pytest.raises(AssertionError):
        res.check()


def test_conditioned_sweep_reuses_conditioned_starts():
    cfg = dataclasses.replace(QUICK_CONFIGS["eps-sweep"], conditioned=True, repeats=3, t_max=0.3)
    res = experiments.run_eps_sweep(cfg, seed=5)
    runs = res.runs
    assert all(r["two_per_piece"] for r in runs)
    by_eps = {e: [tuple(r["u0"]) for r in runs if r["eps"] == e] for e in cfg.eps_values}
    assert by_eps[1.0] == by_eps[0.1]
    assert [r["seed"] for r in runs if r["eps"] == 1.0] == [5, 6, 7]
    assert "book's variant" in res.summary()["starts"]
    with pytest.raises(ValueError, match="cfg"):
        experiments.run_eps_sweep(CONFIGS["relu"])


def test_appendix_models_have_no_bias_by_default():
    for train, kw in ((train_relu, {}), (lambda **k: train_additive(2, n_samples=300, **k), {})):
        plain = train(lr_a=1.0, lr_u=0.01, epochs=50, seed=3, **kw)
        biased = train(lr_a=1.0, lr_u=0.01, epochs=50, seed=3, bias=True, **kw)
        assert plain.bias is False and plain.a[0] == 0.0 and plain.a0[0] == 0.0
        assert biased.bias is True and biased.a[0] != 0.0
        np.testing.assert_array_equal(plain.a0, biased.a0)          # same draws either way
    assert CONFIGS["relu"].bias is False and CONFIGS["additive-2d"].bias is False
    with pytest.raises(TypeError, match="bias"):
        train_relu(lr_a=1.0, lr_u=0.01, epochs=1, seed=0, bias="no")


def test_additive_dense_descent_is_the_same_algorithm():
    # few epochs in the two-timescale regime: the two roundings agree closely (they drift apart only over
    # many steps of the chaotic standard regime). Tolerance: 30 full-batch steps that barely amplify rounding
    # (measured: a 1-ulp change of every position grows 3-fold over the 30 steps), each gradient a sum over 400
    # samples in another order (<= 400 u relative): the gap is <= 30 x 3 x 400 u ~ 4e-12 relative, far below the
    # rtol 1e-9 / atol 1e-10 used (measured: 1e-15 relative, 2e-18 in u)
    kw = dict(n_samples=400, lr_a=1.0, lr_u=0.01, epochs=30, seed=2)
    fast, dense = train_additive(2, **kw), train_additive(2, dense=True, **kw)
    np.testing.assert_allclose(dense.error_history, fast.error_history, rtol=1e-9)
    np.testing.assert_allclose(dense.u, fast.u, atol=1e-10)
    with pytest.raises(TypeError, match="dense"):
        train_additive(2, dense=1, **kw)


def test_relu_float32():
    r32 = train_relu(lr_a=1.0, lr_u=0.01, epochs=100, seed=1, dtype=np.float32)
    r64 = train_relu(lr_a=1.0, lr_u=0.01, epochs=100, seed=1)
    # single precision: relative differences of order 1e-7 per operation, not zero and not large
    assert r32.final_error != r64.final_error
    assert r32.final_error == pytest.approx(r64.final_error, rel=1e-3)
    with pytest.raises(ValueError, match="dtype"):
        train_relu(lr_a=1.0, lr_u=0.01, epochs=1, seed=0, dtype=np.int32)
