r"""The constants of chapter 4's convergence theorem (any number of jumps), evaluated from a start.

**Quantities of the start.** Positions :math:`u(0)` with two neurons in every piece, none on a jump. For each
jump :math:`v_i` (height :math:`\Delta_i`) its flanking neurons are at distances :math:`d_{L,i}, d_{R,i}`; the
*near* distance is :math:`d_i = \min(d_{L,i}, d_{R,i})` and the *asymmetry* :math:`\Delta d_i = |d_{L,i} - d_{R,i}|`.
:math:`\Delta u` is the smallest gap between two consecutive neurons of one piece, and between :math:`0` (resp.
:math:`1`) and the first (last) neuron. The genericity assumption is :math:`\Delta d = \min_i \Delta d_i > 0`. Put

.. math::

    \nu = \min(\Delta u, \Delta d), \qquad T = \max_i \frac{16\,d_i}{\Delta_i^2} \le \frac{16}{\Delta f^2}, \qquad
    \varepsilon_\eta = 11\,\frac{M^2\eta}{\nu},

.. math::

    \eta_0 = \min\Big(\frac{\nu}{30},\ \frac{\Delta f^2\,\nu}{176\,M^2},\ \frac{\nu^2}{352\,M^2\,T}\Big)

(so that :math:`\eta \le \eta_0` gives :math:`\eta \le \nu/30`, :math:`\varepsilon_\eta \le \Delta f^2/16` and
:math:`T\varepsilon_\eta \le \nu/32`). For the fast variables, with :math:`\bar e_0 \ge \|a(0) - a^*(u(0))\|`
(:math:`\bar e_0 = A` for :math:`a(0) = 0`):

.. math::

    \mu = \frac{\nu}{12}, \quad A = \tfrac73\sqrt{m+1}\,M, \quad R = A + \bar e_0 + 1, \quad
    L_a = 2\sqrt{m+1}\,R + M, \quad B_u = R(\sqrt{m+1}\,R + M),

.. math::

    J = \frac{\sqrt m\,(M + 2\sqrt{m+1}\,A)}{\mu}, \quad B = J B_u, \quad e_\eta = \sqrt{\frac{2\eta}{m+1}},

.. math::

    \varepsilon_0(\eta) = \min\Big(\frac{\mu\min(1, e_\eta)}{2B},\ \frac{\mu\,\eta}{2L_a(\bar e_0 + BT)},\
    \frac{\mu T}{\log_+(2\bar e_0/e_\eta)}\Big).

**Conclusion** (chapter 4): for :math:`\eta \le \eta_0` and :math:`\varepsilon \le \varepsilon_0(\eta)` the
two-timescale flow from :math:`(a(0), u(0))` brings each jump's near neuron within :math:`\eta` of the jump by slow
time :math:`16d_i/\Delta_i^2` and keeps it within :math:`\tfrac32\eta` up to :math:`T`, and

.. math:: L(a(\tau), u(\tau)) \le \Big(6M^2m + \tfrac34\sum_i\Delta_i^2 + 1\Big)\,\eta \qquad (\tau \ge T).
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..initialisation import two_per_piece
from ..target import check_target
from .flanking import flanking_pairs

__all__ = ["start_quantities", "theorem_constants"]


def start_quantities(u0, target) -> dict:
    r"""``delta_u`` (:math:`\Delta u`), ``delta_d`` (:math:`\Delta d`; per jump ``delta_d_i``), ``nu``
    :math:`= \min(\Delta u, \Delta d)`, ``near`` (:math:`d_i`), ``far``,
    ``near_index``/``far_index`` (into ``u0``), ``T`` :math:`= \max_i 16 d_i/\Delta_i^2`, ``pieces`` of a start
    with two neurons per piece and none on a jump (``ValueError`` naming ``u0`` otherwise)."""
    u0 = _validate.positions("u0", u0)
    target = check_target(target)
    if target.jumps.size == 0:
        raise ValueError("target must have at least one jump")
    if not two_per_piece(u0, target):
        raise ValueError("u0 must hold at least two neurons strictly inside every piece of target")
    pairs = flanking_pairs(u0, target)
    near = np.minimum(pairs.d_left, pairs.d_right)
    far = np.maximum(pairs.d_left, pairs.d_right)
    near_index = np.where(pairs.d_left <= pairs.d_right, pairs.left, pairs.right)
    far_index = np.where(pairs.d_left <= pairs.d_right, pairs.right, pairs.left)
    delta_d_i = far - near
    us = np.sort(u0)
    pieces = target.piece(us)
    gaps = np.diff(us)[np.diff(pieces) == 0]
    delta_u = float(min(gaps.min() if gaps.size else np.inf, us[0], 1.0 - us[-1]))
    delta_d = float(delta_d_i.min())
    big_t = float(np.max(16.0 * near / target.heights**2))
    return {"delta_u": delta_u, "delta_d_i": delta_d_i, "delta_d": delta_d, "nu": min(delta_u, delta_d), "near": near, "far": far, "near_index": near_index,
            "far_index": far_index, "T": big_t, "pieces": target.piece(u0)}


def theorem_constants(u0, target, *, a0=None, e0_bound=None) -> dict:
    r"""The theorem's constants for the start ``u0`` (see the module docstring for every formula).

    Returns a dict with the start quantities of :func:`start_quantities` and ``M``, ``delta_f``, ``m``,
    ``eta0`` (float), ``eps_eta`` (callable of :math:`\eta`: :math:`11M^2\eta/\nu`), ``eps0`` (callable of
    :math:`\eta`), ``loss_bound`` (callable of :math:`\eta`: :math:`(6M^2m + \frac34\sum\Delta_i^2 + 1)\eta`),
    ``mu``, ``A``, ``e0_bar`` (:math:`\bar e_0`), and ``fast`` (callable of :math:`\eta` returning ``R, L_a, B_u, J, B,
    e_eta``).

    ``e0_bar`` bounds :math:`\|a(0) - a^*(u(0))\|`: ``e0_bound`` if given; else :math:`A` when ``a0`` is ``None``
    (meaning :math:`a(0) = 0`, for which :math:`\|a^*(u(0))\| \le A`); else :math:`\|a_0\| + A`.
    """
    q = start_quantities(u0, target)
    target = check_target(target)
    u0 = _validate.positions("u0", u0)
    m = u0.shape[0]
    big_m = float(target.sup_norm)
    delta_f = float(target.delta_f)
    nu, big_t = q["nu"], q["T"]
    if not nu > 0:
        raise ValueError("u0 is not generic: the two neurons flanking some jump are equally far from it (delta_d = 0)")
    eta0 = min(nu / 30.0, delta_f**2 * nu / (176.0 * big_m**2), nu**2 / (352.0 * big_m**2 * big_t))
    mu = nu / 12.0
    big_a = 7.0 / 3.0 * np.sqrt(m + 1) * big_m
    if e0_bound is not None:
        e0_bar = _validate.positive("e0_bound", e0_bound, allow_zero=True)
    elif a0 is None:
        e0_bar = big_a
    else:
        a0 = _validate.vector("a0", a0, length=m + 1)
        e0_bar = float(np.linalg.norm(a0)) + big_a
    sq = np.sqrt(m + 1)

    def fast(eta):
        eta = _validate.positive("eta", eta)
        r = big_a + e0_bar + 1.0
        l_a = 2.0 * sq * r + big_m
        b_u = r * (sq * r + big_m)
        j = np.sqrt(m) * (big_m + 2.0 * sq * big_a) / mu
        e_eta = np.sqrt(2.0 * eta / (m + 1))
        return {"R": r, "L_a": l_a, "B_u": b_u, "J": j, "B": j * b_u, "e_eta": e_eta}

    def eps0(eta):
        f = fast(eta)
        cands = [mu * min(1.0, f["e_eta"]) / (2.0 * f["B"]), mu * eta / (2.0 * f["L_a"] * (e0_bar + f["B"] * big_t))]
        ratio = 2.0 * e0_bar / f["e_eta"]
        if ratio > 1.0:
            cands.append(mu * big_t / np.log(ratio))
        return float(min(cands))

    sum_d2 = float(np.sum(target.heights**2))
    out = dict(q)
    out.update({
        "M": big_m, "delta_f": delta_f, "m": m, "eta0": float(eta0), "mu": mu, "A": big_a, "e0_bar": e0_bar,
        "eps_eta": lambda eta: 11.0 * big_m**2 * eta / nu,
        "eps0": eps0, "fast": fast,
        "loss_bound": lambda eta: (6.0 * big_m**2 * m + 0.75 * sum_d2 + 1.0) * eta,
    })
    return out

