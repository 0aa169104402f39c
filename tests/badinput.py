"""Shared machinery of the table-driven bad-input suites (tests/core/test_bad_inputs.py and
tests/theory/test_bad_inputs_theory.py).

A *case* is (function, valid keyword arguments, parameter name, bad value, class of the bad value). The test
calls the function with the one argument replaced and requires a ValueError or TypeError whose message names
the parameter (the caller's name) in its leading clause, within a time limit (a hang fails the test instead
of stalling it). The bad values are generated per *kind* of parameter, so every parameter of a kind meets the
same classes of bad input.
"""

from __future__ import annotations

import re
import signal
import time
from contextlib import contextmanager

import numpy as np
import pytest

NAN, INF = float("nan"), float("inf")
TIME_LIMIT_S = 30  # generous: a loaded 2-core machine; a hang is what this catches


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds):
    def handler(_signum, _frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def scalar_bad(kind):
    """Bad values of a scalar parameter of the given kind, as (class, value)."""
    out = [("nan", NAN), ("inf", INF), ("-inf", -INF), ("string", "0.1"), ("numeric string", "1"),
           ("bool", True), ("complex", 1 + 0j), ("numpy complex", np.complex128(0.5)), ("None", None),
           ("list", [0.1]), ("huge 1e200", 1e200), ("overflow int 10**400", 10**400)]
    if kind in ("positive", "width", "rtol", "atol"):
        out += [("negative", -1.0), ("zero", 0.0)]
    if kind == "nonneg":
        out += [("negative", -1.0)]
    if kind == "width":
        out += [("unresolvable 1e-12", 1e-12), ("unresolvable 1e-300", 1e-300), ("too wide 1e9", 1e9),
                ("too wide 1e300", 1e300), ("subnormal 5e-324", 5e-324)]
    if kind == "rtol":
        out += [("rtol below 100 eps", 1e-20), ("rtol >= 1", 1.0), ("rtol > 1", 5.0)]
    if kind == "nonzero":
        out += [("zero", 0.0)]
    return out


def integer_bad(kind="count"):
    out = [("negative", -1), ("float", 1.5), ("integral float", 3.0), ("numeric string", "3"), ("bool", True),
           ("None", None), ("nan", NAN), ("complex", 3 + 0j), ("list", [3])]
    if kind == "count_pos":
        out.append(("zero", 0))
    return out


def array_bad(good, kind="reals", *, optional=False, any_shape=False):
    """Bad values of an array parameter whose valid value is ``good`` (a 1-D float array); ``optional``: None is
    valid; ``any_shape``: a 2-D array is valid."""
    good = np.asarray(good, dtype=float)
    n = good.shape[0]
    with_nan = good.copy()
    with_nan[-1] = NAN
    with_inf = good.copy()
    with_inf[0] = INF
    huge = good.copy()
    huge[0] = 1e200
    top = good.copy()
    top[0] = 1.7e308
    out = [
        ("nan entry", with_nan), ("inf entry", with_inf), ("huge entry 1e200", huge), ("entry 1.7e308", top),
        ("complex array", good + 0j), ("complex array, imaginary part", good + 1j), ("complex list", [complex(x) for x in good]),
        ("bool array", np.ones(n, dtype=bool)), ("bool list", [True] * n), ("bool among numbers", [True] + list(good[1:])),
        ("numeric string array", good.astype(str)), ("numeric string list", [str(x) for x in good]),
        ("numeric string", str(good[0])), ("None", None), ("object", object()), ("dict", {"a": 1}),
        ("ragged", [[0.1], [0.2, 0.3]]),
    ]
    if not any_shape:
        out.append(("2-D", good[None, :]))
    if optional:
        out = [(c, v) for c, v in out if c != "None"]
    if kind == "unit":
        out += [("outside [0, 1]", good + 2.0)]
    if kind == "nonneg":
        out += [("negative entry", -np.abs(good) - 1.0)]
    if kind == "positive":
        out += [("zero entry", np.zeros(n)), ("negative entry", -np.abs(good) - 1.0)]
    return out


def span_bad():
    return [("reversed", (1.0, 0.0)), ("empty", (0.5, 0.5)), ("nan end", (0.0, NAN)), ("inf end", (0.0, INF)),
            ("string end", (0.0, "1")), ("string", "01"), ("bool end", (0.0, True)), ("complex end", (0.0, 1j)),
            ("one number", 1.0), ("three numbers", (0.0, 0.5, 1.0)), ("None", None), ("huge end", (0.0, 1e200))]


def target_bad():
    return [("list", [0.5]), ("None", None), ("string", "paper"), ("function", lambda x: x), ("array", np.zeros(3))]


def flag_bad():
    return [("string", "yes"), ("int", 1), ("None", None), ("float", 0.0)]


def leading_names(message: str) -> set:
    """The identifiers of a message's leading clause (before 'must', 'is', 'has', ...)."""
    lead = re.split(r" (?:must|is|has|are|=|cannot|needs|overflows)\b", message, maxsplit=1)[0]
    return set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", lead))


def check_refused(func, kwargs, name):
    """Call ``func(**kwargs)``; it must raise ValueError/TypeError naming ``name`` in time. Returns the error."""
    t0 = time.perf_counter()
    with time_limit(TIME_LIMIT_S):
        with pytest.raises((ValueError, TypeError)) as info:
            out = func(**kwargs)
            pytest.fail(f"accepted: returned {out!r:.200}")
    msg = str(info.value)
    assert name in leading_names(msg), f"message does not name {name!r}: {msg!r}"
    return info.value, time.perf_counter() - t0


def cases(table):
    """pytest params from {label: (func, valid_kwargs, {param: [(class, value), ...]})}."""
    params = []
    for label, (func, valid, bad) in table.items():
        for name, values in bad.items():
            assert name in valid, (label, name)
            for cls, value in values:
                params.append(pytest.param(func, valid, name, value, id=f"{label}-{name}-{cls}"))
    return params
