r"""Continuous-time training dynamics.

* The two-timescale gradient flow

  .. math:: \frac{da}{dt} = -\nabla_a L(a, u), \qquad \frac{du}{dt} = -\varepsilon \nabla_u L(a, u),

  which is stiff when :math:`\varepsilon \ll 1`: it is integrated with an implicit
  method (Radau by default) and the exact Hessian of :math:`L` as Jacobian.
* The reduced (slow) flow on the slow manifold :math:`a = a^*(u)`, in the slow time
  :math:`\tau = \varepsilon t`:

  .. math:: \frac{du}{d\tau} = -\nabla \ell(u) = -\nabla_u L(a^*(u), u).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from . import _validate
from .target import check_target
from .errors import DivergenceError
from .model import _loss, _loss_grad, _loss_hessian
from .slow_fast import _optimal_outer, _reduced_loss_grad

_BLOWUP = 1e100
_METHODS = ("Radau", "BDF", "LSODA", "RK45", "DOP853", "RK23")


def _solver_options(method, rtol, atol, max_evaluations):
    """Checked ``method``, ``rtol`` in [100 eps, 1), ``atol`` > 0 and ``max_evaluations`` >= 1."""
    method = _validate.method("method", method, _METHODS)
    rtol = _validate.tolerance("rtol", rtol, relative=True)
    atol = _validate.tolerance("atol", atol)
    max_evaluations = _validate.integer("max_evaluations", max_evaluations, minimum=1, maximum=10**9)
    return method, rtol, atol, max_evaluations


class _Budget:
    """Counts right-hand-side evaluations and stops the integration loudly past ``limit``."""

    def __init__(self, limit, who, time_name, advice):
        self.limit, self.who, self.time_name, self.advice = limit, who, time_name, advice
        self.count = 0

    def __call__(self, t):
        self.count += 1
        if self.count > self.limit:
            raise RuntimeError(
                f"{self.who}: {self.limit} evaluations reached at {self.time_name}={t:.6g} without finishing; "
                + self.advice
            )


@dataclass
class FlowResult:
    """Trajectory of the two-timescale gradient flow.

    Attributes: ``t`` (k,), ``a`` (k, m + 1), ``u`` (k, m), ``loss`` (k,), ``nfev`` (right-hand side
    evaluations) and ``eps``; ``tau = eps * t`` is the slow time.
    """

    t: np.ndarray
    a: np.ndarray
    u: np.ndarray
    loss: np.ndarray
    eps: float
    nfev: int

    @property
    def tau(self) -> np.ndarray:
        return self.eps * self.t


@dataclass
class ReducedFlowResult:
    """Trajectory of the reduced flow: ``tau`` (k,), ``u`` (k, m), ``a`` = a*(u) (k, m + 1), ``loss`` = ℓ(u) (k,)."""

    tau: np.ndarray
    u: np.ndarray
    a: np.ndarray
    loss: np.ndarray
    nfev: int


def _check_finite(y, t, what):
    bad = ~np.isfinite(y) | (np.abs(y) > _BLOWUP)
    if np.any(bad):
        raise DivergenceError(what, t, float(y[np.argmax(bad)]), hint="time of the flow")


def gradient_flow(
    a0,
    u0,
    target,
    eta,
    eps,
    t_span,
    *,
    t_eval=None,
    method: str = "Radau",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    jacobian: bool = True,
    max_evaluations: int = 500_000,
) -> FlowResult:
    r"""Integrate :math:`\dot a = -\nabla_a L`, :math:`\dot u = -\varepsilon \nabla_u L` over ``t_span``.

    Parameters
    ----------
    a0, u0 : array_like
        Initial outer weights (``m + 1``, bias first) and positions (``m``).
    target : PiecewiseConstant
    eta, eps : float
        Activation width and ratio of the stepsizes (both positive).
    t_span : (float, float)
        Time interval in the fast time :math:`t`.
    t_eval : array_like, optional
        Output times (default: 201 equally spaced).
    method : str
        A ``solve_ivp`` method; the implicit ones (``"Radau"``, ``"BDF"``) use the exact Hessian
        as Jacobian when ``jacobian`` is true.
    rtol, atol : float
        Solver tolerances: ``rtol`` in :math:`[100\,\varepsilon_{\mathrm{mach}}, 1)`, ``atol > 0``.
    max_evaluations : int
        The integration stops with a ``RuntimeError`` naming :math:`t` after this many right-hand-side
        evaluations (a run that cannot finish is reported, not left to hang).
    """
    a0, u0 = _validate.network(a0, u0, a_name="a0", u_name="u0")
    target = check_target(target)
    eta = _validate.width("eta", eta)
    eps = _validate.positive("eps", eps)
    t0, t1 = _validate.span("t_span", t_span)
    if t_eval is None:
        t_eval = np.linspace(t0, t1, 201)
    t_eval = _validate.evaluation_times("t_eval", t_eval, (t0, t1))
    method, rtol, atol, max_evaluations = _solver_options(method, rtol, atol, max_evaluations)
    jacobian = _validate.flag("jacobian", jacobian)
    m = u0.shape[0]
    _validate.memory("t_eval", 24.0 * t_eval.shape[0] * (2 * m + 1), f"the trajectory at {t_eval.shape[0]} times")
    if method in ("Radau", "BDF", "LSODA"):  # dense (2m + 1)^2 Jacobians, complex LU factors for Radau
        _validate.memory("u0", 8.0 * 8 * (2 * m + 1) ** 2, f"the implicit solver's matrices for m = {m} neurons")
    scale = np.concatenate((np.ones(m + 1), np.full(m, eps)))
    budget = _Budget(max_evaluations, "gradient_flow", "t", "shorten t_span, loosen rtol or raise max_evaluations")

    def rhs(t, y):
        budget(t)
        _check_finite(y, t, "gradient_flow state")
        _, ga, gu = _loss_grad(y[: m + 1], y[m + 1 :], target, eta)
        return -scale * np.concatenate((ga, gu))

    def jac(_t, y):
        return -scale[:, None] * _loss_hessian(y[: m + 1], y[m + 1 :], target, eta)

    extra = {"jac": jac} if jacobian and method in ("Radau", "BDF", "LSODA") else {}
    sol = solve_ivp(rhs, (t0, t1), np.concatenate((a0, u0)), method=method, t_eval=t_eval, rtol=rtol, atol=atol, **extra)
    if sol.status < 0 or not np.all(np.isfinite(sol.y)):
        raise RuntimeError(f"gradient_flow: the ODE solver failed at t={sol.t[-1] if sol.t.size else t0}: {sol.message}")
    y = sol.y.T
    a, u = y[:, : m + 1], y[:, m + 1 :]
    loss = np.array([_loss(ai, ui, target, eta) for ai, ui in zip(a, u)])
    return FlowResult(sol.t, a, u, loss, eps, sol.nfev)


def reduced_flow(
    u0,
    target,
    eta,
    tau_span,
    *,
    tau_eval=None,
    method: str = "LSODA",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    max_evaluations: int = 200_000,
) -> ReducedFlowResult:
    r"""Integrate the slow flow :math:`du/d\tau = -\nabla\ell(u)` on the slow manifold :math:`a = a^*(u)`.

    :math:`\nabla \ell(u) = \nabla_u L(a^*(u), u)` by the envelope theorem. ``tau_eval``
    defaults to 201 equally spaced times.

    The reduced flow is only as good as the slow manifold: when two neurons squeeze together
    (within :math:`\eta` of a jump, late in a run) :math:`G(u)` becomes singular,
    :math:`a^*(u)` is no longer unique and :math:`\ell` stops being smooth, so the solver
    chatters. Rather than return a trajectory it cannot vouch for, the integration stops with a
    ``RuntimeError`` naming :math:`\tau` once the right-hand side has been evaluated
    ``max_evaluations`` times. ``rtol`` must lie in :math:`[100\,\varepsilon_{\mathrm{mach}}, 1)` and
    ``atol`` be positive.
    """
    u0 = _validate.positions("u0", u0)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    t0, t1 = _validate.span("tau_span", tau_span)
    if tau_eval is None:
        tau_eval = np.linspace(t0, t1, 201)
    tau_eval = _validate.evaluation_times("tau_eval", tau_eval, (t0, t1))
    method, rtol, atol, max_evaluations = _solver_options(method, rtol, atol, max_evaluations)
    m = u0.shape[0]
    _validate.memory("tau_eval", 24.0 * tau_eval.shape[0] * (2 * m + 1), f"the trajectory at {tau_eval.shape[0]} times")
    _validate.memory("u0", 8.0 * (3 * (m + 1) ** 2 + (8 * m * m if method in ("Radau", "BDF", "LSODA") else 0)),
                     f"the Gram matrices and solver matrices for m = {m} neurons")
    budget = _Budget(max_evaluations, "reduced_flow", "tau",
                     "neurons are probably merging (singular Gram matrix, non-smooth reduced loss): "
                     "shorten tau_span or use gradient_flow")

    def rhs(t, u):
        _check_finite(u, t, "reduced_flow state")
        budget(t)
        return -_reduced_loss_grad(u, target, eta)[1]

    sol = solve_ivp(rhs, (t0, t1), u0, method=method, t_eval=tau_eval, rtol=rtol, atol=atol)
    if sol.status < 0 or not np.all(np.isfinite(sol.y)):
        raise RuntimeError(f"reduced_flow: the ODE solver failed at tau={sol.t[-1] if sol.t.size else t0}: {sol.message}")
    u = sol.y.T
    a = np.array([_optimal_outer(ui, target, eta) for ui in u])
    loss = np.array([_loss(ai, ui, target, eta) for ai, ui in zip(a, u)])
    return ReducedFlowResult(sol.t, u, a, loss, sol.nfev)
