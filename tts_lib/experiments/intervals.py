r"""Intervals for what the studies estimate: a proportion (Wilson) and a typical value over starts.

A study's outcome is a property of a distribution (of starts, of SGD streams), so every number it reports
comes with an interval: :func:`wilson_interval` for a proportion :math:`k/n`.
"""

from __future__ import annotations

import numpy as np

from .. import _validate

__all__ = ["Z95", "wilson_interval", "proportion_below", "median_ratio_interval"]

#: :math:`z` of a two-sided 95 % normal interval.
Z95 = 1.959963984540054


def wilson_interval(k, n, z=Z95):
    r"""Wilson score interval for a proportion :math:`k/n`:

    .. math::

        \frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1 - \hat p)}{n} + \frac{z^2}{4n^2}}}
             {1 + z^2/n}, \qquad \hat p = k/n .

    ``k`` and ``n`` may be arrays (broadcast); returns ``(low, high)`` arrays (floats for scalars).
    Default :math:`z` gives a 95 % interval (1.96). Unlike :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`
    it stays in :math:`[0, 1]` and is not empty at :math:`k = 0` or :math:`k = n`.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(n < 1) or np.any(~np.isfinite(n)):
        raise ValueError(f"n must be a positive count, got {n!r}")
    if np.any(k < 0) or np.any(k > n):
        raise ValueError(f"k must satisfy 0 <= k <= n, got k={k!r}, n={n!r}")
    z = _validate.positive("z", z)
    p = k / n
    den = 1.0 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo, hi = np.clip(mid - half, 0.0, 1.0), np.clip(mid + half, 0.0, 1.0)
    lo, hi = np.where(k == 0, 0.0, lo), np.where(k == n, 1.0, hi)     # exact ends (no rounding residue)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


def proportion_below(values, thresholds):
    r"""A threshold made a curve: for each :math:`t` of ``thresholds`` the proportion of ``values`` (last axis:
    the runs or starts) at most :math:`t`, with its Wilson interval.

    ``values`` has shape ``(..., S)`` (``nan`` counts as *not* below: a run that diverged or did not finish);
    returns ``(p, low, high)``, each of shape ``(..., T)``. E.g. the share of runs that cover every jump within a
    tolerance (``values`` = the worst jump's distance) or reach a loss level (``values`` = :math:`L/L_{\text{tts}}`),
    as the tolerance or the level varies.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim == 0 or v.shape[-1] < 1:
        raise ValueError(f"values must have at least one run on its last axis, got shape {v.shape}")
    t = np.atleast_1d(np.asarray(thresholds, dtype=float))
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)):
        raise ValueError(f"thresholds must be a non-empty 1-D sequence of finite numbers, got {thresholds!r}")
    k = np.sum(np.nan_to_num(v, nan=np.inf)[..., None, :] <= t[:, None], axis=-1)     # (..., T)
    n = v.shape[-1]
    lo, hi = wilson_interval(k, n)
    return k / n, np.asarray(lo), np.asarray(hi)


def median_ratio_interval(a, b, *, level=0.95, n_boot=4000, seed=0):
    r"""Percentile-bootstrap interval for :math:`\mathrm{med}(a)/\mathrm{med}(b)` with ``a`` and ``b`` **paired**
    (same length; resampled together, as seed :math:`s` gives both regimes the same data and start). Returns
    ``(ratio, low, high)``; the resampling uses a fixed generator (``seed``), not the book's seeds."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape or a.size < 2:
        raise ValueError(f"a and b must be 1-D arrays of the same length >= 2, got shapes {a.shape} and {b.shape}")
    if not (0 < level < 1):
        raise ValueError(f"level must lie in (0, 1), got {level}")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, a.size, size=(n_boot, a.size))
    boot = np.median(a[idx], axis=1) / np.median(b[idx], axis=1)
    q = 100 * (1 - level) / 2
    return float(np.median(a) / np.median(b)), float(np.percentile(boot, q)), float(np.percentile(boot, 100 - q))
