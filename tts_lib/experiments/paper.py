r"""Every experiment of the paper, as a named configuration and a function that runs it.

=====================  =============================================================================
name                   what it reproduces
=====================  =============================================================================
``two-timescale``      SGD with :math:`\varepsilon = 2\cdot10^{-5}` follows the ideal limit
                       (:math:`\eta, \varepsilon \to 0`) started from the same positions and covers
                       every jump that limit captures.
``equal-stepsizes``    SGD with :math:`\varepsilon = 1` leaves a jump uncovered.
``eps-sweep``          Final :math:`L^2` error for :math:`\varepsilon \in \{1, 0.1, 0.01\}` at fixed
                       slow time: it decreases as :math:`\varepsilon` decreases. As the authors ran it:
                       seeded once, every run a fresh start *not* conditioned on two neurons per piece
                       (``SweepConfig(conditioned=True)`` is the book's conditioned variant).
``authors-seed-42``    Both SGD regimes from the authors' own start, ``np.random.seed(42)`` then
                       ``np.sort(np.random.rand(20))`` as in their ``main.py``, with their ramp derivative.
``additive-2d``        Appendix, additive model in :math:`d = 2`: two-timescale GD beats standard GD.
``additive-10d``       Same in :math:`d = 10`.
``relu``               Appendix, ReLU student/teacher: same two regimes.
=====================  =============================================================================

Step sizes (the ½ convention). The authors minimise :math:`\mathbb E (f - y)^2` with outer step
:math:`h_{\text{paper}} = 10^{-5}`; with our :math:`\tfrac12(f - y)^2` the same dynamics has
``lr = 2 h_paper = 2e-5``. Their number of steps is :math:`t_{\max}/(h_{\text{paper}}\varepsilon)`, so the
SGD run covers the slow time :math:`\tau = \text{lr}\cdot\varepsilon\cdot\text{steps} = 2 t_{\max}` in our
units, and that is the horizon over which the ideal flow is integrated.

Each ``run_*`` function returns a result object with the arrays, the configuration, the wall time,
``summary()`` (JSON-ready) and ``check()`` (asserts the
qualitative claim, returns the list of verified statements).
"""

from __future__ import annotations

import dataclasses
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .. import _progress, _validate
from ..ideal import ideal_flow
from ..initialisation import sample_positions
from ..target import PiecewiseConstant, check_target
from ..seeds import generator

__all__ = [
    "COVER_RADIUS",
    "SGDConfig",
    "SweepConfig",
    "AppendixConfig",
    "AuthorsSeedConfig",
    "AuthorsSeedResult",
    "authors_start",
    "run_authors_seed",
    "CONFIGS",
    "QUICK_CONFIGS",
    "config",
    "jump_summary",
    "run",
    "run_sgd_vs_ideal",
    "run_equal_stepsizes",
    "run_eps_sweep",
    "run_appendix",
    "HALF_DECADE_STEPS",
    "StandardStepGrid",
    "standard_step_grid",
    "per_seed",
    "jumps_in_flight",
    "snapshot_index",
]

#: A jump is *covered* when its nearest neuron is within ``COVER_RADIUS * eta`` (see jump_summary).
COVER_RADIUS = 2.0


# --- per-jump summary ----------------------------------------------------------------------------------
def jump_summary(u, target, eta, *, radius=COVER_RADIUS) -> dict:
    r"""For each jump :math:`v_i`: the distance :math:`d_i = \min_j |u_j - v_i|` to its nearest neuron,
    and whether it is **covered**, :math:`d_i \le c\,\eta` with :math:`c` = ``radius`` (default 2).

    Why :math:`2\eta`: a neuron's transition has width :math:`\eta`, so a neuron within :math:`\eta/2`
    of :math:`v_i` already overlaps the jump, and SGD's noise keeps a neuron that has reached a jump close
    to it; a jump no neuron has reached has its nearest neuron much farther. Measured at the paper's
    parameters (seeds 0--9 of the book): the nearest neuron of a reached jump is within :math:`0.01\eta`
    with two timescales and within :math:`1.9\eta` with equal stepsizes; that of an uncovered jump is
    :math:`3.5`--:math:`38\eta` away. Any :math:`c` between 2 and 3.5 gives the same verdicts on these
    runs; :math:`c = 1` changes one equal-stepsize verdict (a neuron :math:`1.3\eta` from its jump).

    Returns a dict of lists (JSON-ready): ``jumps``, ``distance``, ``distance_over_eta``,
    ``nearest_neuron``, ``covered``, and ``n_covered``.
    """
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    radius = _validate.positive("radius", radius)
    d = np.abs(u[None, :] - target.jumps[:, None])
    nearest = np.argmin(d, axis=1) if target.jumps.size else np.array([], dtype=int)
    dist = d[np.arange(target.jumps.size), nearest] if target.jumps.size else np.array([])
    covered = dist <= radius * eta
    return {
        "jumps": target.jumps.tolist(),
        "distance": dist.tolist(),
        "distance_over_eta": (dist / eta).tolist(),
        "nearest_neuron": nearest.tolist(),
        "covered": covered.tolist(),
        "n_covered": int(covered.sum()),
        "radius_over_eta": radius,
    }


# --- configurations --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SGDConfig:
    r"""An online-SGD experiment on the paper's 1-D target (``two-timescale``, ``equal-stepsizes``).

    ``lr = 2 h_paper`` (½ convention), ``steps = round(t_max / (h_paper eps))``,
    slow time :math:`\tau = \text{lr}\,\varepsilon\,\text{steps}`.
    ``repeats`` seeds are run (``seed``, ``seed + 1``, ...); the first one is plotted.
    ``track_tolerance``: how many :math:`\eta` SGD's neurons may be from the ideal limit's.
    ``derivative``: ``"exact"`` (:math:`\sigma'`, the book's) or ``"ramp"`` (the authors'
    :math:`\mathbb 1[|z| < 1/2]`) in the position update.
    """

    name: str
    eps: float
    t_max: float
    m: int = 20
    eta: float = 4e-3
    h_paper: float = 1e-5
    noise: float = 1.0
    n_records: int = 100
    repeats: int = 1
    compare_ideal: bool = True
    track_tolerance: float = 5.0
    derivative: str = "exact"

    @property
    def lr(self) -> float:
        return 2.0 * self.h_paper

    @property
    def steps(self) -> int:
        return int(round(self.t_max / (self.h_paper * self.eps)))

    @property
    def tau(self) -> float:
        return self.lr * self.eps * self.steps


@dataclass(frozen=True)
class SweepConfig:
    """The eps sweep: for each eps, ``repeats`` SGD runs of ``t_max / (h_paper eps)`` steps.

    ``conditioned=False`` (default, the authors' way): one generator seeded once draws a fresh,
    unconditioned start for every run (``len(eps_values) * repeats`` different starts).
    ``conditioned=True`` (the book's addition): ``repeats`` starts conditioned on two neurons per piece,
    the same ones for every eps."""

    name: str
    eps_values: tuple = (1.0, 0.1, 0.01)
    t_max: float = 3.0
    repeats: int = 20
    m: int = 20
    eta: float = 4e-3
    h_paper: float = 1e-5
    noise: float = 1.0
    conditioned: bool = False

    @property
    def lr(self) -> float:
        return 2.0 * self.h_paper

    def steps(self, eps) -> int:
        return int(round(self.t_max / (self.h_paper * eps)))


@dataclass(frozen=True)
class AppendixConfig:
    """An appendix experiment (``model`` = ``"additive"`` or ``"relu"``), both regimes, ``repeats`` seeds.

    ``bias=False`` (default): the authors' model (``mynn``: outer weights and positions, no bias);
    ``bias=True`` trains a bias :math:`a_0` too (the book's earlier variant)."""

    name: str
    model: str
    d: int = 1
    n_samples: int = 1000
    p: int = 10
    eta: float = 0.01
    repeats: int = 20
    standard: tuple = (1.0, 1.0, 300)  # (lr_a, lr_u, epochs)
    two_timescale: tuple = (1.0, 0.01, 5000)
    bias: bool = False


@dataclass(frozen=True)
class AuthorsSeedConfig:
    """``authors-seed-42``: both SGD regimes from :func:`authors_start` (``numpy_seed``), with the authors'
    ramp derivative; ``two_timescale`` and ``equal_stepsizes`` are the two runs' :class:`SGDConfig`
    (the equal-stepsize one over ``repeats`` noise streams)."""

    name: str
    two_timescale: SGDConfig
    equal_stepsizes: SGDConfig
    numpy_seed: int = 42


CONFIGS = {
    "two-timescale": SGDConfig("two-timescale", eps=2e-5, t_max=0.035),
    "equal-stepsizes": SGDConfig("equal-stepsizes", eps=1.0, t_max=10.0, repeats=10, compare_ideal=False),
    "eps-sweep": SweepConfig("eps-sweep"),
    "additive-2d": AppendixConfig("additive-2d", "additive", d=2, n_samples=1000),
    "additive-10d": AppendixConfig("additive-10d", "additive", d=10, n_samples=10_000),
    "relu": AppendixConfig("relu", "relu", d=1, n_samples=1000),
    "authors-seed-42": AuthorsSeedConfig(
        "authors-seed-42",
        SGDConfig("authors-seed-42/two-timescale", eps=2e-5, t_max=0.035, derivative="ramp"),
        SGDConfig("authors-seed-42/equal-stepsizes", eps=1.0, t_max=10.0, repeats=10, compare_ideal=False,
                  derivative="ramp"),
    ),
}

#: Reduced configurations for CI (``--quick``): larger steps, fewer repeats, same qualitative claims.
#: two-timescale: lr and eps both x10 (same tau, 100x fewer steps); SGD noise then moves the
#: neurons further from the ideal limit, hence the looser tracking tolerance.
QUICK_CONFIGS = {
    "two-timescale": SGDConfig("two-timescale", eps=2e-4, t_max=0.035, h_paper=1e-4, track_tolerance=10.0),
    "equal-stepsizes": SGDConfig("equal-stepsizes", eps=1.0, t_max=10.0, repeats=5, compare_ideal=False),
    "eps-sweep": SweepConfig("eps-sweep", eps_values=(1.0, 0.1), repeats=6),
    "additive-2d": AppendixConfig("additive-2d", "additive", d=2, n_samples=1000, repeats=3,
                                  two_timescale=(1.0, 0.01, 2000)),
    "additive-10d": AppendixConfig("additive-10d", "additive", d=10, n_samples=2000, repeats=3,
                                   two_timescale=(1.0, 0.01, 3000)),
    "relu": AppendixConfig("relu", "relu", d=1, n_samples=1000, repeats=3),
    "authors-seed-42": AuthorsSeedConfig(
        "authors-seed-42",
        SGDConfig("authors-seed-42/two-timescale", eps=2e-4, t_max=0.035, h_paper=1e-4, track_tolerance=10.0,
                  derivative="ramp"),
        SGDConfig("authors-seed-42/equal-stepsizes", eps=1.0, t_max=10.0, repeats=5, compare_ideal=False,
                  derivative="ramp"),
    ),
}


def config(name: str, *, quick: bool = False):
    """The configuration named ``name`` (one of :data:`CONFIGS`), or its reduced version."""
    table = QUICK_CONFIGS if quick else CONFIGS
    if name not in table:
        raise ValueError(f"name must be one of {sorted(table)}, got {name!r}")
    return table[name]


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        return None if not np.isfinite(x) else float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def _config_dict(cfg):
    out = dataclasses.asdict(cfg)
    for prop in ("lr", "steps", "tau"):
        if isinstance(getattr(type(cfg), prop, None), property):
            out[prop] = getattr(cfg, prop)
    return out


# --- SGD on the 1-D target -------------------------------------------------------------------------------
@dataclass
class SGDExperimentResult:
    """Result of :func:`run_sgd_vs_ideal` / :func:`run_equal_stepsizes`.

    ``runs`` are the :class:`~tts_lib.sgd.SGDResult` of each seed (records every ``steps / n_records``),
    ``u0`` the initial positions (rows), ``tries`` the draws :func:`sample_positions` needed,
    ``ideal`` the :class:`~tts_lib.ideal.IdealFlowResult` of the first seed (or ``None``),
    evaluated at the recorded slow times.
    """

    config: SGDConfig
    seeds: list
    u0: np.ndarray
    tries: list
    runs: list
    ideal: object
    wall_time: float
    target: PiecewiseConstant = field(default_factory=PiecewiseConstant.paper)

    @property
    def main(self):
        return self.runs[0]

    def jumps(self, i=0) -> dict:
        return jump_summary(self.runs[i].u, self.target, self.config.eta)

    def ideal_jumps(self):
        return None if self.ideal is None else jump_summary(self.ideal.u[-1], self.target, self.config.eta)

    def captured_by_ideal(self) -> list:
        """Jumps some neuron of the ideal limit has reached by the end."""
        if self.ideal is None:
            return []
        return sorted({int(j) for j in self.ideal.arrival_jump if j >= 0})

    def deviation_over_eta(self):
        """:math:`\\max_j |u_j^{SGD} - u_j^{ideal}| / \\eta` at each record (first seed)."""
        if self.ideal is None:
            return None
        return np.max(np.abs(self.main.u_history - self.ideal.u), axis=1) / self.config.eta

    def summary(self) -> dict:
        cfg = self.config
        out = {
            "experiment": cfg.name,
            "parameters": _config_dict(cfg),
            "seeds": self.seeds,
            "initialisation_tries": self.tries,
            "steps": cfg.steps,
            "wall_time_s": self.wall_time,
            "sgd_wall_time_s": [r.wall_time for r in self.runs],
            "final_loss": [float(r.loss_history[-1]) for r in self.runs],
            "final_l2_error": [float(np.sqrt(2 * r.loss_history[-1])) for r in self.runs],
            "jumps": [self.jumps(i) for i in range(len(self.runs))],
            "runs_with_uncovered_jump": sum(not all(self.jumps(i)["covered"]) for i in range(len(self.runs))),
        }
        if self.ideal is not None:
            from ..ideal import ideal_loss

            out["ideal"] = {
                "tau": cfg.tau,
                "final_ideal_loss": float(ideal_loss(self.ideal.u[-1], self.target)),
                "jumps": self.ideal_jumps(),
                "captured_jumps": self.captured_by_ideal(),
                "max_deviation_over_eta": float(np.max(self.deviation_over_eta())),
                "final_deviation_over_eta": float(self.deviation_over_eta()[-1]),
            }
        return _jsonable(out)

    def check(self) -> list:
        cfg = self.config
        msgs = []
        if self.ideal is not None:
            covered = self.jumps()["covered"]
            captured = self.captured_by_ideal()
            missing = [i for i in captured if not covered[i]]
            assert not missing, f"jumps {missing} captured by the ideal limit are not covered by SGD"
            msgs.append(f"SGD covers all {len(captured)} jumps the ideal limit captured by tau={cfg.tau:g}")
            dev = float(self.deviation_over_eta()[-1])
            assert dev <= cfg.track_tolerance, (
                f"SGD's neurons end {dev:.2f} eta from the ideal limit's (tolerance {cfg.track_tolerance} eta)"
            )
            msgs.append(f"SGD's neurons end within {dev:.2f} eta of the ideal limit (<= {cfg.track_tolerance})")
        else:
            n_bad = sum(not all(self.jumps(i)["covered"]) for i in range(len(self.runs)))
            assert 2 * n_bad > len(self.runs), (
                f"only {n_bad} of {len(self.runs)} equal-stepsize runs leave a jump uncovered"
            )
            msgs.append(f"{n_bad} of {len(self.runs)} equal-stepsize runs leave at least one jump uncovered")
        return msgs


def _initial_positions(m, seeds, target):
    u0, tries = [], []
    for s in seeds:
        u = sample_positions(m, s, target, require_two_per_piece=True)
        u0.append(np.asarray(u))
        tries.append(int(u.tries))
    return np.array(u0), tries


def _run_sgd_experiment(cfg: SGDConfig, seed: int, progress: bool | None, start=None, executor=None):
    """``repeats`` seeds from their own conditioned starts, or all from ``start`` when given; ``executor``
    as in :func:`tts_lib.sgd.sgd_ensemble` (default: local threads)."""
    from ..sgd import sgd, sgd_ensemble

    target = PiecewiseConstant.paper()
    t0 = time.perf_counter()
    seeds = [seed + i for i in range(cfg.repeats)]
    if start is None:
        u0, tries = _initial_positions(cfg.m, seeds, target)
    else:
        u0, tries = np.tile(np.asarray(start, dtype=float), (cfg.repeats, 1)), [1] * cfg.repeats
    a0 = np.zeros(cfg.m + 1)
    record_every = max(1, cfg.steps // cfg.n_records)
    kw = dict(eta=cfg.eta, lr=cfg.lr, eps=cfg.eps, steps=cfg.steps, noise=cfg.noise, record_every=record_every,
              derivative=cfg.derivative)
    if cfg.repeats == 1:
        runs = [sgd(a0, u0[0], target, seed=seeds[0], progress=progress, **kw)]
    else:
        runs = sgd_ensemble(a0, u0, target, seeds=seeds, executor=executor, progress=progress, **kw).runs
    ideal = None
    if cfg.compare_ideal:
        from ..ideal import ideal_flow

        tau = runs[0].tau
        ideal = ideal_flow(u0[0], target, (0.0, float(tau[-1])), tau_eval=tau)
    return SGDExperimentResult(cfg, seeds, u0, tries, runs, ideal, time.perf_counter() - t0, target)


def run_sgd_vs_ideal(cfg: SGDConfig | None = None, *, seed: int = 0,
                     progress: bool | None = None) -> SGDExperimentResult:
    r"""``two-timescale``: SGD (``steps = t_max/(h_paper eps)``, ``lr = 2 h_paper``) from positions drawn by
    :func:`~tts_lib.initialisation.sample_positions` (two per piece, resampled) and :math:`a = 0`, and the
    ideal flow :math:`du/d\tau = -\nabla\ell_0(u)` from the same positions over
    :math:`\tau \in [0, \text{lr}\,\varepsilon\,\text{steps}]`, compared at the recorded steps."""
    cfg = CONFIGS["two-timescale"] if cfg is None else cfg
    seed = _validate.integer("seed", seed, minimum=0)
    return _run_sgd_experiment(cfg, seed, progress)


def run_equal_stepsizes(cfg: SGDConfig | None = None, *, seed: int = 0,
                        progress: bool | None = None) -> SGDExperimentResult:
    r"""``equal-stepsizes``: SGD with :math:`\varepsilon = 1` (``lr = 2e-5``, :math:`10^6` steps) for
    ``repeats`` seeds; counts the runs that leave a jump uncovered."""
    cfg = CONFIGS["equal-stepsizes"] if cfg is None else cfg
    seed = _validate.integer("seed", seed, minimum=0)
    return _run_sgd_experiment(cfg, seed, progress)


# --- eps sweep -----------------------------------------------------------------------------------------------
@dataclass
class SweepResult:
    r"""Result of :func:`run_eps_sweep`: ``errors[eps]`` is the array of final :math:`L^2` errors
    :math:`\|f - f^*\|_{L^2} = \sqrt{2L}` over the repeats (the authors' box plot shows
    :math:`\int (f - f^*)^2 = 2L`, see :meth:`authors_errors`); ``u0[eps]`` and ``u_final[eps]`` the
    initial and final positions; ``runs`` one dict per run (``eps``, ``repeat``, ``seed`` of its SGD noise,
    ``u0``, ``two_per_piece``), in the order the starts were drawn."""

    config: SweepConfig
    seeds: list
    errors: dict
    u_final: dict
    wall_times: dict
    wall_time: float
    target: PiecewiseConstant = field(default_factory=PiecewiseConstant.paper)
    u0: dict = field(default_factory=dict)
    runs: list = field(default_factory=list)

    def medians(self) -> dict:
        return {eps: float(np.median(e)) for eps, e in self.errors.items()}

    def authors_errors(self) -> dict:
        r"""The authors' "L2 error" of each run: :math:`\int_0^1 (f - f^*)^2 = 2L` (no ½, no square root)."""
        return {eps: e**2 for eps, e in self.errors.items()}

    def uncovered(self, eps) -> np.ndarray:
        """For each run at ``eps``: True when its final positions leave a jump uncovered (:func:`jump_summary`)."""
        return np.array([not all(jump_summary(u, self.target, self.config.eta)["covered"]) for u in self.u_final[eps]])

    def two_per_piece(self, eps) -> np.ndarray:
        """For each run at ``eps``: whether its start has two neurons in every piece."""
        from ..initialisation import two_per_piece

        return np.array([two_per_piece(u, self.target) for u in self.u0[eps]])

    def summary(self) -> dict:
        cfg = self.config
        eps_values = cfg.eps_values
        return _jsonable({
            "experiment": cfg.name,
            "parameters": _config_dict(cfg) | {"lr": cfg.lr},
            "starts": ("conditioned on two neurons per piece, the same for every eps (the book's variant)"
                       if cfg.conditioned else
                       "one generator seeded once, a fresh unconditioned start for every run (the authors' way)"),
            "seeds": self.seeds,
            "steps": {str(e): cfg.steps(e) for e in eps_values},
            "final_l2_error": {str(e): self.errors[e] for e in eps_values},
            "median_final_l2_error": {str(e): m for e, m in self.medians().items()},
            "final_authors_l2_error": {str(e): v for e, v in self.authors_errors().items()},
            "median_final_authors_l2_error": {str(e): float(np.median(v)) for e, v in self.authors_errors().items()},
            "runs_with_uncovered_jump": {str(e): int(self.uncovered(e).sum()) for e in eps_values},
            "starts_with_two_per_piece": {str(e): int(self.two_per_piece(e).sum()) for e in eps_values},
            "runs_with_uncovered_jump_among_two_per_piece": {
                str(e): int((self.uncovered(e) & self.two_per_piece(e)).sum()) for e in eps_values
            },
            "runs": self.runs,
            "wall_time_s": self.wall_time,
            "wall_time_per_eps_s": {str(e): t for e, t in self.wall_times.items()},
        })

    def check(self) -> list:
        eps = sorted(self.config.eps_values, reverse=True)
        med = [self.medians()[e] for e in eps]
        assert all(m1 > m2 for m1, m2 in zip(med, med[1:])), (
            f"median final error is not decreasing as eps decreases: {dict(zip(eps, med))}"
        )
        bad = [int(self.uncovered(e).sum()) for e in eps]
        assert bad[-1] < bad[0], f"runs with an uncovered jump do not decrease from eps={eps[0]:g} to {eps[-1]:g}: {bad}"
        return ["median final L2 error decreases as eps decreases: "
                + ", ".join(f"eps={e:g}: {m:.3f}" for e, m in zip(eps, med)),
                "runs with an uncovered jump: " + ", ".join(f"eps={e:g}: {b}/{self.config.repeats}"
                                                            for e, b in zip(eps, bad))]


def _sweep_starts(cfg: SweepConfig, seed: int, target):
    """Starts and SGD seeds of every run, in drawing order: ``{eps: (u0 rows, seeds)}`` and the ``runs`` list."""
    from ..initialisation import two_per_piece

    starts, runs = {}, []
    if cfg.conditioned:
        seeds = [seed + i for i in range(cfg.repeats)]
        u0, _ = _initial_positions(cfg.m, seeds, target)
        starts = {eps: (u0, seeds) for eps in cfg.eps_values}
    else:
        # the authors' run_epsilon: np.random.seed(seed) once, then every run draws its own start
        rng = generator(seed)
        k = 0
        for eps in cfg.eps_values:
            rows, seeds = [], []
            for _ in range(cfg.repeats):
                rows.append(np.asarray(sample_positions(cfg.m, rng)))
                seeds.append(seed + k)
                k += 1
            starts[eps] = (np.array(rows), seeds)
    for eps in cfg.eps_values:
        u0, seeds = starts[eps]
        for i, (u, s) in enumerate(zip(u0, seeds)):
            runs.append({"eps": float(eps), "repeat": i, "seed": int(s), "u0": u.tolist(),
                         "two_per_piece": two_per_piece(u, target)})
    return starts, runs


def run_eps_sweep(cfg: SweepConfig | None = None, *, seed: int = 0, progress: bool | None = None,
                  executor=None) -> SweepResult:
    r"""``eps-sweep``: for each :math:`\varepsilon`, ``repeats`` SGD runs of :math:`t_{\max}/(h\varepsilon)`
    steps from :math:`a = 0`, final error :math:`\sqrt{2 L(a, u)}`, exact.

    Starts, by default as the authors drew them: ``numpy.random.default_rng(seed)`` created once draws a
    fresh sorted :math:`U[0, 1]^m` start for each run in turn (all repeats of the first :math:`\varepsilon`,
    then the next), unconditioned; run :math:`k` (in that order) uses the SGD noise stream ``seed + k``.
    With ``cfg.conditioned`` (the book's variant): repeat ``i`` starts, for every :math:`\varepsilon`,
    from the positions of :func:`~tts_lib.initialisation.sample_positions` (seed ``seed + i``, two per piece)
    with noise stream ``seed + i``. ``executor``: where the runs execute (default local threads; e.g. a Dask
    cluster's ``Client(address).get_executor()``), bit-identical results (:func:`tts_lib.sgd.sgd_ensemble`)."""
    from ..model import loss
    from ..sgd import sgd_ensemble

    cfg = CONFIGS["eps-sweep"] if cfg is None else cfg
    if not isinstance(cfg, SweepConfig):
        raise ValueError(f"cfg must be a SweepConfig, got {type(cfg).__name__}")
    seed = _validate.integer("seed", seed, minimum=0)
    target = PiecewiseConstant.paper()
    t0 = time.perf_counter()
    starts, runs = _sweep_starts(cfg, seed, target)
    a0 = np.zeros(cfg.m + 1)
    errors, u_final, u_start, times = {}, {}, {}, {}
    bar = _progress.bar(sum(cfg.steps(e) for e in cfg.eps_values) * cfg.repeats, unit="step", unit_scale=True,
                        desc="eps sweep", progress=progress)
    for eps in cfg.eps_values:
        t1 = time.perf_counter()
        u0, seeds = starts[eps]
        ens = sgd_ensemble(a0, u0, target, eta=cfg.eta, lr=cfg.lr, eps=eps, steps=cfg.steps(eps),
                           seeds=seeds, noise=cfg.noise, executor=executor, progress=False)
        errors[eps] = np.array([np.sqrt(2.0 * loss(r.a, r.u, target, cfg.eta)) for r in ens.runs])
        u_final[eps] = ens.u
        u_start[eps] = u0
        times[eps] = time.perf_counter() - t1
        bar.update(cfg.steps(eps) * cfg.repeats)
    bar.close()
    all_seeds = sorted({r["seed"] for r in runs})
    return SweepResult(cfg, all_seeds, errors, u_final, times, time.perf_counter() - t0, target, u_start, runs)


# --- the authors' own start ---------------------------------------------------------------------------------
def authors_start(m: int = 20, numpy_seed: int = 42) -> np.ndarray:
    r"""The start of the authors' figures: ``np.random.seed(numpy_seed)`` then
    ``np.sort(np.random.rand(m))`` (their ``main.py`` and ``experiment.run``), i.e. the first :math:`m`
    draws of NumPy's legacy Mersenne-Twister generator, sorted. Uses a private ``RandomState`` (the global
    NumPy state is not touched). ``TTS_SEED_OFFSET`` does not move it (a fact about the authors' code); the SGD
    streams run from it do move."""
    m = _validate.integer("m", m, minimum=1)
    numpy_seed = _validate.integer("numpy_seed", numpy_seed, minimum=0)
    return np.sort(np.random.RandomState(numpy_seed).rand(m))


@dataclass
class AuthorsSeedResult:
    """Result of :func:`run_authors_seed`: ``u0`` the authors' start, ``two_timescale`` and ``equal_stepsizes``
    two :class:`SGDExperimentResult` from that start (the first with the ideal limit from it)."""

    config: AuthorsSeedConfig
    u0: np.ndarray
    two_timescale: SGDExperimentResult
    equal_stepsizes: SGDExperimentResult
    wall_time: float

    def summary(self) -> dict:
        from ..initialisation import neurons_per_piece

        cfg = self.config
        return _jsonable({
            "experiment": cfg.name,
            "start": f"np.random.seed({cfg.numpy_seed}); np.sort(np.random.rand({self.u0.size})) (the authors' main.py)",
            "numpy_seed": cfg.numpy_seed,
            "u0": self.u0,
            "neurons_per_piece": neurons_per_piece(self.u0, self.two_timescale.target),
            "two_timescale": self.two_timescale.summary(),
            "equal_stepsizes": self.equal_stepsizes.summary(),
            "wall_time_s": self.wall_time,
        })

    def check(self) -> list:
        tt = [f"two timescales: {m}" for m in self.two_timescale.check()]
        eq = [f"equal stepsizes: {m}" for m in self.equal_stepsizes.check()]
        return tt + eq


def run_authors_seed(cfg: AuthorsSeedConfig | None = None, *, seed: int = 0,
                     progress: bool | None = None) -> AuthorsSeedResult:
    r"""``authors-seed-42``: the two-timescale run (with the ideal limit) and the equal-stepsize runs
    (``repeats`` noise streams ``seed, seed + 1, ...``) from the authors' start :func:`authors_start`.
    The noise streams are the engine's, not the continuation of the authors' NumPy stream."""
    cfg = CONFIGS["authors-seed-42"] if cfg is None else cfg
    if not isinstance(cfg, AuthorsSeedConfig):
        raise ValueError(f"cfg must be an AuthorsSeedConfig, got {type(cfg).__name__}")
    seed = _validate.integer("seed", seed, minimum=0)
    t0 = time.perf_counter()
    u0 = authors_start(cfg.two_timescale.m, cfg.numpy_seed)
    tt = _run_sgd_experiment(cfg.two_timescale, seed, progress, start=u0)
    eq = _run_sgd_experiment(cfg.equal_stepsizes, seed, progress, start=u0)
    return AuthorsSeedResult(cfg, u0, tt, eq, time.perf_counter() - t0)


# --- appendix -----------------------------------------------------------------------------------------------
@dataclass
class AppendixResult:
    """Result of :func:`run_appendix`: ``standard`` and ``two_timescale`` lists of
    :class:`~tts_lib.appendix.GDRun` (same seeds, hence the same data and initialisation, in both)."""

    config: AppendixConfig
    seeds: list
    standard: list
    two_timescale: list
    wall_time: float

    def errors(self, regime) -> np.ndarray:
        return np.array([r.final_error for r in getattr(self, regime)])

    def summary(self) -> dict:
        cfg = self.config
        std, tts = self.errors("standard"), self.errors("two_timescale")
        return _jsonable({
            "experiment": cfg.name,
            "parameters": _config_dict(cfg),
            "objective": "||f(X) - y||_2 / n_samples (the authors' objective)",
            "seeds": self.seeds,
            "final_error": {"standard": std, "two_timescale": tts},
            "median_final_error": {"standard": float(np.median(std)), "two_timescale": float(np.median(tts))},
            "two_timescale_runs_below_standard_median": int(np.sum(tts < np.median(std))),
            "wall_time_s": self.wall_time,
            "wall_time_per_run_s": {
                "standard": float(np.mean([r.wall_time for r in self.standard])),
                "two_timescale": float(np.mean([r.wall_time for r in self.two_timescale])),
            },
        })

    def check(self) -> list:
        std, tts = self.errors("standard"), self.errors("two_timescale")
        assert np.median(tts) < np.median(std), (
            f"two-timescale median final error {np.median(tts):.4g} is not below standard's {np.median(std):.4g}"
        )
        return [f"{self.config.name}: two-timescale median final error {np.median(tts):.4g} < standard "
                f"{np.median(std):.4g} ({int(np.sum(tts < np.median(std)))}/{tts.size} runs below it)"]


def run_appendix(cfg: AppendixConfig, *, seed: int = 0, progress: bool | None = None,
                 unpaired: bool = False) -> AppendixResult:
    r"""An appendix experiment: ``repeats`` seeds, each trained in the standard regime
    (:math:`h_a = h_u = 1`, 300 epochs) and the two-timescale regime (:math:`h_a = 1`, :math:`h_u = 0.01`,
    5000 epochs) by full-batch GD on :math:`J = \|f(X) - y\|/n` (see :mod:`tts_lib.appendix`), without a
    bias unless ``cfg.bias``. The two regimes are **paired** (seed :math:`s` gives both the same data and start);
    ``unpaired=True`` runs them as the authors' notebooks do, each on its own data and start (the two-timescale
    runs use seeds ``seed + repeats ...``; ``AppendixResult.seeds`` are the standard runs' seeds)."""
    from .appendix import train_additive, train_relu

    if not isinstance(cfg, AppendixConfig):
        raise ValueError(f"cfg must be an AppendixConfig, got {type(cfg).__name__}")
    seed = _validate.integer("seed", seed, minimum=0)
    t0 = time.perf_counter()
    seeds = [seed + i for i in range(cfg.repeats)]
    out = {"standard": [], "two_timescale": []}
    bar = _progress.bar(2 * len(seeds), unit="run", desc=cfg.name, progress=progress)

    def one(job):
        regime, s = job
        lr_a, lr_u, epochs = getattr(cfg, regime)
        if cfg.model == "additive":
            return train_additive(cfg.d, n_samples=cfg.n_samples, lr_a=lr_a, lr_u=lr_u, epochs=epochs,
                                  seed=s, p=cfg.p, eta=cfg.eta, bias=cfg.bias)
        return train_relu(n_samples=cfg.n_samples, m=cfg.p, lr_a=lr_a, lr_u=lr_u, epochs=epochs, seed=s,
                          bias=cfg.bias)

    # the additive model's descent is compiled and releases the GIL: runs share the cores
    shift = {"standard": 0, "two_timescale": cfg.repeats if unpaired else 0}
    jobs = [(regime, s + shift[regime]) for regime in ("standard", "two_timescale") for s in seeds]
    workers = 1 if cfg.model != "additive" else max(1, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for (regime, _), r in zip(jobs, pool.map(one, jobs)):
            out[regime].append(r)
            bar.update(1)
    bar.close()
    return AppendixResult(cfg, seeds, out["standard"], out["two_timescale"], time.perf_counter() - t0)


def run(name: str, *, quick: bool = False, seed: int = 0, progress: bool | None = None, executor=None):
    """Run the experiment ``name`` (see :data:`CONFIGS`) and return its result object; ``executor`` (any
    :class:`concurrent.futures.Executor`, e.g. a Dask cluster's) runs the SGD ensembles (eps sweep, repeats)."""
    cfg = config(name, quick=quick)
    if isinstance(cfg, SweepConfig):
        return run_eps_sweep(cfg, seed=seed, progress=progress, executor=executor)
    if isinstance(cfg, AppendixConfig):
        return run_appendix(cfg, seed=seed, progress=progress)
    if isinstance(cfg, AuthorsSeedConfig):
        return run_authors_seed(cfg, seed=seed, progress=progress)
    return _run_sgd_experiment(cfg, _validate.integer("seed", seed, minimum=0), progress, executor=executor)


# --- plotting -----------------------------------------------------------------------------------------------------










def per_seed(result: SGDExperimentResult) -> list:
    """Split a multi-seed :class:`~tts_lib.experiments.SGDExperimentResult` into one result per seed, each
    with the ideal limit started from its own positions (evaluated at its recorded slow times)."""
    if not isinstance(result, SGDExperimentResult):
        raise ValueError(f"result must be an SGDExperimentResult, got {type(result).__name__}")
    out = []
    for i, run in enumerate(result.runs):
        ideal = None
        if result.config.compare_ideal:
            ideal = result.ideal if i == 0 and result.ideal is not None else ideal_flow(
                np.clip(result.u0[i], 0.0, 1.0), result.target, (0.0, float(run.tau[-1])), tau_eval=run.tau)
        out.append(SGDExperimentResult(result.config, [result.seeds[i]], result.u0[i:i + 1],
                                       [result.tries[i]], [run], ideal, run.wall_time, result.target))
    return out


def jumps_in_flight(result: SGDExperimentResult) -> list:
    """Indices of the jumps that the ideal limit (first seed) has not captured by the end of the run."""
    if not isinstance(result, SGDExperimentResult) or result.ideal is None:
        raise ValueError("result must be an SGDExperimentResult with an ideal limit")
    captured = set(result.captured_by_ideal())
    return [i for i in range(result.target.jumps.size) if i not in captured]


def snapshot_index(result: SGDExperimentResult, tau) -> int:
    """Index of the record of the first seed whose slow time is closest to ``tau``."""
    tau = _validate.positive("tau", tau, allow_zero=True)
    return int(np.argmin(np.abs(result.main.tau - tau)))



# --- the appendix's standard regime, tuned: a step grid at equal budget ---------------------------------------
#: Half-decade steps :math:`10^{0}, 10^{-1/2}, \dots, 10^{-2}` for the standard regime's grid.
HALF_DECADE_STEPS = tuple(float(10.0 ** (-k / 2)) for k in range(5))


@dataclass
class StandardStepGrid:
    """Outcome of :func:`standard_step_grid`: the steps ``lr`` (L,), ``seeds`` (S,), final errors ``error`` and
    fractions of thresholds found ``found`` (L, S) of the standard regime (both steps equal to ``lr``,
    ``epochs`` epochs), the two-timescale runs' ``tt_error`` and ``tt_found`` (S,), ``wall_time``."""

    name: str
    lr: np.ndarray
    seeds: np.ndarray
    epochs: int
    error: np.ndarray
    found: np.ndarray
    tt_error: np.ndarray
    tt_found: np.ndarray
    wall_time: float

    @property
    def best(self) -> int:
        """Index of the step with the smallest median final error."""
        return int(np.argmin(np.median(self.error, axis=1)))


def standard_step_grid(name, lrs=HALF_DECADE_STEPS, *, epochs=None, seed=0, repeats=None) -> StandardStepGrid:
    r"""The appendix experiment ``name`` with its standard regime on a grid of steps (both layers the same step
    :math:`h \in` ``lrs``, half-decade by default) at the two-timescale regime's budget (``epochs``, default the
    two-timescale epochs: equal budget), paired by seed with one two-timescale run per seed (``repeats`` seeds,
    default the experiment's). Records the final
    error and the fraction of thresholds found (:func:`tts_lib.experiments.appendix.thresholds_found`)."""
    from .appendix import thresholds_found

    cfg = config(name)
    if not isinstance(cfg, AppendixConfig):
        raise ValueError(f"name must be an appendix experiment, got {name!r}")
    lrs = np.array([_validate.positive("lrs", float(h)) for h in np.atleast_1d(lrs)])
    epochs = cfg.two_timescale[2] if epochs is None else _validate.integer("epochs", epochs, minimum=1)
    if repeats is not None:
        cfg = dataclasses.replace(cfg, repeats=_validate.integer("repeats", repeats, minimum=1))
    t0 = time.perf_counter()
    err, fnd = [], []
    tt = None
    for h in lrs:
        # the two-timescale runs do not depend on h: run them once (with the first step), one epoch afterwards
        tt_cfg = cfg.two_timescale if tt is None else (cfg.two_timescale[0], cfg.two_timescale[1], 1)
        res = run_appendix(dataclasses.replace(cfg, standard=(float(h), float(h), epochs), two_timescale=tt_cfg),
                           seed=seed)
        err.append(res.errors("standard"))
        fnd.append([thresholds_found(r.u, cfg.model, cfg.d) for r in res.standard])
        if tt is None:
            tt = res
    return StandardStepGrid(name, lrs, np.array(tt.seeds), epochs, np.array(err), np.array(fnd),
                            tt.errors("two_timescale"),
                            np.array([thresholds_found(r.u, cfg.model, cfg.d) for r in tt.two_timescale]),
                            time.perf_counter() - t0)


def load_standard_step_grid(name) -> StandardStepGrid:
    """The stored :func:`standard_step_grid` of ``name`` (``"relu"`` or ``"additive-2d"``), computed by
    ``benchmarks/appendix_step_grid.py`` (20 seeds, half-decade steps, 5000 epochs)."""
    from .stored import load_step_grid_data

    data = load_step_grid_data()
    if name not in data:
        raise ValueError(f"name must be one of {sorted(data)}, got {name!r}")
    g = data[name]
    return StandardStepGrid(name, np.array(g["lr"]), np.array(g["seeds"]), int(g["epochs"]), np.array(g["error"]),
                            np.array(g["found"]), np.array(g["tt_error"]), np.array(g["tt_found"]),
                            float(g["wall_time"]))


@dataclass
class StoredAppendix:
    """A stored appendix experiment (``benchmarks/appendix_10d.py``): per seed, the final error and the fraction
    of thresholds found in each regime (``"standard"``, ``"two_timescale"``)."""

    name: str
    seeds: np.ndarray
    error: dict
    found: dict
    wall_time: float

    def errors(self, regime: str) -> np.ndarray:
        if regime not in self.error:
            raise ValueError(f"regime must be 'standard' or 'two_timescale', got {regime!r}")
        return self.error[regime]


def load_appendix_10d() -> StoredAppendix:
    """The additive model in dimension 10 at the paper's parameters, 20 seeds (``benchmarks/appendix_10d.py``)."""
    from .stored import load_appendix_10d_data

    d = load_appendix_10d_data()
    reg = ("standard", "two_timescale")
    return StoredAppendix("additive-10d", np.array(d["seeds"]), {r: np.array(d[f"error_{r}"]) for r in reg},
                          {r: np.array(d[f"found_{r}"]) for r in reg}, float(d["wall_time"]))


def load_eps_sweep() -> SweepResult:
    """The ``eps-sweep`` at the paper's parameters, 20 runs per eps, seed 0 (``benchmarks/eps_sweep.py``), as a
    :class:`SweepResult` (its ``wall_time`` is that of the stored run)."""
    from .stored import load_eps_sweep_data

    d = load_eps_sweep_data()
    cfg = CONFIGS["eps-sweep"]
    if tuple(d["eps"]) != tuple(cfg.eps_values) or d["repeats"] != cfg.repeats or d["m"] != cfg.m:
        raise ValueError("eps_sweep.json does not match the eps-sweep configuration: re-run benchmarks/eps_sweep.py")
    target = PiecewiseConstant.paper()
    from ..initialisation import two_per_piece

    eps = [float(e) for e in d["eps"]]
    u0 = {e: np.array(d["u0"][i]) for i, e in enumerate(eps)}
    runs = [{"eps": e, "repeat": r, "seed": int(d["run_seed"][i][r]), "u0": u0[e][r].tolist(),
             "two_per_piece": two_per_piece(u0[e][r], target)} for i, e in enumerate(eps) for r in range(cfg.repeats)]
    return SweepResult(cfg, sorted({r["seed"] for r in runs}), {e: np.array(d["error"][i]) for i, e in enumerate(eps)},
                       {e: np.array(d["u_final"][i]) for i, e in enumerate(eps)},
                       {e: float(d["wall_times"][i]) for i, e in enumerate(eps)}, float(d["wall_time"]), target, u0, runs)
