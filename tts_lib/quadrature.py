r"""Exact integration of the model's piecewise-polynomial integrands.

Between consecutive points of :math:`\{0, 1, v_i, u_j - \eta/2, u_j, u_j + \eta/2\}` every
:math:`\sigma_\eta(x - u_j)` is a polynomial of degree at most 3 in :math:`x` (the cubic
changes formula at the centre :math:`u_j`) and :math:`f^*` is constant. Products of two such factors (the loss integrand, the
Gram matrix) have degree at most 6, so a 4-point Gauss--Legendre rule on each
interval (exact up to degree 7) integrates them **exactly**, up to rounding;
:math:`\sigma''` (used by the Hessian) is polynomial on each interval too.
"""

from __future__ import annotations

import numpy as np

GAUSS_POINTS = 4
_GL_X, _GL_W = np.polynomial.legendre.leggauss(GAUSS_POINTS)


def breakpoints(u: np.ndarray, eta: float, jumps: np.ndarray | None = None) -> np.ndarray:
    """Sorted unique breakpoints in [0, 1], always including 0 and 1."""
    parts = [np.array([0.0, 1.0]), u - 0.5 * eta, u, u + 0.5 * eta]
    if jumps is not None:
        parts.append(jumps)
    pts = np.clip(np.concatenate(parts), 0.0, 1.0)
    return np.unique(pts)


def nodes(u: np.ndarray, eta: float, jumps: np.ndarray | None = None):
    """Nodes ``x`` and weights ``w`` with ``sum(w * p(x)) == int_0^1 p`` for every integrand that is a
    polynomial of degree <= 7 between consecutive breakpoints."""
    bp = breakpoints(u, eta, jumps)
    half = 0.5 * np.diff(bp)
    keep = half > 0.0
    half = half[keep]
    mid = 0.5 * (bp[1:] + bp[:-1])[keep]
    x = (mid[:, None] + half[:, None] * _GL_X[None, :]).ravel()
    w = (half[:, None] * _GL_W[None, :]).ravel()
    return x, w
