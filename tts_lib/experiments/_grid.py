"""Validation of a 1-D grid of parameters (widths, ratios, seeds) for the studies of this layer."""

from __future__ import annotations

import numpy as np

from .. import _validate


def grid(name, values, *, integer=False, minimum=1):
    """``values`` as a 1-D array: positive floats, or integers >= ``minimum`` (``integer=True``); a clear error
    naming ``name`` otherwise."""
    try:
        arr = np.atleast_1d(np.asarray(values))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a non-empty sequence, got {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got {values!r}")
    if integer:
        out = np.array([_validate.integer(name, int(v) if float(v).is_integer() else v, minimum=minimum)
                        for v in arr.tolist()], dtype=np.int64)
    else:
        out = np.array([_validate.positive(name, float(v)) for v in arr.tolist()])
    return out
