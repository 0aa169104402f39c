"""Laws over starts (tts_lib.experiments.laws): intervals, the agreement test, starts, storage."""

import numpy as np
import pytest
from scipy.stats import binom

import tts_lib as tts
from tts_lib import seeds
from tts_lib.experiments import laws


def test_median_interval_covers_the_median_at_its_level():
    """Distribution-free: over many samples of an exponential law the interval holds the true median ln 2 in
    at least ~95 % of them (the binomial coverage of the chosen ranks)."""
    rng = np.random.default_rng(1)
    hits = [lo <= np.log(2) <= hi for lo, hi in (laws.median_interval(rng.exponential(size=32)) for _ in range(400))]
    assert np.mean(hits) > 0.92
    lo, hi = laws.median_interval(np.arange(32.0))
    j = int(lo) + 1
    assert binom.cdf(32 - j, 32, 0.5) - binom.cdf(j - 1, 32, 0.5) >= 0.95
    with pytest.raises(ValueError, match="too few"):
        laws.median_interval([1.0, 2.0, 3.0])


def test_agreement_false_alarm_rate_and_power():
    rng = np.random.default_rng(2)
    p_same = [laws.agreement(rng.normal(size=32), rng.normal(size=6), "x", n_perm=199, seed=i) for i in range(100)]
    assert np.mean(np.array(p_same) < 0.05) < 0.12          # at most ~alpha (binomial noise on 100 trials)
    p_shift = [laws.agreement(rng.normal(size=32), rng.normal(size=6) + 3, "x", n_perm=999) for _ in range(10)]
    assert max(p_shift) < 0.01                               # a shift of 3 sd is seen every time


def test_law_sample_round_trip_and_summary():
    s = laws.LawSample("eta", np.arange(8), {"exponent": np.linspace(0.9, 1.1, 8), "ratio_004": np.r_[np.ones(7), np.nan]})
    s.check()
    t = laws.LawSample.from_dict(s.to_dict())
    np.testing.assert_array_equal(t["exponent"], s["exponent"])
    assert np.isnan(t["ratio_004"][-1]) and t.typical("ratio_004") == 1.0
    assert t.spread("exponent")[0] < t.typical("exponent") < t.spread("exponent")[1]
    assert t.rank_of("exponent", 1.0) == 0.5
    with pytest.raises(KeyError, match="no field"):
        t["nope"]


def test_law_starts_are_conditioned_independent_and_moved_by_the_offset(monkeypatch):
    target = tts.PiecewiseConstant.paper()
    monkeypatch.delenv(seeds.ENV_VAR, raising=False)
    u0 = laws.law_start("eta", 0, 20, target)
    assert tts.two_per_piece(u0, target)
    assert np.max(np.abs(u0 - laws.law_start("capture", 0, 20, target))) > 1e-3    # one family per law
    monkeypatch.setenv(seeds.ENV_VAR, "1")
    assert np.max(np.abs(u0 - laws.law_start("eta", 0, 20, target))) > 1e-3
    with pytest.raises(ValueError, match="law must be"):
        laws.law_start("nope", 0, 20, target)


def test_one_cheap_law_end_to_end():
    """The eta law on one start: the loss of the reduced flow is close to the centred loss, exponent ~ 1."""
    out = laws.eta_at(0)
    assert 0.9 < out["exponent"] < 1.1 and 0.9 < out["ratio_004"] <= 1 + 1e-6


def test_stored_laws_have_32_starts_each():
    if not laws.LAWS_FILE.is_file():
        pytest.skip("no stored laws yet")
    stored = laws.load_laws()
    for name, s in stored.items():
        assert s.starts.size >= 32 and np.all(s.starts < laws.FRESH_FIRST), name


def test_proportion_below_is_a_curve_with_wilson_intervals():
    from tts_lib.experiments.intervals import proportion_below, wilson_interval

    v = np.array([[0.5, 1.0, 2.0, np.nan], [3.0, 3.0, 3.0, 3.0]])
    p, lo, hi = proportion_below(v, [1.0, 2.5, 10.0])
    np.testing.assert_allclose(p, [[0.5, 0.75, 0.75], [0.0, 0.0, 1.0]])       # nan never counts as below
    assert np.all(np.diff(p, axis=-1) >= 0) and np.all((lo <= p) & (p <= hi))
    assert (lo[0, 0], hi[0, 0]) == pytest.approx(wilson_interval(2, 4))
    with pytest.raises(ValueError, match="thresholds"):
        proportion_below(v, [])


def test_median_ratio_interval_contains_the_ratio_and_narrows_with_n():
    from tts_lib.experiments.intervals import median_ratio_interval

    rng = np.random.default_rng(3)
    b = rng.lognormal(size=20)
    r, lo, hi = median_ratio_interval(3 * b * rng.lognormal(0, 0.1, 20), b)
    assert lo < r < hi and lo < 3 < hi
    b2 = rng.lognormal(size=400)
    r2, lo2, hi2 = median_ratio_interval(3 * b2 * rng.lognormal(0, 0.1, 400), b2)
    assert hi2 - lo2 < hi - lo
    with pytest.raises(ValueError, match="same length"):
        median_ratio_interval([1.0, 2.0], [1.0])
