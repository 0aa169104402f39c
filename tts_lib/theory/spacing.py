r"""Strong convexity of the fast problem from the spacing of the neurons.

For fixed positions :math:`u` the loss is the quadratic :math:`a \mapsto \tfrac12 a^\top G(u) a -
b(u)^\top a + \mathrm{const}`, whose Hessian is the Gram matrix :math:`G(u)` (see
:mod:`tts_lib.slow_fast`). Its smallest eigenvalue :math:`\mu(u) = \lambda_{\min}(G(u))` is the rate
at which the fast variable relaxes: along :math:`\dot a = -\nabla_a L(a, u)` with :math:`u` frozen,

.. math:: \|a(t) - a^*(u)\| \le e^{-\mu(u) t}\, \|a(0) - a^*(u)\| .

**Spacing bound.** Sort the positions and let the *plateaus* be the parts of :math:`[0, 1]` where every
activation :math:`\sigma_\eta(\cdot - u_j)` is constant (0 or 1):

.. math::

    g_0 = u_{(1)} - \tfrac{\eta}{2}, \qquad
    g_k = u_{(k+1)} - u_{(k)} - \eta \ (1 \le k < m), \qquad
    g_m = 1 - u_{(m)} - \tfrac{\eta}{2} .

If every :math:`g_k > 0` (windows disjoint and inside :math:`[0, 1]`), then

.. math:: \lambda_{\min}(G(u)) \ \ge\ \tfrac14 \min_k g_k .

Proof: :math:`a^\top G a = \int_0^1 f_a^2 \ge \sum_k g_k c_k^2 \ge (\min_k g_k)\|c\|^2`, where
:math:`c_k = a_0 + \sum_{j \le k} a_{(j)}` is the value of :math:`f_a` on plateau :math:`k`; and
:math:`a_0 = c_0`, :math:`a_{(k)} = c_k - c_{k-1}` give :math:`\|a\|^2 \le 4\|c\|^2`.
"""

from __future__ import annotations

import numpy as np

from .. import _validate

__all__ = ["plateau_lengths", "strong_convexity_bound", "relaxation_bound"]


def plateau_lengths(u, eta) -> np.ndarray:
    r"""Lengths :math:`g_0, \dots, g_m` of the plateaus (may be :math:`\le 0` when windows overlap
    or leave :math:`[0, 1]`), for the positions sorted increasingly."""
    u = np.sort(_validate.vector("u", u, min_length=1))
    eta = _validate.width("eta", eta)
    inner = np.diff(u) - eta
    return np.concatenate(([u[0] - 0.5 * eta], inner, [1.0 - u[-1] - 0.5 * eta]))


def strong_convexity_bound(u, eta) -> float:
    r""":math:`\tfrac14 \min_k g_k` when all plateaus have positive length, else 0 (no bound):
    a lower bound on :math:`\lambda_{\min}(G(u))`."""
    g = plateau_lengths(u, eta)
    return float(0.25 * g.min()) if np.all(g > 0) else 0.0


def relaxation_bound(t, mu, e0):
    r""":math:`e^{-\mu t} e_0`: bound on :math:`\|a(t) - a^*(u)\|` for frozen :math:`u` (vectorised in ``t``)."""
    t = _validate.points("t", t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    mu = _validate.positive("mu", mu, allow_zero=True)
    e0 = _validate.positive("e0", e0, allow_zero=True)
    out = e0 * np.exp(-mu * t)
    return float(out) if np.ndim(out) == 0 else out
