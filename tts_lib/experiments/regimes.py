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

**Equal stepsizes, many neurons** (:math:`\varepsilon = 1` in the book's parametrisation and growing
:math:`m`): :func:`equal_stepsize_sweep` runs online SGD for each width and records the final loss and
the worst-covered jump, at the start and at the end; :func:`initial_coverage_probability` is the exact
probability that the uniform start already covers every jump, and :func:`load_equal_stepsize_sweep` loads
the sweep up to :math:`m = 10^4` computed by ``benchmarks/equal_stepsize_widths.py``.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _validate
from ..target import check_target
from ..ideal import _ideal_loss
from ..initialisation import sample_positions
from ..model import _loss
from .paper import COVER_RADIUS
from ..sgd import sgd_ensemble
from ..slow_fast import reduced_loss
from ..seeds import generator
from ._grid import grid as _grid
from .coverage import max_jump_gap
from .datafiles import DATA_DIR
from .intervals import wilson_interval
from .starts import independent_positions
from .tangent import tangent_floor

__all__ = [
    "LazyFloor",
    "lazy_floor",
    "lazy_asymptote",
    "lazy_neurons_needed",
    "EqualStepsizeSweep",
    "equal_stepsize_sweep",
    "initial_coverage_probability",
    "EQUAL_STEPSIZE_FILE",
    "EQUAL_STEPSIZE_PARTS",
    "load_equal_stepsize_sweep",
    "StepGrid",
    "step_grid",
    "tangent_floor",
    "PARAMETRISATIONS",
    "ParametrisedRuns",
    "parametrised_sgd",
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
    r"""Outcome of :func:`equal_stepsize_sweep`.

    Attributes
    ----------
    m : ndarray (M,)
        Widths.
    seeds : ndarray (S,)
        Seeds of the starts (:func:`tts_lib.initialisation.sample_positions`) and of the SGD streams.
    final_loss, gap : ndarray (M, S)
        Final exact loss :math:`L(a, u)` and worst-covered jump :math:`\text{gap}(u)` at the end.
    eps, lr, steps, wall_time
        Timescale ratio, outer step :math:`h`, steps per run, cost.
    initial_gap : ndarray (M, S) or None
        :math:`\text{gap}(u_0)` of the start.
    eta : float or None
        Activation width (the default coverage radius is ``COVER_RADIUS * eta``).
    """

    m: np.ndarray
    seeds: np.ndarray
    final_loss: np.ndarray
    gap: np.ndarray
    eps: float
    lr: float
    steps: int
    wall_time: float
    initial_gap: np.ndarray | None = None
    eta: float | None = None

    def _tol(self, tol):
        if tol is not None:
            return _validate.positive("tol", tol)
        if self.eta is None:
            raise ValueError("this sweep has no eta: pass tol")
        return COVER_RADIUS * self.eta

    def covered(self, tol=None, *, at_start=False) -> np.ndarray:
        r"""``(M, S)``: every jump within ``tol`` (default ``COVER_RADIUS * eta`` :math:`= 2\eta`) of a
        neuron, at the end or (``at_start=True``) at the start."""
        tol = self._tol(tol)
        if at_start:
            if self.initial_gap is None:
                raise ValueError("this sweep did not record the initial gaps")
            return self.initial_gap <= tol
        return self.gap <= tol

    def coverage(self, tol=None, *, at_start=False) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(k, p, low, high)``, each ``(M,)``: number and proportion of covered runs per width (see
        :meth:`covered`) and the 95 % Wilson interval of the proportion."""
        cov = self.covered(tol, at_start=at_start)
        k = cov.sum(axis=1)
        lo, hi = wilson_interval(k, cov.shape[1])
        return k, k / cov.shape[1], np.atleast_1d(lo), np.atleast_1d(hi)

    def median_loss(self) -> np.ndarray:
        """``(M,)``: median final loss per width."""
        return np.median(self.final_loss, axis=1)

    def summary(self, l_ref=None) -> str:
        """One line per width: covered at the start and at the end (with 95 % intervals), median final loss
        (and its ratio to ``l_ref`` if given)."""
        S = self.seeds.size
        k, p, lo, hi = self.coverage()
        has0 = self.initial_gap is not None
        if has0:
            k0, p0, lo0, hi0 = self.coverage(at_start=True)
        lines = [f"eps = {self.eps:g}, h = {self.lr:g}, {self.steps:.3g} steps per run, {S} seeds per width "
                 f"({self.wall_time:.0f} s)"]
        for j, m in enumerate(self.m):
            line = f"m = {int(m):5d}: covered at the end {k[j]:2d}/{S} [{lo[j]:.2f}, {hi[j]:.2f}]"
            if has0:
                line += f", at the start {k0[j]:2d}/{S} [{lo0[j]:.2f}, {hi0[j]:.2f}]"
            med = float(np.median(self.final_loss[j]))
            line += f"; median loss {med:.4f}" + (f" = {med / l_ref:.2f} L_ref" if l_ref else "")
            lines.append(line)
        return "\n".join(lines)

    def check(self) -> None:
        """Internal consistency: shapes, finite non-negative losses and gaps."""
        shape = (self.m.size, self.seeds.size)
        for name in ("final_loss", "gap") + (("initial_gap",) if self.initial_gap is not None else ()):
            arr = getattr(self, name)
            if arr.shape != shape:
                raise AssertionError(f"{name} has shape {arr.shape}, expected {shape}")
            if not np.all(np.isfinite(arr) & (arr >= 0)):
                raise AssertionError(f"{name} must be finite and non-negative")
        if self.steps != int(np.ceil(self.steps)) or self.steps < 1:
            raise AssertionError(f"steps must be a positive integer, got {self.steps}")

    def to_dict(self) -> dict:
        """The fields as JSON-ready values (arrays as nested lists)."""
        return {name: (value.tolist() if isinstance(value, np.ndarray) else value)
                for name, value in self.__dict__.items()}

    @classmethod
    def from_dict(cls, d: dict) -> "EqualStepsizeSweep":
        """Inverse of :meth:`to_dict`."""
        kw = dict(d)
        for name in ("m", "seeds", "final_loss", "gap", "initial_gap"):
            if kw.get(name) is not None:
                kw[name] = np.asarray(kw[name], dtype=int if name in ("m", "seeds") else float)
        return cls(**kw)


def equal_stepsize_sweep(target, m_values, seeds, *, eta, lr, t_end, eps=1.0, noise=1.0,
                         workers=None, executor=None) -> EqualStepsizeSweep:
    r"""Online SGD with inner step :math:`\varepsilon h` (default :math:`\varepsilon = 1`) for each width,
    from uniform positions (``sample_positions(m, s)``) and :math:`a_0 = 0`, for
    :math:`\lceil t_{\text{end}}/h\rceil` steps; records the worst-covered jump at the start and at the end
    and the final exact loss."""
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
    gap0 = np.empty_like(loss)
    for k, m in enumerate(m_values):
        u0 = np.array([np.asarray(sample_positions(int(m), int(s))) for s in seeds])
        a0 = np.zeros((seeds.size, int(m) + 1))
        gap0[k] = max_jump_gap(u0, target)
        ens = sgd_ensemble(a0, u0, target, eta=eta, lr=lr, eps=eps, steps=steps, seeds=seeds, noise=noise,
                           workers=workers, executor=executor)
        loss[k] = [_loss(r.a, r.u, target, eta) for r in ens.runs]
        gap[k] = max_jump_gap(ens.u, target)
    return EqualStepsizeSweep(m_values, seeds, loss, gap, eps, lr, steps, time.perf_counter() - t0, gap0, eta)


def initial_coverage_probability(target, m, radius) -> np.ndarray:
    r"""Exact probability that :math:`m` i.i.d. :math:`U[0, 1]` positions put a neuron within ``radius`` of
    every jump of ``target``.

    With :math:`W_i = [v_i - r, v_i + r] \cap [0, 1]` and :math:`|W_S|` the length of
    :math:`\bigcup_{i \in S} W_i`, inclusion–exclusion over the windows left empty gives

    .. math::

        P(\text{every } W_i \text{ holds a neuron}) = \sum_{S \subseteq \{1, \dots, n-1\}}
        (-1)^{|S|}\,\big(1 - |W_S|\big)^m

    (exact, overlapping windows included). For the paper's target and :math:`r = 2\eta` the windows are
    disjoint and this is :math:`\sum_k (-1)^k \binom5k (1 - 4k\eta)^m`. ``m`` may be an array; targets with
    more than 16 jumps are refused (:math:`2^{n-1}` terms).
    """
    target = check_target(target)
    radius = _validate.positive("radius", radius)
    m = np.asarray(m)
    if m.size == 0 or np.any(m != np.round(m)) or np.any(m < 0):
        raise ValueError(f"m must hold non-negative integers, got {m!r}")
    m = m.astype(float)
    v = target.jumps
    if v.size > 16:
        raise ValueError(f"at most 16 jumps are supported (2^n terms), the target has {v.size}")
    lo, hi = np.clip(v - radius, 0.0, 1.0), np.clip(v + radius, 0.0, 1.0)
    out = np.zeros_like(m)
    for size in range(v.size + 1):
        for subset in itertools.combinations(range(v.size), size):
            length, right = 0.0, -np.inf          # union of the chosen windows (sorted by left end)
            for i in subset:
                a, b = max(lo[i], right), hi[i]
                if b > a:
                    length += b - a
                right = max(right, b)
            out = out + (-1.0) ** size * (1.0 - length) ** m
    out = np.clip(out, 0.0, 1.0)
    return float(out) if out.ndim == 0 else out


#: Where ``benchmarks/equal_stepsize_widths.py`` saves chapter 6's equal-stepsize sweeps up to :math:`m = 10^4`.
#:
#: :meta hide-value:
EQUAL_STEPSIZE_FILE = DATA_DIR / "equal_stepsize_widths.json"
#: The sweeps of that file: ``"widths"`` (every width, 32 seeds), ``"threshold"`` (the widths where coverage
#: turns, more seeds), ``"small_step"`` (the largest widths again with a ten times smaller step).
EQUAL_STEPSIZE_PARTS = ("widths", "threshold", "small_step")


def load_equal_stepsize_sweep(part="widths", path=None) -> EqualStepsizeSweep:
    """One sweep (``part``, one of :data:`EQUAL_STEPSIZE_PARTS`) saved by ``benchmarks/equal_stepsize_widths.py``
    (default file :data:`EQUAL_STEPSIZE_FILE`), checked; raises :class:`FileNotFoundError` naming the script
    when the file or the part is missing, :class:`~tts_lib.experiments.stored.StoredDataError` naming the file and
    the field when it is damaged or edited."""
    if part not in EQUAL_STEPSIZE_PARTS:
        raise ValueError(f"part must be one of {EQUAL_STEPSIZE_PARTS}, got {part!r}")
    from .stored import load_equal_stepsize_data

    path = EQUAL_STEPSIZE_FILE if path is None else Path(path)
    data = load_equal_stepsize_data(path)  # schema, ranges and checksum (stored.py)
    if part not in data:
        raise FileNotFoundError(f"{path} has no part {part!r}: run `python benchmarks/equal_stepsize_widths.py "
                                f"--parts {part}`")
    sweep = EqualStepsizeSweep.from_dict(data[part])
    sweep.check()
    return sweep


# --- the timescale and the step: a grid over (eps, h) --------------------------------------------------------
@dataclass
class StepGrid:
    r"""Outcome of :func:`step_grid`.

    Attributes
    ----------
    eps : ndarray (E,)
        Timescale ratios (rows).
    position_step : ndarray (P,)
        Inner steps :math:`\varepsilon h` (columns); the outer step of cell ``(i, j)`` is
        ``lr[i, j] = position_step[j] / eps[i]``.
    seeds : ndarray (S,)
        Seeds of the starts (:func:`tts_lib.initialisation.sample_positions` with the two-per-piece
        condition) and of the SGD streams.
    lr, steps, t_end : ndarray (E, P)
        Outer step, number of steps and fast time of each cell.
    error, refit_error, gap : ndarray (E, P, S)
        Final :math:`\|f - f^*\| = \sqrt{2L(a, u)}`, the same with the best outer weights for the final
        positions (:math:`\sqrt{2\ell(u)}`), and the worst jump's distance to a neuron.
    flow_error, flow_gap : ndarray (E, F)
        The same at the end of the noise-free two-timescale gradient flow (no SGD) from the first ``F``
        starts, over the same fast time as the row's SGD runs.
    flow_t_long : float
        A longer fast time; ``flow_error_long``, ``flow_gap_long`` (E, F) are the flow's at
        :math:`\max(t_{\text{end}}, \text{flow\_t\_long})` (the outer weights' own relaxation).
    eta, tau_end, t_min, noise, wall_time
    """

    eps: np.ndarray
    position_step: np.ndarray
    seeds: np.ndarray
    lr: np.ndarray
    steps: np.ndarray
    t_end: np.ndarray
    error: np.ndarray
    refit_error: np.ndarray
    gap: np.ndarray
    flow_error: np.ndarray
    flow_gap: np.ndarray
    flow_t_long: float
    flow_error_long: np.ndarray
    flow_gap_long: np.ndarray
    eta: float
    tau_end: float
    t_min: float
    noise: float
    wall_time: float

    def uncovered(self, tol_factor=2.0) -> np.ndarray:
        r"""``(E, P)``: number of runs with a jump farther than ``tol_factor`` :math:`\eta` from every neuron."""
        return np.sum(self.gap > _validate.positive("tol_factor", tol_factor) * self.eta, axis=-1)

    def median(self, what="error") -> np.ndarray:
        """``(E, P)`` median over seeds of ``error`` or ``refit_error``."""
        if what not in ("error", "refit_error"):
            raise ValueError(f"what must be 'error' or 'refit_error', got {what!r}")
        return np.median(getattr(self, what), axis=-1)

    def summary(self) -> str:
        lines = [f"(eps, h) grid: {self.seeds.size} seeds per cell, slow time >= {self.tau_end:g} and fast time >= "
                 f"{self.t_min:g}; median ||f - f*|| (refit) [runs with a jump beyond 2 eta]"]
        unc = self.uncovered()
        for i, e in enumerate(self.eps):
            cells = [f"eps h = {p:.0e}: {np.median(self.error[i, j]):.3f} ({np.median(self.refit_error[i, j]):.3f}) "
                     f"[{unc[i, j]}/{self.seeds.size}]" for j, p in enumerate(self.position_step)]
            lines.append(f"eps = {e:<5g} " + "; ".join(cells) +
                         f";  flow: {np.median(self.flow_error[i]):.3f} [{np.sum(self.flow_gap[i] > 2 * self.eta)}"
                         f"/{self.flow_gap.shape[1]}], at t = {max(self.t_end[i, 0], self.flow_t_long):g}: "
                         f"{np.median(self.flow_error_long[i]):.3f}")
        return "\n".join(lines)


def step_grid(target, eps_values, position_steps, seeds, *, m=20, eta=4e-3, tau_end=1.2, t_min=6.0, noise=1.0,
              flow_seeds=4, flow_t_long=60.0, workers=None, executor=None) -> StepGrid:
    r"""Separate the timescale :math:`\varepsilon` from the size of the SGD step.

    For each :math:`\varepsilon` (row) and inner step :math:`\varepsilon h` (column), online SGD with outer
    step :math:`h = (\varepsilon h)/\varepsilon` runs from :math:`a = 0` and the positions
    ``sample_positions(m, seed, target, require_two_per_piece=True)`` for

    .. math::

        N = \Big\lceil \frac{\max(\tau_{\text{end}}/\varepsilon,\ t_{\min})}{h} \Big\rceil

    steps (slow time at least :math:`\tau_{\text{end}}`, fast time at least :math:`t_{\min}`). In a column
    the positions take steps of the same size (the same position noise, :math:`\propto \varepsilon h`) and,
    where the slow time binds, the same number of steps; along a row the timescale ratio is fixed and only
    the step changes. The noise-free two-timescale gradient flow (:func:`tts_lib.gradient_flow`, no
    sampling) from the first ``flow_seeds`` starts gives the effect of :math:`\varepsilon` alone, at the
    row's fast time and at ``flow_t_long`` (so that the outer weights' relaxation is seen apart). Records
    :math:`\|f - f^*\| = \sqrt{2L}` at the end, with the SGD outer weights and refitted
    (:math:`\sqrt{2\ell(u)}`), and the worst jump's distance to a neuron.
    """
    from ..flows import gradient_flow

    target = check_target(target)
    eps_values = _grid("eps_values", eps_values)
    position_steps = _grid("position_steps", position_steps)
    seeds = _grid("seeds", seeds, integer=True, minimum=0)
    m = _validate.integer("m", m, minimum=1)
    eta = _validate.positive("eta", eta)
    tau_end = _validate.positive("tau_end", tau_end)
    t_min = _validate.positive("t_min", t_min, allow_zero=True)
    noise = _validate.positive("noise", noise, allow_zero=True)
    flow_seeds = _validate.integer("flow_seeds", flow_seeds, minimum=0)
    flow_t_long = _validate.positive("flow_t_long", flow_t_long)
    if flow_seeds > seeds.size:
        raise ValueError(f"flow_seeds must be at most len(seeds) = {seeds.size}, got {flow_seeds}")
    t0 = time.perf_counter()
    u0 = np.array([np.asarray(sample_positions(m, int(s), target, require_two_per_piece=True)) for s in seeds])
    a0 = np.zeros((seeds.size, m + 1))
    E, P, S = eps_values.size, position_steps.size, seeds.size
    lr = position_steps[None, :] / eps_values[:, None]
    t_end = np.maximum(tau_end / eps_values, t_min)[:, None] * np.ones((1, P))
    steps = np.ceil(t_end / lr * (1 - 1e-12)).astype(np.int64)
    error, refit, gap = np.empty((E, P, S)), np.empty((E, P, S)), np.empty((E, P, S))
    for i, eps in enumerate(eps_values):
        for j in range(P):
            ens = sgd_ensemble(a0, u0, target, eta=eta, lr=float(lr[i, j]), eps=float(eps), steps=int(steps[i, j]),
                               seeds=seeds, noise=noise, workers=workers, executor=executor)
            error[i, j] = [np.sqrt(2 * _loss(r.a, r.u, target, eta)) for r in ens.runs]
            refit[i, j] = [np.sqrt(2 * reduced_loss(r.u, target, eta)) for r in ens.runs]
            gap[i, j] = max_jump_gap(ens.u, target)
    flow_error, flow_gap = np.empty((E, flow_seeds)), np.empty((E, flow_seeds))
    flow_error_long, flow_gap_long = np.empty((E, flow_seeds)), np.empty((E, flow_seeds))
    for i, eps in enumerate(eps_values):
        t1, t2 = float(t_end[i, 0]), max(float(t_end[i, 0]), flow_t_long)
        for k in range(flow_seeds):
            fl = gradient_flow(a0[k], u0[k], target, eta, float(eps), (0.0, t2),
                               t_eval=[0.0, t1, t2] if t2 > t1 else [0.0, t1])
            flow_error[i, k] = np.sqrt(2 * fl.loss[1])
            flow_gap[i, k] = max_jump_gap(fl.u[1], target)
            flow_error_long[i, k] = np.sqrt(2 * fl.loss[-1])
            flow_gap_long[i, k] = max_jump_gap(fl.u[-1], target)
    return StepGrid(eps_values, position_steps, seeds, lr, steps, t_end, error, refit, gap, flow_error, flow_gap,
                    flow_t_long, flow_error_long, flow_gap_long, eta, tau_end, t_min, noise,
                    time.perf_counter() - t0)


#: The stored (eps, h) grid of section 5.3 (``benchmarks/eps_step_grid.py``).
#:
#: :meta hide-value:
STEP_GRID_FILE = DATA_DIR / "eps_step_grid.json"
_STEP_GRID_ARRAYS = ("eps", "position_step", "seeds", "lr", "steps", "t_end", "error", "refit_error", "gap",
                     "flow_error", "flow_gap", "flow_error_long", "flow_gap_long")
_STEP_GRID_SCALARS = ("flow_t_long", "eta", "tau_end", "t_min", "noise", "wall_time")


def step_grid_to_dict(grid: StepGrid) -> dict:
    """The JSON-ready fields of a :class:`StepGrid` (for ``benchmarks/eps_step_grid.py``)."""
    return {**{k: np.asarray(getattr(grid, k)).tolist() for k in _STEP_GRID_ARRAYS},
            **{k: float(getattr(grid, k)) for k in _STEP_GRID_SCALARS}}


def load_step_grid(path=None) -> StepGrid:
    """The (eps, h) grid stored by ``benchmarks/eps_step_grid.py`` (default :data:`STEP_GRID_FILE`), checked
    (schema, ranges, checksum; :mod:`tts_lib.experiments.stored`)."""
    from .stored import load_eps_step_grid_data

    d = load_eps_step_grid_data(STEP_GRID_FILE if path is None else Path(path))
    return StepGrid(*(np.asarray(d[k], dtype=np.int64 if k in ("seeds", "steps") else float)
                      for k in _STEP_GRID_ARRAYS[:-2]),
                    float(d["flow_t_long"]), np.asarray(d["flow_error_long"]), np.asarray(d["flow_gap_long"]),
                    *(float(d[k]) for k in _STEP_GRID_SCALARS[1:]))


# --- genuine NTK and mean-field parametrisations, equal steps per neuron ---------------------------------------
#: :math:`\alpha_m` of each parametrisation :math:`f = \alpha_m (b_0 + \sum_j b_j \sigma_\eta(x - u_j))`.
PARAMETRISATIONS = {"book": lambda m: 1.0, "ntk": lambda m: m**-0.5, "mean-field": lambda m: 1.0 / m}


@dataclass
class ParametrisedRuns:
    r"""Outcome of :func:`parametrised_sgd`: ``parametrisation``, widths ``m`` (M,), steps ``h`` (H,),
    ``seeds`` (S,), final exact ``loss`` and worst-jump ``gap`` (M, H, S) (``nan`` for a diverged run), the
    book's ``lr`` and ``eps`` (M, H) the runs used, ``steps`` and ``wall_time``."""

    parametrisation: str
    m: np.ndarray
    h: np.ndarray
    seeds: np.ndarray
    loss: np.ndarray
    gap: np.ndarray
    lr: np.ndarray
    eps: np.ndarray
    steps: int
    wall_time: float


def parametrised_sgd(target, m_values, h_values, seeds, *, parametrisation, steps, eta=4e-3, noise=1.0,
                     workers=None) -> ParametrisedRuns:
    r"""Online SGD with equal steps per neuron in the parametrisation
    :math:`f = \alpha_m\big(b_0 + \sum_j b_j\,\sigma_\eta(x - u_j)\big)`, :math:`\alpha_m = 1` (``"book"``),
    :math:`1/\sqrt m` (``"ntk"``) or :math:`1/m` (``"mean-field"``).

    A step :math:`s` on :math:`b_j` and on :math:`u_j` moves the book's :math:`a_j = \alpha_m b_j` by
    :math:`\alpha_m^2 s\,\partial L/\partial a_j` (since :math:`\partial L/\partial b_j = \alpha_m \partial L/
    \partial a_j`) and :math:`u_j` by :math:`s\,\partial L/\partial u_j`, so the runs use the book's engine
    (:func:`tts_lib.sgd.sgd_ensemble`) with outer step :math:`\text{lr} = \alpha_m^2 s` and
    :math:`\varepsilon = 1/\alpha_m^2` — :math:`\varepsilon = m` (NTK), :math:`m^2` (mean field). The step is
    :math:`s = h` for ``"book"`` and ``"ntk"`` and :math:`s = m h` for ``"mean-field"`` (mean-field theory
    multiplies every step by :math:`m`), so that with NTK and mean field alike the outer layer moves the
    function by about :math:`\alpha_m^2 s \sum_j \sigma_j^2 \approx h/2` per sample. Start: positions
    :func:`tts_lib.experiments.starts.independent_positions`, :math:`b_0 = 0`, :math:`b_j \sim \mathcal N(0, 1)`
    (seed sequence ``(9, m, seed)``), i.e. :math:`a_j = \alpha_m b_j`. Records the final exact loss and the
    worst jump's distance to a neuron; a run that diverges is recorded as ``nan``.
    """
    from ..errors import DivergenceError

    target = check_target(target)
    if parametrisation not in PARAMETRISATIONS:
        raise ValueError(f"parametrisation must be one of {sorted(PARAMETRISATIONS)}, got {parametrisation!r}")
    m_values = _grid("m_values", m_values, integer=True)
    h_values = _grid("h_values", h_values)
    seeds = _grid("seeds", seeds, integer=True, minimum=0)
    steps = _validate.integer("steps", steps, minimum=1)
    eta = _validate.positive("eta", eta)
    alpha = PARAMETRISATIONS[parametrisation]
    M, H, S = m_values.size, h_values.size, seeds.size
    loss, gap = np.full((M, H, S), np.nan), np.full((M, H, S), np.nan)
    lr, eps = np.empty((M, H)), np.empty((M, H))
    t0 = time.perf_counter()
    for k, m in enumerate(m_values):
        m = int(m)
        al = float(alpha(m))
        u0 = np.array([independent_positions(m, int(s)) for s in seeds])
        a0 = np.array([np.r_[0.0, al * generator(9, m, int(s)).normal(size=m)] for s in seeds])
        for j, h in enumerate(h_values):
            step = h * m if parametrisation == "mean-field" else h
            lr[k, j], eps[k, j] = al * al * step, 1.0 / (al * al)
            kw = dict(eta=eta, lr=float(lr[k, j]), eps=float(eps[k, j]), steps=steps, noise=noise, workers=workers)
            try:                                     # all seeds in parallel threads ...
                runs = list(sgd_ensemble(a0, u0, target, seeds=seeds, **kw).runs)
            except DivergenceError:                  # ... or one by one, to keep the runs that do not diverge
                runs = []
                for i, s in enumerate(seeds):
                    try:
                        runs.append(sgd_ensemble(a0[i], u0[i], target, seeds=[int(s)], **kw).runs[0])
                    except DivergenceError:
                        runs.append(None)
            for i, r in enumerate(runs):
                if r is not None:
                    loss[k, j, i] = _loss(r.a, r.u, target, eta)
                    gap[k, j, i] = max_jump_gap(r.u, target)
    return ParametrisedRuns(parametrisation, m_values, h_values, seeds, loss, gap, lr, eps, steps,
                            time.perf_counter() - t0)
