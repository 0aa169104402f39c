r"""The plateau identity when some windows hold a jump (*marked* windows).

Hypothesis (*marked separation*): the windows :math:`[u_j - \eta/2, u_j + \eta/2]` are pairwise disjoint,
lie inside :math:`(0, 1)`, and each holds **at most one** jump of :math:`f^*`. A window that holds a jump is
*marked*, the others *unmarked*. Sort the positions, :math:`I_k = [u_{(k)}, u_{(k+1)}]`
(:math:`u_{(0)} = 0`, :math:`u_{(m+1)} = 1`), :math:`c_k` the plateau values of the optimal network and
:math:`\bar f_k` the means of :math:`f^*` on :math:`I_k` (as in :mod:`tts_lib.theory.plateaus`).

**Window offset.** For the window of :math:`u_j`, :math:`\omega_j = \int f^*(x)\,\big(\sigma_\eta(x - u_j) -
\mathbf 1[x \ge u_j]\big)\,dx`. It is 0 on an unmarked window (:math:`\sigma(z) + \sigma(-z) = 1`), and on a
window holding the jump :math:`v` of height :math:`\Delta`, with :math:`\theta = (v - u_j)/\eta`,

.. math:: \omega_j = \Delta\,\eta\,k(\theta), \qquad k(\theta) = -\big(\tfrac12 - |\theta|\big)^4, \qquad |\omega_j| \le \frac{|\Delta|\eta}{16}.

**Identity.** With :math:`\beta = 5/56` and :math:`\omega_{(0)} = \omega_{(m+1)} = 0`,

.. math::

    c_k - \bar f_k = \frac{\beta\eta}{|I_k|}\,(2c_k - c_{k-1} - c_{k+1}) + \frac{\omega_{(k)} - \omega_{(k+1)}}{|I_k|}.

**Bounds** (for :math:`\eta \le I_{\min}/4`, :math:`I_{\min} = \min_k |I_k|`): :math:`\|c\|_\infty \le \tfrac76 M`,
:math:`|c_k - \bar f_k| \le \tfrac23 M\eta/|I_k|`, and for every neuron with an **unmarked** window

.. math:: |\partial_{u_j}\ell(u) - \partial_{u_j}\ell_0(u)| \le \frac{25}{9}\,\frac{M^2\eta}{I_{\min}} .

Proof of the bounds: :math:`|\omega_{(k)} - \omega_{(k+1)}| \le 2\cdot 2M\eta/16 = M\eta/4` (:math:`|\Delta| \le 2M`) and
:math:`q = 4\beta\eta/I_{\min} \le \beta`, so :math:`\|c\|_\infty \le (M + M/16)/(1 - \beta) = \tfrac76 M` and
:math:`|c_k - \bar f_k| \le \frac{\eta}{|I_k|}(4\beta\cdot\tfrac76 + \tfrac14)M = \tfrac23\frac{M\eta}{|I_k|}`. On an unmarked window
the reduced gradient is :math:`\tfrac12[(f^*(u_j) - c_{j-1})^2 - (f^*(u_j) - c_j)^2]` (as in
:mod:`~tts_lib.theory.plateaus`), the ideal one the same with :math:`\bar f`, and each difference of squares is at most
:math:`|c - \bar f|\,(2M + \tfrac76M + M) = \tfrac{25}{6}M|c - \bar f|`; the two sides give
:math:`\tfrac12\cdot 2\cdot\tfrac23\cdot\tfrac{25}{6} = \tfrac{25}{9}`.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..target import check_target
from .plateaus import BETA

__all__ = ["GAP_CONSTANT", "PLATEAU_SUP", "offset_profile", "marked_separated", "marked", "window_offsets",
           "jump_terms", "unmarked_gap_bound"]

GAP_CONSTANT = 25.0 / 9.0
r""":math:`\tfrac{25}{9}`: the gradient gap of an unmarked neuron is at most this times :math:`M^2\eta/I_{\min}`."""

PLATEAU_SUP = 7.0 / 6.0
r""":math:`\tfrac76`: :math:`\|c\|_\infty \le \tfrac76 M` when :math:`\eta \le I_{\min}/4`."""


def offset_profile(theta):
    r""":math:`k(\theta) = \int_\theta^{1/2}(\sigma(z) - \mathbf 1[z \ge 0])\,dz = -(\tfrac12 - |\theta|)^4` for
    :math:`|\theta| < \tfrac12`, and 0 outside (vectorised)."""
    th = _validate.points("theta", theta)
    out = np.where(np.abs(th) < 0.5, -(0.5 - np.minimum(np.abs(th), 0.5)) ** 4, 0.0)
    return float(out) if np.ndim(out) == 0 else out


def _args(u, target, eta):
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    return u, target, eta


def marked_separated(u, target, eta) -> bool:
    """True when the windows are pairwise disjoint, inside (0, 1), and each holds at most one jump."""
    u, target, eta = _args(u, target, eta)
    us = np.sort(u)
    h = 0.5 * eta
    if us[0] - h <= 0.0 or us[-1] + h >= 1.0 or np.any(np.diff(us) <= eta):
        return False
    inside = np.abs(us[:, None] - target.jumps[None, :]) < h
    return bool(np.all(inside.sum(axis=1) <= 1))


def marked(u, target, eta) -> np.ndarray:
    """Boolean mask (original order of ``u``): the window of ``u[j]`` holds a jump."""
    u, target, eta = _args(u, target, eta)
    return np.any(np.abs(u[:, None] - target.jumps[None, :]) < 0.5 * eta, axis=1)


def _require(u, target, eta):
    if not marked_separated(u, target, eta):
        raise ValueError("u: the windows must be disjoint, inside (0, 1) and hold at most one jump each")


def window_offsets(u, target, eta) -> np.ndarray:
    r""":math:`\omega_j = \Delta\eta\,k((v - u_j)/\eta)` for a window holding the jump :math:`v`, 0 otherwise
    (original order of ``u``)."""
    u, target, eta = _args(u, target, eta)
    _require(u, target, eta)
    theta = (target.jumps[None, :] - u[:, None]) / eta
    return eta * (offset_profile(theta) * target.heights[None, :]).sum(axis=1)


def jump_terms(u, target, eta) -> np.ndarray:
    r""":math:`(\omega_{(k)} - \omega_{(k+1)})/|I_k|`, :math:`k = 0..m`: what the marked windows add to the
    plateau identity (positions sorted)."""
    u, target, eta = _args(u, target, eta)
    om = window_offsets(u, target, eta)[np.argsort(u, kind="stable")]
    om = np.concatenate(([0.0], om, [0.0]))
    length = np.diff(np.concatenate(([0.0], np.sort(u), [1.0])))
    return (om[:-1] - om[1:]) / length


def unmarked_gap_bound(u, target, eta) -> float:
    r""":math:`\tfrac{25}{9}M^2\eta/I_{\min}`, the bound on the gradient gap of every unmarked neuron
    (needs marked separation and :math:`\eta \le I_{\min}/4`)."""
    u, target, eta = _args(u, target, eta)
    _require(u, target, eta)
    i_min = np.diff(np.concatenate(([0.0], np.sort(u), [1.0]))).min()
    if eta > i_min / 4:
        raise ValueError(f"eta must be at most min|I_k|/4 = {i_min / 4:.3g} for this bound, got {eta:.3g}")
    return GAP_CONSTANT * target.sup_norm**2 * eta / i_min
