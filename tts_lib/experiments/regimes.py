r"""The same target in two other regimes: lazy (positions frozen) and equal stepsizes with many neurons.

**Lazy / random-feature regime.** If the positions never move, training the outer layer is a linear
least-squares problem whose solution is :math:`a^*(u_0) = G(u_0)^{-1} b(u_0)`
(:func:`tts_lib.optimal_outer`): the *random-feature fit*. Its loss is the reduced loss at the
initialisation, :math:`\ell(u_0)`, a floor that training cannot go below. In the ideal limit
:math:`\eta \to 0` it is :math:`\ell_0(u_0)`: the interval :math:`[u^L, u^R]` of the partition that
contains a jump :math:`v` of height :math:`\Delta` (and no other jump) contributes

.. math::

    \frac{\Delta^2}{2} \frac{d_L d_R}{d_L + d_R}, \qquad d_L = v - u^L,\ d_R = u^R - v .

For :math:`m` uniform positions, :math:`(m d_L, m d_R)` tend in law to two independent
:math:`\mathrm{Exp}(1)` variables; writing :math:`d_L = S B`, :math:`d_R = S(1 - B)` with
:math:`S \sim \Gamma(2)` and :math:`B \sim U[0, 1]` independent,
:math:`\mathbb E[d_L d_R/(d_L + d_R)] \simeq \mathbb E[S]\,\mathbb E[B(1 - B)]/m = 1/(3m)`, hence

.. math::

    m\, \mathbb E\,\ell_0(u_0) \xrightarrow[m \to \infty]{} \frac16 \sum_i \Delta_i^2

(:func:`lazy_asymptote`).

**Equal stepsizes, many neurons** (a mean-field-like regime: :math:`\varepsilon = 1` and growing
:math:`m`): :func:`equal_stepsize_sweep` runs online SGD for each width and records the final loss and
the worst-covered jump.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..target import check_target
from ..ideal import _ideal_loss
from ..initialisation import sample_positions
from ..model import _loss
from .phase import _grid, max_jump_gap
from ..sgd import sgd_ensemble
from ..slow_fast import reduced_loss

__all__ = [
    "LazyFloor",
    "lazy_floor",
    "lazy_asymptote",
    "lazy_neurons_needed",
    "EqualStepsizeSweep",
    "equal_stepsize_sweep",
]


@dataclass
class LazyFloor:
    r"""Outcome of :func:`lazy_floor`: widths ``m`` (M,), ``loss`` (M, S) with ``nan`` where a width has
    fewer seeds, ``eta`` (``None`` for the ideal limit), ``wall_time``."""

    m: np.ndarray
    loss: np.ndarray
    eta: float | None
    wall_time: float

    @property
    def mean(self) -> np.ndarray:
        return np.nanmean(self.loss, axis=1)


def lazy_floor(target, m_values, n_seeds, *, eta=None, seed0=0) -> LazyFloor:
    r"""Loss of the random-feature fit, :math:`\ell(u_0)` for :math:`m` uniform positions.

    Parameters
    ----------
    m_values : sequence of int
        Widths.
    n_seeds : int or sequence of int
        Number of initialisations (seeds ``seed0, seed0 + 1, ...``), one number for all widths or one
        per width.
    eta : float, optional
        Activation width; ``None`` gives the ideal limit :math:`\ell_0(u_0)` (cheap for any :math:`m`);
        a float gives the exact :math:`\ell(u_0)` of :func:`tts_lib.reduced_loss` (cost
        :math:`O(m^3)`).
    """
    target = check_target(target)
    m_values = _grid("m_values", m_values, integer=True)
    n = np.broadcast_to(np.atleast_1d(np.asarray(n_seeds)), m_values.shape)
    n = np.array([_validate.integer("n_seeds", int(k), minimum=1) for k in n])
    if eta is not None:
        eta = _validate.positive("eta", eta)
    seed0 = _validate.integer("seed0", seed0, minimum=0)
    t0 = time.perf_counter()
    out = np.full((m_values.size, int(n.max())), np.nan)
    for k, (m, s) in enumerate(zip(m_values, n)):
        for j in range(int(s)):
            u = np.asarray(sample_positions(int(m), seed0 + j))
            out[k, j] = _ideal_loss(u, target) if eta is None else reduced_loss(u, target, eta)
    return LazyFloor(m_values, out, eta, time.perf_counter() - t0)


def lazy_asymptote(target, m):
    r""":math:`\frac{1}{6m}\sum_i \Delta_i^2`, the large-:math:`m` mean of the ideal lazy floor."""
    target = check_target(target)
    m = np.asarray(m, dtype=float)
    if np.any(~np.isfinite(m)) or np.any(m <= 0):
        raise ValueError(f"m must be positive, got {m!r}")
    return float(np.sum(target.heights**2)) / (6.0 * m)


def lazy_neurons_needed(target, loss_level) -> float:
    r"""Width at which :func:`lazy_asymptote` reaches ``loss_level``: :math:`\sum_i\Delta_i^2/(6\,\text{level})`."""
    target = check_target(target)
    loss_level = _validate.positive("loss_level", loss_level)
    return float(np.sum(target.heights**2)) / (6.0 * loss_level)


@dataclass
class EqualStepsizeSweep:
    r"""Outcome of :func:`equal_stepsize_sweep`: widths ``m`` (M,), ``seeds`` (S,), ``final_loss`` and
    ``gap`` (worst-covered jump) of shape (M, S), ``eps``, ``lr``, ``steps``, ``wall_time``."""

    m: np.ndarray
    seeds: np.ndarray
    final_loss: np.ndarray
    gap: np.ndarray
    eps: float
    lr: float
    steps: int
    wall_time: float


def equal_stepsize_sweep(target, m_values, seeds, *, eta, lr, t_end, eps=1.0, noise=1.0,
                         workers=None) -> EqualStepsizeSweep:
    r"""Online SGD with inner step :math:`\varepsilon h` (default :math:`\varepsilon = 1`) for each width,
    from uniform positions (seed :math:`s`) and :math:`a_0 = 0`, for :math:`\lceil t_{\text{end}}/h\rceil`
    steps; records the final exact loss and the worst-covered jump."""
    target = check_target(target)
    m_values = _grid("m_values", m_values, integer=True)
    seeds = _grid("seeds", seeds, integer=True, minimum=0)
    eta = _validate.positive("eta", eta)
    lr = _validate.positive("lr", lr)
    t_end = _validate.positive("t_end", t_end)
    eps = _validate.positive("eps", eps)
    steps = int(np.ceil(t_end / lr * (1 - 1e-12)))
    t0 = time.perf_counter()
    loss = np.empty((m_values.size, seeds.size))
    gap = np.empty_like(loss)
    for k, m in enumerate(m_values):
        u0 = np.array([np.asarray(sample_positions(int(m), int(s))) for s in seeds])
        a0 = np.zeros((seeds.size, int(m) + 1))
        ens = sgd_ensemble(a0, u0, target, eta=eta, lr=lr, eps=eps, steps=steps, seeds=seeds, noise=noise,
                           workers=workers)
        loss[k] = [_loss(r.a, r.u, target, eta) for r in ens.runs]
        gap[k] = max_jump_gap(ens.u, target)
    return EqualStepsizeSweep(m_values, seeds, loss, gap, eps, lr, steps, time.perf_counter() - t0)
