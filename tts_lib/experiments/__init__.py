r"""The paper's experiments and the book's studies beyond them (chapters 1, 5 and 6).

* :mod:`~tts_lib.experiments.paper` — the paper's named experiments at its own parameters
  (``two-timescale``, ``equal-stepsizes``, ``eps-sweep``, ``additive-2d``, ``additive-10d``, ``relu``,
  ``authors-seed-42``):
  :func:`run` returns a result with ``summary()`` and ``check()``; ``python -m tts_lib reproduce NAME`` runs it;
* :mod:`~tts_lib.experiments.appendix` — the appendix models (additive model, ReLU teacher) and their
  full-batch gradient descent;
* :mod:`~tts_lib.experiments.authors` — the authors' conventions (no ½, bias neuron, ramp derivative);
* :mod:`~tts_lib.experiments.preview` — the opening experiment of chapter 1;
* :mod:`~tts_lib.experiments.phase`, :mod:`~tts_lib.experiments.scaling`, :mod:`~tts_lib.experiments.regimes`
  — chapter 6's phase diagram, scaling laws and lazy / equal-stepsize regimes;
* below them, one concept a module: :mod:`~tts_lib.experiments.intervals` (Wilson intervals),
  :mod:`~tts_lib.experiments.coverage` (jump gaps), :mod:`~tts_lib.experiments.starts` (independent starts),
  :mod:`~tts_lib.experiments.tangent` (the lazy floor), :mod:`~tts_lib.experiments.datafiles` (stored results).

Imports go down only: this layer uses the core and :mod:`tts_lib.theory`, never :mod:`tts_lib.plots`
(figures of these results live in :mod:`tts_lib.plots.experiments`).
"""

from . import appendix, authors, coverage, datafiles, intervals, paper, phase, preview, regimes, scaling, starts, tangent
from .paper import (
    CONFIGS,
    COVER_RADIUS,
    QUICK_CONFIGS,
    AppendixConfig,
    AppendixResult,
    AuthorsSeedConfig,
    AuthorsSeedResult,
    SGDConfig,
    SGDExperimentResult,
    SweepConfig,
    SweepResult,
    authors_start,
    config,
    jump_summary,
    jumps_in_flight,
    per_seed,
    run,
    run_appendix,
    run_authors_seed,
    run_eps_sweep,
    run_equal_stepsizes,
    run_sgd_vs_ideal,
    snapshot_index,
)

__all__ = [
    "appendix", "authors", "coverage", "datafiles", "intervals", "paper", "phase", "preview", "regimes", "scaling",
    "starts", "tangent",
    "CONFIGS", "COVER_RADIUS", "QUICK_CONFIGS", "AppendixConfig", "AppendixResult",
    "AuthorsSeedConfig", "AuthorsSeedResult", "SGDConfig",
    "SGDExperimentResult", "SweepConfig", "SweepResult", "authors_start", "config", "jump_summary", "jumps_in_flight", "per_seed",
    "run", "run_appendix", "run_authors_seed", "run_eps_sweep", "run_equal_stepsizes", "run_sgd_vs_ideal", "snapshot_index",
]
