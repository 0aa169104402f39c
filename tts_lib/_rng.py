r"""The counter-based random stream of the SGD engines (dense :mod:`tts_lib.sgd`, sparse
:mod:`tts_lib._sparse_kernel`), compiled, in one place below both.

**Counter-based SplitMix64**: the :math:`c`-th draw of the stream with key :math:`K` is
:math:`\mathrm{mix}(K + c\,\gamma)`, :math:`\gamma` = ``0x9E3779B97F4A7C15``, ``mix`` the SplitMix64 finaliser
(Steele, Lea, Flood 2014), turned into a double in :math:`[0, 1)` by its top 53 bits; the key of ``seed`` is
:math:`K = \mathrm{mix}(\text{seed} + \gamma')` with a fixed odd :math:`\gamma'`. A draw depends only on
``(seed, c)``: see :mod:`tts_lib.sgd` (Random numbers) for how the engines use the counters.
"""

from __future__ import annotations

import numpy as np
from numba import njit

GAMMA = np.uint64(0x9E3779B97F4A7C15)
SEED_OFFSET = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TWO_M53 = 2.0**-53


@njit(cache=True)
def mix(z):
    """The SplitMix64 finaliser of the uint64 ``z``."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True)
def key(seed):
    """The stream key :math:`K = \\mathrm{mix}(\\text{seed} + \\gamma')` of ``seed``."""
    return mix(np.uint64(seed) + SEED_OFFSET)


@njit(cache=True)
def uniform(key, counter):
    """The ``counter``-th draw of stream ``key``, a double in [0, 1)."""
    return float(mix(key + counter * GAMMA) >> _S11) * _TWO_M53


@njit(cache=True)
def uniforms(seed, n):
    """First ``n`` draws (counters 1..n) of the stream of ``seed`` (for tests)."""
    k = key(seed)
    out = np.empty(n)
    for c in range(n):
        out[c] = uniform(k, np.uint64(c + 1))
    return out
