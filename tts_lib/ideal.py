r"""The ideal dynamics: the limit :math:`\eta \to 0`, :math:`\varepsilon \to 0`.

With step-function neurons the best outer weights make the network equal to the
mean of :math:`f^*` on each interval of the partition
:math:`\{0, u_{(1)}, \dots, u_{(m)}, 1\}`, and the reduced loss becomes

.. math::

    \ell_0(u) = \frac12 \sum_{\text{intervals } I} \int_I \big(f^* - \bar f^*_I\big)^2 .

Differentiating one interval's term in its end point gives, for a neuron at
:math:`u_j` with interval means :math:`c_\text{left}` and :math:`c_\text{right}`,

.. math::

    \frac{\partial \ell_0}{\partial u_j} = \frac12\Big[(f^*(u_j) - c_\text{left})^2
        - (f^*(u_j) - c_\text{right})^2\Big],

and the ideal flow is :math:`du/d\tau = -\nabla \ell_0(u)`. For a jump :math:`v` of height
:math:`\Delta` flanked by :math:`u^L < v < u^R` (no other jump between them),
:math:`d_L = v - u^L`, :math:`d_R = u^R - v`:

.. math::

    \frac{du^L}{d\tau} = \frac{\Delta^2}{2}\Big(\frac{d_R}{d_L + d_R}\Big)^2, \qquad
    \frac{du^R}{d\tau} = -\frac{\Delta^2}{2}\Big(\frac{d_L}{d_L + d_R}\Big)^2 .
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from . import _validate
from .target import check_target


def _unit_positions(name, u):
    u = _validate.vector(name, u, min_length=1)
    if np.any(u < 0.0) or np.any(u > 1.0):
        raise ValueError(f"{name} must lie in [0, 1] for the ideal (eta -> 0) dynamics, got {u.tolist()}")
    return u


def _interval_stats(p, q, target):
    """Length, integral and integral of the square of f* on [p, q] (vectorised)."""
    length = q - p
    s1 = target.primitive(q) - target.primitive(p)
    s2 = target.primitive_sq(q) - target.primitive_sq(p)
    return length, s1, s2


def _ideal_loss(u, target) -> float:
    edges = np.concatenate(([0.0], np.sort(u), [1.0]))
    length, s1, s2 = _interval_stats(edges[:-1], edges[1:], target)
    pos = length > 0.0
    return 0.5 * float(np.sum(s2[pos] - s1[pos] ** 2 / length[pos]))


def ideal_loss(u, target) -> float:
    r""":math:`\ell_0(u) = \tfrac12 \sum_I \int_I (f^* - \bar f^*_I)^2`, the ideal reduced loss (exact)."""
    u = _unit_positions("u", u)
    target = check_target(target)
    return _ideal_loss(u, target)


def _left_limit(target, x):
    """f*(x-) (the value just left of x); f*(0-) := f*(0)."""
    idx = np.searchsorted(target.jumps, x, side="left")
    return target.values[idx]


def _ideal_velocity(u, target) -> np.ndarray:
    order = np.argsort(u, kind="stable")
    us = u[order]
    edges = np.concatenate(([0.0], us, [1.0]))
    length, s1, _ = _interval_stats(edges[:-1], edges[1:], target)
    f_plus = target(us)
    f_minus = _left_limit(target, us)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(length > 0.0, s1 / np.where(length > 0.0, length, 1.0), np.nan)
    c_left = means[:-1].copy()
    c_right = means[1:].copy()
    # an empty interval has the limit mean: f*(u-) on the left, f*(u+) on the right
    c_left = np.where(np.isnan(c_left), f_minus, c_left)
    c_right = np.where(np.isnan(c_right), f_plus, c_right)
    d_plus = 0.5 * ((f_plus - c_left) ** 2 - (f_plus - c_right) ** 2)
    d_minus = 0.5 * ((f_minus - c_left) ** 2 - (f_minus - c_right) ** 2)
    # one-sided rule at a jump: move only in a direction in which l0 decreases
    vel = np.zeros_like(us)
    right = d_plus < 0.0
    left = d_minus > 0.0
    both = right & left
    vel[right & ~both] = -d_plus[right & ~both]
    vel[left & ~both] = -d_minus[left & ~both]
    steeper_right = both & (-d_plus >= d_minus)
    vel[steeper_right] = -d_plus[steeper_right]
    vel[both & ~steeper_right] = -d_minus[both & ~steeper_right]
    out = np.empty_like(vel)
    out[order] = vel
    return out


def ideal_velocity(u, target) -> np.ndarray:
    r"""Velocity of the ideal flow, :math:`-\nabla \ell_0(u)`, one entry per neuron.

    At a jump of :math:`f^*`, :math:`\ell_0` has a kink in :math:`u_j`; the velocity is then the
    one-sided steepest descent (zero when both one-sided slopes go uphill, as for a neuron that
    has captured its jump). Neurons at the same place see an empty interval, whose mean is taken
    as the limit value of :math:`f^*`.
    """
    u = _unit_positions("u", u)
    target = check_target(target)
    return _ideal_velocity(u, target)


@dataclass
class IdealFlowResult:
    """Trajectory of the ideal flow.

    Attributes
    ----------
    tau : ndarray, shape (k,)
        Slow times :math:`\\tau` of the samples.
    u : ndarray, shape (k, m)
        Positions at those times.
    loss : ndarray, shape (k,)
        :math:`\\ell_0(u(\\tau))`.
    arrival_tau : ndarray, shape (m,)
        Time at which each neuron reached a jump of the target (``nan`` if it did not).
    arrival_jump : ndarray of int, shape (m,)
        Index of the jump it reached (``-1`` if none).
    """

    tau: np.ndarray
    u: np.ndarray
    loss: np.ndarray
    arrival_tau: np.ndarray
    arrival_jump: np.ndarray


def _make_event(j, v):
    def event(_t, y):
        return y[j] - v

    event.terminal = True
    return event


class _FrozenVelocity:
    """The ideal velocity with each neuron's piece of the target frozen.

    Between two arrivals no neuron crosses a jump, nor another neuron, so each neuron's value :math:`f^*(u_j)` and
    the primitive :math:`F` near it are those of a fixed piece; extending them linearly past the
    jump makes the right-hand side smooth across an arrival, so the ODE solver locates the
    arrival to its full accuracy instead of stepping over a discontinuity.
    """

    def __init__(self, u, target):
        self.target = target
        edges = target.edges
        self.edges = edges
        self.cum = np.concatenate(([0.0], np.cumsum(target.values * np.diff(edges))))
        vel = _ideal_velocity(u, target)
        at_jump = np.isin(u, target.jumps)
        self.still = at_jump & (vel == 0.0)
        piece = np.searchsorted(target.jumps, u, side="right")
        # a neuron leaving a jump towards the left belongs to the piece on the left
        piece[at_jump & (vel < 0.0)] -= 1
        self.piece = piece
        # the order of the neurons is frozen too (the flow preserves it), so that two neurons
        # meeting on a jump at the same instant do not make the right-hand side jump
        self.order = np.argsort(u, kind="stable")

    def _primitive(self, x, piece):
        return self.cum[piece] + self.target.values[piece] * (x - self.edges[piece])

    def __call__(self, _t, u):
        order = self.order
        us = u[order]
        ps = self.piece[order]
        last = self.target.n_pieces - 1
        pts = np.concatenate(([0.0], us, [1.0]))
        pcs = np.concatenate(([0], ps, [last]))
        prim = self._primitive(pts, pcs)
        length = np.diff(pts)
        f = self.target.values[ps]
        safe = np.where(length != 0.0, length, 1.0)
        means = np.where(length != 0.0, np.diff(prim) / safe, np.nan)
        c_left = np.where(np.isnan(means[:-1]), f, means[:-1])
        c_right = np.where(np.isnan(means[1:]), f, means[1:])
        vel = -0.5 * ((f - c_left) ** 2 - (f - c_right) ** 2)
        vel[self.still[order]] = 0.0
        out = np.empty_like(vel)
        out[order] = vel
        return out


_MAX_EVENTS = 10_000


def ideal_flow(u0, target, tau_span, *, tau_eval=None, rtol=1e-10, atol=1e-13) -> IdealFlowResult:
    r"""Integrate the ideal flow :math:`du/d\tau = -\nabla\ell_0(u)` over ``tau_span``.

    Arrivals at a jump are located to the solver's accuracy (``rtol``): each (neuron, jump)
    pair is an event of the ODE solver, integrated with each neuron's piece of the target
    frozen so that the right-hand side stays smooth through the arrival; when a neuron
    reaches a jump the integration stops, the neuron is put exactly on the jump, and the
    integration restarts from there (the velocity there is given by the one-sided rule of
    :func:`ideal_velocity`: a neuron that captured its jump stays). ``tau_eval`` defaults to
    201 equally spaced times. ``rtol`` must lie in :math:`[100\,\varepsilon_{\mathrm{mach}}, 1)` and ``atol``
    be positive. Every step evaluates one event per (neuron, jump) pair, so ``m * len(target.jumps)`` is
    limited to 10 000.
    """
    u = _unit_positions("u0", u0)
    target = check_target(target)
    t0, t1 = _validate.span("tau_span", tau_span)
    rtol = _validate.tolerance("rtol", rtol, relative=True)
    atol = _validate.tolerance("atol", atol)
    if u.shape[0] * max(1, target.jumps.size) > _MAX_EVENTS:
        raise ValueError(
            f"u0 has {u.shape[0]} neurons and target {target.jumps.size} jumps: ideal_flow tracks one event per "
            f"(neuron, jump) pair, {u.shape[0] * max(1, target.jumps.size)} here, limited to {_MAX_EVENTS}"
        )
    if t0 < 0:
        raise ValueError(f"tau_span must start at a time >= 0, got {tau_span!r}")
    if tau_eval is None:
        tau_eval = np.linspace(t0, t1, 201)
    tau_eval = _validate.evaluation_times("tau_eval", tau_eval, (t0, t1))
    m = u.shape[0]
    _validate.memory("tau_eval", 16.0 * tau_eval.shape[0] * m, f"the trajectory at {tau_eval.shape[0]} times")
    jumps = target.jumps
    arrival_tau = np.full(m, np.nan)
    arrival_jump = np.full(m, -1, dtype=int)
    out = np.empty((tau_eval.shape[0], m))
    t = t0
    state = u.copy()
    filled = 0
    for _ in range(10 * m * max(1, jumps.size) + 10):
        events, pairs = [], []
        for j in range(m):
            for i, v in enumerate(jumps):
                if state[j] != v:
                    events.append(_make_event(j, v))
                    pairs.append((j, i))
        sol = solve_ivp(
            _FrozenVelocity(state, target),
            (t, t1),
            state,
            method="DOP853",
            rtol=rtol,
            atol=atol,
            events=events or None,
            dense_output=True,
        )
        if sol.status < 0:
            raise RuntimeError(f"ideal_flow: the ODE solver failed at tau={sol.t[-1]}: {sol.message}")
        t_end = sol.t[-1]
        sel = (tau_eval >= t) & (tau_eval <= t_end)
        idx = np.nonzero(sel)[0]
        idx = idx[idx >= filled]
        if idx.size:
            out[idx] = sol.sol(tau_eval[idx]).T
            filled = idx[-1] + 1
        if sol.status == 1:  # an arrival
            hit = [k for k, te in enumerate(sol.t_events) if te.size]
            k = min(hit, key=lambda kk: sol.t_events[kk][0])
            j, i = pairs[k]
            state = np.clip(sol.y_events[k][0].copy(), 0.0, 1.0)
            state[j] = jumps[i]
            arrival_tau[j] = sol.t_events[k][0]
            arrival_jump[j] = i
            # other neurons arriving at the same instant, or at the same jump within the same
            # solver step (a tie: the two flanking neurons meet on the jump, where the order
            # of the neurons, and so the right-hand side, is not smooth)
            for kk in hit:
                same_time = abs(sol.t_events[kk][0] - t_end) <= 1e-12 * max(1.0, t_end)
                if kk != k and (same_time or pairs[kk][1] == i):
                    jj, ii = pairs[kk]
                    state[jj] = jumps[ii]
                    arrival_tau[jj] = sol.t_events[kk][0]
                    arrival_jump[jj] = ii
            # a neuron meeting the same jump at the same instant from the other side (a tie)
            tie = (np.abs(state - jumps[i]) <= 1e-9) & np.isnan(arrival_tau)
            state[tie] = jumps[i]
            arrival_tau[tie] = t_end
            arrival_jump[tie] = i
            t = t_end
            # the samples at exactly the arrival time take the snapped state
            at = np.nonzero(np.isclose(tau_eval, t, rtol=0, atol=0))[0]
            out[at] = state
            if t >= t1:
                break
        else:
            break
    else:  # pragma: no cover - guards an infinite event loop
        raise RuntimeError("ideal_flow: too many arrival events")
    if filled < tau_eval.shape[0]:
        out[filled:] = state
    out = np.clip(out, 0.0, 1.0)
    loss = np.array([_ideal_loss(row, target) for row in out])
    return IdealFlowResult(tau_eval, out, loss, arrival_tau, arrival_jump)


def capture_times(u0, target) -> np.ndarray:
    r"""Exact slow time at which each jump of ``target`` receives its neuron in the ideal flow from ``u0``,
    for a start with **two neurons in every piece** (closed form; :func:`ideal_flow` integrates the same flow).

    With two neurons strictly inside every piece, the interval around a jump :math:`v` of height
    :math:`\Delta` is bounded by its own flanking pair :math:`u^L < v < u^R` and every other neuron stands still
    (its two intervals have the mean :math:`f^*(u_j)`). With :math:`d_L = v - u^L`, :math:`d_R = u^R - v` the
    module's velocities give :math:`d(d_L^3)/d\tau = d(d_R^3)/d\tau = -\tfrac32\Delta^2 d_L^2 d_R^2/(d_L + d_R)^2`,
    so :math:`C = d_R^3 - d_L^3` is conserved. Let :math:`x_0 \le y_0` be the smaller and the larger initial
    distance and :math:`C = y_0^3 - x_0^3`; the nearer neuron arrives at

    .. math::

        \tau_v = \frac{2}{\Delta^2}\int_0^{x_0}\Big(1 + \frac{x}{(x^3 + C)^{1/3}}\Big)^2 dx
               = \frac{2}{\Delta^2}\Big[x_0 + y_0 + \frac{2x_0^2}{y_0}
                 - C^{1/3}\Big(1 + \tfrac23 B\big(x_0^3/y_0^3; \tfrac23, \tfrac23\big)\Big)\Big],

    (substitute :math:`t = x/(x^3 + C)^{1/3}`, then :math:`w = t^3`; :math:`B(w; a, b)` is the incomplete beta
    function), between :math:`2x_0/\Delta^2` and :math:`8x_0/\Delta^2` (the latter for :math:`d_L = d_R`). A
    neuron on the jump at the start gives 0. Returns one time per jump (``nan`` never occurs); raises when the
    start does not have two neurons in every piece (then pairs interact: use :func:`ideal_flow`).
    """
    from scipy.special import beta, betainc

    from .initialisation import two_per_piece

    u = np.sort(_unit_positions("u0", u0))
    target = check_target(target)
    if not two_per_piece(u, target):
        raise ValueError("u0 must have two neurons strictly inside every piece of target for capture_times "
                         "(the flanking pairs then move independently); use ideal_flow otherwise")
    out = np.empty(target.jumps.size)
    for i, (v, dh) in enumerate(zip(target.jumps, target.heights)):
        if np.any(u == v):
            out[i] = 0.0
            continue
        d_left = v - u[u < v].max()
        d_right = u[u > v].min() - v
        x0, y0 = min(d_left, d_right), max(d_left, d_right)
        c13 = np.cbrt(y0**3 - x0**3)
        w0 = (x0 / y0) ** 3
        inc = betainc(2 / 3, 2 / 3, w0) * beta(2 / 3, 2 / 3)
        out[i] = 2.0 / dh**2 * (x0 + y0 + 2 * x0**2 / y0 - c13 * (1 + 2 / 3 * inc))
    return out
