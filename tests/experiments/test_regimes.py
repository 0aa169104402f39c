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
