r"""Piecewise-constant targets.

A target :math:`f^*` on :math:`[0, 1]` has jumps :math:`0 < v_1 < \dots < v_{n-1} < 1`
and values :math:`f^*_0, \dots, f^*_{n-1}`:
:math:`f^*(x) = f^*_i` on :math:`[v_i, v_{i+1})` with :math:`v_0 = 0`, :math:`v_n = 1`
(right-continuous). Its constants are
:math:`\Delta v` (smallest piece length), :math:`\Delta f` (smallest jump
:math:`|f^*_i - f^*_{i-1}|`) and :math:`M = \max_i |f^*_i|`.
"""

from __future__ import annotations

import numpy as np

from . import _validate
from .errors import ArgumentTypeError


class PiecewiseConstant:
    r"""Right-continuous piecewise-constant function on :math:`[0, 1]`.

    Parameters
    ----------
    jumps : array_like, shape (n - 1,)
        Jump locations, strictly increasing inside the open interval (0, 1).
    values : array_like, shape (n,)
        Value on each piece, left to right.

    Examples
    --------
    >>> f = PiecewiseConstant([0.5], [0.0, 1.0])
    >>> float(f(0.25)), float(f(0.5))
    (0.0, 1.0)
    """

    def __init__(self, jumps, values):
        jumps = _validate.vector("jumps", jumps)
        values = _validate.vector("values", values, min_length=1)
        if values.shape[0] != jumps.shape[0] + 1:
            raise ValueError(
                f"values must have len(jumps) + 1 = {jumps.shape[0] + 1} entries, got {values.shape[0]}"
            )
        if jumps.size and (jumps[0] <= 0.0 or jumps[-1] >= 1.0):
            raise ValueError(f"jumps must lie strictly inside (0, 1), got {jumps.tolist()}")
        if np.any(np.diff(jumps) <= 0.0):
            raise ValueError(f"jumps must be strictly increasing, got {jumps.tolist()}")
        self._jumps = jumps
        self._values = values
        self._jumps.setflags(write=False)
        self._values.setflags(write=False)

    @classmethod
    def from_increments(cls, jumps, increments):
        """Build from jump locations and increments (the first increment is the bias ``f*_0``)."""
        increments = _validate.vector("increments", increments, min_length=1)
        return cls(jumps, np.cumsum(increments))

    @classmethod
    def paper(cls):
        """The paper's 1-D target: jumps 0.2, 0.35, 0.5, 0.65, 0.8 and values 1, 5, 1, 3, 1, 5."""
        return cls.from_increments([0.2, 0.35, 0.5, 0.65, 0.8], [1.0, 4.0, -4.0, 2.0, -2.0, 4.0])

    # --- data -----------------------------------------------------------------
    @property
    def jumps(self) -> np.ndarray:
        """Jump locations :math:`v_1 < \\dots < v_{n-1}` (read-only)."""
        return self._jumps

    @property
    def values(self) -> np.ndarray:
        """Values :math:`f^*_0, \\dots, f^*_{n-1}` (read-only)."""
        return self._values

    @property
    def edges(self) -> np.ndarray:
        """Piece boundaries :math:`0 = v_0 < v_1 < \\dots < v_n = 1`."""
        return np.concatenate(([0.0], self._jumps, [1.0]))

    @property
    def heights(self) -> np.ndarray:
        """Signed jump heights :math:`f^*_i - f^*_{i-1}`, one per jump."""
        return np.diff(self._values)

    @property
    def n_pieces(self) -> int:
        return int(self._values.shape[0])

    @property
    def delta_v(self) -> float:
        r""":math:`\Delta v`, the smallest piece length."""
        return float(np.min(np.diff(self.edges)))

    @property
    def delta_f(self) -> float:
        r""":math:`\Delta f`, the smallest jump :math:`|f^*_i - f^*_{i-1}|` (``inf`` without jumps)."""
        if self._jumps.size == 0:
            return float("inf")
        return float(np.min(np.abs(self.heights)))

    @property
    def sup_norm(self) -> float:
        """:math:`M = \\max_i |f^*_i|`."""
        return float(np.max(np.abs(self._values)))

    # --- evaluation -------------------------------------------------------------
    def piece(self, x) -> np.ndarray:
        """Index ``i`` of the piece :math:`[v_i, v_{i+1})` holding each ``x`` (right-continuous)."""
        x = _validate.points("x", x)
        return np.searchsorted(self._jumps, x, side="right")

    def __call__(self, x):
        x = _validate.points("x", x)
        return self._values[np.searchsorted(self._jumps, x, side="right")]

    def primitive(self, x) -> np.ndarray:
        r""":math:`F(x) = \int_0^x f^*`, exact (piecewise linear; linear extension outside [0, 1])."""
        x = _validate.points("x", x)
        edges = self.edges
        cum = np.concatenate(([0.0], np.cumsum(self._values * np.diff(edges))))
        i = np.clip(np.searchsorted(self._jumps, x, side="right"), 0, self.n_pieces - 1)
        return cum[i] + self._values[i] * (x - edges[i])

    def primitive_sq(self, x) -> np.ndarray:
        r""":math:`\int_0^x (f^*)^2`, exact."""
        x = _validate.points("x", x)
        edges = self.edges
        sq = self._values**2
        cum = np.concatenate(([0.0], np.cumsum(sq * np.diff(edges))))
        i = np.clip(np.searchsorted(self._jumps, x, side="right"), 0, self.n_pieces - 1)
        return cum[i] + sq[i] * (x - edges[i])

    def norm_sq(self) -> float:
        r""":math:`\|f^*\|^2 = \int_0^1 (f^*)^2`."""
        return float(np.sum(self._values**2 * np.diff(self.edges)))

    def __repr__(self) -> str:
        return f"PiecewiseConstant(jumps={self._jumps.tolist()}, values={self._values.tolist()})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, PiecewiseConstant):
            return NotImplemented
        return np.array_equal(self._jumps, other._jumps) and np.array_equal(self._values, other._values)

    __hash__ = None


def check_target(value, name: str = "target") -> PiecewiseConstant:
    """``value`` if it is a :class:`PiecewiseConstant`; otherwise an
    :class:`~tts_lib.errors.ArgumentTypeError` (a ``TypeError`` and a ``ValueError``) naming ``name``."""
    if not isinstance(value, PiecewiseConstant):
        raise ArgumentTypeError(f"{name} must be a PiecewiseConstant, got {type(value).__name__}")
    return value
