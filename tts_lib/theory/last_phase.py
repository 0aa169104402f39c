r"""The last phase: a neuron within :math:`\eta` of a jump. For finite :math:`\eta` the loss stays of order :math:`\eta`.

Rescale around a jump :math:`v` of height :math:`\Delta`: :math:`x = v + \eta z`. If the windows of at most
``n_near`` neurons meet :math:`(v - \eta, v + \eta)` (and no other jump lies there), the network on that
interval is :math:`c_0 + \sum_{i \le n} c_i\,\sigma(z - s_i)` with :math:`s_i = (u_i - v)/\eta`, so the
part of the loss on it is at least

.. math::

    \kappa_n\,\Delta^2\eta, \qquad
    \kappa_n = \inf_{s_1, \dots, s_n}\ \min_{c}\ \frac12\int_{-1}^{1}\Big(c_0 + \sum_{i=1}^{n} c_i\,\sigma(z - s_i)
        - \mathbf 1[z \ge 0]\Big)^2 dz .

:math:`\kappa_1 \approx 0.016984` (attained at :math:`s = 0`). For :math:`n = 2` the infimum is approached
as the two neurons merge, where the span tends to that of :math:`\{1, \sigma(\cdot - s), \sigma'(\cdot - s)\}`:
:math:`\kappa_2 \approx 0.013781`. Both are computed here by exact piecewise-polynomial quadrature and
a one- or two-dimensional minimisation (numerical constants, not closed forms).

Conversely, one neuron exactly on each jump with the ideal outer weights (bias :math:`f^*_0`, weight
:math:`\Delta_i` on the neuron at :math:`v_i`) has loss exactly

.. math:: L = \frac{\eta}{56}\sum_i \Delta_i^2, \qquad \text{since } \int_{-1/2}^{1/2}(\sigma - \mathbf 1[z\ge 0])^2 = \tfrac1{28},

when the windows are disjoint, inside :math:`[0, 1]` and each holds one jump. So the reduced loss at the end
of training is :math:`\Theta(\eta)`: it does not reach 0 at finite :math:`\eta`.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.optimize import minimize_scalar

from .. import _validate
from ..target import check_target
from ..activation import _sigma, _sigma_prime
from ..quadrature import _GL_W, _GL_X

__all__ = ["step_fit_loss", "kappa", "captured_loss", "jump_loss_lower_bound"]


def _nodes(shifts):
    bp = [-1.0, 0.0, 1.0]
    for s in shifts:
        bp += [s - 0.5, s, s + 0.5]
    bp = np.unique(np.clip(bp, -1.0, 1.0))
    half = 0.5 * np.diff(bp)
    mid = 0.5 * (bp[1:] + bp[:-1])
    keep = half > 0
    z = (mid[keep, None] + half[keep, None] * _GL_X[None, :]).ravel()
    w = (half[keep, None] * _GL_W[None, :]).ravel()
    return z, w


def step_fit_loss(shifts, *, merged=False) -> float:
    r""":math:`\min_c \frac12\int_{-1}^1 (c_0 + \sum_i c_i\sigma(z - s_i) - \mathbf 1[z\ge0])^2 dz`, exact.

    With ``merged=True``, ``shifts`` must hold one value :math:`s` and the features are
    :math:`\{1, \sigma(z - s), \sigma'(z - s)\}` (the limit of two merging neurons).
    """
    s = _validate.vector("shifts", shifts, min_length=1)
    if merged and s.shape[0] != 1:
        raise ValueError(f"shifts must hold exactly one value when merged=True, got {s.shape[0]}")
    z, w = _nodes(s)
    cols = [np.ones_like(z)] + [_sigma(z - si) for si in s]
    if merged:
        cols.append(_sigma_prime(z - s[0]))
    x = np.stack(cols, axis=1)
    y = (z >= 0.0).astype(float)
    sw = np.sqrt(w)
    coef = np.linalg.lstsq(x * sw[:, None], y * sw, rcond=1e-12)[0]
    r = x @ coef - y
    return float(0.5 * np.sum(w * r * r))


@functools.lru_cache(maxsize=None)
def _kappa(n: int) -> float:
    if n == 1:
        grid = np.linspace(-1.5, 1.5, 61)
        s0 = grid[np.argmin([step_fit_loss([g]) for g in grid])]
        res = minimize_scalar(lambda s: step_fit_loss([s]), bounds=(s0 - 0.05, s0 + 0.05), method="bounded",
                              options={"xatol": 1e-10})
        return float(min(res.fun, step_fit_loss([s0])))
    # n == 2: merged limit, and distinct pairs
    grid = np.linspace(-0.5, 0.5, 101)
    vals = [step_fit_loss([g], merged=True) for g in grid]
    s0 = grid[int(np.argmin(vals))]
    res = minimize_scalar(lambda s: step_fit_loss([s], merged=True), bounds=(s0 - 0.01, s0 + 0.01),
                          method="bounded", options={"xatol": 1e-10})
    best = min(res.fun, min(vals))
    # distinct pairs: a grid (the tests check with local searches that none beats the merged limit)
    g2 = np.linspace(-1.0, 1.0, 21)
    distinct = min(step_fit_loss([a, b]) for a in g2 for b in g2 if a < b)
    return float(min(best, distinct))


def kappa(n_near=1) -> float:
    r""":math:`\kappa_n` for ``n_near`` = 1 or 2 neurons whose windows meet :math:`(v-\eta, v+\eta)` (cached)."""
    n = _validate.integer("n_near", n_near, minimum=1)
    if n > 2:
        raise ValueError(f"n_near must be 1 or 2, got {n}")
    return _kappa(n)


def jump_loss_lower_bound(height, eta, n_near=1):
    r""":math:`\kappa_n\,\Delta^2\eta`: lower bound on the loss carried by :math:`(v-\eta, v+\eta)` (vectorised)."""
    h = _validate.points("height", height)
    eta = _validate.positive("eta", eta)
    out = kappa(n_near) * h**2 * eta
    return float(out) if np.ndim(out) == 0 else out


def captured_loss(target, eta) -> float:
    r""":math:`\frac{\eta}{56}\sum_i\Delta_i^2`: the loss with one neuron on each jump and the ideal outer weights."""
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    return float(eta * np.sum(target.heights**2) / 56.0)
