r"""The flanking structure of a configuration: which neurons surround which jump.

For a jump :math:`v_i` of :math:`f^*` (signed height :math:`\Delta_i`), its *flanking neurons* are the nearest
neuron on each side, :math:`u^L_i < v_i < u^R_i`, at distances :math:`d_L = v_i - u^L_i` and
:math:`d_R = u^R_i - v_i`. The pair is *isolated* when no other jump lies in :math:`(u^L_i, u^R_i)`.
Under the initialisation condition (every piece holds at least two neurons) every pair is isolated and
no neuron flanks two jumps.

In the ideal limit the interval :math:`[u^L_i, u^R_i]` carries the loss

.. math:: \ell_{\mathrm{int}} = \frac12\int_{u^L}^{u^R}(f^* - \bar c)^2 = \frac{\Delta^2}{2}\,\frac{d_L d_R}{d_L + d_R},

and the pair dynamics of :mod:`tts_lib.jump_pair` gives each jump's capture time; :func:`predicted_captures`
collects them for a whole configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..target import check_target
from .jump_pair import _distances, arrival_bound, arrival_time

__all__ = ["interval_loss", "FlankingPairs", "flanking_pairs", "predicted_captures"]


def interval_loss(d_left, d_right, height):
    r""":math:`\frac{\Delta^2}{2}\frac{d_L d_R}{d_L + d_R}`: the ideal loss of the interval
    :math:`[v - d_L, v + d_R]` holding one jump of height :math:`\Delta` (vectorised)."""
    dl, dr = _distances(d_left, d_right)
    h = _validate.points("height", height)
    out = 0.5 * h**2 * (dl * dr / (dl + dr))  # dl dr / (dl + dr) <= min(dl, dr): no overflow
    return float(out) if np.ndim(out) == 0 else out


@dataclass
class FlankingPairs:
    """Per jump ``i``: indices into ``u`` of the nearest neuron on the left (``left[i]``) and on the right
    (``right[i]``), ``-1`` when missing; distances ``d_left[i]``, ``d_right[i]`` (``nan`` when missing);
    signed ``height[i]``; ``isolated[i]``: both exist and no other jump lies between them."""

    left: np.ndarray
    right: np.ndarray
    d_left: np.ndarray
    d_right: np.ndarray
    height: np.ndarray
    isolated: np.ndarray


def flanking_pairs(u, target) -> FlankingPairs:
    r"""The flanking neurons :math:`u^L_i < v_i < u^R_i` of every jump of ``target``."""
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    jumps = target.jumps
    nj = jumps.shape[0]
    left = np.full(nj, -1)
    right = np.full(nj, -1)
    dl = np.full(nj, np.nan)
    dr = np.full(nj, np.nan)
    iso = np.zeros(nj, dtype=bool)
    for i, v in enumerate(jumps):
        below = np.nonzero(u < v)[0]
        above = np.nonzero(u > v)[0]
        if below.size:
            left[i] = below[np.argmax(u[below])]
            dl[i] = v - u[left[i]]
        if above.size:
            right[i] = above[np.argmin(u[above])]
            dr[i] = u[right[i]] - v
        if below.size and above.size:
            iso[i] = int(np.sum((jumps > u[left[i]]) & (jumps < u[right[i]]))) == 1
    return FlankingPairs(left, right, dl, dr, target.heights.copy(), iso)


def predicted_captures(u, target):
    r"""For each jump: ``(capturer, tau_star, bound)``, the index of the nearer flanking neuron, its exact
    arrival time and the bound :math:`8\min(d_L, d_R)/\Delta^2`.

    Valid when every pair is isolated and each flanking neuron's other neighbour lies in the same piece
    (e.g. under :func:`tts_lib.initialisation.two_per_piece`); raises ``ValueError`` naming ``u`` otherwise.
    """
    pairs = flanking_pairs(u, target)
    if not np.all(pairs.isolated):
        raise ValueError("u must give every jump its own pair of flanking neurons (an isolated pair)")
    cap = np.where(pairs.d_left <= pairs.d_right, pairs.left, pairs.right)
    tau = np.array([arrival_time(a, b, h) for a, b, h in zip(pairs.d_left, pairs.d_right, pairs.height)])
    bound = np.array([arrival_bound(a, b, h) for a, b, h in zip(pairs.d_left, pairs.d_right, pairs.height)])
    return cap, tau, bound
