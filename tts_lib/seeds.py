r"""The replication switch: ``TTS_SEED_OFFSET=k`` shifts every seed the library draws from.

Every random draw of the book goes through one of three doors, and each door applies the offset:

* an integer seed of :func:`numpy.random.default_rng` (starts, data, the appendix models): :func:`shifted`;
* a tuple of integers seeding a :class:`numpy.random.SeedSequence` (independent starts, streams derived
  from a cell of a study): :func:`generator` and :func:`sequence`;
* the counter-based SGD streams of :mod:`tts_lib.sgd`, whose key is computed from :func:`shifted` of the
  caller's seed (the result still records the caller's seed).

With offset :math:`k` the integer seed :math:`s` becomes

.. math::

    s_k = (s + k\cdot 2^{32}) \bmod 2^{63},

so offset 0 is the book as published (bit for bit), and for :math:`k \ge 1` every seed below
:math:`2^{32}` lands on a seed the book never uses: a fresh replication of every experiment, the same code
and the same assertions. A seed tuple :math:`(p_1, \dots, p_r)` becomes :math:`(p_1, \dots, p_r, \kappa, k)`
for :math:`k \ge 1` (:data:`OFFSET_KEY` :math:`= \kappa` separates these tuples from the unshifted ones).

The offset is read from the environment at every call (so a test can change it), and anything but a
non-negative integer is refused with an error naming the variable. What does **not** move: stored results
(``tts_lib/experiments/data``), the authors' own start (``np.random.seed(42)``, a fact about their code) and
seeds a caller passes as a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["ENV_VAR", "OFFSET_KEY", "SHIFT", "seed_offset", "shifted", "sequence", "generator"]

#: The environment variable that holds the offset.
ENV_VAR = "TTS_SEED_OFFSET"
#: :math:`2^{32}`: offset :math:`k` adds :math:`k\cdot 2^{32}` to an integer seed.
SHIFT = 2**32
#: Appended, with :math:`k`, to a seed tuple under offset :math:`k \ge 1`.
OFFSET_KEY = 7_2023_0418
_MOD = 2**63


def seed_offset() -> int:
    """The offset :math:`k \\ge 0` from ``TTS_SEED_OFFSET`` (0 when unset or empty).

    Raises ``ValueError`` naming the variable for anything else (a sign, a float, text, a value above
    :math:`2^{31}`)."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw == "":
        return 0
    if not raw.isdigit() or int(raw) >= 2**31:
        raise ValueError(f"{ENV_VAR} must be a non-negative integer below 2**31 (0 = the book's own seeds), "
                         f"got {raw!r}")
    return int(raw)


def shifted(seed) -> int:
    r"""The integer seed actually used for ``seed`` under the current offset: :math:`(s + k 2^{32}) \bmod 2^{63}`."""
    seed = int(seed)
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    k = seed_offset()
    return seed if k == 0 else (seed + k * SHIFT) % _MOD


def sequence(*parts) -> np.random.SeedSequence:
    r""":class:`numpy.random.SeedSequence` of the integers ``parts`` (plus :data:`OFFSET_KEY` and :math:`k`
    under offset :math:`k \ge 1`)."""
    ints = [int(p) for p in parts]
    if not ints or any(p < 0 for p in ints):
        raise ValueError(f"parts must be one or more non-negative integers, got {parts!r}")
    k = seed_offset()
    return np.random.SeedSequence(ints if k == 0 else [*ints, OFFSET_KEY, k])


def generator(*parts) -> np.random.Generator:
    """A generator for the seed ``parts`` under the current offset: ``default_rng(shifted(p))`` for one
    integer ``p``, ``default_rng(sequence(*parts))`` for several (at offset 0: ``default_rng(p)`` and
    ``default_rng([*parts])``, the book's generators)."""
    if len(parts) == 1:
        return np.random.default_rng(shifted(parts[0]))
    return np.random.default_rng(sequence(*parts))
