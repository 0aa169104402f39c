r"""Finite width :math:`\eta`: plateau values of the best network, and the gap to the ideal gradient.

Hypothesis (*window separation*): the windows :math:`[u_j - \eta/2, u_j + \eta/2]` are pairwise disjoint,
lie inside :math:`(0, 1)` and contain no jump of :math:`f^*`. Sort the positions, put
:math:`u_{(0)} = 0`, :math:`u_{(m+1)} = 1`, and let :math:`I_k = [u_{(k)}, u_{(k+1)}]` with mean
:math:`\bar c_k = |I_k|^{-1}\int_{I_k} f^*` (the ideal plateau). Between windows every network is
constant; call :math:`c_k` the value of the *optimal* network :math:`f(\cdot; a^*(u), u)` there.

**Plateau identity.** With :math:`\beta = \int_{-1/2}^{1/2}\sigma(1-\sigma) = 5/56`,

.. math::

    c_k - \bar c_k = \frac{\beta\eta}{|I_k|}\,(\Lambda c)_k, \qquad
    (\Lambda c)_k = 2c_k - c_{k-1} - c_{k+1}

(one neighbour only at :math:`k = 0` and :math:`k = m`): the finite-width network *sharpens* the
ideal plateaus (an anti-diffusion of size :math:`\eta`). Consequently, with
:math:`M = \max|f^*|` and :math:`q = 4\beta\eta/\min_k |I_k| < 1`,

.. math:: |c_k - \bar c_k| \le \delta_k := \frac{4\beta\eta}{|I_k|}\,\frac{M}{1 - q}.

**Gradient.** Under the same hypothesis the reduced gradient has the ideal form with :math:`c` in
place of :math:`\bar c`:

.. math::

    \partial_{u_{(j)}} \ell(u) = \tfrac12\big[(f^*(u_{(j)}) - c_{j-1})^2 - (f^*(u_{(j)}) - c_j)^2\big],

hence
:math:`|\partial_{u_{(j)}}\ell - \partial_{u_{(j)}}\ell_0| \le \tfrac12 M\big(3 + \tfrac{1}{1-q}\big)(\delta_{j-1} + \delta_j) = O(M^2\eta/\min_k|I_k|)`.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..target import check_target

__all__ = [
    "BETA",
    "window_separated",
    "plateau_values",
    "interval_means",
    "anti_diffusion",
    "plateau_error_bound",
    "gradient_from_plateaus",
    "gradient_gap_bound",
]

BETA = 5.0 / 56.0
r""":math:`\beta = \int_{-1/2}^{1/2} \sigma(z)(1 - \sigma(z))\,dz = 5/56`."""


def _u_target(u, target):
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    return u, target


def _inside_distinct(u):
    """Sorted-interval lengths |I_k| of positions strictly inside (0, 1) and pairwise distinct."""
    if np.any(u <= 0) or np.any(u >= 1):
        raise ValueError("u must lie strictly inside (0, 1)")
    length = _intervals(u)
    if np.any(length <= 0):
        raise ValueError("u must have distinct entries")
    return length


def _finite(out, what):
    """``out`` (computed under ``np.errstate(over="ignore")``) unless it overflowed: then a ValueError naming u."""
    if not np.all(np.isfinite(out)):
        raise ValueError(f"u has intervals too short for these values: {what} overflows float64")
    return out


def window_separated(u, target, eta) -> bool:
    """True when the windows of width ``eta`` are pairwise disjoint, inside (0, 1) and free of jumps."""
    u, target = _u_target(u, target)
    eta = _validate.width("eta", eta)
    us = np.sort(u)
    h = 0.5 * eta
    if us[0] - h <= 0.0 or us[-1] + h >= 1.0 or np.any(np.diff(us) <= eta):
        return False
    if target.jumps.size and np.any(np.abs(us[:, None] - target.jumps[None, :]) <= h):
        return False
    return True


def plateau_values(a, u) -> np.ndarray:
    r"""Plateau values :math:`c_k = a_0 + \sum_{j \le k} a_{(j)}`, :math:`k = 0..m`, positions sorted."""
    a, u = _validate.network(a, u)
    order = np.argsort(u, kind="stable")
    return a[0] + np.concatenate(([0.0], np.cumsum(a[1:][order])))


def _intervals(u):
    return np.diff(np.concatenate(([0.0], np.sort(u), [1.0])))


def interval_means(u, target) -> np.ndarray:
    r"""Ideal plateaus :math:`\bar c_k = |I_k|^{-1}\int_{I_k} f^*`, :math:`k = 0..m` (positions sorted,
    all distinct and inside (0, 1))."""
    u, target = _u_target(u, target)
    length = _inside_distinct(u)
    edges = np.concatenate(([0.0], np.sort(u), [1.0]))
    with np.errstate(over="ignore"):
        return _finite(np.diff(target.primitive(edges)) / length, "the interval means")


def anti_diffusion(c, u, eta) -> np.ndarray:
    r""":math:`\frac{\beta\eta}{|I_k|}(\Lambda c)_k` (Neumann discrete Laplacian of the plateaus; positions
    strictly inside (0, 1) and distinct)."""
    u = _validate.vector("u", u, min_length=1)
    c = _validate.vector("c", c, length=u.shape[0] + 1)
    eta = _validate.width("eta", eta)
    length = _inside_distinct(u)
    lap = np.empty_like(c)
    lap[0] = c[0] - c[1]
    lap[-1] = c[-1] - c[-2]
    lap[1:-1] = 2.0 * c[1:-1] - c[:-2] - c[2:]
    with np.errstate(over="ignore"):
        return _finite(BETA * eta * lap / length, "the anti-diffusion")


def _q(u, eta):
    return 4.0 * BETA * eta / _intervals(u).min()


def plateau_error_bound(u, target, eta) -> np.ndarray:
    r""":math:`\delta_k = \frac{4\beta\eta}{|I_k|}\frac{M}{1-q}` (needs :math:`q < 1`; positions strictly inside
    (0, 1) and distinct)."""
    u, target = _u_target(u, target)
    eta = _validate.width("eta", eta)
    _inside_distinct(u)
    q = _q(u, eta)
    if q >= 1.0:
        raise ValueError(f"eta is too large for the spacing of u: q = 4*beta*eta/min|I| = {q:.3g} >= 1")
    with np.errstate(over="ignore"):
        return _finite(4.0 * BETA * eta / _intervals(u) * target.sup_norm / (1.0 - q), "the plateau error bound")


def gradient_from_plateaus(c, u, target) -> np.ndarray:
    r""":math:`\tfrac12[(f^*(u_{(j)}) - c_{j-1})^2 - (f^*(u_{(j)}) - c_j)^2]`, returned in the
    original order of ``u``. With ``c = interval_means(u, target)`` it is :math:`\nabla\ell_0(u)`."""
    u, target = _u_target(u, target)
    c = _validate.vector("c", c, length=u.shape[0] + 1)
    order = np.argsort(u, kind="stable")
    fs = target(u[order])
    g = 0.5 * ((fs - c[:-1]) ** 2 - (fs - c[1:]) ** 2)
    out = np.empty_like(g)
    out[order] = g
    return out


def gradient_gap_bound(u, target, eta) -> np.ndarray:
    r"""Bound on :math:`|\partial_{u_j}\ell(u) - \partial_{u_j}\ell_0(u)|` per neuron (original order)."""
    u, target = _u_target(u, target)
    delta = plateau_error_bound(u, target, eta)
    q = _q(u, eta)
    big_m = target.sup_norm
    per_sorted = 0.5 * big_m * (3.0 + 1.0 / (1.0 - q)) * (delta[:-1] + delta[1:])
    order = np.argsort(u, kind="stable")
    out = np.empty_like(per_sorted)
    out[order] = per_sorted
    return out
