r"""The book's opening picture: SGD with two timescales versus SGD with equal stepsizes.

Both runs start from the same network (positions :math:`u_0` drawn uniformly, with at least two
neurons in every piece of :math:`f^*`; outer weights :math:`a_0 = 0`) on the paper's target, and run
online SGD (:func:`tts_lib.sgd.sgd`: one fresh sample :math:`x \sim U[0,1]` per step, label
:math:`f^*(x)` plus uniform noise on :math:`[-1, 1]`):

* **two timescales**: outer step :math:`h`, inner step :math:`\varepsilon h` with
  :math:`\varepsilon = 2\cdot10^{-5}`, for :math:`N` steps, i.e. the slow time
  :math:`\tau = \varepsilon h N`;
* **equal stepsizes**: :math:`\varepsilon = 1`.

A jump :math:`v` of :math:`f^*` counts as *covered* when some neuron sits within ``tol`` of it
(:func:`covered_jumps`); the network can only reproduce a jump sharply where a neuron is.

The default two-timescale run uses a 10 times larger outer step than the authors' experiment
(:math:`h = 2\cdot10^{-4}` in the ½ convention instead of :math:`2\cdot10^{-5}`) and 10 times fewer
steps, so it reaches the same slow time :math:`\tau = 0.07` in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..initialisation import sample_positions
from ..target import PiecewiseConstant, check_target

__all__ = ["PreviewRuns", "covered_jumps", "run_preview"]


def covered_jumps(u, target, tol) -> np.ndarray:
    r"""Boolean array, one entry per jump :math:`v_i`: is :math:`\min_j |u_j - v_i| <` ``tol``?"""
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    tol = _validate.positive("tol", tol)
    if target.jumps.size == 0:
        return np.zeros(0, dtype=bool)
    return np.min(np.abs(u[None, :] - target.jumps[:, None]), axis=1) < tol


@dataclass
class PreviewRuns:
    """The two SGD runs of the preview (``SGDResult`` objects) and their common setting."""

    target: PiecewiseConstant
    eta: float
    u0: np.ndarray
    two_timescale: object
    equal: object

    def covered(self, which: str, tol=None) -> np.ndarray:
        """:func:`covered_jumps` at the end of run ``which`` ("two_timescale" or "equal"), ``tol`` = 2 eta by default."""
        if which not in ("two_timescale", "equal"):
            raise ValueError(f"which must be 'two_timescale' or 'equal', got {which!r}")
        run = getattr(self, which)
        return covered_jumps(run.u, self.target, 2 * self.eta if tol is None else tol)


def run_preview(*, seed=0, m=20, eta=4e-3, lr=2e-4, eps=2e-5, steps=17_500_000,
                equal_lr=2e-5, equal_steps=1_000_000, frames=40, noise=1.0) -> PreviewRuns:
    r"""Run both SGDs of the preview from the same start, recording ``frames`` + 1 snapshots each.

    The start: :math:`u_0` from :func:`~tts_lib.initialisation.sample_positions` (``seed``, with two
    neurons per piece), :math:`a_0 = 0`. Defaults: two timescales with :math:`h = 2\cdot10^{-4}`,
    :math:`\varepsilon = 2\cdot10^{-5}`, :math:`1.75\cdot10^7` steps (:math:`\tau = 0.07`); equal
    stepsizes with :math:`h = 2\cdot10^{-5}`, :math:`\varepsilon = 1`, :math:`10^6` steps
    (the authors' setting in the ½ convention).
    """
    from ..sgd import sgd

    frames = _validate.integer("frames", frames, minimum=1)
    steps = _validate.integer("steps", steps, minimum=frames)
    equal_steps = _validate.integer("equal_steps", equal_steps, minimum=frames)
    target = PiecewiseConstant.paper()
    u0 = np.asarray(sample_positions(m, seed, target, require_two_per_piece=True), dtype=float)
    a0 = np.zeros(m + 1)
    fast = sgd(a0, u0, target, eta=eta, lr=lr, eps=eps, steps=steps, noise=noise, seed=seed,
               record_every=-(-steps // frames))
    equal = sgd(a0, u0, target, eta=eta, lr=equal_lr, eps=1.0, steps=equal_steps, noise=noise, seed=seed,
                record_every=-(-equal_steps // frames))
    return PreviewRuns(target, float(eta), u0, fast, equal)


def _sci(x: float) -> str:
    """``2e-05`` -> ``2 \\cdot 10^{-5}`` (mathtext)."""
    mant, exp = f"{x:.0e}".split("e")
    return rf"{mant} \cdot 10^{{{int(exp)}}}" if int(exp) else mant


