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

import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _validate
from ..target import check_target
from .paper import COVER_RADIUS
from ..initialisation import sample_positions, two_per_piece
from ..model import _loss
from ..sgd import sgd_ensemble
from ._grid import grid as _grid
from .coverage import jump_gaps, max_jump_gap
from .datafiles import DATA_DIR
from .intervals import wilson_interval
from .starts import _stream, independent_positions
from .tangent import tangent_floor
from ..seeds import generator

__all__ = [
    "jump_gaps",
    "max_jump_gap",
    "steps_for",
    "PhaseDiagram",
    "phase_diagram",
    "condition_probability",
    "wilson_interval",
    "independent_positions",
    "shared_interval",
    "PhaseStudy",
    "phase_study",
    "load_study",
]


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


def phase_diagram(target, *, eps_values, m_values, seeds, eta=4e-3, lr=2e-5, tau_end=0.5, t_min=20.0,
                  tol=None, noise=1.0, workers=None, executor=None) -> PhaseDiagram:
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
    executor : concurrent.futures.Executor, optional
        Where the runs execute (default: local threads); e.g. a Dask cluster's
        ``Client(address).get_executor()``. Results are bit-identical (:func:`tts_lib.sgd.sgd_ensemble`).
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
                               seeds=seeds, noise=noise, workers=workers, executor=executor)
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
    rng = generator(seed)
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




# --- the phase study: independent seeds, intervals, a loss criterion, an adaptive horizon ------------------
def shared_interval(u, target) -> bool:
    r"""Whether two jumps of ``target`` lie in one interval of the partition :math:`\{0, u_{(1)}, \dots, 1\}`
    (so that no neuron starts between them)."""
    target = check_target(target)
    u = np.sort(np.asarray(u, dtype=float))
    idx = np.searchsorted(u, target.jumps)
    return bool(np.any(np.diff(idx) == 0))


@dataclass
class PhaseStudy:
    r"""Outcome of :func:`phase_study`.

    Attributes
    ----------
    eps, m : ndarray
        The grid, shapes ``(E,)`` and ``(M,)``.
    n_seeds : int
        Independent initialisations per cell (:func:`independent_positions`, seeds ``0 .. n_seeds - 1``).
    gap, final_loss, refit_loss : ndarray, shape (E, M, S)
        At the end of each run: :math:`\text{gap}(u)`, the exact loss :math:`L(a, u)` and the loss with the
        best outer weights for the final positions, :math:`\ell(u) = \min_a L(a, u)`.
    t_cap : ndarray, shape (E, M, S)
        Fast time from which every jump stays within ``tol`` of a neuron until the end (read on the
        records; ``nan`` when not covered at the end).
    condition, shared : ndarray of bool, shape (M, S)
        The initialisation meets the two-per-piece condition; two jumps share an interval of it.
    horizon : ndarray, shape (E, M)
        Fast time :math:`t = hN` each cell ran; ``stable`` (E, M) tells whether it stopped because the
        outcome had stopped changing (else it reached ``t_max``).
    checkpoints : dict
        ``(i, k) -> array (n, 4)`` of (fast time, number covered, number with the loss criterion, median
        loss) at the end of each chunk.
    l_tts : float
        :math:`L_{\text{tts}} = \eta\sum_i\Delta_i^2/56`.
    eta, lr, tol, loss_factor, noise, total_steps, wall_time
        Parameters and cost.
    """

    eps: np.ndarray
    m: np.ndarray
    n_seeds: int
    gap: np.ndarray
    final_loss: np.ndarray
    refit_loss: np.ndarray
    t_cap: np.ndarray
    condition: np.ndarray
    shared: np.ndarray
    horizon: np.ndarray
    stable: np.ndarray
    checkpoints: dict
    l_tts: float
    eta: float
    lr: float
    tol: float
    loss_factor: float
    noise: float
    total_steps: int
    wall_time: float

    # -- outcomes ---------------------------------------------------------------------------------------
    def covered(self, tol=None) -> np.ndarray:
        """``(E, M, S)``: every jump within ``tol`` (default ``self.tol``) of a neuron at the end."""
        tol = self.tol if tol is None else _validate.positive("tol", tol)
        return self.gap <= tol

    def loss_ok(self, factor=None, *, refit=False) -> np.ndarray:
        r"""``(E, M, S)``: final loss at most ``factor`` :math:`\times L_{\text{tts}}` (default
        ``self.loss_factor``); ``refit=True`` uses :math:`\ell(u)` instead of :math:`L(a, u)`."""
        factor = self.loss_factor if factor is None else _validate.positive("factor", factor)
        return (self.refit_loss if refit else self.final_loss) <= factor * self.l_tts

    @property
    def success(self) -> np.ndarray:
        """``(E, M, S)``: covered within ``tol`` **and** loss within ``loss_factor`` of :math:`L_{\\text{tts}}`."""
        return self.covered() & self.loss_ok()

    def rate(self, outcome) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(p, low, high)``, each ``(E, M)``: proportion of ``outcome`` (bool ``(E, M, S)``) over the seeds
        and its 95 % Wilson interval."""
        outcome = np.asarray(outcome, dtype=bool)
        k = outcome.sum(axis=-1)
        lo, hi = wilson_interval(k, outcome.shape[-1])
        return k / outcome.shape[-1], lo, hi

    def coverage_vs_tolerance(self, tols) -> np.ndarray:
        """Covered proportion for each tolerance: shape ``(E, M, T)``."""
        tols = _validate.positive_vector("tols", tols)
        return np.stack([self.covered(t).mean(axis=-1) for t in tols], axis=-1)

    def loss_vs_factor(self, factors, *, refit=False) -> np.ndarray:
        """Proportion with the loss criterion for each factor: shape ``(E, M, F)``."""
        factors = _validate.positive_vector("factors", factors)
        return np.stack([self.loss_ok(f, refit=refit).mean(axis=-1) for f in factors], axis=-1)

    @property
    def tau_cap(self) -> np.ndarray:
        r"""Slow capture times :math:`\tau_{\text{cap}} = \varepsilon\, t_{\text{cap}}`, shape ``(E, M, S)``."""
        return self.eps[:, None, None] * self.t_cap

    def summary(self) -> str:
        """A table: per cell, covered and success proportions with 95 % intervals, horizon, median loss."""
        cov, clo, chi = self.rate(self.covered())
        suc, slo, shi = self.rate(self.success)
        lines = [f"phase study: {self.n_seeds} independent seeds per cell, tol = {self.tol / self.eta:g} eta, "
                 f"success = covered and L <= {self.loss_factor:g} L_tts ({self.total_steps:.3g} steps, "
                 f"{self.wall_time:.0f} s)",
                 f"{'eps':>6} {'m':>4} {'covered [95% CI]':>20} {'success [95% CI]':>20} {'t_end':>6} "
                 f"{'stable':>6} {'median L/L_tts':>14}"]
        for i, e in enumerate(self.eps):
            for k, m in enumerate(self.m):
                lines.append(
                    f"{e:>6g} {m:>4d} {cov[i, k]:>6.2f} [{clo[i, k]:.2f}, {chi[i, k]:.2f}] "
                    f"{suc[i, k]:>6.2f} [{slo[i, k]:.2f}, {shi[i, k]:.2f}] {self.horizon[i, k]:>6.0f} "
                    f"{str(bool(self.stable[i, k])):>6} {np.median(self.final_loss[i, k]) / self.l_tts:>14.2f}")
        return "\n".join(lines)

    def check(self) -> None:
        """Internal consistency: shapes, outcomes in range, capture times inside the horizons."""
        E, M, S = self.eps.size, self.m.size, self.n_seeds
        for name in ("gap", "final_loss", "refit_loss", "t_cap"):
            if getattr(self, name).shape != (E, M, S):
                raise AssertionError(f"{name} has shape {getattr(self, name).shape}, expected {(E, M, S)}")
        if not np.all(self.refit_loss <= self.final_loss * (1 + 1e-9) + 1e-15):
            raise AssertionError("the refitted loss must not exceed the final loss")
        cov = self.covered()
        if not np.array_equal(np.isfinite(self.t_cap), cov):
            raise AssertionError("a capture time must exist exactly for the covered runs")
        if np.any(self.t_cap[cov] > self.horizon[..., None].repeat(S, -1)[cov] + 1e-9):
            raise AssertionError("a capture time exceeds its horizon")

    def to_dict(self) -> dict:
        """The arrays as nested lists (for JSON), without the checkpoints' keys as tuples."""
        out = {}
        for name, value in self.__dict__.items():
            if name == "checkpoints":
                out[name] = {f"{i},{k}": v.tolist() for (i, k), v in value.items()}
            elif isinstance(value, np.ndarray):
                out[name] = np.where(np.isfinite(value), value, -1.0).tolist() if value.dtype.kind == "f" \
                    else value.tolist()
            else:
                out[name] = value
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "PhaseStudy":
        """Inverse of :meth:`to_dict` (``nan`` capture times were stored as ``-1``)."""
        kw = dict(d)
        for name in ("eps", "m", "gap", "final_loss", "refit_loss", "t_cap", "condition", "shared", "horizon",
                     "stable"):
            kw[name] = np.asarray(d[name])
        kw["t_cap"] = np.where(kw["t_cap"] < 0, np.nan, kw["t_cap"]).astype(float)
        kw["checkpoints"] = {tuple(int(x) for x in key.split(",")): np.asarray(v)
                             for key, v in d["checkpoints"].items()}
        return cls(**kw)


def phase_study(target, *, eps_values, m_values, n_seeds, eta=4e-3, lr=2e-5, tol=None, loss_factor=2.0,
                tau_first=0.2, t_first=10.0, tau_min=0.6, growth=1.5, t_max=150.0, stable_count=None, loss_rtol=0.1,
                records=10,
                noise=1.0, workers=None, progress=False, executor=None, first_seed=0) -> PhaseStudy:
    r"""Phase diagram with independent seeds, a loss criterion and a horizon chosen by the data.

    For every cell :math:`(\varepsilon, m)`, ``n_seeds`` runs start from :func:`independent_positions`
    (seeds ``first_seed .. first_seed + n_seeds - 1``; nothing shared between widths; a replication of a stored
    study uses seeds it did not) and :math:`a = 0`, and run online SGD
    (outer step :math:`h` = ``lr``, inner step :math:`\varepsilon h`) in chunks ending at the fast times

    .. math::

        T_1 = \max(\tau_{\text{first}}/\varepsilon,\ t_{\text{first}}), \qquad T_{k+1} = \text{growth}\cdot T_k,

    until the outcome stops changing — the numbers of runs *covered* (:math:`\text{gap}(u) \le`
    ``tol``, default :math:`2\eta`) and with *small loss* (:math:`L(a, u) \le` ``loss_factor``
    :math:`\cdot L_{\text{tts}}`, :math:`L_{\text{tts}} = \eta\sum_i\Delta_i^2/56`) both change by at
    most ``stable_count`` (default :math:`\max(1, \lceil 0.02\,S\rceil)`) and the median loss by at most
    the fraction ``loss_rtol`` (a count can stay at 0 while the losses still fall) between two consecutive
    :math:`T_k`, once the slow time :math:`\varepsilon T_k` has reached ``tau_min`` (default 0.6, the
    worst capture time :math:`8d/\Delta^2` of the ideal flow on the paper's target) — or :math:`T_k`
    reaches ``t_max``. Each chunk uses fresh SGD streams (seeds derived
    from the cell, the run and the chunk), and records the positions and the loss ``records`` times,
    from which the capture time is read; ``progress`` prints a line per cell on stderr. Returns a
    :class:`PhaseStudy`.
    """
    target = check_target(target)
    eps_values = _grid("eps_values", eps_values)
    m_values = _grid("m_values", m_values, integer=True)
    S = _validate.integer("n_seeds", n_seeds, minimum=1)
    first_seed = _validate.integer("first_seed", first_seed, minimum=0)
    eta = _validate.positive("eta", eta)
    lr = _validate.positive("lr", lr)
    tol = COVER_RADIUS * eta if tol is None else _validate.positive("tol", tol)
    loss_factor = _validate.positive("loss_factor", loss_factor)
    tau_first = _validate.positive("tau_first", tau_first)
    tau_min = _validate.positive("tau_min", tau_min, allow_zero=True)
    t_first = _validate.positive("t_first", t_first)
    growth = _validate.positive("growth", growth)
    if growth <= 1:
        raise ValueError(f"growth must be > 1, got {growth}")
    t_max = _validate.positive("t_max", t_max)
    stable_count = max(1, math.ceil(0.02 * S)) if stable_count is None else \
        _validate.integer("stable_count", stable_count, minimum=0)
    records = _validate.integer("records", records, minimum=1)
    loss_rtol = _validate.positive("loss_rtol", loss_rtol)
    noise = _validate.positive("noise", noise, allow_zero=True)
    l_tts = float(eta * np.sum(target.heights**2) / 56.0)
    E, M = eps_values.size, m_values.size
    gap = np.empty((E, M, S))
    final_loss = np.empty((E, M, S))
    refit_loss = np.empty((E, M, S))
    t_cap = np.full((E, M, S), np.nan)
    horizon = np.empty((E, M))
    stable = np.zeros((E, M), dtype=bool)
    condition = np.empty((M, S), dtype=bool)
    shared = np.empty((M, S), dtype=bool)
    checkpoints = {}
    total = 0
    t0 = time.perf_counter()
    for k, m in enumerate(m_values):
        u_init = np.array([independent_positions(int(m), first_seed + s) for s in range(S)])
        condition[k] = [two_per_piece(u, target) for u in u_init]
        shared[k] = [shared_interval(u, target) for u in u_init]
        for i, eps in enumerate(eps_values):
            a, u = np.zeros((S, int(m) + 1)), u_init.copy()
            t_now, n_done, chunk = 0.0, 0, 0
            T = min(max(tau_first / eps, t_first), t_max)
            times, gaps, losses, cps = [0.0], [max_jump_gap(u, target)], [None], []
            while True:
                n = max(1, int(math.ceil(T / lr * (1 - 1e-12))) - n_done)
                ens = sgd_ensemble(a, u, target, eta=eta, lr=lr, eps=float(eps), steps=n,
                                   seeds=[_stream(m, round(float(eps) * 1e9), first_seed + s, chunk)
                                          for s in range(S)],
                                   noise=noise, record_every=max(1, n // records), workers=workers,
                                   executor=executor)
                rec_t = ens.runs[0].t[1:] + t_now
                times.extend(rec_t.tolist())
                hist_u = np.stack([r.u_history[1:] for r in ens.runs])          # (S, K, m)
                gaps.extend(max_jump_gap(hist_u, target).T)                     # K arrays (S,)
                losses.extend(np.stack([r.loss_history[1:] for r in ens.runs]).T)
                a, u = ens.a, ens.u
                n_done += n
                total += n * S
                t_now = n_done * lr
                chunk += 1
                cps.append((t_now, int(np.sum(gaps[-1] <= tol)), int(np.sum(losses[-1] <= loss_factor * l_tts)),
                            float(np.median(losses[-1]))))
                if len(cps) >= 2 and eps * t_now >= tau_min * (1 - 1e-9) and abs(cps[-1][1] - cps[-2][1]) <= stable_count \
                        and abs(cps[-1][2] - cps[-2][2]) <= stable_count \
                        and abs(cps[-1][3] / cps[-2][3] - 1) <= loss_rtol:
                    stable[i, k] = True
                    break
                if T >= t_max:
                    break
                T = min(T * growth, t_max)
            g_hist = np.array(gaps)                                             # (K, S)
            ok = g_hist <= tol
            for s in range(S):
                if ok[-1, s]:
                    bad = np.nonzero(~ok[:, s])[0]
                    t_cap[i, k, s] = times[0] if bad.size == 0 else times[bad[-1] + 1]
            gap[i, k] = g_hist[-1]
            final_loss[i, k] = losses[-1]
            refit_loss[i, k] = [tangent_floor(target, uu, eta) for uu in u]      # robust when G is near-singular
            horizon[i, k] = t_now
            checkpoints[(i, k)] = np.array(cps, dtype=float)
            if progress:
                print(f"eps = {eps:g}, m = {m}: t = {t_now:.0f}, covered {cps[-1][1]}/{S}, small loss {cps[-1][2]}/{S}"
                      f" ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    return PhaseStudy(eps_values, m_values, S, gap, final_loss, refit_loss, t_cap, condition, shared, horizon,
                      stable, checkpoints, l_tts, eta, lr, tol, loss_factor, noise, total,
                      time.perf_counter() - t0)


#: Where ``benchmarks/phase_study.py`` saves the full study.
STUDY_FILE = DATA_DIR / "phase_study.json"


def load_study(path=None) -> PhaseStudy:
    """The :class:`PhaseStudy` saved by ``benchmarks/phase_study.py`` (default :data:`STUDY_FILE`); raises
    :class:`FileNotFoundError` naming the script to run when the file is missing, and
    :class:`~tts_lib.experiments.stored.StoredDataError` (a ``ValueError``) naming the file and the field when it
    is damaged or edited (:mod:`tts_lib.experiments.stored`)."""
    from .stored import load_phase_study_data

    path = STUDY_FILE if path is None else Path(path)
    study = PhaseStudy.from_dict(load_phase_study_data(path))  # schema, ranges and checksum (stored.py)
    study.check()
    return study
