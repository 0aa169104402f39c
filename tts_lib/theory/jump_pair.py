r"""The ideal dynamics of the two neurons flanking one jump of the target.

Take a jump :math:`v` of height :math:`\Delta` (any sign) and the two neurons
:math:`u^L < v < u^R` next to it, with no other jump and no other neuron between them, and with
the other neighbour of each on the same side of :math:`v` (for instance: every piece of
:math:`f^*` holds at least two neurons). With the distances :math:`d_L = v - u^L` and
:math:`d_R = u^R - v` and :math:`s = d_L + d_R`, the ideal (:math:`\eta \to 0`) reduced flow
reads

.. math::

    \frac{d d_L}{d\tau} = -\frac{\Delta^2}{2}\Big(\frac{d_R}{s}\Big)^2, \qquad
    \frac{d d_R}{d\tau} = -\frac{\Delta^2}{2}\Big(\frac{d_L}{s}\Big)^2 .

Consequences (each one is a function below, and is checked in the tests):

* :math:`C = d_L^3 - d_R^3` is conserved (``pair_invariant``), since
  :math:`d_L^2\, \dot d_L = d_R^2\, \dot d_R = -\tfrac{\Delta^2}{2} d_L^2 d_R^2 / s^2`;
  hence the nearer neuron stays nearer, and when it arrives the other one is at distance
  :math:`|C|^{1/3}`;
* the nearer neuron (say :math:`d_L \le d_R`) moves at speed at least :math:`\Delta^2/8`, so it
  arrives before :math:`8 d_L(0)/\Delta^2` (``arrival_bound``); the exact arrival time is

  .. math::

      \tau^\star = \frac{2}{\Delta^2} \int_0^{d_L(0)}
      \Big(1 + \frac{x}{(x^3 - C)^{1/3}}\Big)^2 dx ,

  (``arrival_time``), equal to the bound when :math:`d_L(0) = d_R(0)` and strictly below it otherwise.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad, solve_ivp

from .. import _validate

__all__ = [
    "pair_velocity",
    "pair_invariant",
    "arrival_time",
    "arrival_bound",
    "pair_trajectory",
]


def _distances(d_left, d_right):
    dl = _validate.points("d_left", d_left)
    dr = _validate.points("d_right", d_right)
    if np.any(dl < 0):
        raise ValueError("d_left must be >= 0")
    if np.any(dr < 0):
        raise ValueError("d_right must be >= 0")
    if np.any(dl + dr <= 0):
        raise ValueError("d_left + d_right must be > 0 (the two neurons cannot both sit on the jump)")
    return np.broadcast_arrays(dl, dr)


def _height(delta) -> float:
    delta = _validate.real("delta", delta)
    if delta == 0.0:
        raise ValueError(f"delta must be a non-zero finite real number, got {delta!r}")
    return delta


def _finite(out, what):
    """``out`` unless it overflowed (a distance over a tiny height squared): then a ValueError naming delta."""
    if not np.all(np.isfinite(out)):
        raise ValueError(f"delta is too small for these distances: {what} (distance / delta**2) overflows float64")
    return out


def pair_velocity(d_left, d_right, delta):
    r"""Time derivatives :math:`(\dot d_L, \dot d_R)` of the distances to the jump.

    :math:`\dot d_L = -\frac{\Delta^2}{2}(d_R/s)^2` and :math:`\dot d_R = -\frac{\Delta^2}{2}(d_L/s)^2`
    with :math:`s = d_L + d_R` (vectorised; the neuron velocities are
    :math:`\dot u^L = -\dot d_L` and :math:`\dot u^R = \dot d_R`).
    """
    dl, dr = _distances(d_left, d_right)
    delta = _height(delta)
    s = dl + dr
    k = 0.5 * delta**2
    return -k * (dr / s) ** 2, -k * (dl / s) ** 2


def pair_invariant(d_left, d_right):
    r"""The conserved quantity :math:`C = d_L^3 - d_R^3` of the pair dynamics."""
    dl, dr = _distances(d_left, d_right)
    return dl**3 - dr**3


def arrival_bound(d_left, d_right, delta):
    r"""Upper bound :math:`8 \min(d_L, d_R)/\Delta^2` on the arrival time of the nearer neuron."""
    dl, dr = _distances(d_left, d_right)
    delta = _height(delta)
    with np.errstate(divide="ignore", over="ignore"):
        out = _finite(8.0 * np.minimum(dl, dr) / np.float64(delta) ** 2, "the arrival bound")
    return float(out) if out.ndim == 0 else out


def arrival_time(d_left, d_right, delta) -> float:
    r"""Exact time at which the nearer neuron reaches the jump.

    .. math::

        \tau^\star = \frac{2}{\Delta^2} \int_0^{d} \Big(1 + \frac{x}{(x^3 + D^3 - d^3)^{1/3}}\Big)^2 dx,
        \qquad d = \min(d_L, d_R),\ D = \max(d_L, d_R).
    """
    dl, dr = _distances(d_left, d_right)
    if dl.ndim != 0:
        raise ValueError("d_left and d_right must be scalars for arrival_time")
    delta = _height(delta)
    d, big = float(min(dl, dr)), float(max(dl, dr))
    if d == 0.0:
        return 0.0
    c3 = big**3 - d**3  # (x^3 + c3)^(1/3) is the far distance when the near one is x

    def integrand(x):
        far = np.cbrt(x**3 + c3)
        return (1.0 + x / far) ** 2

    val, _ = quad(integrand, 0.0, d, epsabs=1e-13, epsrel=1e-12, limit=200)
    with np.errstate(divide="ignore", over="ignore"):
        return float(_finite(2.0 * val / np.float64(delta) ** 2, "the arrival time"))


def pair_trajectory(d_left, d_right, delta, tau_eval):
    r"""Distances :math:`(d_L(\tau), d_R(\tau))` at the times ``tau_eval`` (sorted, starting at >= 0).

    Integrated until the nearer neuron arrives; afterwards both distances stay fixed (the
    nearer one at 0: it has captured the jump, and the interval next to it is constant).
    Returns two arrays of the shape of ``tau_eval``.

    Only the nearer distance :math:`x` is integrated,
    :math:`\dot x = -\frac{\Delta^2}{2}\big(F(x)/(x + F(x))\big)^2`; the farther one is
    :math:`F(x) = (x^3 + |C|)^{1/3}` from the invariant, kept at least one ulp above :math:`x` when
    :math:`C \ne 0`. So the invariant holds to rounding and the nearer neuron stays strictly nearer, even for
    distances one ulp apart (where integrating both distances let rounding swap them).
    """
    dl, dr = _distances(d_left, d_right)
    if dl.ndim != 0:
        raise ValueError("d_left and d_right must be scalars for pair_trajectory")
    delta = _height(delta)
    tau_eval = _validate.vector("tau_eval", tau_eval, min_length=1)
    if np.any(np.diff(tau_eval) < 0) or tau_eval[0] < 0:
        raise ValueError("tau_eval must be sorted increasingly and start at a time >= 0")
    dl, dr = float(dl), float(dr)
    near0, far0 = min(dl, dr), max(dl, dr)
    c3 = far0**3 - near0**3  # >= 0

    def far_of(x):
        if far0 == near0:
            return x
        return np.maximum(np.cbrt(x**3 + c3), np.nextafter(x, np.inf))

    t_arr = arrival_time(dl, dr, delta)
    near = np.empty(tau_eval.shape[0])
    before = tau_eval < t_arr
    if np.any(before):
        k = 0.5 * delta**2

        def rhs(_t, y):
            x = max(y[0], 0.0)
            f = far_of(x)
            s = x + f
            return [-k * (f / s) ** 2] if s > 0.0 else [0.0]

        sol = solve_ivp(rhs, (0.0, t_arr), [near0], method="DOP853", rtol=1e-11, atol=1e-14, dense_output=True)
        near[before] = sol.sol(tau_eval[before])[0]
    near[~before] = 0.0
    near = np.maximum(near, 0.0)
    far = far_of(near)
    start = tau_eval == 0.0
    near[start], far[start] = near0, far0
    return (near, far) if dl <= dr else (far, near)
