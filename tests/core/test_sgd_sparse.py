"""The sparse SGD engine (tts_lib._sparse_kernel) against the dense one, kept as the reference.

Same draws, same updates, another order of summation: from the same state one step agrees to rounding;
on the same sample sequence a whole trajectory agrees to rounding as long as the dynamics does not
amplify it (small steps), and only until chaotic divergence where it does (the engines' gap then grows
exactly like a 1-ulp perturbation of one engine, to O(1)); in every regime both engines give the same law.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import tts_lib
from tts_lib import DivergenceError, PiecewiseConstant
from tts_lib import _sparse_kernel
from tts_lib.sgd import SPARSE_MAX_ETA, SPARSE_MIN_NEURONS, choose_engine, sgd, sgd_ensemble, sgd_samples

T = PiecewiseConstant.paper()
EPS64 = np.finfo(float).eps


def _rounding_tol(m, a, u, lr=0.2, eps=0.0, eta=1.0):
    """Rounding of one sparse step, ``(tol_a, tol_u)``. Its weights are a_(j) = a_0 + sum_{i <= j} D_i (up
    to m roundings of size eps max|a|), and f uses p a_0 + (p + 1) P_1 - P_2 with |P_2| <= m^2 max|D|: an
    absolute error of a few eps m^2 max|a| in f, so in r; the weights take lr <= 0.2 times it and the
    positions eps lr / eta |a_j| |sigma'| <= 3 eps lr / eta max|a| times it (plus the weights' own error)."""
    A = np.abs(a).max()
    tol_a = 8 * EPS64 * (m + 1) ** 2 * (1 + A + np.abs(u).max())
    return tol_a, tol_a * (1 + 12 * eps * lr / eta * (1 + A))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    m=st.integers(1, 40),
    eta=st.floats(0.01, 0.5),
    lr=st.floats(1e-3, 0.2),
    eps=st.floats(1e-3, 5.0),
)
def test_one_step_agrees_with_dense_to_rounding(seed, m, eta, lr, eps):
    """From the dense state at each step, one sparse step equals one dense step to rounding. Large eps
    lr / eta makes neurons cross often, so the order repair is exercised too (checked below). Once a
    trajectory explodes (max|a| > 100: steps this large are unstable) the comparison stops."""
    rng = np.random.default_rng(seed)
    a, u = rng.normal(size=m + 1), np.sort(rng.uniform(size=m))
    xs, noises = rng.uniform(size=60), rng.uniform(-1, 1, size=60)
    for k in range(60):
        kw = dict(eta=eta, lr=lr, eps=eps, xs=xs[k : k + 1], noises=noises[k : k + 1])
        a_d, u_d = sgd_samples(a, u, T, engine="dense", **kw)
        a_s, u_s = sgd_samples(a, u, T, engine="sparse", **kw)
        tol_a, tol_u = _rounding_tol(m, a, u, lr, eps, eta)
        np.testing.assert_allclose(a_s, a_d, rtol=0, atol=tol_a)
        np.testing.assert_allclose(u_s, u_d, rtol=0, atol=tol_u)
        a, u = a_d, u_d
        if np.abs(a).max() > 100:
            break


def test_crossing_neurons_keep_their_identity():
    """Two neurons in each other's window with a large position step cross; the sparse engine must
    exchange their slots and still return each neuron's own (a_j, u_j) in the caller's order."""
    a, u = np.array([0.0, 3.0, -2.0, 1.0]), np.array([0.501, 0.499, 0.9])  # unsorted on purpose
    rng = np.random.default_rng(0)
    xs = 0.5 + 0.01 * rng.uniform(-1, 1, size=400)
    noises = rng.uniform(-1, 1, size=400)
    crossed = False
    for k in range(400):
        kw = dict(eta=0.05, lr=0.05, eps=2.0, xs=xs[k : k + 1], noises=noises[k : k + 1])
        a_d, u_d = sgd_samples(a, u, T, engine="dense", **kw)
        a_s, u_s = sgd_samples(a, u, T, engine="sparse", **kw)
        tol_a, tol_u = _rounding_tol(3, a, u, 0.05, 2.0, 0.05)
        np.testing.assert_allclose(a_s, a_d, rtol=0, atol=tol_a)
        np.testing.assert_allclose(u_s, u_d, rtol=0, atol=tol_u)
        crossed |= (u_d[0] - u_d[1]) * (u[0] - u[1]) < 0
        a, u = a_d, u_d
    assert crossed  # the test is not vacuous: the two neurons did swap order


def test_neurons_that_jump_several_slots():
    """A tight cluster inside one window with a large position step: in one step a neuron passes several
    others (the order repair moves it in one rotation, _insert). Each step equals the dense step to
    rounding, and the test checks that some step moved a neuron by at least 3 slots."""
    m = 40
    rng = np.random.default_rng(11)
    a = np.r_[0.0, rng.normal(size=m)]
    u = 0.5 + 0.01 * rng.uniform(-1, 1, size=m)
    xs = 0.5 + 0.02 * rng.uniform(-1, 1, size=200)
    noises = rng.uniform(-1, 1, size=200)
    most = 0
    for k in range(200):
        kw = dict(eta=0.05, lr=0.02, eps=5.0, xs=xs[k : k + 1], noises=noises[k : k + 1])
        a_d, u_d = sgd_samples(a, u, T, engine="dense", **kw)
        a_s, u_s = sgd_samples(a, u, T, engine="sparse", **kw)
        tol_a, tol_u = _rounding_tol(m, a, u, 0.02, 5.0, 0.05)
        np.testing.assert_allclose(a_s, a_d, rtol=0, atol=tol_a)
        np.testing.assert_allclose(u_s, u_d, rtol=0, atol=tol_u)
        rank_before, rank_after = np.argsort(np.argsort(u)), np.argsort(np.argsort(u_d))
        most = max(most, int(np.abs(rank_after - rank_before).max()))
        a, u = a_d, u_d
        if np.abs(a).max() > 100:
            break
    assert most >= 3, most


@pytest.mark.parametrize("m", [300, 2000])
def test_trajectory_on_explicit_samples_agrees_to_rounding(m):
    """A whole trajectory on the same samples, in small steps (lr = 1e-3, eps lr / eta = 1e-3), where the
    dynamics does not amplify rounding (checked: a 1e-15 perturbation of the dense start stays ~1e-15): the
    engines agree to 1e-10 after 20,000 steps (measured ~2e-14), and both moved far more than that.
    (With eps lr / eta = 0.1 a 1e-16 perturbation grows to 0.1 here: no engine comparison is possible.)
    20,000 steps are more than 4 rebuilds of the trees (FOLD = 4096)."""
    rng = np.random.default_rng(m)
    a0, u0 = np.zeros(m + 1), np.sort(rng.uniform(size=m))
    xs, noises = rng.uniform(size=20_000), 0.5 * rng.uniform(-1, 1, size=20_000)
    kw = dict(eta=0.004, lr=1e-3, eps=4e-3, xs=xs, noises=noises)
    a_d, u_d = sgd_samples(a0, u0, T, engine="dense", **kw)
    a_s, u_s = sgd_samples(a0, u0, T, engine="sparse", **kw)
    np.testing.assert_allclose(a_s, a_d, rtol=0, atol=1e-10)
    np.testing.assert_allclose(u_s, u_d, rtol=0, atol=1e-10)
    assert np.abs(a_d - a0).max() > 0.1 and np.abs(u_d - u0).max() > 1e-3


def test_explicit_samples_outside_the_unit_interval():
    """``sgd_samples`` accepts any finite x. Outside [0, 1) the sparse engine's bracketing table has no
    cell for x (it once indexed past its end); the step must still find the exact split (every neuron
    at sigma = 1 far right of the data, none far left) and agree with the dense engine to rounding."""
    m = 300
    rng = np.random.default_rng(7)
    a0, u0 = 0.1 * rng.normal(size=m + 1), np.sort(rng.uniform(size=m))
    xs = np.array([-0.3, 1.0, 1.7, 0.0, 1e6, -1e6, 0.999, 1.0 + 1e-12] * 5)
    noises = 0.5 * rng.uniform(-1, 1, size=xs.size)
    kw = dict(eta=0.004, lr=1e-3, eps=0.1, xs=xs, noises=noises)
    a_d, u_d = sgd_samples(a0, u0, T, engine="dense", **kw)
    a_s, u_s = sgd_samples(a0, u0, T, engine="sparse", **kw)
    tol_a, tol_u = _rounding_tol(m, a0, u0, 1e-3, 0.1, 0.004)
    np.testing.assert_allclose(a_s, a_d, rtol=0, atol=xs.size * tol_a)
    np.testing.assert_allclose(u_s, u_d, rtol=0, atol=xs.size * tol_u)
    assert np.abs(a_d - a0).max() > 1e-4   # the steps did something


def test_seeded_runs_agree_with_dense_and_m_1e4_works():
    """Same seed, m = 10^4 at the paper's eta and step: the sparse run (the default at this width) equals
    the dense run to rounding over 30,000 steps (small steps: eps lr / eta = 1e-3, where rounding is not
    amplified), and is deterministic to the bit."""
    m = 10_000
    u0 = np.sort(np.random.default_rng(1).uniform(size=m))
    a0 = np.zeros(m + 1)
    kw = dict(eta=4e-3, lr=2e-4, eps=0.02, steps=30_000, seed=3)
    assert choose_engine(m, 4e-3) == "sparse"
    sp = sgd(a0, u0, T, **kw)
    de = sgd(a0, u0, T, engine="dense", **kw)
    np.testing.assert_allclose(sp.a, de.a, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sp.u, de.u, rtol=0, atol=1e-10)
    again = sgd(a0, u0, T, **kw)
    assert np.array_equal(sp.a, again.a) and np.array_equal(sp.u, again.u)
    assert np.abs(sp.a).max() > 0.01 and np.abs(sp.u - u0).max() > 1e-3


_CHAOTIC = dict(eta=0.004, lr=0.002, eps=1.0)  # equal stepsizes at the paper's width: rounding e-folds in ~20 steps


def _one_ulp(u, seed=0):
    """Every position moved by one ulp, up or down at random: the smallest change of the start."""
    up = np.random.default_rng(seed).uniform(size=u.size) < 0.5
    return np.where(up, np.nextafter(u, 2.0), np.nextafter(u, -1.0))


def test_pathwise_agreement_until_chaotic_divergence():
    """Same seed, same start, a regime that amplifies rounding (eps = 1, eta = 0.004): the engines' gap
    ``g_k = |sparse - dense|`` stays bounded by the growth of a 1-ulp perturbation of the dense start,
    ``p_k = |dense(u0 + 1 ulp) - dense|``, over the horizon where ``p_k`` is still small.

    Why ``g_k <= k p_k``: both gaps obey the same tangent dynamics to first order. ``p`` starts from one ulp
    of every coordinate; the engines start equal and each step adds a rounding difference of a few ulp of
    the state (measured: at most one ulp-vector in norm here); injected at step ``j`` it grows like the
    perturbation from ``j``, at most like ``p`` from 0 (the growth is monotone along these records). Summed
    over ``k`` steps: ``g_k <= k p_k``. Measured here ``g_k / p_k`` <= 0.8 (ratio 0.006 to 0.03 before
    saturation), so the bound has a margin of 60 (k = 50) to 1000; a real difference of one step's update
    (O(lr) = 1e-3) would exceed it at once. Beyond ``p_k ~ 1e-3`` the first-order picture ends: the paths
    have diverged (O(1) apart, like the perturbed run), and only the law can be compared (next test)."""
    m = 300
    u0 = np.sort(np.random.default_rng(2).uniform(size=m))
    a0 = np.zeros(m + 1)
    kw = dict(**_CHAOTIC, steps=1000, seed=5, record_every=50)
    de, sp = sgd(a0, u0, T, engine="dense", **kw), sgd(a0, u0, T, engine="sparse", **kw)
    pert = sgd(a0, _one_ulp(u0), T, engine="dense", **kw)

    def gap(x, y):
        return np.linalg.norm(np.c_[x.a_history - y.a_history, x.u_history - y.u_history], axis=1)

    g, p, k = gap(sp, de), gap(pert, de), de.steps
    early = (k > 0) & (p < 1e-3)
    assert early.sum() >= 10  # a real horizon: ~700 steps
    assert np.all(g[early] <= k[early] * p[early]), np.c_[k, g, p][early]
    assert np.all(g[k <= 200] < 1e-11)  # over the first 200 steps: agreement to rounding, plainly
    # and chaos is real: by 1000 steps both the perturbed run and the other engine are O(0.1) away
    assert p[-1] > 0.05 and g[-1] > 0.05


def test_same_law_as_dense_with_other_seeds():
    """Over a long horizon in a chaotic regime (equal stepsizes, 20,000 steps) the two engines' paths on the
    same seed have diverged (checked below: O(0.1) apart, as far as two seeds), so what they share is the law:
    two ensembles of 60 runs with disjoint seeds (independent samples) give final losses that the two-sample
    KS test does not separate at level 1e-3 (under equal laws the p-value of continuous data is uniform, so
    this fails by chance once in 1000 runs of the suite), while it does separate two values of lr (checked
    so that the test can fail)."""
    m = 300
    u0 = np.sort(np.random.default_rng(2).uniform(size=m))
    a0 = np.zeros(m + 1)
    kw = dict(eta=0.01, lr=0.002, eps=1.0, steps=20_000, record_every=20_000)
    ens = sgd_ensemble(a0, u0, T, seeds=range(60), engine="sparse", **kw)
    sp = ens.loss_history[:, -1]
    same_seed = sgd(a0, u0, T, seed=0, engine="dense", **kw)
    assert np.abs(same_seed.u - ens.u[0]).max() > 0.01  # pathwise agreement is gone at this horizon
    de = sgd_ensemble(a0, u0, T, seeds=range(1000, 1060), engine="dense", **kw).loss_history[:, -1]
    assert stats.ks_2samp(sp, de).pvalue > 1e-3
    other = sgd_ensemble(a0, u0, T, seeds=range(2000, 2060), engine="sparse", **{**kw, "lr": 0.0005})
    assert stats.ks_2samp(sp, other.loss_history[:, -1]).pvalue < 1e-3


def test_blocks_records_and_ramp_on_the_sparse_engine():
    m = 400
    u0 = np.sort(np.random.default_rng(3).uniform(size=m))
    a0 = np.zeros(m + 1)
    kw = dict(eta=0.01, lr=2e-3, eps=0.5, steps=70_001, seed=9, engine="sparse")
    plain = sgd(a0, u0, T, **kw)
    rec = sgd(a0, u0, T, record_every=5_000, **kw)
    assert np.array_equal(plain.a, rec.a) and np.array_equal(plain.u, rec.u)
    part = sgd(a0, u0, T, **{**kw, "steps": 5_000})
    np.testing.assert_array_equal(part.u, rec.u_history[1])
    assert rec.loss_history[-1] < rec.loss_history[0]
    ramp_s = sgd(a0, u0, T, derivative="ramp", **{**kw, "steps": 5_000})
    ramp_d = sgd(a0, u0, T, derivative="ramp", **{**kw, "steps": 5_000, "engine": "dense"})
    np.testing.assert_allclose(ramp_s.u, ramp_d.u, rtol=0, atol=1e-10)
    assert not np.allclose(ramp_s.u, part.u, rtol=0, atol=1e-10)


def test_divergence_names_the_exact_step_on_the_sparse_engine():
    a0, u0 = np.zeros(301), np.linspace(0.01, 0.99, 300)
    kw = dict(eta=0.01, lr=0.05, eps=1.0, noise=1.0, seed=2, engine="sparse")
    with pytest.raises(DivergenceError) as info:
        sgd(a0, u0, T, steps=100_000, **kw)
    step = info.value.step
    ok = sgd(a0, u0, T, steps=step - 1, **kw)
    assert np.all(np.abs(ok.a) <= 1e100)
    with pytest.raises(DivergenceError) as again:
        sgd(a0, u0, T, steps=step, **kw)
    assert again.value.step == step


def test_state_stays_sorted_and_trees_consistent():
    """After many steps with crossings, the slots are sorted, and the Fenwick trees equal a rebuild
    from D to rounding (so the incremental updates of _add_range hit the right nodes)."""
    m = 200
    rng = np.random.default_rng(4)
    a, u = 0.1 * rng.normal(size=m + 1), np.sort(rng.uniform(size=m))
    state = _sparse_kernel.init_state(a, u, 0.02)
    xs, noises = rng.uniform(size=3_000), np.zeros(3_000)
    _sparse_kernel.run_samples(state, T.jumps.astype(float), T.values.astype(float), 50.0, 1e-3, 1e-2,
                               xs, noises, False)
    bias, us, D, perm, t, guess = state
    assert np.all(np.diff(us[1:]) >= 0) and sorted(perm[1:]) == list(range(m))
    rebuilt = np.zeros_like(t)
    _sparse_kernel._build(D, rebuilt)
    np.testing.assert_allclose(t[:, 0], rebuilt[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(t[:, 1], rebuilt[:, 1], rtol=0, atol=1e-12 * m)
    assert np.abs(D).max() > 1e-3


def test_choose_engine():
    assert choose_engine(20, 4e-3) == "dense"
    assert choose_engine(SPARSE_MIN_NEURONS, 4e-3) == "sparse"
    assert choose_engine(10_000, 2 * SPARSE_MAX_ETA) == "dense"
    assert choose_engine(20, 4e-3, "sparse") == "sparse"
    with pytest.raises(ValueError, match="engine"):
        choose_engine(20, 4e-3, "fast")
    with pytest.raises(ValueError, match="engine"):
        sgd(np.zeros(3), [0.2, 0.6], T, eta=0.05, lr=0.01, eps=0.5, steps=10, engine="gpu")
    assert tts_lib.sgd is sgd
