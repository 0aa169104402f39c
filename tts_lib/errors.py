"""Errors raised by :mod:`tts_lib`."""

from __future__ import annotations


class DivergenceError(FloatingPointError):
    """A run produced a non-finite or exploding value.

    Attributes
    ----------
    what : str
        Which quantity blew up (e.g. ``"a"``, ``"u"``, ``"loss"``).
    step : int or float
        The SGD step, or the flow time, at which it was detected.
    value : float
        The offending value.
    """

    def __init__(self, what: str, step, value, hint: str = ""):
        self.what = what
        self.step = step
        self.value = value
        msg = f"{what} diverged at step {step}: value {value!r}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type (a string, a bool, a complex number, an array of them, ...).

    It is both a :class:`TypeError` and a :class:`ValueError`, so ``except ValueError`` (the library's
    convention for bad input) catches it too. The message names the parameter.
    """


class CompiledCodeError(RuntimeError):
    """A compiled kernel broke a contract it checks on its own output (a sort that did not sort, a negative or
    non-finite loss from finite inputs, ...): the machine code that ran is not the code of the library.

    Seen when numba's on-disk cache holds stale or mixed compiled code. Clearing it (``find tts_lib -name
    '*.nb[ic]' -delete``, or the folder ``NUMBA_CACHE_DIR`` names) and running again recompiles the kernels.
    """
