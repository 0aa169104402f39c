"""Sorting inside the cached kernels: a stable merge sort, the library's own, and the checks of its contract.

Why not ``ndarray.sort()`` / ``np.argsort`` in compiled code: numba builds both from one template
(``numba/misc/quicksort.py``), so their helpers have the same qualified name and argument types and numba
tells them apart only by a counter of the functions compiled so far in the process. A kernel cached by one
process carries its callees as weak symbols; two kernels cached by two processes can get the same counter
value for the two different helpers, and a third process that loads both binds one kernel's calls to the
other's body (a segfault, or an unsorted array and a wrong loss with no error: issue 24). The functions here
are plain functions with their own qualified names (``tts_lib._sort.*``): one body per name and argument types,
whatever process compiles them. ``tests/core/test_numba_cache.py`` checks that no compiled function of the
cached kernels shares its name, up to the counter, with another.

:func:`argsort` is **stable** (equal keys keep their index order, as ``np.argsort(kind="stable")``), so the order
of tied positions, and thus every sum over the sorted neurons, is defined by the inputs alone and not by a sort
algorithm's pivots. Cost: :math:`O(n \\log n)` comparisons (runs of :data:`RUN` by insertion sort, then bottom-up
merges), :math:`O(n)` scratch. NaN is not a valid key (the kernels' inputs are finite).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Length of the runs sorted by insertion before the merges.
RUN = 16


@njit(cache=True)
def argsort(x):
    """Indices ``order`` (int64) with ``x[order]`` non-decreasing; equal keys in increasing index order."""
    n = x.shape[0]
    src = np.empty(n, dtype=np.int64)
    dst = np.empty(n, dtype=np.int64)
    for i in range(n):
        src[i] = i
    for lo in range(0, n, RUN):
        hi = min(lo + RUN, n)
        for i in range(lo + 1, hi):
            k = src[i]
            v = x[k]
            j = i - 1
            while j >= lo and x[src[j]] > v:
                src[j + 1] = src[j]
                j -= 1
            src[j + 1] = k
    width = RUN
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if x[src[j]] < x[src[i]]:  # strict: on a tie the left run's (smaller) index first
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        src, dst = dst, src
        width *= 2
    return src


@njit(cache=True)
def sort(x):
    """Sort ``x`` in place (non-decreasing), by the same merge sort on the values."""
    n = x.shape[0]
    src = np.empty(n)
    dst = np.empty(n)
    for i in range(n):
        src[i] = x[i]
    for lo in range(0, n, RUN):
        hi = min(lo + RUN, n)
        for i in range(lo + 1, hi):
            v = src[i]
            j = i - 1
            while j >= lo and src[j] > v:
                src[j + 1] = src[j]
                j -= 1
            src[j + 1] = v
    width = RUN
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if src[j] < src[i]:
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        src, dst = dst, src
        width *= 2
    for i in range(n):
        x[i] = src[i]


@njit(cache=True)
def is_sorted(x):
    """Whether ``x`` is non-decreasing (False on NaN): the O(n) self-check of a sort's output."""
    for i in range(1, x.shape[0]):
        if not x[i - 1] <= x[i]:
            return False
    return True


@njit(cache=True)
def is_sorting_permutation(x, order):
    """Whether ``order`` is a permutation of ``0 .. n-1`` with ``x[order]`` non-decreasing (O(n))."""
    n = x.shape[0]
    if order.shape[0] != n:
        return False
    seen = np.zeros(n, dtype=np.bool_)
    for k in range(n):
        i = order[k]
        if i < 0 or i >= n or seen[i]:
            return False
        seen[i] = True
        if k > 0 and not x[order[k - 1]] <= x[i]:
            return False
    return True
