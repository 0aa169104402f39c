r"""Tracking the slow manifold :math:`a = a^*(u)` (Tikhonov's theorem, quantified).

Along the two-timescale flow :math:`\dot a = -\nabla_a L`, :math:`\dot u = -\varepsilon\nabla_u L`, let
:math:`e(t) = a(t) - a^*(u(t))`. Since :math:`\nabla_a L(a, u) = G(u)(a - a^*(u))`,

.. math:: \dot e = -G(u)\,e + \varepsilon\, Da^*(u)\,\nabla_u L(a, u).

If :math:`\lambda_{\min}(G(u(t))) \ge \mu > 0` and :math:`\|Da^*(u)\nabla_u L(a, u)\| \le B` along the
trajectory, then :math:`\frac{d}{dt}\|e\| \le -\mu\|e\| + \varepsilon B`, so

.. math:: \|e(t)\| \le e^{-\mu t}\|e(0)\| + \frac{\varepsilon B}{\mu}\big(1 - e^{-\mu t}\big).

After the fast transient the outer weights are within :math:`O(\varepsilon)` of the slow manifold.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..target import check_target
from ..model import _loss_grad
from ..slow_fast import _gram_b, _optimal_outer

__all__ = ["manifold_distance", "slow_drift", "smallest_gram_eigenvalue", "tikhonov_bound"]


def _rows(name, value):
    """A (k, m) array of finite reals (a 1-D array is one row)."""
    arr = np.atleast_2d(_validate.points(name, value))
    if arr.ndim != 2 or arr.shape[1] < 1:
        raise ValueError(f"{name} must be a (k, m) array, got shape {arr.shape}")
    return arr


def _path(a, u):
    a = _rows("a", a)
    u = _rows("u", u)
    if a.shape[0] != u.shape[0] or a.shape[1] != u.shape[1] + 1:
        raise ValueError(f"a and u must have shapes (k, m + 1) and (k, m), got {a.shape} and {u.shape}")
    _validate.positions("u", u[0])
    return a, u


def manifold_distance(a, u, target, eta) -> np.ndarray:
    r""":math:`\|a_i - a^*(u_i)\|` for each row ``i`` of a trajectory ``a`` (k, m+1), ``u`` (k, m)."""
    a, u = _path(a, u)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    return np.array([np.linalg.norm(ai - _optimal_outer(ui, target, eta)) for ai, ui in zip(a, u)])


def smallest_gram_eigenvalue(u, eta) -> np.ndarray:
    r""":math:`\lambda_{\min}(G(u_i))` for each row of ``u`` (k, m): the rate :math:`\mu` of
    :math:`\|e(t)\| \le e^{-\mu t}\|e(0)\| + \frac{\varepsilon B}{\mu}(1 - e^{-\mu t})` along a trajectory.
    A single configuration (a 1-D ``u``) gives an array of length 1."""
    u = _rows("u", u)
    _validate.positions("u", u[0])
    eta = _validate.width("eta", eta)
    return np.array([np.linalg.eigvalsh(_gram_b(ui, None, eta)[0])[0] for ui in u])


def slow_drift(a, u, target, eta, *, h=1e-6) -> np.ndarray:
    r""":math:`\|Da^*(u_i)\,\nabla_u L(a_i, u_i)\|` for each row, by a central difference of step ``h``
    in the direction :math:`w = \nabla_u L(a_i, u_i)`."""
    a, u = _path(a, u)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    h = _validate.positive("h", h)
    out = np.empty(a.shape[0])
    for i, (ai, ui) in enumerate(zip(a, u)):
        w = _loss_grad(ai, ui, target, eta)[2]
        out[i] = np.linalg.norm(_optimal_outer(ui + h * w, target, eta) - _optimal_outer(ui - h * w, target, eta)) / (2 * h)
    return out


def tikhonov_bound(t, eps, mu, drift, e0):
    r""":math:`e^{-\mu t}e_0 + \frac{\varepsilon B}{\mu}(1 - e^{-\mu t})` (vectorised in ``t``)."""
    t = _validate.points("t", t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    eps = _validate.positive("eps", eps)
    mu = _validate.positive("mu", mu)
    drift = _validate.positive("drift", drift, allow_zero=True)
    e0 = _validate.positive("e0", e0, allow_zero=True)
    decay = np.exp(-mu * t)
    out = decay * e0 + eps * drift / mu * (1.0 - decay)
    return float(out) if np.ndim(out) == 0 else out
