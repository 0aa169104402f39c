"""Shared fixtures and strategies for the library tests."""

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import strategies as st

import tts_lib as tts


@pytest.fixture
def paper_target():
    return tts.PiecewiseConstant.paper()


@st.composite
def targets(draw, max_jumps=4):
    """Random piecewise-constant targets with well separated jumps."""
    n = draw(st.integers(0, max_jumps))
    cuts = draw(st.lists(st.floats(0.05, 0.95), min_size=n, max_size=n, unique=True))
    jumps = np.sort(np.array(cuts, dtype=float))
    if n > 1 and np.min(np.diff(jumps)) < 1e-3:
        jumps = np.linspace(0.1, 0.9, n)
    values = draw(st.lists(st.floats(-3, 3), min_size=n + 1, max_size=n + 1))
    return tts.PiecewiseConstant(jumps, values)


@st.composite
def networks(draw, max_m=6):
    """(a, u, eta) with positions that may put windows across 0 and 1 and make them overlap."""
    m = draw(st.integers(1, max_m))
    eta = draw(st.floats(0.01, 0.3))
    u = np.array(draw(st.lists(st.floats(-0.1, 1.1), min_size=m, max_size=m)))
    a = np.array(draw(st.lists(st.floats(-3, 3), min_size=m + 1, max_size=m + 1)))
    return a, u, eta


def quad_integral(func, target, u, eta):
    """Independent check: adaptive quadrature of ``func`` over [0, 1], split at every breakpoint."""
    pts = np.unique(np.clip(np.concatenate(([0, 1], target.jumps, u - eta / 2, u, u + eta / 2)), 0, 1))
    total = 0.0
    for p, q in zip(pts[:-1], pts[1:]):
        if q > p:
            total += si.quad(func, p, q, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    return total
