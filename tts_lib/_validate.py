r"""Argument checking shared by the public functions.

Every check raises :class:`ValueError` whose message names the parameter (the name the caller passed)
and says what was expected. An argument of the wrong *type* (a string, a bool, a complex number, an
array of strings, bools or complex numbers, ...) raises :class:`tts_lib.errors.ArgumentTypeError`, which
is both a :class:`TypeError` and a :class:`ValueError`. Numeric strings are never converted: ``"0.1"`` is
not a number here, and neither is ``True``.

Magnitudes. Real inputs (weights, positions, target values, times, ...) must satisfy
:math:`|x| \le` :data:`MAX_ABS` :math:`= 10^{100}`. With :math:`m \le` :data:`MAX_NEURONS` neurons, the residual
is then at most :math:`(m + 2)\,10^{100}`, its square at most :math:`\sim 10^{209}`, and the largest derived
quantity, the Hessian's :math:`a_j/\eta^2\int r\sigma''` with :math:`\eta \ge` :data:`ETA_MIN`, at most
:math:`\sim 10^{222}`: every computation stays far below the float64 maximum :math:`1.8\times10^{308}`, so
no result can be ``inf`` or ``NaN`` because an input was large.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import ArgumentTypeError

EPS = float(np.finfo(float).eps)
#: Largest magnitude accepted for a real input (see the module docstring).
MAX_ABS = 1e100
#: Smallest activation width: :math:`\sqrt{\varepsilon_{\mathrm{mach}}} \approx 1.49\times10^{-8}` (see :func:`width`).
ETA_MIN = math.sqrt(EPS)
#: Largest activation width: :math:`1/\sqrt{\varepsilon_{\mathrm{mach}}} \approx 6.7\times10^{7}` (see :func:`width`).
ETA_MAX = 1.0 / math.sqrt(EPS)
#: Smallest relative tolerance of an ODE solver: ``100 * eps``, below which scipy silently raises it.
RTOL_MIN = 100 * EPS
#: Most neurons in an exact computation: the exact loss costs about :math:`12 m^2` feature evaluations
#: (4 nodes on each of :math:`\le 3m + n + 1` intervals, :math:`m` features at each), about 1 s at :math:`m = 10^4`.
MAX_NEURONS = 10_000
#: Memory allowed for one array a function allocates up front (bytes).
MAX_BYTES = 2 * 1024**3


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _type_error(name: str, expected: str, value):
    raise ArgumentTypeError(f"{name} must be {expected}, got {_show(value)} of type {type(value).__name__}")


def _scalar(name: str, value, expected: str = "a real number") -> float:
    """A real number (not bool, str, complex), as a float; overflowing integers are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        _type_error(name, expected, value)
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be finite, got {_show(value)} (too large for a float)") from None


def real(name: str, value, *, max_abs: float = MAX_ABS) -> float:
    """A finite real number with ``|value| <= max_abs``."""
    value = _scalar(name, value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if abs(value) > max_abs:
        raise ValueError(f"{name} must have magnitude <= {max_abs:g}, got {value!r}")
    return value


def positive(name: str, value, *, allow_zero: bool = False, max_value: float = MAX_ABS) -> float:
    """A finite positive real number (or non-negative when ``allow_zero``), at most ``max_value``."""
    value = _scalar(name, value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    if value > max_value:
        raise ValueError(f"{name} must be <= {max_value:g}, got {value!r}")
    return value


def integer(name: str, value, *, minimum: int = 0, maximum: int | None = None) -> int:
    """An integer (not bool, not a float such as ``5.0``) in ``[minimum, maximum]``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        _type_error(name, "an integer", value)
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def flag(name: str, value) -> bool:
    """A bool (``True``/``False``, or a numpy bool)."""
    if not isinstance(value, (bool, np.bool_)):
        _type_error(name, "True or False", value)
    return bool(value)


def _bad_element(value):
    """The first bool, string or complex element of a (nested) list/tuple, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (bool, np.bool_, str, bytes, complex, np.complexfloating)):
            return item
    return None


def _real_array(name: str, value, *, copy: bool) -> np.ndarray:
    """``value`` as a float array; bool, string, complex and non-numeric input is refused."""
    if isinstance(value, (str, bytes, bool, np.bool_, complex, np.complexfloating)):
        _type_error(name, "an array of real numbers", value)
    raw = value if isinstance(value, np.ndarray) else None
    if raw is None:
        if isinstance(value, (list, tuple)):
            bad = _bad_element(value)
            if bad is not None:
                _type_error(name, "an array of real numbers (no bools, strings or complex entries)", bad)
        try:
            raw = np.asarray(value)
        except (TypeError, ValueError):  # ragged nesting
            raise ArgumentTypeError(f"{name} must be an array of real numbers, got {_show(value)}") from None
    kind = raw.dtype.kind
    if kind == "O":
        flat = raw.ravel().tolist()
        if any(isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real) for x in flat):
            raise ArgumentTypeError(f"{name} must be an array of real numbers, got {_show(value)}")
    elif kind not in "iuf":
        what = {"b": "bools", "c": "complex numbers", "U": "strings", "S": "bytes"}.get(kind, f"dtype {raw.dtype}")
        raise ArgumentTypeError(f"{name} must be an array of real numbers, got an array of {what}")
    try:
        return np.array(raw, dtype=float) if copy else np.asarray(raw, dtype=float)
    except OverflowError:
        raise ValueError(f"{name} must contain only finite values (an entry is too large for a float)") from None


def _finite_bounded(name: str, arr: np.ndarray, max_abs: float) -> None:
    if arr.size == 0:
        return
    if not np.abs(arr).max() <= max_abs:  # NaN fails the comparison, inf exceeds the bound
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
        raise ValueError(f"{name} must have entries of magnitude <= {max_abs:g}, got {np.abs(arr).max()!r}")


def vector(name: str, value, *, length: int | None = None, min_length: int = 0, max_abs: float = MAX_ABS) -> np.ndarray:
    """A 1-D float array of finite entries with ``|x| <= max_abs`` (a fresh copy)."""
    if type(value) is np.ndarray and value.dtype == np.float64:  # fast path for the flows' hot loops
        arr = value.copy()
    else:
        arr = _real_array(name, value, copy=True)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if length is not None and arr.shape[0] != length:
        raise ValueError(f"{name} must have length {length}, got length {arr.shape[0]}")
    if arr.shape[0] < min_length:
        raise ValueError(f"{name} must have at least {min_length} entries, got {arr.shape[0]}")
    _finite_bounded(name, arr, max_abs)
    return arr


def positive_vector(name: str, value, *, min_length: int = 1) -> np.ndarray:
    """A 1-D array of finite, strictly positive entries (a fresh copy)."""
    arr = vector(name, value, min_length=min_length)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be positive, got {arr.tolist()}")
    return arr


def points(name: str, value, *, max_abs: float = MAX_ABS) -> np.ndarray:
    """An array (any shape) of finite real numbers with ``|x| <= max_abs``."""
    arr = _real_array(name, value, copy=False)
    _finite_bounded(name, arr, max_abs)
    return arr


def positions(name: str, value) -> np.ndarray:
    """Neuron positions: a non-empty 1-D finite array of at most :data:`MAX_NEURONS` entries."""
    u = vector(name, value, min_length=1)
    if u.shape[0] > MAX_NEURONS:
        raise ValueError(
            f"{name} has {u.shape[0]} neurons; exact computations are limited to {MAX_NEURONS} "
            f"(their cost grows as m**2: about {12 * u.shape[0] ** 2:.2g} feature evaluations per loss)"
        )
    return u


def network(a, u, *, a_name: str = "a", u_name: str = "u") -> tuple[np.ndarray, np.ndarray]:
    """Outer weights ``a`` (length ``len(u) + 1``, ``a[0]`` the bias) and positions ``u``.

    ``a_name`` and ``u_name`` are the caller's parameter names (``"a0"``, ``"u0"`` for a flow's start).
    """
    u = positions(u_name, u)
    a = vector(a_name, a)
    if a.shape[0] != u.shape[0] + 1:  # either may be the wrong one: name both
        raise ValueError(
            f"{a_name} and {u_name} must have matching lengths, len({a_name}) = len({u_name}) + 1 "
            f"({a_name}[0] is the bias): got len({a_name}) = {a.shape[0]} and len({u_name}) = {u.shape[0]}"
        )
    return a, u


def width(name: str, value) -> float:
    r"""An activation width :math:`\eta` in the supported range :math:`[\sqrt\varepsilon, 1/\sqrt\varepsilon]`,
    :math:`\varepsilon = 2^{-52}` the float64 machine epsilon, i.e. about :math:`[1.49\times10^{-8}, 6.7\times10^{7}]`.

    Why this range. Only neurons whose window :math:`[u - \eta/2, u + \eta/2]` meets :math:`[0, 1]` contribute
    anything that varies, so the positions that matter have :math:`|u| \le 1 + \eta/2` and are stored with an
    absolute rounding error :math:`\delta \approx \varepsilon\max(1, |u|)`.

    * Small :math:`\eta`: the rescaled variable :math:`z = (x - u)/\eta` then carries an error
      :math:`\delta/\eta`, and the position gradient :math:`-\frac{a_j}{\eta}\int r\,\sigma'(z)` a relative error of
      about :math:`|\sigma''|\delta/\eta \le 24\,\varepsilon/\eta`; below :math:`\eta \approx \varepsilon` the window
      edges :math:`u \pm \eta/2` round onto :math:`u` and the gradient is exactly 0. With
      :math:`\eta \ge \sqrt\varepsilon` the relative error is at most :math:`24\sqrt\varepsilon \approx 4\times10^{-7}`.
    * Large :math:`\eta`: on :math:`[0, 1]` a feature varies by only about :math:`3/\eta` around
      :math:`\tfrac12`, while its values carry an absolute error :math:`\varepsilon`, so the part of the features
      that distinguishes neurons has relative error :math:`\varepsilon\eta/3`; with :math:`\eta \le 1/\sqrt\varepsilon`
      it stays below :math:`\sqrt\varepsilon`.

    In the same range :math:`1/\eta`, :math:`\eta^2` and :math:`1/\eta^2` cannot overflow.
    """
    value = positive(name, value, max_value=math.inf)
    if not ETA_MIN <= value <= ETA_MAX:
        raise ValueError(
            f"{name} must lie in the supported range [{ETA_MIN:.3g}, {ETA_MAX:.3g}] "
            f"(sqrt(eps) to 1/sqrt(eps): outside it float64 cannot resolve the window), got {value!r}"
        )
    return value


def tolerance(name: str, value, *, relative: bool = False) -> float:
    """A solver tolerance: a finite positive real; a relative one (``rtol``) in ``[100 eps, 1)``."""
    value = positive(name, value)
    if relative and not RTOL_MIN <= value < 1.0:
        raise ValueError(f"{name} must lie in [{RTOL_MIN:.3g}, 1) (100 * machine epsilon to 1), got {value!r}")
    return value


def method(name: str, value, allowed) -> str:
    """One of the strings ``allowed``."""
    if not isinstance(value, str):
        _type_error(name, f"one of {list(allowed)}", value)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def memory(name: str, n_bytes: float, what: str) -> None:
    """Refuse, up front, a request that would allocate more than :data:`MAX_BYTES`."""
    if n_bytes > MAX_BYTES:
        raise ValueError(
            f"{name} is too large: {what} would need {n_bytes / 1024**3:.3g} GiB "
            f"(limit {MAX_BYTES / 1024**3:.3g} GiB)"
        )


def span(name: str, value) -> tuple[float, float]:
    """A time span ``(start, end)`` of real numbers with ``start < end`` (finite, magnitude <= MAX_ABS)."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise ArgumentTypeError(f"{name} must be a pair (start, end) of real numbers, got {_show(value)}")
    start, end = value
    start = real(name, start)
    end = real(name, end)
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
