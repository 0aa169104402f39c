"""Tests of tts_lib.initialisation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tts_lib import PiecewiseConstant
from tts_lib.initialisation import neurons_per_piece, sample_positions, two_per_piece

T = PiecewiseConstant.paper()  # pieces (0,.2) (.2,.35) (.35,.5) (.5,.65) (.65,.8) (.8,1)


def test_two_per_piece_examples():
    good = [0.1, 0.15, 0.25, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.75, 0.85, 0.9]
    assert two_per_piece(good, T)
    assert not two_per_piece(good[1:], T)
    # a neuron exactly on a jump is in no piece
    on_jump = [0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.75, 0.85, 0.9]
    assert neurons_per_piece(on_jump, T).tolist() == [1, 2, 2, 2, 2, 2]
    assert not two_per_piece(on_jump, T)
    # order does not matter
    assert two_per_piece(good[::-1], T)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_sample_positions_resamples_until_condition(seed):
    u = sample_positions(20, seed, T, require_two_per_piece=True)
    assert u.shape == (20,) and np.all(np.diff(u) >= 0) and two_per_piece(u, T)
    assert u.tries >= 1
    again = sample_positions(20, seed, T, require_two_per_piece=True)
    assert np.array_equal(u, again) and again.tries == u.tries


def test_first_draw_kept_when_not_required():
    u = sample_positions(20, 5)
    assert u.tries == 1
    np.testing.assert_array_equal(u, np.sort(np.random.default_rng(5).uniform(size=20)))


def test_tries_count_the_rejected_draws():
    rng = np.random.default_rng(123)
    draws = [np.sort(rng.uniform(size=20)) for _ in range(50)]
    expected = next(i for i, d in enumerate(draws, start=1) if two_per_piece(d, T))
    u = sample_positions(20, np.random.default_rng(123), T, require_two_per_piece=True)
    assert u.tries == expected and np.array_equal(u, draws[expected - 1])


def test_acceptance_rate_matches_documented_value():
    ok = np.mean([two_per_piece(sample_positions(20, s), T) for s in range(400)])
    assert 0.25 < ok < 0.42  # documented: about 1 in 3


def test_bad_input():
    with pytest.raises(ValueError, match="m"):
        sample_positions(0, 1)
    with pytest.raises(ValueError, match="rng_or_seed"):
        sample_positions(5, "x")
    with pytest.raises(ValueError, match="rng_or_seed"):
        sample_positions(5, -1)
    with pytest.raises(ValueError, match="target"):
        sample_positions(20, 1, require_two_per_piece=True)
    with pytest.raises(ValueError, match="m"):
        sample_positions(5, 1, T, require_two_per_piece=True)
    with pytest.raises(ValueError, match="max_tries"):
        sample_positions(20, 1, T, require_two_per_piece=True, max_tries=0)
    with pytest.raises(RuntimeError):
        sample_positions(12, 1, T, require_two_per_piece=True, max_tries=1)
    with pytest.raises(ValueError, match="target"):
        two_per_piece([0.5], "T")
    with pytest.raises(ValueError, match="u"):
        two_per_piece([np.nan], T)
