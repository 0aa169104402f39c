"""Tests of tts_lib.probability (exact coverage probabilities)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tts_lib as tts
from tts_lib import initialisation
from tts_lib.theory import probability


@st.composite
def lengths(draw, max_n=4):
    n = draw(st.integers(1, max_n))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    return w / w.sum()


@settings(max_examples=40, deadline=None)
@given(lengths(), st.integers(0, 7), st.integers(1, 3))
def test_recursion_matches_enumeration(p, m, k):
    brute = probability.coverage_probability_enumerated(m, p, k)
    assert probability.coverage_probability(m, p, k) == pytest.approx(brute, abs=1e-12)
    assert probability.coverage_probability(m, p, k, method="inclusion-exclusion") == pytest.approx(brute, abs=1e-12)


def test_exact_fraction_small_case():
    # two pieces of length 1/2, m = 4, k = 2: P(N_0 = 2) = C(4,2)/16 = 3/8
    p = [Fraction(1, 2), Fraction(1, 2)]
    assert probability.coverage_probability(4, p, 2, method="inclusion-exclusion", exact=True) == Fraction(3, 8)
    # one piece: certain as soon as m >= k
    assert probability.coverage_probability(2, [1.0], 2) == 1.0
    assert probability.coverage_probability(1, [1.0], 2) == 0.0


def test_exact_matches_float_for_paper_target():
    f = tts.PiecewiseConstant.paper()
    p = [Fraction(x).limit_denominator(1000) for x in np.diff(f.edges)]
    for m in (12, 20, 35):
        exact = probability.coverage_probability(m, p, 2, method="inclusion-exclusion", exact=True)
        assert isinstance(exact, Fraction)
        assert probability.two_per_piece_probability(m, f) == pytest.approx(float(exact), abs=1e-13)


@pytest.mark.parametrize("m", [14, 20, 30])
def test_monte_carlo_agrees(m):
    f = tts.PiecewiseConstant.paper()
    p_exact = probability.two_per_piece_probability(m, f)
    p_hat, se = probability.coverage_probability_mc(m, np.diff(f.edges), 2, n_samples=20_000, seed=m)
    assert abs(p_hat - p_exact) < 5 * se + 1e-3


def test_agrees_with_two_per_piece_indicator():
    f = tts.PiecewiseConstant.paper()
    rng = np.random.default_rng(0)
    hits = np.mean([initialisation.two_per_piece(rng.uniform(size=20), f) for _ in range(4000)])
    assert abs(hits - probability.two_per_piece_probability(20, f)) < 0.03


def test_monotone_in_m_and_min_neurons():
    p = np.diff(tts.PiecewiseConstant.paper().edges)
    vals = [probability.coverage_probability(m, p) for m in range(0, 80)]
    assert np.all(np.diff(vals) >= -1e-15)
    assert vals[11] == 0.0 and vals[12] > 0.0  # 6 pieces need 12 neurons
    m90 = probability.min_neurons(p, 0.9)
    assert vals[m90] >= 0.9 > vals[m90 - 1]


def test_large_m_is_stable():
    p = np.diff(tts.PiecewiseConstant.paper().edges)
    val = probability.coverage_probability(2000, p)
    assert 0.999999 < val <= 1.0


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(m=-1, lengths=[1.0]), "m"),
        (dict(m=3, lengths=[0.5, 0.6]), "lengths"),
        (dict(m=3, lengths=[1.2, -0.2]), "lengths"),
        (dict(m=3, lengths=[1.0], k=0), "k"),
        (dict(m=3, lengths=[1.0], method="magic"), "method"),
        (dict(m=3, lengths=[1.0], exact=True), "exact"),
    ],
)
def test_validation(kwargs, name):
    with pytest.raises(ValueError, match=name):
        probability.coverage_probability(**kwargs)


def test_validation_other_functions():
    with pytest.raises(ValueError, match="m"):
        probability.coverage_probability_enumerated(30, [0.5, 0.5])
    with pytest.raises(ValueError, match="prob"):
        probability.min_neurons([0.5, 0.5], 1.0)
    with pytest.raises(ValueError, match="n_samples"):
        probability.coverage_probability_mc(3, [1.0], n_samples=0)
    with pytest.raises(ValueError, match="target"):
        probability.two_per_piece_probability(3, [0.5, 0.5])
