"""Tests of tts_lib.experiments.authors (the authors' conventions) and the per-seed views of results."""

import sys

import numpy as np
import pytest

import tts_lib as tts
from tts_lib import experiments
from tts_lib.experiments import authors
from tts_lib.initialisation import sample_positions

engine = sys.modules["tts_lib.sgd"]
ETA = 4e-3


@pytest.fixture(scope="module")
def quick_two_seeds():
    # the paper's slow time tau = 0.07 with 100x fewer steps (lr and eps both x10)
    cfg = experiments.SGDConfig("quick", eps=2e-4, t_max=0.035, h_paper=1e-4, repeats=2, n_records=50)
    return experiments.run_sgd_vs_ideal(cfg, seed=0)


def _samples(seed, n):
    draws = engine._uniforms(seed, 2 * n)
    return draws[0::2], 2.0 * draws[1::2] - 1.0


def _one_ulp(u):
    """Every position moved by one ulp, up or down at random (to measure how the dynamics amplifies rounding)."""
    up = np.random.default_rng(0).uniform(size=np.size(u)) < 0.5
    return np.where(up, np.nextafter(u, 2.0), np.nextafter(u, -1.0))


def test_authors_convention_equals_the_book_one_with_doubled_step(paper_target):
    rng = np.random.default_rng(3)
    u0 = np.asarray(sample_positions(8, 3))
    a0 = np.r_[0.5, rng.uniform(0, 3, size=8)]
    xs, nz = rng.uniform(size=2000), rng.uniform(-1, 1, size=2000)
    a1, u1 = engine.sgd_samples(a0, u0, paper_target, eta=0.02, lr=4e-3, eps=5e-3, xs=xs, noises=nz)
    c, p, bias = authors.authors_sgd_samples(a0, u0, paper_target, eta=0.02, h=2e-3, eps=5e-3, xs=xs, noises=nz,
                                           derivative="exact")
    # Tolerance: two roundings of the same 2,000 steps. Here the dynamics does not amplify rounding (checked:
    # a 1-ulp change of every position stays below 1e-14 at the end), so the gap is at most the sum of the
    # per-step differences, 2,000 x ~10 ulp x max|a| (<= 3) ~ 7e-12 < 1e-11 (measured: 9e-16).
    _, p_ulp, _ = authors.authors_sgd_samples(a0, _one_ulp(u0), paper_target, eta=0.02, h=2e-3, eps=5e-3, xs=xs,
                                            noises=nz, derivative="exact")
    assert np.abs(p_ulp - p).max() < 1e-14
    np.testing.assert_allclose(c, a1, atol=1e-11)
    np.testing.assert_allclose(p, u1, atol=1e-11)
    assert bias == -0.01  # the bias neuron never moves
    # the ramp derivative is a different algorithm
    _, p_ramp, _ = authors.authors_sgd_samples(a0, u0, paper_target, eta=0.02, h=2e-3, eps=5e-3, xs=xs,
                                             noises=nz, derivative="ramp")
    assert np.max(np.abs(p_ramp - u1)) > 1e-6


def test_ramp_sgd_matches_the_authors_update_on_the_same_samples(paper_target):
    # small position steps (eps lr a / eta << eta): with large ones the dynamics is chaotic and rounding differences
    # between the compiled and the NumPy loop grow to O(1) within a few hundred steps
    u0 = np.asarray(sample_positions(10, 1))
    a0 = np.r_[0.0, np.linspace(-1, 2, 10)]
    res = authors.ramp_sgd(a0, u0, paper_target, eta=0.02, lr=2e-3, eps=5e-3, steps=3000, seed=7)
    xs, nz = _samples(7, 3000)
    c, p, _ = authors.authors_sgd_samples(a0, u0, paper_target, eta=0.02, h=1e-3, eps=5e-3, xs=xs, noises=nz,
                                        derivative="ramp")
    # Tolerance as above: no amplification here (a 1-ulp change of every position stays below 1e-14 after the
    # 3,000 steps), so the gap is at most 3,000 x ~10 ulp x max|a| ~ 1e-11, far below 1e-9 (measured: 2e-16)
    _, p_ulp, _ = authors.authors_sgd_samples(a0, _one_ulp(u0), paper_target, eta=0.02, h=1e-3, eps=5e-3, xs=xs,
                                            noises=nz, derivative="ramp")
    assert np.abs(p_ulp - p).max() < 1e-14
    np.testing.assert_allclose(res.a, c, atol=1e-9)
    np.testing.assert_allclose(res.u, p, atol=1e-9)
    # and the exact-sigma' engine uses the very same samples
    ex = tts.sgd(a0, u0, paper_target, eta=0.02, lr=2e-3, eps=5e-3, steps=3000, seed=7)
    c2, p2, _ = authors.authors_sgd_samples(a0, u0, paper_target, eta=0.02, h=1e-3, eps=5e-3, xs=xs, noises=nz,
                                          derivative="exact")
    np.testing.assert_allclose(ex.u, p2, atol=1e-9)


def test_ramp_sgd_records_and_arguments(paper_target):
    u0 = np.asarray(sample_positions(6, 0))
    r = authors.ramp_sgd(np.zeros(7), u0, paper_target, eta=ETA, lr=1e-3, eps=0.1, steps=1000, seed=1,
                       record_every=250)
    np.testing.assert_array_equal(r.steps, [0, 250, 500, 750, 1000])
    assert r.u_history.shape == (5, 6) and r.loss_history.shape == (5,)
    assert r.loss_history[-1] == pytest.approx(tts.loss(r.a, r.u, paper_target, ETA))
    again = authors.ramp_sgd(np.zeros(7), u0, paper_target, eta=ETA, lr=1e-3, eps=0.1, steps=1000, seed=1)
    np.testing.assert_array_equal(again.u, r.u)
    for kw, name in [(dict(lr=0.0), "lr"), (dict(steps=-1), "steps"), (dict(seed=-2), "seed"),
                     (dict(eps=-1.0), "eps")]:
        args = dict(eta=ETA, lr=1e-3, eps=0.1, steps=10, seed=0)
        args.update(kw)
        with pytest.raises(ValueError, match=name):
            authors.ramp_sgd(np.zeros(7), u0, paper_target, **args)
    with pytest.raises(ValueError, match="derivative"):
        authors.authors_sgd_samples(np.zeros(7), u0, paper_target, eta=ETA, h=1e-3, eps=0.1, xs=[0.5],
                                  noises=[0.0], derivative="linear")


def test_per_seed_and_jumps_in_flight(quick_two_seeds, paper_target):
    first, second = experiments.per_seed(quick_two_seeds)
    assert first.seeds == [0] and second.seeds == [1]
    np.testing.assert_array_equal(second.main.u, quick_two_seeds.runs[1].u)
    # each seed gets the ideal limit from its own positions
    np.testing.assert_allclose(second.ideal.u[0], quick_two_seeds.u0[1])
    assert experiments.jumps_in_flight(first) == []
    assert experiments.jumps_in_flight(second) == [3]  # the jump at 0.65 is still in flight at tau = 0.07
    with pytest.raises(ValueError, match="result"):
        experiments.per_seed("not a result")


def test_authors_limit_is_first_order_and_jumps_to_the_kink():
    """One jump flanked by two neurons: the Euler limit converges to the exact ideal flow like 1/n, it makes
    n + 1 updates (as the authors' loop), and the neuron that arrives is put exactly on the jump."""
    import tts_lib as tts
    from tts_lib.experiments import authors

    target = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    u0 = np.array([0.1, 0.45, 0.6, 0.9])
    lim = authors.authors_limit(u0, target, 0.2, n_steps=100)
    assert lim.u.shape == (102, 4) and abs(lim.tau[-1] - 0.2 * 1.01) < 1e-12
    assert np.any(lim.u[-1] == 0.5)                           # on the kink, exactly
    errs = [authors.limit_difference(u0, target, 0.1, eta=1.0, n_steps=n)["max_over_eta"] for n in (50, 100, 200)]
    assert errs[2] < errs[1] < errs[0] and 1.5 < errs[0] / errs[1] < 2.5 and 1.5 < errs[1] / errs[2] < 2.5, errs
    with pytest.raises(ValueError, match="n_steps"):
        authors.authors_limit(u0, target, 0.1, n_steps=0)
