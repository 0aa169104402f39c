r"""The last phase: a neuron within :math:`\eta` of a jump. For finite :math:`\eta` the loss stays of order :math:`\eta`.

Rescale around a jump :math:`v` of height :math:`\Delta`: :math:`x = v + \eta z`. If the windows of at most
``n_near`` (one or two) neurons meet :math:`(v - \eta, v + \eta)` (and no other jump lies there), the network on
that interval is :math:`c_0 + \sum_i c_i\,\sigma(z - s_i)` with shifts :math:`s_i = (u_i - v)/\eta` (the book's
:math:`\theta_i`), so the part of the loss on it is at least :math:`\kappa_1\Delta^2\eta` (one neuron) or
:math:`\kappa_2\Delta^2\eta` (two), with

.. math::

    \kappa_1 = \inf_{s_1} F(s_1), \qquad \kappa_2 = \inf_{s_1, s_2} F(s_1, s_2), \qquad
    F(s) = \min_{c}\ \frac12\int_{-1}^{1}\Big(c_0 + \sum_i c_i\,\sigma(z - s_i) - \mathbf 1[z \ge 0]\Big)^2 dz .

(One symbol per constant: :math:`n` is the number of pieces of the target.)

**One neuron.** :math:`\kappa_1 = 25/1472 \approx 0.016984`, attained at :math:`s = 0` (exact rational value:
at :math:`s = 0` the best fit is :math:`\tfrac12 + c(\sigma - \tfrac12)` by symmetry, with
:math:`\int_{-1}^{1}(\sigma - \tfrac12)^2 = \tfrac{23}{56}` and
:math:`\int_{-1}^{1}(\sigma - \tfrac12)(\mathbf 1[z\ge0] - \tfrac12) = \tfrac{7}{16}`, so the loss is
:math:`\tfrac12\big(\tfrac12 - (\tfrac{7}{16})^2/\tfrac{23}{56}\big) = \tfrac{25}{1472}`); the tests check it in exact
rational arithmetic and check that a bounded numerical minimisation over :math:`s` finds this value at this point.

**Two neurons.** A pair is written as a centre and a gap, :math:`s_{1,2} = s \mp \delta/2` with
:math:`\delta \ge 0`, and fitted in the basis

.. math::

    \Big\{1,\ M = \tfrac12\big(\sigma(\cdot - s_1) + \sigma(\cdot - s_2)\big),\
    D = \frac{\sigma(\cdot - s_1) - \sigma(\cdot - s_2)}{\delta} = \frac1\delta\int_{z - s_2}^{z - s_1}\sigma'\Big\},

which spans the same functions as :math:`\{1, \sigma(\cdot - s_1), \sigma(\cdot - s_2)\}` for :math:`\delta > 0`
and stays well conditioned as the pair merges: :math:`D` is computed as the mean of :math:`\sigma'` over
:math:`[z - s_2, z - s_1]`, exactly on each polynomial piece of :math:`\sigma'` (Simpson's rule, exact for its
quadratic pieces), with no difference of nearly equal numbers; at :math:`\delta = 0` the basis is
:math:`\{1, \sigma, \sigma'\}`, the limit of two merging neurons. :math:`\kappa_2 \approx 0.0137812` is the minimum of
this loss over the box :math:`s \in [-\tfrac32, \tfrac32]`, :math:`\delta \in [0, 3]` (a neuron with
:math:`|s_i| \ge \tfrac32` is constant on :math:`[-1, 1]`, so the box holds every case), found by a grid and
the bound-constrained L-BFGS-B method from the best grid points (:func:`kappa_search`); it is attained at
:math:`\delta = 0`: two merging neurons, not any distinct pair. It is a numerical constant, not a closed form.

Conversely, one neuron exactly on each jump with the ideal outer weights (bias :math:`f^*_0`, weight
:math:`\Delta_i` on the neuron at :math:`v_i`) has loss exactly

.. math:: L = \frac{\eta}{56}\sum_i \Delta_i^2, \qquad \text{since } \int_{-1/2}^{1/2}(\sigma - \mathbf 1[z\ge 0])^2 = \tfrac1{28},

when the windows are disjoint, inside :math:`[0, 1]` and each holds one jump. So the reduced loss at the end
of training is :math:`\Theta(\eta)`: it does not reach 0 at finite :math:`\eta`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.optimize import minimize, minimize_scalar

from .. import _validate
from ..target import check_target
from ..activation import _sigma, _sigma_prime
from ..quadrature import _GL_W, _GL_X

__all__ = [
    "KAPPA_1",
    "step_fit_loss",
    "pair_fit_loss",
    "kappa",
    "kappa_search",
    "restricted_fit_loss",
    "KappaSearch",
    "captured_loss",
    "jump_loss_lower_bound",
]

KAPPA_1 = Fraction(25, 1472)
r""":math:`\kappa_1 = 25/1472`, the exact one-neuron constant (attained at :math:`s = 0`)."""

# A neuron whose shift is beyond this is constant (0 or 1) on [-1, 1]: its window [s - 1/2, s + 1/2]
# misses (-1, 1). Clipping shifts to [-_FAR, _FAR] leaves every feature unchanged on [-1, 1].
_FAR = 1.5
_BOX = ((-_FAR, _FAR), (0.0, 2 * _FAR))


def _nodes(points):
    bp = np.unique(np.clip(np.concatenate(([-1.0, 0.0, 1.0], points)), -1.0, 1.0))
    half = 0.5 * np.diff(bp)
    mid = 0.5 * (bp[1:] + bp[:-1])
    keep = half > 0
    z = (mid[keep, None] + half[keep, None] * _GL_X[None, :]).ravel()
    w = (half[keep, None] * _GL_W[None, :]).ravel()
    return z, w


def _mean_sigma_prime(lo, hi):
    r"""Mean of :math:`\sigma'` over :math:`[lo, hi]` (elementwise, ``lo <= hi``); :math:`\sigma'(lo)` where ``lo == hi``.

    :math:`[lo, hi]` is cut at the joints :math:`-\tfrac12, 0, \tfrac12` of :math:`\sigma'`; on each part
    :math:`\sigma'` is one quadratic, integrated exactly by Simpson's rule; the mean is the part-length-weighted
    average of the parts' means (a convex combination: no cancellation however short the interval).
    """
    edges = np.stack([lo, np.clip(-0.5, lo, hi), np.clip(0.0, lo, hi), np.clip(0.5, lo, hi), hi])
    p, q = edges[:-1], edges[1:]
    width = q - p
    simpson = (_sigma_prime(p) + 4.0 * _sigma_prime(0.5 * (p + q)) + _sigma_prime(q)) / 6.0
    num = np.sum(width * simpson, axis=0)
    den = np.sum(width, axis=0)
    point = _sigma_prime(lo)
    return np.where(den > 0.0, num / np.where(den > 0.0, den, 1.0), point)


def _fit(columns, z, w) -> float:
    x = np.stack(columns, axis=1)
    y = (z >= 0.0).astype(float)
    sw = np.sqrt(w)
    coef = np.linalg.lstsq(x * sw[:, None], y * sw, rcond=None)[0]
    r = x @ coef - y
    return float(0.5 * np.sum(w * r * r))


def _single_loss(s: float) -> float:
    s = min(max(s, -_FAR), _FAR)
    z, w = _nodes(np.array([s - 0.5, s, s + 0.5]))
    return _fit([np.ones_like(z), _sigma(z - s)], z, w)


def _pair_loss(s: float, delta: float) -> float:
    h = 0.5 * delta
    s1, s2 = s - h, s + h
    z, w = _nodes(np.array([s1 - 0.5, s1, s1 + 0.5, s2 - 0.5, s2, s2 + 0.5]))
    t = z - s
    lo, hi = t - h, t + h  # z - s2, z - s1
    mean = 0.5 * (_sigma(hi) + _sigma(lo))
    diff = _mean_sigma_prime(lo, hi)
    return _fit([np.ones_like(z), mean, diff], z, w)


def _clip_pair(s1: float, s2: float) -> tuple[float, float]:
    """(centre, gap) of the pair with both shifts clipped to [-_FAR, _FAR] (same features on [-1, 1])."""
    a, b = sorted((min(max(s1, -_FAR), _FAR), min(max(s2, -_FAR), _FAR)))
    return 0.5 * (a + b), b - a


def pair_fit_loss(centre, gap) -> float:
    r""":math:`\min_c \frac12\int_{-1}^1 (c_0 + c_1 M + c_2 D - \mathbf 1[z\ge0])^2 dz` for the pair
    :math:`s_{1,2} = s \mp \delta/2` (``centre`` :math:`s`, ``gap`` :math:`\delta \ge 0`), exact.

    :math:`M = \tfrac12(\sigma(z - s_1) + \sigma(z - s_2))` and :math:`D = \frac1\delta\int_{z-s_2}^{z-s_1}\sigma'`
    (the mean of :math:`\sigma'`, computed without cancellation); for ``gap = 0`` the features are
    :math:`\{1, \sigma(z - s), \sigma'(z - s)\}`, the limit of two merging neurons. The value is continuous in
    ``gap`` down to 0 and equals the two-neuron :func:`step_fit_loss` for ``gap > 0``.
    """
    s = _validate.real("centre", centre)
    delta = _validate.positive("gap", gap, allow_zero=True)
    return _pair_loss(*_clip_pair(s - 0.5 * delta, s + 0.5 * delta))  # |s|, delta <= 1e100: finite


def step_fit_loss(shifts, *, merged=False) -> float:
    r""":math:`\min_c \frac12\int_{-1}^1 (c_0 + \sum_i c_i\sigma(z - s_i) - \mathbf 1[z\ge0])^2 dz`, exact,
    for one or two shifts :math:`s_i`.

    Exact piecewise-polynomial quadrature (4 Gauss--Legendre points between consecutive points of
    :math:`\{-1, 0, 1, s_i, s_i \pm \tfrac12\}`) and a least-squares fit. Two shifts are fitted in the
    well-conditioned pair basis of :func:`pair_fit_loss` (centre :math:`(s_1 + s_2)/2`, gap :math:`|s_2 - s_1|`),
    so nearly equal shifts are as accurate as distinct ones. With ``merged=True``, ``shifts`` must hold one
    value :math:`s` and the features are :math:`\{1, \sigma(z - s), \sigma'(z - s)\}` (the limit of two merging
    neurons, ``pair_fit_loss(s, 0)``).
    """
    s = _validate.vector("shifts", shifts, min_length=1)
    merged = _validate.flag("merged", merged)
    if merged and s.shape[0] != 1:
        raise ValueError(f"shifts must hold exactly one value when merged=True, got {s.shape[0]}")
    if s.shape[0] > 2:
        raise ValueError(f"shifts must hold one or two values (n_near = 1 or 2), got {s.shape[0]}")
    if merged:
        return _pair_loss(*_clip_pair(s[0], s[0]))
    if s.shape[0] == 1:
        return _single_loss(float(s[0]))
    return _pair_loss(*_clip_pair(float(s[0]), float(s[1])))


def restricted_fit_loss(shifts, lo=-1.0, hi=1.0) -> float:
    r""":math:`\min_c \frac12\int_{lo}^{hi} (c_0 + \sum_i c_i\sigma(z - s_i) - \mathbf 1[z\ge0])^2 dz` for zero,
    one or two shifts :math:`s_i`, on a sub-interval :math:`-1 \le lo < hi \le 1` (exact quadrature).

    This is :math:`\tfrac12\operatorname{dist}_{L^2(lo, hi)}(H, V')^2` with :math:`V'` the span of the constants and
    of the given features: the lower bound used in the proof that :math:`\kappa_2 > 0` when some shifts tend to
    :math:`\pm\tfrac32` (their features are constant on a shorter interval :math:`[lo, hi]`, so the fit on
    :math:`[-1, 1]` costs at least the fit of the other features on :math:`[lo, hi]`). With no shift it is the fit
    by a constant, :math:`\tfrac12\,\frac{hi \cdot (-lo)}{hi - lo}` when :math:`lo < 0 < hi`. Features that are
    linearly dependent on :math:`[lo, hi]` are handled by a least-squares solve of minimal norm.
    """
    s = _validate.vector("shifts", shifts)
    if s.shape[0] > 2:
        raise ValueError(f"shifts must hold at most two values, got {s.shape[0]}")
    lo = _validate.real("lo", lo)
    hi = _validate.real("hi", hi)
    if not -1.0 <= lo < hi <= 1.0:
        raise ValueError(f"lo and hi must satisfy -1 <= lo < hi <= 1, got lo={lo}, hi={hi}")
    pts = np.concatenate(([lo, hi, 0.0], s, s - 0.5, s + 0.5))
    bp = np.unique(np.clip(pts, lo, hi))
    half = 0.5 * np.diff(bp)
    mid = 0.5 * (bp[1:] + bp[:-1])
    keep = half > 0
    z = (mid[keep, None] + half[keep, None] * _GL_X[None, :]).ravel()
    w = (half[keep, None] * _GL_W[None, :]).ravel()
    return _fit([np.ones_like(z)] + [_sigma(z - si) for si in s], z, w)


@dataclass(frozen=True)
class KappaSearch:
    r"""The numerical minimisation behind :math:`\kappa_1` or :math:`\kappa_2`.

    ``value``: the minimum found; ``argmin``: the shift :math:`s` (``n_near = 1``) or ``(s, delta)``
    (``n_near = 2``); ``results``: the ``scipy.optimize`` results of every local search (each has
    ``success``); ``grid_min``: the smallest value on the starting grid.
    """

    n_near: int
    value: float
    argmin: tuple
    results: tuple
    grid_min: float

    @property
    def success(self) -> bool:
        """True when every local search reported success."""
        return all(bool(r.success) for r in self.results)


@functools.lru_cache(maxsize=None)
def _search(n: int) -> KappaSearch:
    if n == 1:
        grid = np.linspace(-_FAR, _FAR, 61)
        vals = np.array([_single_loss(g) for g in grid])
        results = []
        for i in np.argsort(vals)[:3]:
            lo, hi = max(-_FAR, grid[i] - 0.05), min(_FAR, grid[i] + 0.05)
            results.append(minimize_scalar(_single_loss, bounds=(lo, hi), method="bounded",
                                           options={"xatol": 1e-10}))
        best = min(results, key=lambda r: r.fun)
        return KappaSearch(1, float(best.fun), (float(best.x),), tuple(results), float(vals.min()))
    s_grid = np.linspace(*_BOX[0], 31)
    d_grid = np.linspace(*_BOX[1], 31)
    vals = np.array([[_pair_loss(s, d) for d in d_grid] for s in s_grid])
    results = []
    for flat in np.argsort(vals, axis=None)[:4]:
        i, j = np.unravel_index(flat, vals.shape)
        res = minimize(lambda p: _pair_loss(p[0], p[1]), np.array([s_grid[i], d_grid[j]]), method="L-BFGS-B",
                       jac="3-point", bounds=_BOX, options={"ftol": 1e-15, "gtol": 1e-9, "maxiter": 500})
        results.append(res)
    best = min(results, key=lambda r: r.fun)
    return KappaSearch(2, float(best.fun), (float(best.x[0]), float(best.x[1])), tuple(results), float(vals.min()))


def _n_near(n_near) -> int:
    n = _validate.integer("n_near", n_near, minimum=1)
    if n > 2:
        raise ValueError(f"n_near must be 1 or 2, got {n}")
    return n


def kappa_search(n_near=1) -> KappaSearch:
    r"""Numerical minimisation of :func:`step_fit_loss` over the shifts (cached).

    ``n_near = 1``: a 61-point grid of :math:`s \in [-\tfrac32, \tfrac32]`, then a bounded scalar search
    around the three best points. ``n_near = 2``: a :math:`31 \times 31` grid of the box
    :math:`(s, \delta) \in [-\tfrac32, \tfrac32] \times [0, 3]`, then L-BFGS-B (bound-constrained) from the four
    best grid points. Check ``.success`` before trusting ``.value``.
    """
    return _search(_n_near(n_near))


def kappa(n_near=1) -> float:
    r""":math:`\kappa_1` or :math:`\kappa_2` for ``n_near`` = 1 or 2 neurons whose windows meet :math:`(v-\eta, v+\eta)`:
    :math:`\kappa_1 = 25/1472` (closed form), :math:`\kappa_2 \approx 0.0137812` (``kappa_search(2).value``;
    ``RuntimeError`` if the search did not converge)."""
    n = _n_near(n_near)
    if n == 1:
        return float(KAPPA_1)
    search = _search(2)
    if not search.success:  # pragma: no cover - the tests assert success
        raise RuntimeError(f"kappa(2): the bound-constrained search did not converge: {search.results}")
    return search.value


def jump_loss_lower_bound(height, eta, n_near=1):
    r""":math:`\kappa_1\Delta^2\eta` or :math:`\kappa_2\Delta^2\eta` (``n_near`` = 1 or 2): lower bound on the loss carried by :math:`(v-\eta, v+\eta)` (vectorised)."""
    h = _validate.points("height", height)
    eta = _validate.width("eta", eta)
    out = kappa(n_near) * h**2 * eta  # |height| <= 1e100 and eta <= 6.7e7: no overflow
    return float(out) if np.ndim(out) == 0 else out


def captured_loss(target, eta) -> float:
    r""":math:`\frac{\eta}{56}\sum_i\Delta_i^2`: the loss with one neuron on each jump and the ideal outer weights."""
    target = check_target(target)
    eta = _validate.width("eta", eta)
    return float(eta * np.sum(target.heights**2) / 56.0)
