"""The kernels' own sort (tts_lib._sort): the same order as numpy's stable sort, ties included."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tts_lib import _sort

# few distinct values (many ties), or any finite floats; lengths around the run length and its powers of 2
keys = st.one_of(
    st.lists(st.sampled_from([-1.0, 0.0, 0.25, 0.5, 2.0]), max_size=70),
    st.lists(st.floats(-1e6, 1e6), max_size=140),
)


@settings(max_examples=200, deadline=None)
@given(keys)
def test_argsort_is_numpys_stable_argsort(values):
    x = np.array(values, dtype=float)
    assert np.array_equal(_sort.argsort(x), np.argsort(x, kind="stable"))


@settings(max_examples=200, deadline=None)
@given(keys)
def test_sort_is_numpys_sort(values):
    x = np.array(values, dtype=float)
    y = x.copy()
    _sort.sort(y)
    assert np.array_equal(y, np.sort(x))


def test_large_inputs_and_the_self_checks():
    rng = np.random.default_rng(0)
    for n in (0, 1, 16, 17, 1000, 4099):
        x = rng.integers(0, 50, size=n).astype(float) * rng.choice([1.0, 1e-3], size=n)
        order = _sort.argsort(x)
        assert np.array_equal(order, np.argsort(x, kind="stable"))
        assert _sort.is_sorting_permutation(x, order)
        y = x.copy()
        _sort.sort(y)
        assert np.array_equal(y, np.sort(x)) and _sort.is_sorted(y)
    # the checks can fail: an unsorted array, NaN, a repeated or out-of-range index, a wrong length
    x = np.array([0.0, 2.0, 1.0])
    assert not _sort.is_sorted(x)
    assert not _sort.is_sorted(np.array([0.0, np.nan, 1.0]))
    assert not _sort.is_sorting_permutation(x, np.array([0, 1, 2]))
    assert not _sort.is_sorting_permutation(x, np.array([0, 2, 2]))
    assert not _sort.is_sorting_permutation(x, np.array([0, 2, 3]))
    assert not _sort.is_sorting_permutation(x, np.array([0, 2]))
    assert _sort.is_sorting_permutation(x, np.array([0, 2, 1]))
