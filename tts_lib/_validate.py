"""Argument checking shared by the public functions.

Every check raises :class:`ValueError` whose message names the parameter and
says what was expected.
"""

from __future__ import annotations

import numbers

import numpy as np


def positive(name: str, value, *, allow_zero: bool = False) -> float:
    """A finite positive real number (or non-negative when ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return value


def integer(name: str, value, *, minimum: int = 0) -> int:
    """An integer at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def vector(name: str, value, *, length: int | None = None, min_length: int = 0) -> np.ndarray:
    """A 1-D float array of finite entries (a fresh copy)."""
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of real numbers, got {value!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if length is not None and arr.shape[0] != length:
        raise ValueError(f"{name} must have length {length}, got length {arr.shape[0]}")
    if arr.shape[0] < min_length:
        raise ValueError(f"{name} must have at least {min_length} entries, got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def positive_vector(name: str, value, *, min_length: int = 1) -> np.ndarray:
    """A 1-D array of finite, strictly positive entries (a fresh copy)."""
    arr = vector(name, value, min_length=min_length)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be positive, got {arr.tolist()}")
    return arr


def points(name: str, value) -> np.ndarray:
    """An array (any shape) of finite real numbers."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def network(a, u) -> tuple[np.ndarray, np.ndarray]:
    """Outer weights ``a`` (length ``len(u) + 1``, ``a[0]`` the bias) and positions ``u``."""
    u = vector("u", u, min_length=1)
    a = vector("a", a)
    if a.shape[0] != u.shape[0] + 1:
        raise ValueError(
            f"a must have len(u) + 1 = {u.shape[0] + 1} entries (a[0] is the bias), got {a.shape[0]}"
        )
    return a, u


def span(name: str, value) -> tuple[float, float]:
    """A time span ``(start, end)`` with finite ``start < end``."""
    try:
        start, end = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (start, end) of real numbers, got {value!r}") from None
    if not (np.isfinite(start) and np.isfinite(end)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if not start < end:
        raise ValueError(f"{name} must satisfy start < end, got {value!r}")
    return start, end


def evaluation_times(name: str, value, span_: tuple[float, float]):
    """Optional sorted evaluation times inside ``span_``."""
    if value is None:
        return None
    arr = vector(name, value, min_length=1)
    if np.any(np.diff(arr) < 0):
        raise ValueError(f"{name} must be sorted increasingly")
    if arr[0] < span_[0] or arr[-1] > span_[1]:
        raise ValueError(f"{name} must lie inside the span {span_}, got [{arr[0]}, {arr[-1]}]")
    return arr
