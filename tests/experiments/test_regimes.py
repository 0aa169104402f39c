"""Tests of tts_lib.regimes (lazy random-feature floor, equal stepsizes with many neurons)."""

import json

import numpy as np
import pytest

import tts_lib as tts
from tts_lib.experiments import regimes, stored
from tts_lib.initialisation import sample_positions


def test_lazy_floor_is_the_reduced_loss_at_init(paper_target):
    res = regimes.lazy_floor(paper_target, [10, 30], [3, 2], eta=4e-3)
    assert res.loss.shape == (2, 3)
    assert np.isnan(res.loss[1, 2])
    for k, m in enumerate([10, 30]):
        for j in range(2):
            u = sample_positions(m, j)
            assert res.loss[k, j] == pytest.approx(tts.reduced_loss(u, paper_target, 4e-3), rel=1e-12)
    ideal = regimes.lazy_floor(paper_target, [10], 2)
    assert ideal.eta is None
    assert ideal.loss[0, 0] == pytest.approx(tts.ideal_loss(sample_positions(10, 0), paper_target))


def test_lazy_floor_asymptote(paper_target):
    # m E l0(u0) -> sum(Delta^2) / 6 = 56 / 6
    res = regimes.lazy_floor(paper_target, [3000], 400)
    assert res.mean[0] * 3000 == pytest.approx(56 / 6, rel=0.06)
    assert regimes.lazy_asymptote(paper_target, 3000) == pytest.approx(56 / 18000)
    assert regimes.lazy_neurons_needed(paper_target, 56 / 18000) == pytest.approx(3000)


def test_lazy_floor_decreases_with_m(paper_target):
    res = regimes.lazy_floor(paper_target, [10, 40, 160], 50)
    assert np.all(np.diff(res.mean) < 0)


@pytest.mark.parametrize("kw,name", [(dict(m_values=[0]), "m_values"), (dict(n_seeds=0), "n_seeds"),
                                     (dict(eta=-1.0), "eta")])
def test_lazy_floor_bad_arguments(paper_target, kw, name):
    base = dict(m_values=[5], n_seeds=1)
    base.update(kw)
    with pytest.raises(ValueError, match=name):
        regimes.lazy_floor(paper_target, **base)


def test_lazy_helpers_bad_arguments(paper_target):
    with pytest.raises(ValueError, match="m"):
        regimes.lazy_asymptote(paper_target, 0)
    with pytest.raises(ValueError, match="loss_level"):
        regimes.lazy_neurons_needed(paper_target, 0.0)


def test_equal_stepsize_sweep(paper_target):
    kw = dict(eta=4e-3, lr=2e-4, t_end=2.0)  # threaded: the engine is bitwise deterministic
    res = regimes.equal_stepsize_sweep(paper_target, [6, 12], [0, 1], **kw)
    assert res.final_loss.shape == res.gap.shape == (2, 2)
    assert res.steps == 10_000
    assert np.all(res.final_loss > 0) and np.all(res.gap >= 0)
    again = regimes.equal_stepsize_sweep(paper_target, [6, 12], [0, 1], **kw)
    np.testing.assert_array_equal(res.final_loss, again.final_loss)
    single = regimes.equal_stepsize_sweep(paper_target, [6, 12], [0, 1], workers=1, **kw)
    np.testing.assert_array_equal(res.final_loss, single.final_loss)
    with pytest.raises(ValueError, match="t_end"):
        regimes.equal_stepsize_sweep(paper_target, [6], [0], eta=4e-3, lr=1e-3, t_end=0.0)
    with pytest.raises(ValueError, match="eps"):
        regimes.equal_stepsize_sweep(paper_target, [6], [0], eta=4e-3, lr=1e-3, t_end=1.0, eps=0.0)


def test_equal_stepsize_sweep_records_the_start_and_coverage(paper_target):
    from tts_lib.experiments.phase import max_jump_gap, wilson_interval

    res = regimes.equal_stepsize_sweep(paper_target, [6, 40], [0, 1, 2], eta=4e-3, lr=2e-4, t_end=1.0)
    assert res.eta == 4e-3 and res.initial_gap.shape == (2, 3)
    for k, m in enumerate([6, 40]):
        u0 = np.array([sample_positions(m, s) for s in range(3)])
        np.testing.assert_array_equal(res.initial_gap[k], max_jump_gap(u0, paper_target))
    # coverage: default radius 2 eta, at the end and at the start, with its Wilson interval
    np.testing.assert_array_equal(res.covered(), res.gap <= 8e-3)
    np.testing.assert_array_equal(res.covered(at_start=True), res.initial_gap <= 8e-3)
    np.testing.assert_array_equal(res.covered(1.0), np.ones((2, 3), dtype=bool))
    k, p, lo, hi = res.coverage(at_start=True)
    np.testing.assert_array_equal(k, (res.initial_gap <= 8e-3).sum(axis=1))
    np.testing.assert_allclose(p, k / 3)
    np.testing.assert_allclose(np.c_[lo, hi], np.c_[wilson_interval(k, 3)])
    np.testing.assert_array_equal(res.median_loss(), np.median(res.final_loss, axis=1))
    assert "m =    40" in res.summary(4e-3) and "L_ref" in res.summary(4e-3)
    # JSON round trip
    back = regimes.EqualStepsizeSweep.from_dict(json.loads(json.dumps(res.to_dict())))
    back.check()
    for name in ("m", "seeds", "final_loss", "gap", "initial_gap"):
        np.testing.assert_array_equal(getattr(back, name), getattr(res, name))
    assert (back.eps, back.lr, back.steps, back.eta) == (res.eps, res.lr, res.steps, res.eta)
    # check() catches a bad shape or a negative gap; coverage needs eta or tol, and the start when asked
    back.gap = back.gap[:, :2]
    with pytest.raises(AssertionError, match="gap"):
        back.check()
    res.initial_gap[0, 0] = -1.0
    with pytest.raises(AssertionError, match="initial_gap"):
        res.check()
    bare = regimes.EqualStepsizeSweep(res.m, res.seeds, res.final_loss, res.gap, 1.0, 2e-4, 5000, 0.0)
    with pytest.raises(ValueError, match="eta"):
        bare.covered()
    assert bare.covered(8e-3).shape == (2, 3)
    with pytest.raises(ValueError, match="initial"):
        bare.covered(8e-3, at_start=True)
    with pytest.raises(ValueError, match="tol"):
        res.covered(0.0)


def test_initial_coverage_probability_closed_form_and_monte_carlo(paper_target):
    from math import comb

    r = 8e-3                                 # disjoint windows of length 2r: sum_k (-1)^k C(5, k) (1 - 2kr)^m
    m = np.array([0, 1, 5, 20, 160, 640])
    closed = sum((-1) ** k * comb(5, k) * (1 - 2 * k * r) ** m.astype(float) for k in range(6))
    np.testing.assert_allclose(regimes.initial_coverage_probability(paper_target, m, r), np.clip(closed, 0, 1),
                               atol=1e-12)
    assert regimes.initial_coverage_probability(paper_target, 4, r) == pytest.approx(0.0, abs=1e-12)  # 4 < 5 jumps
    p = regimes.initial_coverage_probability(paper_target, [160, 320], r)
    assert p.shape == (2,) and p[0] < p[1] < 1
    # overlapping windows and windows cut by [0, 1]: against Monte Carlo
    f = tts.PiecewiseConstant([0.02, 0.1, 0.14, 0.9], [0.0, 1.0, 0.0, 2.0, 1.0])
    rng = np.random.default_rng(0)
    for m, rad in [(30, 0.03), (60, 0.02)]:
        u = rng.uniform(size=(40000, m))
        hit = np.all(np.min(np.abs(u[:, :, None] - f.jumps), axis=1) <= rad, axis=1)
        exact = regimes.initial_coverage_probability(f, m, rad)
        assert abs(hit.mean() - exact) < 4 * np.sqrt(exact * (1 - exact) / hit.size) + 1e-3, (m, rad, hit.mean(), exact)
    with pytest.raises(ValueError, match="radius"):
        regimes.initial_coverage_probability(paper_target, 20, 0.0)
    with pytest.raises(ValueError, match="m"):
        regimes.initial_coverage_probability(paper_target, 2.5, r)
    with pytest.raises(ValueError, match="16 jumps"):
        regimes.initial_coverage_probability(tts.PiecewiseConstant(np.linspace(0.05, 0.95, 17), np.arange(18.0)),
                                             20, r)


def test_load_equal_stepsize_sweep(paper_target, tmp_path):
    sweep = regimes.load_equal_stepsize_sweep()             # the file shipped with the package
    assert sweep.m.tolist() == [20, 40, 80, 160, 320, 640, 1250, 2500, 5000, 10000]
    assert sweep.seeds.size >= 16 and sweep.eps == 1.0 and sweep.eta == 4e-3 and sweep.steps == 1_000_000
    assert sweep.initial_gap is not None
    # the recorded starts are those of sample_positions (cheap to recompute at the small widths)
    from tts_lib.experiments.phase import max_jump_gap
    u0 = np.array([sample_positions(20, int(s)) for s in sweep.seeds])
    np.testing.assert_array_equal(sweep.initial_gap[0], max_jump_gap(u0, paper_target))
    with pytest.raises(FileNotFoundError, match="equal_stepsize_widths.py"):
        regimes.load_equal_stepsize_sweep(path=tmp_path / "missing.json")
    for part in regimes.EQUAL_STEPSIZE_PARTS:               # every part the chapter loads is there and checks
        other = regimes.load_equal_stepsize_sweep(part)
        assert other.initial_gap.shape == other.final_loss.shape
    stored.write(tmp_path / "one.json", {"widths": sweep.to_dict()})  # as the benchmark writes it: with a checksum
    assert regimes.load_equal_stepsize_sweep(path=tmp_path / "one.json").m.size == sweep.m.size
    with pytest.raises(FileNotFoundError, match="--parts threshold"):
        regimes.load_equal_stepsize_sweep("threshold", tmp_path / "one.json")
    with pytest.raises(ValueError, match="part"):
        regimes.load_equal_stepsize_sweep("nope")


def test_step_grid_small(paper_target):
    from tts_lib.experiments.regimes import step_grid
    from tts_lib.initialisation import sample_positions

    g = step_grid(paper_target, [0.1, 1.0], [2e-5, 2e-4], [0, 1], tau_end=0.05, t_min=0.3, flow_seeds=1,
                  flow_t_long=0.6)
    np.testing.assert_allclose(g.lr, [[2e-4, 2e-3], [2e-5, 2e-4]])
    # steps: max(tau_end / eps, t_min) / h
    np.testing.assert_array_equal(g.steps, [[2500, 250], [15000, 1500]])
    assert g.error.shape == g.refit_error.shape == g.gap.shape == (2, 2, 2)
    assert np.all(g.refit_error <= g.error * (1 + 1e-9))          # refitted outer weights never do worse
    # the flow column is the noise-free gradient flow from the first start
    u0 = np.asarray(sample_positions(20, 0, paper_target, require_two_per_piece=True))
    fl = tts.gradient_flow(np.zeros(21), u0, paper_target, 4e-3, 1.0, (0.0, 0.6), t_eval=[0.0, 0.3, 0.6])
    assert g.flow_error[1, 0] == pytest.approx(np.sqrt(2 * fl.loss[1]), rel=1e-6)
    assert g.flow_error_long[1, 0] == pytest.approx(np.sqrt(2 * fl.loss[2]), rel=1e-6)
    assert g.uncovered().shape == (2, 2) and "eps h" in g.summary()
    with pytest.raises(ValueError, match="flow_seeds"):
        step_grid(paper_target, [0.1], [2e-5], [0], flow_seeds=2)
    with pytest.raises(ValueError, match="position_steps"):
        step_grid(paper_target, [0.1], [-1.0], [0])


def test_tangent_floor_random_features_is_the_reduced_loss(paper_target):
    from tts_lib.slow_fast import reduced_loss

    for m, s in [(7, 0), (30, 1)]:
        u = np.asarray(sample_positions(m, s))
        rf = regimes.tangent_floor(paper_target, u, 4e-3)
        assert rf == pytest.approx(reduced_loss(u, paper_target, 4e-3), rel=1e-9)   # exact quadrature vs core
        # a = 0 (the book's start): the position features vanish, the tangent kernel is the random-feature one
        assert regimes.tangent_floor(paper_target, u, 4e-3, np.zeros(m + 1)) == rf
        # random outer weights: the position features join and can only lower the floor
        a = np.r_[0.0, np.random.default_rng(s).normal(size=m)]
        tg = regimes.tangent_floor(paper_target, u, 4e-3, a)
        assert tg <= rf * (1 + 1e-9) and tg < rf


def test_tangent_floor_position_feature_by_quadrature():
    # one neuron at a jump of height 1, eta = 0.1: span{1, sigma, sigma'} against an independent fine-grid fit
    one = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    u, eta = np.array([0.47]), 0.1
    x = (np.arange(400_000) + 0.5) / 400_000
    z = (x - u[0]) / eta
    phi = np.stack([np.ones_like(x), tts.sigma(z), tts.sigma_prime(z)], axis=1)
    res = one(x) - phi @ np.linalg.lstsq(phi, one(x), rcond=None)[0]
    ref = 0.5 * np.mean(res**2)
    assert regimes.tangent_floor(one, u, eta, [0.0, 1.0]) == pytest.approx(ref, rel=1e-3)


def test_tangent_floor_validates(paper_target):
    with pytest.raises(ValueError, match="a"):
        regimes.tangent_floor(paper_target, [0.3, 0.6], 4e-3, [0.0, 1.0])
    with pytest.raises(ValueError, match="eta"):
        regimes.tangent_floor(paper_target, [0.3], 0.0)


def test_parametrised_sgd_maps_to_the_book_engine(paper_target):
    from tts_lib.experiments.phase import independent_positions
    from tts_lib.sgd import sgd

    r = regimes.parametrised_sgd(paper_target, [16], [1e-3], [3], parametrisation="ntk", steps=2000)
    # NTK: outer step h / m and eps = m in the book's variables
    assert r.lr[0, 0] == pytest.approx(1e-3 / 16) and r.eps[0, 0] == pytest.approx(16)
    b = np.random.default_rng([9, 16, 3]).normal(size=16)
    ref = sgd(np.r_[0.0, b / 4], independent_positions(16, 3), paper_target, eta=4e-3, lr=1e-3 / 16, eps=16.0,
              steps=2000, seed=3)
    assert r.loss[0, 0, 0] == pytest.approx(tts.loss(ref.a, ref.u, paper_target, 4e-3), rel=1e-12)
    mf = regimes.parametrised_sgd(paper_target, [10], [1e-4], [0], parametrisation="mean-field", steps=10)
    assert mf.eps[0, 0] == pytest.approx(100) and mf.lr[0, 0] == pytest.approx(1e-5)   # step m h, times 1/m^2
    with pytest.raises(ValueError, match="parametrisation"):
        regimes.parametrised_sgd(paper_target, [10], [1e-4], [0], parametrisation="lazy", steps=10)


def test_step_grid_stored_round_trip(tmp_path):
    import tts_lib as tts
    from tts_lib.experiments import stored

    g = regimes.step_grid(tts.PiecewiseConstant.paper(), [0.1, 1.0], [2e-5], range(2), flow_seeds=1, tau_end=0.01,
                          t_min=0.05, flow_t_long=0.1)
    stored.write(tmp_path / "g.json", regimes.step_grid_to_dict(g))
    h = regimes.load_step_grid(tmp_path / "g.json")
    for k in ("eps", "seeds", "steps", "gap", "error", "flow_gap_long"):
        assert np.array_equal(getattr(h, k), getattr(g, k)), k
    assert h.summary() == g.summary() and h.seeds.dtype.kind == h.steps.dtype.kind == "i"
