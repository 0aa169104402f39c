import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings

import tts_lib as tts
from conftest import targets


def test_paper_target_constants(paper_target):
    f = paper_target
    assert np.allclose(f.values, [1, 5, 1, 3, 1, 5])
    assert np.allclose(f.jumps, [0.2, 0.35, 0.5, 0.65, 0.8])
    assert f.delta_v == pytest.approx(0.15)
    assert f.delta_f == pytest.approx(2.0)
    assert f.sup_norm == pytest.approx(5.0)
    assert np.allclose(f.heights, [4, -4, 2, -2, 4])


def test_right_continuous(paper_target):
    assert paper_target(0.2) == 5.0
    assert paper_target(np.nextafter(0.2, 0)) == 1.0
    assert paper_target(0.0) == 1.0 and paper_target(1.0) == 5.0
    assert paper_target(np.array([[0.1, 0.4]])).shape == (1, 2)


def test_constant_target_has_no_jump():
    f = tts.PiecewiseConstant([], [2.0])
    assert f.delta_f == float("inf") and f.delta_v == 1.0 and f(0.3) == 2.0


@settings(max_examples=30, deadline=None)
@given(targets())
def test_primitives_match_quadrature(f):
    pts = np.concatenate(([0.0], f.jumps, [1.0]))
    for x in (0.0, 0.37, 0.81, 1.0):
        inner = [p for p in pts if 0 < p < x]
        ref = si.quad(lambda s: float(f(s)), 0, x, points=inner or None, limit=200)[0] if x > 0 else 0.0
        ref2 = si.quad(lambda s: float(f(s)) ** 2, 0, x, points=inner or None, limit=200)[0] if x > 0 else 0.0
        assert f.primitive(x) == pytest.approx(ref, abs=1e-10)
        assert f.primitive_sq(x) == pytest.approx(ref2, abs=1e-10)
    assert f.norm_sq() == pytest.approx(float(f.primitive_sq(1.0)), abs=1e-12)


@pytest.mark.parametrize(
    "jumps, values, word",
    [
        ([0.5, 0.3], [0, 1, 2], "increasing"),
        ([0.0], [0, 1], "inside"),
        ([1.0], [0, 1], "inside"),
        ([0.5], [0, 1, 2], "len(jumps) + 1"),
        ([0.5], [0, np.nan], "finite"),
        ([0.5, np.inf], [0, 1, 2], "finite"),
        ([[0.5]], [0, 1], "1-D"),
        ([0.5], "ab", "real numbers"),
    ],
)
def test_bad_targets(jumps, values, word):
    with pytest.raises(ValueError, match="jumps|values") as info:
        tts.PiecewiseConstant(jumps, values)
    assert word in str(info.value)


def test_target_is_read_only(paper_target):
    with pytest.raises(ValueError):
        paper_target.values[0] = 3.0
