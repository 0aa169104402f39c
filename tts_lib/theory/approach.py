r"""The approach to the jumps and the trapping band, measured along a trajectory.

Chapter 4's convergence theorem keeps a trajectory in a region :math:`\mathcal N` (a bootstrap); this module
measures, along a recorded path :math:`u(\tau)`, the quantities that define :math:`\mathcal N` and the ones its
proof bounds. With the start quantities of :func:`tts_lib.theory.constants.start_quantities` (near and far
neuron of each jump, asymmetries :math:`\Delta d_i`, :math:`\nu`):

* ``drift``: the largest displacement of a neuron *against its reference direction*: for a neuron that flanks
  no jump, :math:`|u_j(\tau) - u_j(0)|`; for a flanking neuron, how much farther from its jump it has gone
  than at :math:`\tau = 0` (the proof bounds it by :math:`T\varepsilon_\eta + P \le \nu/16`);
* ``entry``: per jump, the first recorded time at which the near neuron is within :math:`\eta` of its jump
  (the proof: by :math:`16d_i/\Delta_i^2`);
* ``band``: per jump, :math:`\max|u_{\rm near} - v_i|/\eta` after ``entry`` (the proof: :math:`\le \tfrac32`);
* ``far``: per jump, :math:`\min_\tau |u_{\rm far} - v_i|/\Delta d_i` (the proof: :math:`\ge \tfrac{13}{16}`);
* ``pre_gap``: per jump, the smallest (far distance :math:`-` near distance)/:math:`\Delta d_i` before ``entry``
  (the proof: :math:`\ge \tfrac78`).

**Band speed.** For a near neuron at distance :math:`|y| \in (\eta, 3\eta]` from its jump with the other neurons
in :math:`\mathcal N`, the ideal velocity points to the jump at speed at least :math:`\tfrac{\Delta^2}{2}(D'/(D' + |y|))^2
- \varepsilon_2 \ge \Delta^2/8 - \varepsilon_2`, with :math:`D'` the distance from the jump to the nearest neuron on its
other side; :func:`band_speed` returns the speed of an actual (reduced or ideal) velocity toward the jump.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..target import check_target
from .constants import start_quantities

__all__ = ["trajectory_invariants", "band_speed"]


def trajectory_invariants(u_path, tau, u0, target, eta) -> dict:
    r"""The bootstrap quantities (see the module docstring) of the recorded path ``u_path`` (shape
    ``(len(tau), m)``, rows at the times ``tau``) started at ``u0`` (which must satisfy the two-per-piece
    condition)."""
    target = check_target(target)
    q = start_quantities(u0, target)
    u0 = _validate.positions("u0", u0)
    eta = _validate.width("eta", eta)
    tau = _validate.vector("tau", tau, min_length=1)
    u_path = np.atleast_2d(_validate.points("u_path", u_path))
    if u_path.ndim != 2 or u_path.shape != (tau.shape[0], u0.shape[0]):
        raise ValueError(f"u_path must have shape (len(tau), m) = ({tau.shape[0]}, {u0.shape[0]})")
    jumps = target.jumps
    flank = np.concatenate([q["near_index"], q["far_index"]])
    others = np.setdiff1d(np.arange(u0.shape[0]), flank)
    drift = np.abs(u_path[:, others] - u0[others]).max() if others.size else 0.0
    for idx, v in zip(np.concatenate([q["near_index"], q["far_index"]]), np.concatenate([jumps, jumps])):
        drift = max(drift, float((np.abs(u_path[:, idx] - v) - abs(u0[idx] - v)).max()))
    n_j = jumps.shape[0]
    entry = np.full(n_j, np.nan)
    band = np.full(n_j, np.nan)
    far = np.empty(n_j)
    pre_gap = np.full(n_j, np.inf)
    for i, v in enumerate(jumps):
        y = np.abs(u_path[:, q["near_index"][i]] - v)
        d_far = np.abs(u_path[:, q["far_index"][i]] - v)
        far[i] = d_far.min() / q["delta_d_i"][i]
        inside = np.nonzero(y <= eta)[0]
        first = inside[0] if inside.size else tau.shape[0]
        if inside.size:
            entry[i] = tau[first]
            band[i] = y[first:].max() / eta
        if first > 0:
            pre_gap[i] = (d_far[:first] - y[:first]).min() / q["delta_d_i"][i]
    return {"drift": float(drift), "entry": entry, "band": band, "far": far, "pre_gap": pre_gap}


def band_speed(velocity, u, target, near_index, jump_index) -> float:
    r"""The component of ``velocity[near_index]`` pointing from ``u[near_index]`` to jump ``jump_index``
    (positive: towards the jump)."""
    target = check_target(target)
    u = _validate.vector("u", u, min_length=1)
    velocity = _validate.vector("velocity", velocity, length=u.shape[0])
    near_index = _validate.integer("near_index", near_index, maximum=u.shape[0] - 1)
    jump_index = _validate.integer("jump_index", jump_index, maximum=target.jumps.shape[0] - 1)
    v = target.jumps[jump_index]
    return float(np.sign(v - u[near_index]) * velocity[near_index])
