"""The sorted O(m^2 + nodes * active^2) Gram kernel against the O(N m^2) reference and adaptive quadrature.

The tolerance is the worst-case rounding bound stated in ``tts_lib._kernels._gram_b_sorted``'s docstring,
2 gamma_{N+m+1} (times max|f*| for b), computed from the inputs, not tuned on a machine.
"""

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings
from hypothesis import strategies as st

import tts_lib as tts
from test_loss_sorted import TARGET, gamma, positions, random_case
from tts_lib._kernels import SORTED_MIN_NEURONS, _gram_b_dense, _gram_b_sorted, gauss_nodes, gram_b_kernel


def run(kernel, u, target, eta):
    m = u.shape[0]
    g, b = np.full((m + 1, m + 1), np.nan), np.full(m + 1, np.nan)  # every entry must be written
    kernel(u, target.jumps, target.values, eta, g, b)
    return g, b


def check_against_dense(u, target, eta):
    g1, b1 = run(_gram_b_dense, u, target, eta)
    g2, b2 = run(_gram_b_sorted, u, target, eta)
    n_nodes = gauss_nodes(u, target.jumps, target.values, eta)[0].shape[0]
    tol = 2 * gamma(n_nodes + u.shape[0] + 1)
    assert np.all(np.isfinite(g2)) and np.all(np.isfinite(b2))
    assert np.array_equal(g2, g2.T)
    assert np.max(np.abs(g1 - g2)) <= tol
    assert np.max(np.abs(b1 - b2)) <= tol * np.abs(target.values).max()
    return np.max(np.abs(g1 - g2)) / tol


@pytest.mark.parametrize("m", [1, 2, 17, 256, 400])
@pytest.mark.parametrize("kind", ["uniform", "clustered", "duplicates", "outside"])
def test_sorted_gram_matches_dense(m, kind):
    rng = np.random.default_rng(1000 * m + len(kind))
    for eta in (1e-3, 4e-3, 0.03, 0.2):  # from windows that rarely overlap to windows that all do
        check_against_dense(positions(kind, m, eta, rng), TARGET, eta)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 500),
    st.floats(1e-3, 1.5),
    st.sampled_from(["uniform", "clustered", "duplicates", "outside"]),
    st.integers(0, 2**32 - 1),
)
def test_sorted_gram_matches_dense_random(m, eta, kind, seed):
    target, u = random_case(m, eta, kind, np.random.default_rng(seed))
    check_against_dense(u, target, eta)


def test_dispatch_at_the_threshold():
    """Below the threshold the dense kernel's very bits (every small-m computation of the book); from
    m = SORTED_MIN_NEURONS on, the sorted one's."""
    rng = np.random.default_rng(7)
    for m, reference in ((SORTED_MIN_NEURONS - 1, _gram_b_dense), (SORTED_MIN_NEURONS, _gram_b_sorted)):
        u = rng.uniform(-0.1, 1.1, m)
        got, want = run(gram_b_kernel, u, TARGET, 4e-3), run(reference, u, TARGET, 4e-3)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_public_api_matches_quadrature_at_large_width():
    """m = 300 through tts.gram / tts.target_features (the sorted kernel), entries against adaptive quadrature
    split at every breakpoint (an independent check of the formulas, not of the rounding)."""
    rng = np.random.default_rng(5)
    m, eta = 300, 0.02
    u = np.concatenate((rng.uniform(-0.05, 1.05, m - 4), [0.2, 0.2, 0.5 + eta / 2, 1.0]))
    g = tts.gram(u, eta)
    b = tts.target_features(u, TARGET, eta)
    pts = np.unique(np.clip(np.concatenate(([0, 1], TARGET.jumps, u - eta / 2, u, u + eta / 2)), 0, 1))

    def phi(x, j):
        return 1.0 if j == 0 else float(tts.sigma((x - u[j - 1]) / eta))

    for i, j in [(0, 0), (0, 5), (3, 3), (3, 7), (m - 3, m - 2), (m - 3, m - 3), (m, 1)]:
        want = sum(si.quad(lambda x: phi(x, i) * phi(x, j), lo, hi, epsabs=1e-13)[0]
                   for lo, hi in zip(pts[:-1], pts[1:]))
        assert abs(g[i, j] - want) < 1e-11, (i, j)
    for i in (0, 1, m - 3, m):
        want = sum(si.quad(lambda x: phi(x, i) * float(TARGET(x)), lo, hi, epsabs=1e-13)[0]
                   for lo, hi in zip(pts[:-1], pts[1:]))
        assert abs(b[i] - want) < 1e-11, i
