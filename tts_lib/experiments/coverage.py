r"""How well a network's neurons cover the jumps of :math:`f^*`.

:math:`\text{gap}_i(u) = \min_j |u_j - v_i|` is the distance from jump :math:`v_i` to its nearest neuron, and
:math:`\text{gap}(u) = \max_i \text{gap}_i(u)` the worst-covered jump: a run *covers* every jump within a
tolerance :math:`r` when :math:`\text{gap}(u) \le r` (the book's default :math:`r = 2\eta`).
"""

from __future__ import annotations

import numpy as np

from ..target import check_target

__all__ = ["jump_gaps", "max_jump_gap"]


def jump_gaps(u, target) -> np.ndarray:
    r"""Distance from each jump :math:`v_i` to its nearest neuron, :math:`\min_j |u_j - v_i|`.

    ``u`` may be one network (shape ``(m,)``) or a stack (shape ``(..., m)``); the result has shape
    ``(n_jumps,)`` or ``(..., n_jumps)``.
    """
    target = check_target(target)
    u = np.asarray(u, dtype=float)
    if u.ndim == 0 or u.shape[-1] < 1:
        raise ValueError(f"u must have at least one neuron on its last axis, got shape {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ValueError("u must contain only finite values (no NaN or inf)")
    return np.min(np.abs(u[..., None, :] - target.jumps[:, None]), axis=-1)


def max_jump_gap(u, target) -> np.ndarray:
    r""":math:`\text{gap}(u) = \max_i \min_j |u_j - v_i|` (the worst-covered jump), per network."""
    g = jump_gaps(u, target)
    if g.shape[-1] == 0:
        return np.zeros(g.shape[:-1]) if g.ndim > 1 else 0.0
    return np.max(g, axis=-1)
