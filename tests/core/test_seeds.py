"""The replication switch TTS_SEED_OFFSET (tts_lib.seeds): offset 0 is the book, k >= 1 moves every seed."""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib import seeds
from tts_lib.experiments import appendix, starts


@pytest.fixture
def target():
    return tts.PiecewiseConstant.paper()


def test_offset_zero_is_the_book(monkeypatch):
    monkeypatch.delenv(seeds.ENV_VAR, raising=False)
    assert seeds.seed_offset() == 0 and seeds.shifted(17) == 17
    np.testing.assert_array_equal(tts.sample_positions(5, 3), np.sort(np.random.default_rng(3).uniform(size=5)))
    np.testing.assert_array_equal(seeds.generator(9, 4, 2).normal(size=3), np.random.default_rng([9, 4, 2]).normal(size=3))
    monkeypatch.setenv(seeds.ENV_VAR, "0")
    assert seeds.shifted(17) == 17


@pytest.mark.parametrize("raw", ["-1", "1.5", "one", "1e3", str(2**31)])
def test_bad_offset_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(seeds.ENV_VAR, raw)
    with pytest.raises(ValueError, match="TTS_SEED_OFFSET"):
        tts.sample_positions(5, 0)


def test_offset_moves_starts_and_streams_through_one_door(monkeypatch, target):
    """Offset k runs seed s exactly as offset 0 runs seed s + k 2^32: starts, SGD streams, derived starts."""
    a0 = np.zeros(21)
    monkeypatch.setenv(seeds.ENV_VAR, "0")
    u_far = tts.sample_positions(20, 5 + 3 * seeds.SHIFT)
    r_far = tts.sgd(a0, u_far, target, eta=4e-3, lr=1e-3, eps=1.0, steps=2000, seed=7 + 3 * seeds.SHIFT)
    u_book = tts.sample_positions(20, 5)
    ind_book = starts.independent_positions(12, 4)
    monkeypatch.setenv(seeds.ENV_VAR, "3")
    u3 = tts.sample_positions(20, 5)
    r3 = tts.sgd(a0, u3, target, eta=4e-3, lr=1e-3, eps=1.0, steps=2000, seed=7)
    np.testing.assert_array_equal(u3, u_far)
    np.testing.assert_array_equal(r3.u, r_far.u)
    assert r3.seed == 7                                  # the result records the caller's seed
    assert np.max(np.abs(u3 - u_book)) > 1e-3            # ... and the draws did move
    assert np.max(np.abs(starts.independent_positions(12, 4) - ind_book)) > 1e-3
    ens = tts.sgd_ensemble(a0, u3, target, eta=4e-3, lr=1e-3, eps=1.0, steps=2000, seeds=[7])
    np.testing.assert_array_equal(ens.runs[0].u, r3.u)   # the ensemble goes through the same door


def test_offset_moves_the_appendix_data(monkeypatch):
    kw = dict(n_samples=50, lr_a=1.0, lr_u=0.01, epochs=2, seed=1)
    monkeypatch.setenv(seeds.ENV_VAR, "0")
    r0 = appendix.train_relu(**kw)
    monkeypatch.setenv(seeds.ENV_VAR, "1")
    r1 = appendix.train_relu(**kw)
    assert np.max(np.abs(r0.u0 - r1.u0)) > 1e-3


def test_distinct_offsets_give_distinct_sequences(monkeypatch):
    draws = []
    for k in range(4):
        monkeypatch.setenv(seeds.ENV_VAR, str(k))
        draws.append(seeds.generator(1, 2).uniform())
    assert len(set(draws)) == 4
