"""The sorted O(m log m + nodes * active) loss kernel against the O(m^2) reference and adaptive quadrature.

Tolerances are the worst-case rounding bounds stated in ``tts_lib._kernels._loss_grad_sorted``'s docstring,
computed from the inputs (unit roundoff, m, number of nodes, sum |a|, max |f - f*|), not tuned on a machine.
"""

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings
from hypothesis import strategies as st

import tts_lib as tts
from conftest import quad_integral
from tts_lib._kernels import (
    SORTED_MIN_NEURONS,
    _loss_grad_dense,
    _loss_grad_sorted,
    _sorted_sums,
    gauss_nodes,
    loss_grad_kernel,
)

UNIT = 2.0**-53
TARGET = tts.PiecewiseConstant.paper()


def gamma(k):
    return k * UNIT / (1 - k * UNIT)


def run(kernel, a, u, target, eta):
    grad_a = np.empty(a.shape[0])
    grad_u = np.empty(u.shape[0])
    val = kernel(a, u, target.jumps, target.values, eta, grad_a, grad_u)
    return val, grad_a, grad_u


def tolerances(a, u, target, eta):
    """(loss, grad_a, grad_u) bounds of the docstring: delta = 2 gamma_{m+2} A, R <= A + max|f*|."""
    m = u.shape[0]
    n_nodes = gauss_nodes(u, target.jumps, target.values, eta)[0].shape[0]
    big_a = np.abs(a).sum()
    delta = 2 * gamma(m + 2) * big_a
    r = big_a + np.abs(target.values).max() + delta
    tol_loss = delta * r + delta**2 / 2 + gamma(n_nodes + 3) * r**2
    tol_a = delta + 2 * gamma(n_nodes + m + 3) * r
    tol_u = np.abs(a[1:]) * (delta + 2 * gamma(n_nodes + 3) * r)
    return tol_loss, tol_a, tol_u


def positions(kind, m, eta, rng):
    jumps = TARGET.jumps
    if kind == "uniform":
        return rng.uniform(0, 1, m)
    if kind == "clustered":
        # on the jumps, exactly eta/2 off them (z = +-1/2 at a jump node), and within a few eta
        centre = rng.choice(jumps, m)
        offset = rng.choice([0.0, 0.5 * eta, -0.5 * eta, np.nan], m)
        spread = np.isnan(offset)
        offset[spread] = eta * rng.normal(0, 2, spread.sum())
        return centre + offset
    if kind == "duplicates":
        return rng.choice(rng.uniform(0, 1, max(3, m // 10)), m)
    if kind == "outside":
        u = rng.uniform(-0.3, 1.3, m)
        u[: m // 20] = rng.choice([-5.0, 7.0, -eta / 2, 1 + eta / 2], m // 20)
        return rng.permutation(u)
    raise ValueError(kind)


def random_case(m, eta, kind, rng):
    """A random target (0 to 4 jumps, values in [-3, 3]) and ``positions(kind, ...)``; clustered ones around the
    target's own jumps."""
    jumps = np.sort(rng.uniform(0.05, 0.95, rng.integers(0, 5)))
    target = tts.PiecewiseConstant(jumps, rng.uniform(-3, 3, jumps.shape[0] + 1))
    u = positions(kind, m, eta, rng)
    if kind == "clustered" and jumps.shape[0]:
        u = rng.choice(jumps, m) + eta * rng.normal(0, 1, m)
    return target, u


def weights(kind, m, rng):
    if kind == "normal":
        return rng.normal(size=m + 1)
    # magnitudes from 1e-3 to 1e3, random signs: the prefix sums cancel and the rounding bound is dominated
    # by the largest weights
    return rng.choice([-1.0, 1.0], m + 1) * 10.0 ** rng.uniform(-3, 3, m + 1)


def check_against_dense(a, u, target, eta):
    l1, ga1, gu1 = run(_loss_grad_dense, a, u, target, eta)
    l2, ga2, gu2 = run(_loss_grad_sorted, a, u, target, eta)
    tol_loss, tol_a, tol_u = tolerances(a, u, target, eta)
    assert abs(l1 - l2) <= tol_loss
    assert np.all(np.abs(ga1 - ga2) <= tol_a)
    assert np.all(np.abs(gu1 - gu2) <= tol_u)
    return max(abs(l1 - l2) / tol_loss, np.max(np.abs(ga1 - ga2)) / tol_a, np.max(np.abs(gu1 - gu2) / tol_u))


@pytest.mark.parametrize("m", [256, 300, 1000, 2000])
@pytest.mark.parametrize("kind", ["uniform", "clustered", "duplicates", "outside"])
def test_sorted_kernel_matches_dense(m, kind):
    rng = np.random.default_rng(1000 * m + len(kind))
    for eta in (1e-3, 4e-3, 0.03, 0.2):  # m eta from 0.26 to 400
        for wkind in ("normal", "spread"):
            check_against_dense(weights(wkind, m, rng), positions(kind, m, eta, rng), TARGET, eta)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(SORTED_MIN_NEURONS, 600),
    st.floats(1e-3, 1.5),
    st.sampled_from(["uniform", "clustered", "duplicates", "outside"]),
    st.sampled_from(["normal", "spread"]),
    st.integers(0, 2**32 - 1),
)
def test_sorted_kernel_matches_dense_random(m, eta, kind, wkind, seed):
    rng = np.random.default_rng(seed)
    target, u = random_case(m, eta, kind, rng)
    check_against_dense(weights(wkind, m, rng), u, target, eta)


def test_sorted_sums_do_not_depend_on_the_node_order():
    """gauss_nodes gives increasing nodes (pointers move forward only); shuffled, the pointers also move back
    and the sums agree within the same bounds (which allow any summation order)."""
    rng = np.random.default_rng(11)
    for kind in ("uniform", "duplicates", "outside"):
        m, eta = 400, 0.01
        a, u = weights("spread", m, rng), positions(kind, m, eta, rng)
        x, w, fstar = gauss_nodes(u, TARGET.jumps, TARGET.values, eta)
        want = run(_loss_grad_dense, a, u, TARGET, eta)
        perm = rng.permutation(x.shape[0])
        got_a, got_u = np.empty(m + 1), np.empty(m)
        got = _sorted_sums(a, u, x[perm], w[perm], fstar[perm], eta, got_a, got_u)
        tol_loss, tol_a, tol_u = tolerances(a, u, TARGET, eta)
        assert abs(got - want[0]) <= tol_loss
        assert np.all(np.abs(got_a - want[1]) <= tol_a)
        assert np.all(np.abs(got_u - want[2]) <= tol_u)


def test_dispatch_at_the_threshold():
    """Below the threshold the dense kernel's very bits; from m = SORTED_MIN_NEURONS on, the sorted one's."""
    rng = np.random.default_rng(7)
    for m, reference in ((SORTED_MIN_NEURONS - 1, _loss_grad_dense), (SORTED_MIN_NEURONS, _loss_grad_sorted)):
        a, u = rng.normal(size=m + 1), rng.uniform(-0.1, 1.1, m)
        got, want = run(loss_grad_kernel, a, u, TARGET, 4e-3), run(reference, a, u, TARGET, 4e-3)
        assert got[0] == want[0]
        assert np.array_equal(got[1], want[1]) and np.array_equal(got[2], want[2])
    assert SORTED_MIN_NEURONS == 256


def test_public_api_uses_sorted_kernel_and_matches_quadrature():
    """m = 300 through tts.loss / tts.loss_grad, against adaptive quadrature: the loss with conftest's
    quad_integral, every gradient entry at once with scipy's vector-valued adaptive quadrature (quad_vec),
    both split at every breakpoint."""
    rng = np.random.default_rng(3)
    m, eta = 300, 0.02
    u = np.concatenate((rng.uniform(-0.05, 1.05, m - 4), [0.2, 0.2, 0.5 + eta / 2, 1.0]))
    a = rng.normal(size=m + 1) / np.sqrt(m)
    a[0] = 1.0

    def residual(x):
        return a[0] + a[1:] @ tts.sigma((x - u) / eta) - float(TARGET(x))

    def gradient_integrand(x):
        z = (x - u) / eta
        r = residual(x)
        return np.concatenate(([r], r * tts.sigma(z), -r * a[1:] * tts.sigma_prime(z) / eta))

    val = tts.loss(a, u, TARGET, eta)
    grad_a, grad_u = tts.loss_grad(a, u, TARGET, eta)
    assert val == run(_loss_grad_sorted, a, u, TARGET, eta)[0]
    assert val == pytest.approx(quad_integral(lambda x: 0.5 * residual(x) ** 2, TARGET, u, eta), rel=1e-9, abs=1e-11)
    pts = np.unique(np.clip(np.concatenate((TARGET.jumps, u - eta / 2, u, u + eta / 2)), 0, 1))
    ref = si.quad_vec(gradient_integrand, 0, 1, points=pts[(pts > 0) & (pts < 1)], epsabs=1e-13, epsrel=1e-12)[0]
    assert np.allclose(grad_a, ref[: m + 1], rtol=1e-8, atol=1e-10)
    assert np.allclose(grad_u, ref[m + 1 :], rtol=1e-7, atol=1e-9)
