"""What the two compiled SGD engines (dense :mod:`tts_lib.sgd`, sparse :mod:`tts_lib._sparse_kernel`) share
besides the random stream (:mod:`tts_lib._rng`): their compile flags and the label :math:`f^*(x)`, defined
once below both so that neither engine imports the other.
"""

from __future__ import annotations

from numba import njit

#: Fused multiply-adds and no signed zeros, **no** reassociation (so the same seed gives the same bits; NaN and
#: infinity keep their meaning, so divergence is still detected): see :mod:`tts_lib.sgd`, Speed.
FASTMATH = {"nsz", "contract"}


@njit(cache=True)
def target_value(x, jumps, values):
    """:math:`f^*(x)` of the piecewise-constant target: ``values[i]``, ``i`` = number of jumps ``<= x``."""
    i = 0
    for k in range(jumps.shape[0]):
        if x >= jumps[k]:
            i += 1
    return values[i]
