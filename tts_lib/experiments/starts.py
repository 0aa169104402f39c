r"""Independent starts and SGD streams for the studies: seeds derived from a seed sequence.

:func:`independent_positions` draws :math:`m` sorted :math:`U[0, 1]` positions from the seed sequence
``(STUDY_KEY, m, seed)``, so that starts of two widths share nothing; :func:`stream` derives an SGD seed from a
tuple of integers (a cell of a study, a run, a chunk). ``TTS_SEED_OFFSET`` moves both (:mod:`tts_lib.seeds`):
the positions through :func:`tts_lib.seeds.generator`, the streams in :mod:`tts_lib.sgd` (which shifts every seed
it is given, so :func:`_stream` itself does not).
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..seeds import generator

__all__ = ["STUDY_KEY", "independent_positions"]

#: First entry of the seed sequences of :func:`independent_positions` and of the SGD streams of
#: :func:`phase_study` (any fixed number; it only separates these streams from the book's other seeds).
STUDY_KEY = 20230418


def _stream(*parts) -> int:
    """A seed in ``[0, 2**63)`` derived from integers ``parts`` by :class:`numpy.random.SeedSequence` (an SGD
    seed: :mod:`tts_lib.sgd` applies the offset)."""
    state = np.random.SeedSequence([STUDY_KEY, *[int(p) for p in parts]]).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1])) & ((1 << 63) - 1)


def independent_positions(m, seed) -> np.ndarray:
    r"""``m`` sorted i.i.d. :math:`U[0, 1]` positions from the seed sequence ``(STUDY_KEY, m, seed)``.

    Unlike :func:`tts_lib.initialisation.sample_positions` (whose first :math:`m' < m` draws of a seed are
    the draws of width :math:`m'`), the draws for two widths share nothing: the columns of a phase
    diagram built on them are independent samples.
    """
    m = _validate.integer("m", m, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    rng = generator(STUDY_KEY, m, seed)
    return np.sort(rng.uniform(0.0, 1.0, size=m))
