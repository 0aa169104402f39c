r"""Initial neuron positions, and the "two neurons per piece" condition.

The convergence argument needs every jump :math:`v_i` of :math:`f^*` to have its own pair of
flanking neurons :math:`u^L < v_i < u^R` with no other jump between them. It holds when each piece
:math:`(v_i, v_{i+1})` (with :math:`v_0 = 0`, :math:`v_n = 1`) contains at least two neurons:

.. math::

    \#\{j : v_i < u_j < v_{i+1}\} \ge 2 \quad \text{for every piece } i .

The condition is sufficient, not necessary. For :math:`m` uniform positions the probability that it
holds is modest (about 1 in 3 for the paper's target and :math:`m = 20`: 331 of 1000 seeds).
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _validate
from .target import check_target
from .seeds import shifted

__all__ = ["two_per_piece", "neurons_per_piece", "sample_positions", "PositionSample"]

_MAX_DRAWS = 2 * 10**8


def neurons_per_piece(u, target) -> np.ndarray:
    r"""Number of neurons strictly inside each piece, :math:`\#\{j : v_i < u_j < v_{i+1}\}`.

    Neurons exactly on a jump, or outside :math:`(0, 1)`, are in no piece.
    """
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    _validate.memory("u", 1.0 * u.shape[0] * target.n_pieces, "the (pieces x neurons) membership table")
    edges = target.edges
    inside = (u[None, :] > edges[:-1, None]) & (u[None, :] < edges[1:, None])
    return inside.sum(axis=1)


def two_per_piece(u, target) -> bool:
    r"""True when every piece :math:`(v_i, v_{i+1})` of ``target`` holds at least two neurons strictly
    inside it: :math:`\min_i \#\{j : v_i < u_j < v_{i+1}\} \ge 2`."""
    return bool(np.all(neurons_per_piece(u, target) >= 2))


class PositionSample(np.ndarray):
    """Sorted positions (an ndarray) with the attribute ``tries``: how many draws were needed."""

    tries: int = 1

    def __array_finalize__(self, obj):
        self.tries = getattr(obj, "tries", 1)


def sample_positions(m, rng_or_seed, target=None, require_two_per_piece=False, max_tries=1000):
    r"""Sorted positions :math:`u_{(1)} \le \dots \le u_{(m)}` of :math:`m` i.i.d. :math:`U[0, 1]` draws.

    With ``require_two_per_piece=True`` the draw is **repeated** until :func:`two_per_piece` holds
    (rejection sampling, i.e. :math:`u` is then uniform *conditioned* on the condition); the returned
    array's ``tries`` attribute counts the draws (1 when the first draw was accepted).

    Why resample rather than keep a failing seed: the book's claims are statements under this
    condition (the authors check it before following the ideal dynamics), so an experiment that is
    meant to illustrate them must start from a position that satisfies it; counting the tries keeps
    the selection visible (for :math:`m = 20` on the paper's target, about 3 tries on average),
    and a chapter that wants to show what happens *without* the condition simply passes
    ``require_two_per_piece=False``. Resampling uses the same generator, so the result is still a
    deterministic function of the seed.

    Parameters
    ----------
    m : int
        Number of neurons (>= 1).
    rng_or_seed : int or numpy.random.Generator
        Seed (>= 0) of ``numpy.random.default_rng`` (moved by ``TTS_SEED_OFFSET``, :mod:`tts_lib.seeds`) or a
        generator (advanced in place, never moved).
    target : PiecewiseConstant, optional
        Required when ``require_two_per_piece``.
    require_two_per_piece : bool
        Resample until every piece holds at least two neurons.
    max_tries : int
        Give up (``RuntimeError``) after this many draws. With ``require_two_per_piece`` the total work
        ``m * max_tries`` is limited to
        :math:`2\times10^{8}` draws (a few seconds) and one draw to 2 GiB, checked before drawing.

    Returns
    -------
    PositionSample
        Sorted float array of length ``m`` with attribute ``tries``.
    """
    m = _validate.integer("m", m, minimum=1)
    _validate.memory("m", 8.0 * m, f"one draw of m = {m} positions")
    max_tries = _validate.integer("max_tries", max_tries, minimum=1)
    require_two_per_piece = _validate.flag("require_two_per_piece", require_two_per_piece)
    if require_two_per_piece and m * max_tries > _MAX_DRAWS:
        raise ValueError(
            f"max_tries is too large for m = {m}: up to m * max_tries = {m * max_tries:.3g} uniform draws "
            f"(limit {_MAX_DRAWS:.0e})"
        )
    if isinstance(rng_or_seed, np.random.Generator):
        rng = rng_or_seed
    elif isinstance(rng_or_seed, numbers.Integral) and not isinstance(rng_or_seed, bool):
        rng = np.random.default_rng(shifted(_validate.integer("rng_or_seed", rng_or_seed, minimum=0)))
    else:
        raise ValueError(
            f"rng_or_seed must be a non-negative integer or a numpy.random.Generator, got {rng_or_seed!r}"
        )
    if require_two_per_piece:
        if target is None:
            raise ValueError("target must be given when require_two_per_piece=True")
        target = check_target(target)
        if m < 2 * target.n_pieces:
            raise ValueError(
                f"m must be >= 2 * (number of pieces) = {2 * target.n_pieces} "
                f"when require_two_per_piece=True, got {m}"
            )
    elif target is not None:
        target = check_target(target)
    for tries in range(1, max_tries + 1):
        u = np.sort(rng.uniform(0.0, 1.0, size=m))
        if not require_two_per_piece or two_per_piece(u, target):
            out = u.view(PositionSample)
            out.tries = tries
            return out
    raise RuntimeError(f"no draw of {m} positions met two_per_piece in {max_tries} tries")
