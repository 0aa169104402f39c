"""Tests of tts_lib.flanking (flanking pairs, one-interval loss, predicted captures)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tts_lib as tts
from tts_lib import initialisation
from tts_lib.theory import flanking

dist = st.floats(0.01, 0.3)
height = st.floats(0.3, 4.0) | st.floats(-4.0, -0.3)


@settings(max_examples=40, deadline=None)
@given(dist, dist, height)
def test_interval_loss_matches_ideal_loss(dl, dr, h):
    f = tts.PiecewiseConstant([0.5], [1.0, 1.0 + h])
    u = np.array([0.5 - dl, 0.5 + dr])
    assert flanking.interval_loss(dl, dr, h) == pytest.approx(tts.ideal_loss(u, f), rel=1e-10)


def test_predicted_captures_match_ideal_flow():
    f = tts.PiecewiseConstant.paper()
    for seed in range(3):
        u = np.asarray(initialisation.sample_positions(20, seed, f, require_two_per_piece=True))
        cap, tau, bound = flanking.predicted_captures(u, f)
        assert np.all(tau <= bound * (1 + 1e-12))
        res = tts.ideal_flow(u, f, (0, 1.01 * tau.max()), tau_eval=[0, 1.01 * tau.max()])
        assert np.allclose(res.arrival_tau[cap], tau, rtol=1e-6)
        assert np.array_equal(res.arrival_jump[cap], np.arange(f.jumps.size))
        assert res.loss[-1] == pytest.approx(0.0, abs=1e-10)


def test_flanking_pairs_detects_shared_interval():
    f = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
    pairs = flanking.flanking_pairs([0.1, 0.7], f)
    assert not pairs.isolated.any()
    assert pairs.left.tolist() == [0, 0] and pairs.right.tolist() == [1, 1]
    pairs = flanking.flanking_pairs([0.7, 0.8], f)
    assert pairs.left.tolist() == [-1, -1] and np.isnan(pairs.d_left).all()
    with pytest.raises(ValueError, match="u must"):
        flanking.predicted_captures([0.1, 0.7], f)


def test_validation():
    assert flanking.interval_loss(np.array([0.1, 0.2]), 0.1, 2.0).shape == (2,)
    with pytest.raises(ValueError, match="d_left"):
        flanking.interval_loss(-0.1, 0.1, 1.0)
    with pytest.raises(ValueError, match="d_left"):
        flanking.interval_loss(0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="target"):
        flanking.flanking_pairs([0.2], "not a target")
