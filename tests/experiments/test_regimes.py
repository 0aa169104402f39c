"""Tests of tts_lib.regimes (lazy random-feature floor, equal stepsizes with many neurons)."""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib.experiments import regimes
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
