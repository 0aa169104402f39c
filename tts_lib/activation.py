r"""The smoothed Heaviside activation.

The unit-width profile is

.. math::

    \sigma(z) = \begin{cases}
        0 & z \le -\tfrac12,\\
        4(z + \tfrac12)^3 & -\tfrac12 < z \le 0,\\
        1 - 4(\tfrac12 - z)^3 & 0 < z < \tfrac12,\\
        1 & z \ge \tfrac12,
    \end{cases}

and the activation of width :math:`\eta` is :math:`\sigma_\eta(z) = \sigma(z/\eta)`.
It is :math:`C^1`, :math:`\sigma'` is supported on :math:`[-\tfrac12, \tfrac12]`
and :math:`\sigma'(0) = 3`; :math:`\sigma''` is bounded, with a jump at 0.
"""

from __future__ import annotations

import numpy as np

from . import _validate


def _sigma(z: np.ndarray) -> np.ndarray:
    zc = np.clip(z, -0.5, 0.5)
    left = 4.0 * (zc + 0.5) ** 3
    right = 1.0 - 4.0 * (0.5 - zc) ** 3
    return np.where(zc <= 0.0, left, right)


def _sigma_prime(z: np.ndarray) -> np.ndarray:
    inside = np.abs(z) < 0.5
    zc = np.clip(z, -0.5, 0.5)
    val = 12.0 * (0.5 - np.abs(zc)) ** 2
    return np.where(inside, val, 0.0)


def _sigma_second(z: np.ndarray) -> np.ndarray:
    inside = np.abs(z) < 0.5
    zc = np.clip(z, -0.5, 0.5)
    # derivative of 12 (1/2 - |z|)^2; at z = 0 we take the right derivative
    val = np.where(zc < 0.0, 24.0 * (0.5 + zc), -24.0 * (0.5 - zc))
    return np.where(inside, val, 0.0)


def sigma(z):
    r"""Unit-width smoothed Heaviside :math:`\sigma(z)` (vectorised).

    ``sigma(z / eta)`` is :math:`\sigma_\eta(z)`.
    """
    z = _validate.points("z", z)
    return _sigma(z)


def sigma_prime(z):
    r""":math:`\sigma'(z) = 12(\tfrac12 - |z|)^2` on :math:`|z| < \tfrac12`, else 0 (vectorised).

    The derivative of :math:`\sigma_\eta` is :math:`\sigma'(z/\eta)/\eta`.
    """
    z = _validate.points("z", z)
    return _sigma_prime(z)


def sigma_second(z):
    r""":math:`\sigma''(z)`: :math:`24(z + \tfrac12)` on :math:`(-\tfrac12, 0)`,
    :math:`-24(\tfrac12 - z)` on :math:`[0, \tfrac12)`, else 0 (right derivative at 0)."""
    z = _validate.points("z", z)
    return _sigma_second(z)
