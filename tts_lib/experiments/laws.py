r"""Chapters 5–6's laws over a distribution of starts: one number per start, then a typical value and a spread.

A law measured on one start is a property of that start. Here each law is a function of one start
(:data:`LAWS`): the start is the ``i``-th independent start of the law's own seed family (conditioned on two
neurons per piece where the law needs it, :func:`law_start`), and every SGD stream of the measurement is derived
from ``i`` as well, so start ``i`` gives the same numbers wherever it runs. :func:`law_sample` measures starts
``first .. first + n - 1`` and returns a :class:`LawSample`, whose

* typical value is the median over starts, with a distribution-free 95 % interval from the order statistics
  (:func:`median_interval`: the ranks :math:`j < k` with :math:`P(j \le B < k) \ge 0.95`,
  :math:`B \sim \mathrm{Bin}(n, 1/2)`);
* spread is the 10 %–90 % range of the starts.

An exponent's interval is therefore the spread of the per-start exponents over starts, never the standard error
of one fit. ``benchmarks/laws_over_starts.py`` measures starts ``0 .. n - 1`` of each law and stores them
(:data:`LAWS_FILE`); a chapter loads them and measures a few **fresh** starts (indices from
:data:`FRESH_FIRST` on, which the stored study never used), and :func:`agreement` tests whether the fresh values
come from the same distribution: a two-sided permutation test of the difference of the medians (exact under the
hypothesis that stored and fresh starts are exchangeable, so a chapter asserting ``p >= alpha`` fails by chance
with probability at most ``alpha``).

The laws (keys of :data:`LAWS`; every field is one number per start):

``capture``
    Paper's target, :math:`m = 20`, :math:`\eta = 4\cdot10^{-3}`, :math:`h = 2\cdot10^{-5}`: one SGD run per
    :math:`\varepsilon \in` :data:`CAPTURE_EPS` (:func:`tts_lib.experiments.scaling.capture_times`); fields
    ``t_cap_<k>``, the exponent of :math:`t_{\mathrm{cap}}` against :math:`1/\varepsilon` fitted on the three
    smallest :math:`\varepsilon` (``exponent``, the book's fit) and the local slope between the two smallest
    (``local_slope``), and the ideal flow's :math:`\tau_{\mathrm{cap}}` (``ideal_tau_cap``).
``tracking``
    Chapter 3's small problem (jumps 0.3, 0.6; six neurons, :math:`\eta = 0.02`), a generic start (two neurons
    per piece): the exponent of :math:`\max_{\tau \le T}|u^{\mathrm{full}} - u^{\mathrm{red}}|` against
    :math:`\varepsilon \in` :data:`TRACKING_EPS` for :math:`T = 0.05, 0.15, 0.3` (``exponent_005`` ...), and
    the smallest :math:`\lambda_{\min}(G)` along the reduced flow (``lambda_min``). The book's start, with
    **both** jumps midway between their two flanking neurons, is the degenerate case
    :data:`DEGENERATE_SMALL_START` (:func:`tracking_at`).
``eta``
    Paper's target, :math:`m = 20`: the loss of the reduced flow at :math:`\tau = 0.6` for
    :math:`\eta \in` :data:`ETA_VALUES`, its exponent (``exponent``) and its ratio to
    :math:`L_{\mathrm{centred}}` at :math:`\eta = 4\cdot10^{-3}` (``ratio_004``); ``failed`` = 1 (and ``nan``
    values) where the reduced flow stops because :math:`G(u)` turns singular.
``lazy``
    Unconditioned uniform starts (frozen positions, :math:`a = 0`): :math:`\ell(u_0)/L_{\mathrm{tts}}` at
    :math:`m \in` :data:`LAZY_WIDTHS` (``floor_<m>``).
``ntk``
    Equal steps per neuron in the NTK parametrisation (:func:`tts_lib.experiments.regimes.parametrised_sgd`),
    :math:`m = 1000`, step :data:`NTK_STEP`, :data:`NTK_SAMPLES` samples: :math:`L/L_{\mathrm{tts}}` at the end
    (``loss``) and the worst jump's distance over :math:`\eta` (``gap``).
``ramp``
    Paper's target, :math:`m = 20`, conditioned start, two-timescale SGD to :math:`\tau = 0.07` with the
    book's :math:`\sigma'` and with the authors' ramp derivative on the same samples, at ten times the paper's
    step (:data:`RAMP_STEP`, the preview's setting, :math:`1.75\cdot10^7` steps): the largest final distance
    between the two runs' neurons over :math:`\eta` (``gap``) and the relative difference of the final losses
    (``loss_rel``).
``limit``
    Paper's target, :math:`m = 20`, conditioned start: the authors' "TT limit" (explicit Euler, 1000 steps to
    :math:`\tau = 0.07`, jump to the kink, :func:`tts_lib.experiments.authors.authors_limit`) against the exact
    ideal flow: largest and final position difference over :math:`\eta` and the largest difference of the
    capture times (:func:`tts_lib.experiments.authors.limit_difference`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import _validate
from ..initialisation import sample_positions
from ..seeds import generator
from ..target import PiecewiseConstant
from .datafiles import DATA_DIR
from .starts import _stream

__all__ = [
    "LAW_KEY", "FRESH_FIRST", "LAWS", "LAWS_FILE", "CAPTURE_EPS", "TRACKING_EPS", "TRACKING_TAUS", "ETA_VALUES",
    "LAZY_WIDTHS", "NTK_STEP", "NTK_SAMPLES", "RAMP_STEP", "SMALL_TARGET", "DEGENERATE_SMALL_START",
    "median_interval", "LawSample", "law_start", "law_sample", "agreement", "load_laws",
    "capture_at", "tracking_at", "eta_at", "lazy_at", "ntk_at", "ramp_at", "limit_at",
]

#: First entry of every law's seed sequence (separates these starts from the book's other seeds).
LAW_KEY = 26_2026
#: Index of the first fresh start: the stored study uses starts ``0 .. n - 1`` with ``n`` below this.
FRESH_FIRST = 100_000
#: Where ``benchmarks/laws_over_starts.py`` stores the per-start values.
LAWS_FILE = DATA_DIR / "laws_over_starts.json"

CAPTURE_EPS = (5e-4, 1e-3, 2e-3, 4e-3, 8e-3, 1.6e-2)
TRACKING_EPS = (1e-4, 5e-5, 2.5e-5)
TRACKING_TAUS = (0.05, 0.15, 0.3)
ETA_VALUES = (0.002, 0.004, 0.008, 0.016)
LAZY_WIDTHS = (640, 960)
NTK_STEP = 4.4e-5
NTK_SAMPLES = 3_000_000
RAMP_STEP = 2e-4
#: Chapter 3's two-jump problem.
SMALL_TARGET = ((0.3, 0.6), (0.0, 2.0, 1.0))
#: The book's start on it: each jump exactly midway between its two flanking neurons (a measure-zero case).
DEGENERATE_SMALL_START = (0.1, 0.2, 0.4, 0.5, 0.7, 0.8)
_LAW_IDS = {"capture": 1, "tracking": 2, "eta": 3, "lazy": 4, "ntk": 5, "ramp": 6, "limit": 7}


def median_interval(values, level=0.95):
    r"""Distribution-free interval for the median of the law of ``values`` (i.i.d.): order statistics
    :math:`(x_{(j)}, x_{(n+1-j)})` with the largest :math:`j` such that
    :math:`P(j \le B \le n - j) \ge` ``level``, :math:`B \sim \mathrm{Bin}(n, 1/2)` (``nan`` values dropped;
    at least 6 values for 95 %)."""
    from scipy.stats import binom

    x = np.sort(np.asarray(values, dtype=float))
    x = x[np.isfinite(x)]
    n = x.size
    j = np.arange(1, n // 2 + 1)
    ok = j[binom.cdf(n - j, n, 0.5) - binom.cdf(j - 1, n, 0.5) >= level]
    best = int(ok.max()) if ok.size else None
    if best is None:
        raise ValueError(f"{n} finite values are too few for a {level:.0%} interval of the median")
    return float(x[best - 1]), float(x[n - best])


@dataclass
class LawSample:
    """One law measured on starts ``starts`` (S,): ``values[field]`` (S,) per field, ``params`` of the
    measurement, ``wall_time``."""

    law: str
    starts: np.ndarray
    values: dict
    params: dict = field(default_factory=dict)
    wall_time: float = 0.0

    def __getitem__(self, name) -> np.ndarray:
        if name not in self.values:
            raise KeyError(f"law {self.law!r} has no field {name!r}; fields: {sorted(self.values)}")
        return np.asarray(self.values[name], dtype=float)

    def typical(self, name) -> float:
        """Median over starts (``nan`` values dropped)."""
        return float(np.nanmedian(self[name]))

    def interval(self, name, level=0.95):
        """:func:`median_interval` of the field."""
        return median_interval(self[name], level)

    def spread(self, name, q=(10, 90)):
        """The ``q`` percentiles over starts (default the 10 %–90 % range)."""
        x = self[name]
        x = x[np.isfinite(x)]
        return float(np.percentile(x, q[0])), float(np.percentile(x, q[1]))

    def rank_of(self, name, value) -> float:
        """Fraction of starts whose field is below ``value`` (where a given start sits in the distribution)."""
        x = self[name]
        x = x[np.isfinite(x)]
        return float(np.mean(x < value))

    def describe(self, name, fmt=".3g") -> str:
        lo, hi = self.interval(name)
        s_lo, s_hi = self.spread(name)
        return (f"{name}: median {self.typical(name):{fmt}} [95 % {lo:{fmt}}, {hi:{fmt}}], 10-90 % of starts "
                f"{s_lo:{fmt}} - {s_hi:{fmt}} ({int(np.isfinite(self[name]).sum())} starts)")

    def to_dict(self) -> dict:
        return {"law": self.law, "starts": self.starts.tolist(), "params": self.params, "wall_time": self.wall_time,
                "values": {k: [None if not np.isfinite(v) else float(v) for v in np.asarray(x, float)]
                           for k, x in self.values.items()}}

    @classmethod
    def from_dict(cls, d) -> "LawSample":
        vals = {k: np.array([np.nan if v is None else v for v in x], dtype=float) for k, x in d["values"].items()}
        return cls(d["law"], np.asarray(d["starts"], dtype=int), vals, d.get("params", {}), d.get("wall_time", 0.0))

    def check(self) -> None:
        S = self.starts.size
        for k, x in self.values.items():
            if np.asarray(x).shape != (S,):
                raise AssertionError(f"field {k} has shape {np.asarray(x).shape}, expected ({S},)")
        if np.unique(self.starts).size != S:
            raise AssertionError("the starts must be distinct")


def law_start(law, index, m, target=None, *, conditioned=True) -> np.ndarray:
    """The ``index``-th start of ``law``: ``m`` sorted uniform positions from the seed sequence
    ``(LAW_KEY, law id, m, index)`` (moved by ``TTS_SEED_OFFSET``), redrawn until every piece of ``target``
    holds two neurons when ``conditioned``."""
    if law not in _LAW_IDS:
        raise ValueError(f"law must be one of {sorted(_LAW_IDS)}, got {law!r}")
    index = _validate.integer("index", index, minimum=0)
    m = _validate.integer("m", m, minimum=1)
    rng = generator(LAW_KEY, _LAW_IDS[law], m, index)
    return np.asarray(sample_positions(m, rng, target, require_two_per_piece=conditioned), dtype=float)


def _paper():
    return PiecewiseConstant.paper()


def _small():
    return PiecewiseConstant(list(SMALL_TARGET[0]), list(SMALL_TARGET[1]))


def _slope(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(y) & (y > 0)
    if ok.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)[0])


# --- one start, one law --------------------------------------------------------------------------------------
def capture_at(index, *, eta=4e-3, lr=2e-5, tau_end=0.2, t_extra=40.0) -> dict:
    """``capture`` (module docstring) for start ``index``."""
    from .scaling import capture_times

    target = _paper()
    u0 = law_start("capture", index, 20, target)
    eps = np.array(CAPTURE_EPS)
    cap = capture_times(target, u0, eps, eta=eta, lr=lr, tau_end=tau_end, t_extra=t_extra,
                        seeds=[_stream(26, 1, index)], workers=1)
    t = cap.t_cap[:, 0]
    out = {f"t_cap_{k}": float(v) for k, v in enumerate(t)}
    out["exponent"] = _slope(1 / eps[:3], t[:3])
    out["exponent_all"] = _slope(1 / eps, t)
    out["local_slope"] = _slope(1 / eps[:2], t[:2])
    out["ideal_tau_cap"] = float(cap.ideal_tau_cap)
    return out


def tracking_at(index=None, *, u0=None, eta=0.02, rtol=1e-9, atol=1e-11) -> dict:
    """``tracking`` (module docstring) for start ``index`` of the law, or for the positions ``u0`` (e.g.
    :data:`DEGENERATE_SMALL_START`)."""
    from ..flows import reduced_flow
    from ..theory.slow_fast_tracking import gram_min_eigenvalue, tracking_gaps

    target = _small()
    if u0 is None:
        u0 = law_start("tracking", index, 6, target)
    u0 = np.asarray(u0, dtype=float)
    T = max(TRACKING_TAUS)
    n_eval = 61
    res = tracking_gaps(target, u0, eta, list(TRACKING_EPS), T, n_eval=n_eval, rtol=rtol, atol=atol)
    tau = res.tau
    out = {}
    for te in TRACKING_TAUS:
        k = int(np.searchsorted(tau, te * (1 + 1e-9), side="right"))
        gaps = [float(np.max(np.abs(f[:k] - res.u_reduced[:k]))) for f in res.u_full]
        out[f"exponent_{te:g}".replace(".", "")] = _slope(TRACKING_EPS, gaps)
    red = reduced_flow(u0, target, eta, (0.0, T), tau_eval=np.linspace(0.0, T, 31), rtol=rtol, atol=atol)
    out["lambda_min"] = float(min(gram_min_eigenvalue(u, eta) for u in red.u))
    return out


def eta_at(index, *, tau_end=0.6, max_evaluations=20_000) -> dict:
    """``eta`` (module docstring) for start ``index``. Where the reduced flow cannot vouch for its trajectory (two
    neurons squeeze together and :math:`G(u)` turns singular: :func:`tts_lib.reduced_flow` raises after
    ``max_evaluations``), the values are ``nan`` and ``failed`` is 1."""
    from ..flows import reduced_flow
    from .scaling import centred_loss

    target = _paper()
    u0 = law_start("eta", index, 20, target)
    etas = np.array(ETA_VALUES)
    try:
        loss = np.array([reduced_flow(u0, target, float(e), (0.0, tau_end), tau_eval=[0.0, tau_end],
                                      max_evaluations=max_evaluations).loss[-1] for e in etas])
    except RuntimeError:
        return {"exponent": float("nan"), "ratio_004": float("nan"), "failed": 1.0}
    k = ETA_VALUES.index(0.004)
    return {"exponent": _slope(etas, loss), "ratio_004": float(loss[k] / centred_loss(target, 0.004)), "failed": 0.0}


def lazy_at(index, *, eta=4e-3) -> dict:
    """``lazy`` (module docstring) for start ``index`` (one start per width, independent)."""
    from .tangent import tangent_floor

    target = _paper()
    return {f"floor_{m}": tangent_floor(target, law_start("lazy", index, m, conditioned=False), eta) / eta
            for m in LAZY_WIDTHS}


def ntk_at(index, *, m=1000, eta=4e-3) -> dict:
    """``ntk`` (module docstring) for start ``index``."""
    from .regimes import parametrised_sgd

    target = _paper()
    r = parametrised_sgd(target, [m], [NTK_STEP], [index], parametrisation="ntk", steps=NTK_SAMPLES, eta=eta,
                         workers=1)
    return {"loss": float(r.loss[0, 0, 0] / eta), "gap": float(r.gap[0, 0, 0] / eta)}


def limit_at(index, *, eta=4e-3, tau=0.07) -> dict:
    """``limit`` (module docstring) for start ``index``."""
    from .authors import limit_difference

    target = _paper()
    u0 = law_start("limit", index, 20, target)
    out = limit_difference(u0, target, tau, eta=eta)
    return {k: float(v) for k, v in out.items()}


def ramp_at(index, *, eta=4e-3, tau=0.07) -> dict:
    """``ramp`` (module docstring) for start ``index``."""
    from ..sgd import sgd

    target = _paper()
    u0 = law_start("ramp", index, 20, target)
    eps = 2e-5
    steps = int(round(tau / (RAMP_STEP * eps)))
    seed = _stream(26, 6, index)
    kw = dict(eta=eta, lr=RAMP_STEP, eps=eps, steps=steps, seed=seed)
    exact = sgd(np.zeros(21), u0, target, **kw)
    ramp = sgd(np.zeros(21), u0, target, derivative="ramp", **kw)
    from ..model import _loss
    l_e, l_r = _loss(exact.a, exact.u, target, eta), _loss(ramp.a, ramp.u, target, eta)
    return {"gap": float(np.max(np.abs(exact.u - ramp.u)) / eta), "loss_rel": float(abs(l_r / l_e - 1))}


#: law name -> function of one start index returning ``{field: value}``.
LAWS = {"capture": capture_at, "tracking": tracking_at, "eta": eta_at, "lazy": lazy_at, "ntk": ntk_at,
        "ramp": ramp_at, "limit": limit_at}


def law_sample(law, n, *, first=0, progress=None) -> LawSample:
    """Measure ``law`` on starts ``first .. first + n - 1``; ``progress`` (a callable) gets one line per start."""
    if law not in LAWS:
        raise ValueError(f"law must be one of {sorted(LAWS)}, got {law!r}")
    n = _validate.integer("n", n, minimum=1)
    first = _validate.integer("first", first, minimum=0)
    t0 = time.perf_counter()
    rows = []
    for i in range(first, first + n):
        rows.append(LAWS[law](i))
        if progress is not None:
            progress(f"{law} start {i}: " + ", ".join(f"{k} {v:.4g}" for k, v in rows[-1].items())
                     + f" ({time.perf_counter() - t0:.0f} s)")
    values = {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}
    return LawSample(law, np.arange(first, first + n), values, {}, time.perf_counter() - t0)


def agreement(stored, fresh, name, *, n_perm=20000, seed=0) -> float:
    r"""Two-sided permutation p-value of :math:`|\mathrm{med}(\text{fresh}) - \mathrm{med}(\text{stored})|`
    under exchangeability of the pooled starts (``nan`` values dropped). A replication *agrees* at level
    :math:`\alpha` when the p-value is at least :math:`\alpha`; under the hypothesis this fails with
    probability at most :math:`\alpha` (the permutations use a fixed generator, not the offset)."""
    a = stored[name] if isinstance(stored, LawSample) else np.asarray(stored, float)
    b = fresh[name] if isinstance(fresh, LawSample) else np.asarray(fresh, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 1:
        raise ValueError(f"too few finite values to compare ({a.size} stored, {b.size} fresh)")
    pooled = np.r_[a, b]
    obs = abs(np.median(b) - np.median(a))
    rng = np.random.default_rng(seed)
    idx = np.argsort(rng.random((n_perm, pooled.size)), axis=1)
    perm = pooled[idx]
    diff = np.abs(np.median(perm[:, a.size:], axis=1) - np.median(perm[:, :a.size], axis=1))
    return float((1 + np.sum(diff >= obs * (1 - 1e-12))) / (n_perm + 1))


def load_laws(path=None) -> dict:
    """``{law: LawSample}`` stored by ``benchmarks/laws_over_starts.py`` (default :data:`LAWS_FILE`); raises
    :class:`FileNotFoundError` naming the script when the file is missing."""
    path = LAWS_FILE if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `python benchmarks/laws_over_starts.py` to compute it")
    data = json.loads(path.read_text())
    out = {k: LawSample.from_dict(v) for k, v in data.items()}
    for s in out.values():
        s.check()
    return out
