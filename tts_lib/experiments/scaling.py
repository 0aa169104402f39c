r"""Scaling laws of the two-timescale regime, measured and fitted.

Three laws, each a function that measures and a closed form it is compared with.

**Final loss against** :math:`\eta`. With one neuron centred on each jump :math:`v_i` (height
:math:`\Delta_i`) and outer weights :math:`a_0 = f^*_0`, :math:`a_i = \Delta_i`, the network differs from
:math:`f^*` only inside the windows :math:`|x - v_i| < \eta/2`, where the error is
:math:`\Delta_i(\sigma(z) - \mathbb 1[z \ge 0])` with :math:`z = (x - v_i)/\eta`. Since
:math:`\int_{-1/2}^{1/2} (\sigma - \mathbb 1_{z \ge 0})^2 dz = 2 \int_0^{1/2} 16 s^6 ds = 1/28`,

.. math::

    L_{\text{centred}}(\eta) = \frac{\eta}{56} \sum_i \Delta_i^2

(windows inside :math:`[0, 1]` and disjoint). For the paper's target :math:`\sum_i \Delta_i^2 = 56`, so
:math:`L_{\text{centred}} = \eta` exactly. :func:`final_loss_vs_eta` measures the loss the reduced flow
reaches and fits :math:`L \approx C \eta^p`.

**Time to capture every jump against** :math:`1/\varepsilon`. In the slow time :math:`\tau = \varepsilon t`
the positions follow a flow that does not depend on :math:`\varepsilon` (to first order), so the fast
time at which every jump has a neuron within ``tol`` scales as :math:`t_{\text{cap}} = \tau_{\text{cap}}
/ \varepsilon`. :func:`capture_times` measures it on SGD runs and :func:`ideal_capture_time` gives the
ideal limit's :math:`\tau_{\text{cap}}`.

**Slow-manifold tracking error against** :math:`\varepsilon`: :func:`tracking_errors` runs the full
two-timescale gradient flow and the reduced flow from the same positions and measures
:math:`\max_\tau \|u^{\text{full}}(\tau) - u^{\text{red}}(\tau)\|_\infty` (Tikhonov:
:math:`O(\varepsilon)`); :func:`fit_power_law` fits any of these laws.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..target import check_target
from ..flows import reduced_flow
from ..ideal import ideal_flow
from .coverage import jump_gaps
from ..sgd import sgd_ensemble
from ..theory.slow_fast_tracking import tracking_gaps

__all__ = [
    "fit_power_law",
    "TrackingErrors",
    "tracking_errors",
    "centred_network",
    "centred_loss",
    "EtaScaling",
    "final_loss_vs_eta",
    "capture_time",
    "ideal_capture_time",
    "reduced_capture_time",
    "CaptureScaling",
    "capture_times",
]

#: :math:`\int_{-1/2}^{1/2} (\sigma(z) - \mathbb 1[z \ge 0])^2 dz`.
STEP_ERROR_INTEGRAL = 1.0 / 28.0


def fit_power_law(x, y, *, stderr=False):
    r"""Least-squares fit of :math:`\log y = \log C + p \log x`; returns ``(C, p)``, or ``(C, p, se)`` with
    ``stderr=True``, where :math:`\text{se} = \sqrt{\frac{\sum_k r_k^2/(n - 2)}{\sum_k (\log x_k - \overline{\log x})^2}}`
    is the ordinary-least-squares standard error of the exponent (:math:`r_k` the residuals; ``nan`` for
    two points). Report it with the fitted range: a power law fitted on a factor 16 in :math:`x` says
    nothing outside it."""
    x = _validate.vector("x", x, min_length=2)
    y = _validate.vector("y", y, length=x.shape[0])
    if np.any(x <= 0):
        raise ValueError("x must be positive for a power-law fit")
    if np.any(y <= 0):
        raise ValueError("y must be positive for a power-law fit")
    if np.ptp(x) == 0:
        raise ValueError("x must take at least two distinct values")
    lx, ly = np.log(x), np.log(y)
    p, logc = np.polyfit(lx, ly, 1)
    if not stderr:
        return float(np.exp(logc)), float(p)
    n = lx.size
    resid = ly - (logc + p * lx)
    se = float(np.sqrt(np.sum(resid**2) / (n - 2) / np.sum((lx - lx.mean()) ** 2))) if n > 2 else float("nan")
    return float(np.exp(logc)), float(p), se


@dataclass
class TrackingErrors:
    """Outcome of :func:`tracking_errors`: ``eps`` (E,), the largest position ``gap`` (E,), the fit
    ``(prefactor, exponent)`` of ``gap`` against ``eps``, ``tau_end`` and ``wall_time``."""

    eps: np.ndarray
    gap: np.ndarray
    prefactor: float
    exponent: float
    tau_end: float
    wall_time: float


def tracking_errors(target, u0, eta, eps_values, tau_end, *, n_eval=51, rtol=1e-11, atol=1e-13) -> TrackingErrors:
    r"""Largest gap :math:`\max_{\tau \le \tau_{\text{end}}} \max_j |u_j^{\text{full}}(\tau) - u_j^{\text{red}}(\tau)|`
    between the full flow (fast time :math:`t = \tau/\varepsilon`, started on the slow manifold
    :math:`a_0 = a^*(u_0)`, LSODA) and the reduced flow, for each :math:`\varepsilon`; fit
    :math:`\text{gap} \approx C\varepsilon^p`."""
    target = check_target(target)
    eps_values = _validate.vector("eps_values", eps_values, min_length=2)
    t0 = time.perf_counter()
    res = tracking_gaps(target, u0, eta, eps_values, tau_end, n_eval=n_eval, rtol=rtol, atol=atol)
    c, p = fit_power_law(res.eps, res.gap)
    return TrackingErrors(res.eps, res.gap, c, p, float(tau_end), time.perf_counter() - t0)


def _check_windows(target, eta):
    v = target.jumps
    if v.size and (v[0] - eta / 2 < 0 or v[-1] + eta / 2 > 1 or (v.size > 1 and np.min(np.diff(v)) < eta)):
        raise ValueError(
            f"eta must be small enough for disjoint windows inside [0, 1] around the jumps, got eta={eta}"
        )


def centred_network(target, eta):
    r"""``(a, u)``: one neuron centred on each jump, :math:`u_i = v_i`, :math:`a_0 = f^*_0`,
    :math:`a_i = \Delta_i`."""
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    _check_windows(target, eta)
    if target.jumps.size == 0:
        raise ValueError("target must have at least one jump")
    a = np.concatenate(([target.values[0]], target.heights))
    return a, target.jumps.copy()


def centred_loss(target, eta) -> float:
    r""":math:`L_{\text{centred}}(\eta) = \frac{\eta}{56}\sum_i \Delta_i^2`, the exact loss of
    :func:`centred_network` (an upper bound on the global minimum for ``len(jumps)`` or more neurons)."""
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    _check_windows(target, eta)
    return float(0.5 * STEP_ERROR_INTEGRAL * eta * np.sum(target.heights**2))


@dataclass
class EtaScaling:
    """Outcome of :func:`final_loss_vs_eta`: ``eta``, the measured final ``loss``, the closed form
    ``centred`` (:func:`centred_loss`), the fit ``(prefactor, exponent)``, ``tau_end`` and ``wall_time``."""

    eta: np.ndarray
    loss: np.ndarray
    centred: np.ndarray
    prefactor: float
    exponent: float
    tau_end: float
    wall_time: float


def final_loss_vs_eta(target, u0, etas, tau_end, *, rtol=1e-8, atol=1e-10) -> EtaScaling:
    r"""Run the reduced flow :math:`du/d\tau = -\nabla\ell(u)` from ``u0`` up to ``tau_end`` for each
    :math:`\eta` in ``etas`` and record :math:`\ell(u(\tau_{\text{end}}))`; fit :math:`C\eta^p`."""
    target = check_target(target)
    u0 = _validate.vector("u0", u0, min_length=1)
    etas = _validate.positive_vector("etas", etas, min_length=2)
    tau_end = _validate.positive("tau_end", tau_end)
    t0 = time.perf_counter()
    losses = np.array([
        reduced_flow(u0, target, float(e), (0.0, tau_end), tau_eval=[0.0, tau_end], rtol=rtol, atol=atol).loss[-1]
        for e in etas
    ])
    centred = np.array([centred_loss(target, float(e)) for e in etas])
    c, p = fit_power_law(etas, losses)
    return EtaScaling(etas, losses, centred, c, p, tau_end, time.perf_counter() - t0)


def capture_time(times, u_history, target, tol) -> float:
    r"""First recorded time from which on every jump has a neuron within ``tol`` (until the last record).

    ``times`` has shape ``(k,)`` and ``u_history`` ``(k, m)``. Returns ``nan`` when the last record
    does not have every jump covered.
    """
    times = _validate.vector("times", times, min_length=1)
    u_history = np.asarray(u_history, dtype=float)
    if u_history.ndim != 2 or u_history.shape[0] != times.shape[0]:
        raise ValueError(f"u_history must have shape (len(times), m), got {u_history.shape}")
    tol = _validate.positive("tol", tol)
    ok = np.all(jump_gaps(u_history, target) <= tol, axis=-1)
    if not ok[-1]:
        return float("nan")
    bad = np.nonzero(~ok)[0]
    return float(times[0] if bad.size == 0 else times[bad[-1] + 1])


def ideal_capture_time(u0, target, tau_max) -> float:
    r"""Slow time at which, in the ideal flow from ``u0``, the last jump receives its neuron
    (``nan`` if some jump has none by ``tau_max``)."""
    res = ideal_flow(u0, target, (0.0, tau_max), tau_eval=[0.0, tau_max])
    first = []
    for i in range(target.jumps.size):
        hit = res.arrival_tau[res.arrival_jump == i]
        first.append(np.min(hit) if hit.size else np.nan)
    first = np.array(first)
    if first.size == 0:
        return 0.0
    return float(np.max(first)) if np.all(np.isfinite(first)) else float("nan")


def reduced_capture_time(u0, target, eta, tau_end, tol=None, *, n_eval=401) -> float:
    r"""Slow time from which on every jump has a neuron within ``tol`` (default :math:`\eta`) along the
    reduced flow from ``u0`` (the :math:`\varepsilon \to 0` limit at this :math:`\eta`), read on
    ``n_eval`` equally spaced times of :math:`[0, \tau_{\text{end}}]` (``nan`` if not by then)."""
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    tau_end = _validate.positive("tau_end", tau_end)
    tol = eta if tol is None else _validate.positive("tol", tol)
    n_eval = _validate.integer("n_eval", n_eval, minimum=2)
    tau = np.linspace(0.0, tau_end, n_eval)
    res = reduced_flow(u0, target, eta, (0.0, tau_end), tau_eval=tau)
    return capture_time(res.tau, res.u, target, tol)


@dataclass
class CaptureScaling:
    r"""Outcome of :func:`capture_times`.

    ``eps`` (E,), ``seeds`` (S,), fast capture times ``t_cap`` (E, S) (``nan`` = not captured by the end),
    ``tau_cap = eps * t_cap``, the ideal limit's ``ideal_tau_cap``, the power-law fit
    ``(prefactor, exponent)`` of the median :math:`t_{\text{cap}}` against :math:`1/\varepsilon`, the affine
    fit :math:`t_{\text{cap}} \approx \tau_\star/\varepsilon + t_0` (``tau_star``, ``t0``), ``steps`` (E,),
    ``tol``, ``wall_time``.
    """

    eps: np.ndarray
    seeds: np.ndarray
    t_cap: np.ndarray
    ideal_tau_cap: float
    prefactor: float
    exponent: float
    tau_star: float
    t0: float
    steps: np.ndarray
    lr: float
    tol: float
    wall_time: float

    @property
    def tau_cap(self) -> np.ndarray:
        return self.eps[:, None] * self.t_cap

    @property
    def median_t_cap(self) -> np.ndarray:
        """Median over seeds (``nan`` when some seed did not capture every jump)."""
        return np.array([np.median(row) if np.all(np.isfinite(row)) else np.nan for row in self.t_cap])


def capture_times(target, u0, eps_values, *, eta, lr, tau_end, seeds, t_extra=0.0, tol=None, n_records=200,
                  noise=1.0, workers=None, executor=None) -> CaptureScaling:
    r"""Measure the fast time :math:`t_{\text{cap}}` SGD needs to cover every jump within ``tol``.

    For each :math:`\varepsilon` the runs (one per seed, from ``u0`` and :math:`a_0 = 0`) last
    :math:`N = \lceil(\tau_{\text{end}}/\varepsilon + t_{\text{extra}})/h\rceil` steps and record the positions
    ``n_records`` times; :func:`capture_time` reads :math:`t_{\text{cap}}` off the records (resolution
    :math:`t_{\text{end}}/`\ ``n_records``). The median over seeds is fitted by a power law
    :math:`t_{\text{cap}} \approx C\,(1/\varepsilon)^p` and by the affine law
    :math:`t_{\text{cap}} \approx \tau_\star/\varepsilon + t_0`: :math:`\tau_\star` is the slow time the
    positions need, :math:`t_0` the fast time lost in the initial layer (the outer weights start at 0,
    and the positions only move once the :math:`a_j` have grown).
    """
    target = check_target(target)
    u0 = _validate.vector("u0", u0, min_length=1)
    eps_values = _validate.positive_vector("eps_values", eps_values, min_length=2)
    eta = _validate.positive("eta", eta)
    lr = _validate.positive("lr", lr)
    tau_end = _validate.positive("tau_end", tau_end)
    t_extra = _validate.positive("t_extra", t_extra, allow_zero=True)
    tol = eta if tol is None else _validate.positive("tol", tol)
    n_records = _validate.integer("n_records", n_records, minimum=2)
    seeds = np.atleast_1d(np.asarray(seeds))
    if seeds.size == 0:
        raise ValueError("seeds must be a non-empty sequence of integers")
    t0 = time.perf_counter()
    a0 = np.zeros(u0.size + 1)
    steps = np.array([int(np.ceil((tau_end / e + t_extra) / lr)) for e in eps_values], dtype=np.int64)
    t_cap = np.empty((eps_values.size, seeds.size))
    for i, (eps, n) in enumerate(zip(eps_values, steps)):
        every = max(1, int(n) // n_records)
        ens = sgd_ensemble(a0, u0, target, eta=eta, lr=lr, eps=float(eps), steps=int(n), seeds=seeds,
                           noise=noise, record_every=every, workers=workers, executor=executor)
        for k, run in enumerate(ens.runs):
            t_cap[i, k] = capture_time(run.t, run.u_history, target, tol)
    ideal = ideal_capture_time(np.clip(u0, 0.0, 1.0), target, tau_end)
    med = np.array([np.median(row) if np.all(np.isfinite(row)) else np.nan for row in t_cap])
    keep = np.isfinite(med)
    if keep.sum() >= 2:
        c, p = fit_power_law(1.0 / eps_values[keep], med[keep])
        tau_star, t_zero = np.polyfit(1.0 / eps_values[keep], med[keep], 1)
    else:
        c = p = tau_star = t_zero = float("nan")
    return CaptureScaling(eps_values, seeds, t_cap, ideal, c, p, float(tau_star), float(t_zero), steps, lr, tol,
                          time.perf_counter() - t0)
