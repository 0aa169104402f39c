r"""Phase diagram of SGD's success over the timescale ratio :math:`\varepsilon` and the width :math:`m`.

For every pair :math:`(\varepsilon, m)` of a grid and every seed :math:`s` of a list, one online SGD
run (:func:`tts_lib.sgd.sgd_ensemble`) starts from

* positions :math:`u_0` = :math:`m` sorted i.i.d. :math:`U[0, 1]` draws of seed :math:`s`
  (:func:`tts_lib.initialisation.sample_positions`, **no** resampling: the initialisation condition
  is recorded, not imposed), and outer weights :math:`a_0 = 0`;
* outer step :math:`h` (``lr``), inner step :math:`\varepsilon h`, for

  .. math::

      N(\varepsilon) = \Big\lceil \frac{\max(\tau_{\text{end}}/\varepsilon,\ t_{\min})}{h} \Big\rceil

  steps, i.e. until the slow time :math:`\tau = \varepsilon h N` reaches :math:`\tau_{\text{end}}`
  **and** the fast time :math:`t = h N` reaches :math:`t_{\min}` (so that small :math:`\varepsilon`
  gets enough slow time for the neurons to travel, and large :math:`\varepsilon` enough fast time
  for the outer weights to settle).

A run **succeeds** when every jump :math:`v_i` of :math:`f^*` has a neuron within ``tol`` at the end
(default :math:`2\eta`, the "covered" radius of :mod:`tts_lib.experiments`):

.. math::

    \text{gap}(u) = \max_i \min_j |u_j - v_i| \le \text{tol} .

The fraction of successful seeds is compared with the probability that the initialisation puts at
least two neurons in every piece of :math:`f^*` (the sufficient condition of the convergence
theorem): exactly when :mod:`tts_lib.probability` provides it, otherwise by Monte Carlo.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..target import check_target
from .paper import COVER_RADIUS
from ..initialisation import sample_positions, two_per_piece
from ..model import _loss
from ..sgd import sgd_ensemble

__all__ = [
    "jump_gaps",
    "max_jump_gap",
    "steps_for",
    "PhaseDiagram",
    "phase_diagram",
    "condition_probability",
]


def jump_gaps(u, target) -> np.ndarray:
    r"""Distance from each jump :math:`v_i` to its nearest neuron, :math:`\min_j |u_j - v_i|`.

    ``u`` may be one network (shape ``(m,)``) or a stack (shape ``(..., m)``); the result has shape
    ``(n_jumps,)`` or ``(..., n_jumps)``.
    """
    target = check_target(target)
    u = np.asarray(u, dtype=float)
    if u.ndim == 0 or u.shape[-1] < 1:
        raise ValueError(f"u must have at least one neuron on its last axis, got shape {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ValueError("u must contain only finite values (no NaN or inf)")
    return np.min(np.abs(u[..., None, :] - target.jumps[:, None]), axis=-1)


def max_jump_gap(u, target) -> np.ndarray:
    r""":math:`\text{gap}(u) = \max_i \min_j |u_j - v_i|` (the worst-covered jump), per network."""
    g = jump_gaps(u, target)
    if g.shape[-1] == 0:
        return np.zeros(g.shape[:-1]) if g.ndim > 1 else 0.0
    return np.max(g, axis=-1)


def steps_for(eps, lr, tau_end, t_min) -> int:
    r""":math:`N = \lceil \max(\tau_{\text{end}}/\varepsilon, t_{\min}) / h \rceil`, the number of SGD steps
    reaching slow time :math:`\tau_{\text{end}}` and fast time :math:`t_{\min}`."""
    eps = _validate.positive("eps", eps)
    lr = _validate.positive("lr", lr)
    tau_end = _validate.positive("tau_end", tau_end)
    t_min = _validate.positive("t_min", t_min, allow_zero=True)
    return int(math.ceil(max(tau_end / eps, t_min) / lr * (1 - 1e-12)))


@dataclass
class PhaseDiagram:
    r"""Outcome of :func:`phase_diagram`.

    Attributes
    ----------
    eps, m, seeds : ndarray
        The grid: shapes ``(E,)``, ``(M,)``, ``(S,)``.
    gap : ndarray, shape (E, M, S)
        :math:`\text{gap}(u)` at the end of each run.
    final_loss : ndarray, shape (E, M, S)
        Exact population loss at the end of each run.
    condition : ndarray of bool, shape (M, S)
        Whether the initialisation put at least two neurons in every piece.
    steps : ndarray of int, shape (E,)
        SGD steps per run for each :math:`\varepsilon`.
    eta, lr, tau_end, t_min, tol, noise : float
        Parameters of the runs.
    wall_time : float
        Seconds for the whole grid.
    """

    eps: np.ndarray
    m: np.ndarray
    seeds: np.ndarray
    gap: np.ndarray
    final_loss: np.ndarray
    condition: np.ndarray
    steps: np.ndarray
    eta: float
    lr: float
    tau_end: float
    t_min: float
    tol: float
    noise: float
    wall_time: float

    @property
    def success(self) -> np.ndarray:
        """Boolean array ``(E, M, S)``: every jump covered within ``tol`` at the end."""
        return self.gap <= self.tol

    @property
    def success_rate(self) -> np.ndarray:
        """Fraction of successful seeds, shape ``(E, M)``."""
        return self.success.mean(axis=-1)

    @property
    def condition_rate(self) -> np.ndarray:
        """Fraction of seeds whose initialisation met the two-per-piece condition, shape ``(M,)``."""
        return self.condition.mean(axis=-1)

    @property
    def total_steps(self) -> int:
        return int(self.steps.sum() * self.m.size * self.seeds.size)


def _grid(name, values, *, integer=False, minimum=1):
    try:
        arr = np.atleast_1d(np.asarray(values))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a non-empty sequence, got {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got {values!r}")
    if integer:
        out = np.array([_validate.integer(name, int(v) if float(v).is_integer() else v, minimum=minimum)
                        for v in arr.tolist()], dtype=np.int64)
    else:
        out = np.array([_validate.positive(name, float(v)) for v in arr.tolist()])
    return out


def phase_diagram(target, *, eps_values, m_values, seeds, eta=4e-3, lr=2e-5, tau_end=0.5, t_min=20.0,
                  tol=None, noise=1.0, workers=None) -> PhaseDiagram:
    r"""Run online SGD over the grid ``eps_values`` × ``m_values`` × ``seeds`` (module docstring).

    Parameters
    ----------
    target : PiecewiseConstant
    eps_values : sequence of float
        Timescale ratios :math:`\varepsilon > 0`.
    m_values : sequence of int
        Numbers of neurons (>= 1).
    seeds : sequence of int
        Seeds (>= 0): seed :math:`s` draws the initial positions *and* the SGD stream.
    eta : float
        Activation width.
    lr : float
        Outer step :math:`h` (½ convention).
    tau_end, t_min : float
        Slow and fast time each run must reach (see :func:`steps_for`).
    tol : float, optional
        Success tolerance on :math:`\text{gap}(u)`; default
        :data:`tts_lib.experiments.COVER_RADIUS` :math:`\times\,\eta` (:math:`2\eta`).
    noise : float
        Label-noise amplitude.
    workers : int, optional
        Threads for :func:`tts_lib.sgd.sgd_ensemble`.
    """
    target = check_target(target)
    eps_values = _grid("eps_values", eps_values)
    m_values = _grid("m_values", m_values, integer=True)
    seeds = _grid("seeds", seeds, integer=True, minimum=0)
    eta = _validate.positive("eta", eta)
    lr = _validate.positive("lr", lr)
    tau_end = _validate.positive("tau_end", tau_end)
    t_min = _validate.positive("t_min", t_min, allow_zero=True)
    tol = COVER_RADIUS * eta if tol is None else _validate.positive("tol", tol)
    noise = _validate.positive("noise", noise, allow_zero=True)
    steps = np.array([steps_for(e, lr, tau_end, t_min) for e in eps_values], dtype=np.int64)
    E, M, S = eps_values.size, m_values.size, seeds.size
    gap = np.empty((E, M, S))
    final_loss = np.empty((E, M, S))
    condition = np.empty((M, S), dtype=bool)
    t0 = time.perf_counter()
    for k, m in enumerate(m_values):
        u0 = np.array([np.asarray(sample_positions(int(m), int(s))) for s in seeds])
        a0 = np.zeros((S, int(m) + 1))
        condition[k] = [two_per_piece(u, target) for u in u0]
        for i, (eps, n) in enumerate(zip(eps_values, steps)):
            ens = sgd_ensemble(a0, u0, target, eta=eta, lr=lr, eps=float(eps), steps=int(n),
                               seeds=seeds, noise=noise, workers=workers)
            gap[i, k] = max_jump_gap(ens.u, target)
            final_loss[i, k] = [_loss(r.a, r.u, target, eta) for r in ens.runs]
    return PhaseDiagram(eps_values, m_values, seeds, gap, final_loss, condition, steps, eta, lr, tau_end,
                        t_min, tol, noise, time.perf_counter() - t0)


def condition_probability(target, m, *, n_samples=20000, seed=0):
    r"""Probability that :math:`m` i.i.d. :math:`U[0, 1]` positions put at least two neurons in every
    piece of ``target``.

    Uses the exact formula of :mod:`tts_lib.probability` when that module is available; otherwise a
    Monte Carlo estimate from ``n_samples`` draws. Returns ``(probability, method)`` with ``method``
    ``"exact"`` or ``"monte-carlo"``.
    """
    target = check_target(target)
    m = _validate.integer("m", m, minimum=1)
    n_samples = _validate.integer("n_samples", n_samples, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    exact = _exact_probability()
    if exact is not None:
        return float(exact(target, m)), "exact"
    rng = np.random.default_rng(seed)
    u = rng.uniform(0.0, 1.0, size=(n_samples, m))
    edges = target.edges
    counts = np.stack([((u > lo) & (u < hi)).sum(axis=1) for lo, hi in zip(edges[:-1], edges[1:])], axis=1)
    return float(np.mean(np.all(counts >= 2, axis=1))), "monte-carlo"


def _exact_probability():
    """``f(target, m)`` from :func:`tts_lib.probability.two_per_piece_probability`, or ``None`` when that
    module (written in another part of the project) is not available."""
    try:
        from ..theory.probability import two_per_piece_probability
    except ImportError:
        return None
    return lambda target, m: two_per_piece_probability(m, target)




