r"""Online SGD on the two-timescale model, compiled with numba.

One step draws a fresh sample :math:`x \sim U[0, 1]` and a label
:math:`y = f^*(x) + \text{noise}\cdot\xi` with :math:`\xi \sim U[-1, 1]`, takes the residual
:math:`r = f(x; a, u) - y` of the per-sample loss :math:`\tfrac12 (f(x; a, u) - y)^2` and
updates all parameters **simultaneously** (every gradient at the old :math:`(a, u)`):

.. math::

    a_0 &\leftarrow a_0 - h\, r, \\
    a_j &\leftarrow a_j - h\, r\, \sigma_\eta(x - u_j), \\
    u_j &\leftarrow u_j - \varepsilon h\, r \Big(-\frac{a_j}{\eta}\, \sigma'\!\Big(\frac{x - u_j}{\eta}\Big)\Big),

with :math:`h` = ``lr`` and :math:`\varepsilon` = ``eps``. In expectation over :math:`(x, \xi)` the
increments are :math:`-h\nabla_a L` and :math:`-\varepsilon h \nabla_u L` with the population loss
:math:`L` of :mod:`tts_lib.model`, so SGD is an Euler discretisation (with noise) of the
two-timescale gradient flow with time :math:`t = h \cdot \text{steps}` and slow time
:math:`\tau = \varepsilon t`.

Differences from the authors' code (all deliberate, see the book's reproduction chapter):
they minimise :math:`\mathbb E(f - y)^2` without the ½, so their step :math:`h_{\text{paper}}`
is ``lr = 2 h_paper`` here; they use the derivative of a linear ramp (:math:`1/\eta` on the window)
in the position update, we use the exact :math:`\sigma'`; they put the bias as an extra neuron at
:math:`-\eta/2`, we keep it as ``a[0]``.

Random numbers
--------------
The generator is **counter-based SplitMix64**: the :math:`c`-th draw of a run with key
:math:`K` is :math:`\mathrm{mix}(K + c\,\gamma)` with :math:`\gamma` = ``0x9E3779B97F4A7C15`` and
``mix`` the SplitMix64 finaliser (Steele, Lea, Flood 2014; it passes BigCrush), turned into a
double in :math:`[0, 1)` by its top 53 bits. Step :math:`k` (0-based) uses counters
:math:`2k + 1` (for :math:`x`) and :math:`2k + 2` (for :math:`\xi`), and the key is
:math:`K = \mathrm{mix}(\text{seed} + \gamma')` with a fixed odd :math:`\gamma'` (``seed`` is first moved by the
replication switch ``TTS_SEED_OFFSET``, :func:`tts_lib.seeds.shifted`; offset 0 leaves it as it is). Because the draws
of step :math:`k` depend only on ``(seed, k)``, a run can be cut in blocks, replayed from any
step, and split across threads without changing a single bit: the same seed always gives a
bit-identical result on the same machine and library version.

Two engines, one distribution
-----------------------------
The **dense** engine (``engine="dense"``, below) touches every neuron at every step: :math:`O(m)`. The
**sparse** engine (``engine="sparse"``, :mod:`tts_lib._sparse_kernel`) uses that only the neurons whose
window contains :math:`x` (about :math:`m\eta` of them) have :math:`0 < \sigma < 1` or :math:`\sigma' \ne 0`:
the neurons left of the window all take :math:`a_j \mathrel{-}= h r` and none moves, so with the neurons
kept sorted and the weights in two Fenwick trees a step costs :math:`O(\log m + m\eta)`. Both engines make
the same random draws and the same arithmetic updates, summed in another order. What is guaranteed:

* **the same law**, always: the distribution of any statistic of the run over seeds is the same;
* **pathwise agreement until chaotic divergence**: one step from the same state agrees to rounding; over a
  trajectory the engines' rounding differences grow exactly as a 1-ulp perturbation of one engine's start
  grows. With small position steps (:math:`\varepsilon h/\eta \lesssim 10^{-3}`) that growth is nil and the
  engines agree to ~1e-14 over 10^4 steps and more; with equal stepsizes (:math:`\varepsilon = 1`) at
  :math:`\eta = 0.004` it e-folds every ~20 steps, so the paths agree to ~1e-11 for 200 steps and are O(1)
  apart (0.24 to 2.6) after 10^4 steps, as far apart as two runs with different seeds.

``engine="auto"`` (the default) takes the dense
engine when :math:`m <` :data:`SPARSE_MIN_NEURONS` or :math:`\eta >` :data:`SPARSE_MAX_ETA` (so that every
study of the book at those widths keeps its bits), the sparse one otherwise. Measured on the 2-core CI
machine at the paper's :math:`\eta = 4\cdot10^{-3}` (``benchmarks/bench_sgd.py --scaling``), ns per step,
dense / sparse: 35 / 29 at :math:`m = 20`, 102 / 39 at 100, 943 / 76 at 1000, 9736 / 272 at :math:`10^4`;
at :math:`\varepsilon = 1`, once the neurons have gathered at the jumps (many share a window and cross at
every step), 933 / 100 at 1000 and 9981 / 468 at :math:`10^4`.
Below 256 neurons ``engine="sparse"`` is thus faster when :math:`m\eta` is small, at the price of other
bits.

Ensembles, threads and clusters
-------------------------------
:func:`sgd_ensemble` runs one independent :func:`sgd` per seed, in local threads by default or on any
:class:`concurrent.futures.Executor` (``executor=``), e.g. a Dask cluster's
``distributed.Client(address).get_executor()``; each run depends only on its arguments, so the results
are bit-identical wherever the runs execute (on machines with the same CPU type and library versions).

Speed
-----
The inner loop over neurons is branch-free (the cubic is evaluated on the clipped argument, so
neurons whose window :math:`[u_j - \eta/2, u_j + \eta/2]` does not contain :math:`x` get
:math:`\sigma \in \{0, 1\}` and :math:`\sigma' = 0` without a test) and vectorises. The kernels
are compiled with ``fastmath={'contract', 'nsz'}`` (fused multiply-adds; NaN and infinity keep their
meaning, so divergence is still detected) but **without** ``reassoc``: with reassociation the
compiler's vectorised sum gave run-to-run differences in the last bits (seen in the test suite), so
the sum :math:`\sum_j a_j \sigma_j` is written as four interleaved partial sums in a fixed order,
which keeps most of the speed and makes the same seed give the same bits. Results differ from a
plain loop by rounding only. See ``benchmarks/bench_sgd.py`` for measured speeds.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from . import _progress, _validate
from ._jit_common import FASTMATH as _FASTMATH, target_value as _target_value
from ._rng import key as _key, uniform as _uniform, uniforms as _uniforms  # noqa: F401 (_uniforms: the tests)
from .target import check_target
from .errors import DivergenceError
from .seeds import shifted

__all__ = ["SGDResult", "SGDEnsembleResult", "sgd", "sgd_ensemble", "sgd_samples", "choose_engine"]

#: Steps run by one compiled call between Python-level checks (divergence, progress, records).
BLOCK = 1 << 16
#: A parameter whose magnitude exceeds this (or is not finite) counts as diverged.
DIVERGENCE_THRESHOLD = 1e100
#: ``engine="auto"`` takes the sparse engine from this many neurons on (and ``eta <= SPARSE_MAX_ETA``).
SPARSE_MIN_NEURONS = 256
#: ``engine="auto"`` takes the dense engine for wider windows (about ``m * eta`` neurons active per step).
SPARSE_MAX_ETA = 1 / 16
#: Most neurons :func:`sgd` accepts (the sparse engine's memory is ``~ 100 m`` bytes: 10^7 is 1 GB).
MAX_SGD_NEURONS = 10_000_000

# --- one step ------------------------------------------------------------------------------
@njit(cache=True, fastmath=_FASTMATH)
def _step(a, u, s, sp, x, y, inv_eta, lr, lr_u, ramp):
    r"""One simultaneous update at sample (x, y); ``s``, ``sp`` are scratch of length m.

    ``sp`` is :math:`\sigma'(z)` or, when ``ramp``, the authors' ramp derivative :math:`\mathbb 1[|z| < 1/2]`."""
    m = u.shape[0]
    # element-wise part: no reduction, so it vectorises without reassociation
    for j in range(m):
        zc = min(max((x - u[j]) * inv_eta, -0.5), 0.5)
        p = 0.5 + zc
        q = 0.5 - zc
        left = 4.0 * p * p * p
        right = 1.0 - 4.0 * q * q * q
        t = 0.5 - abs(zc)
        s[j] = left if zc <= 0.0 else right
        if ramp:
            sp[j] = 1.0 if t > 0.0 else 0.0
        else:
            sp[j] = 12.0 * t * t
    # the sum f = a_0 + sum_j a_j s_j in a fixed order: four interleaved partial sums, so
    # the result is the same bits on every run whatever the compiler does with the loop
    f0 = 0.0
    f1 = 0.0
    f2 = 0.0
    f3 = 0.0
    j = 0
    while j + 4 <= m:
        f0 += a[j + 1] * s[j]
        f1 += a[j + 2] * s[j + 1]
        f2 += a[j + 3] * s[j + 2]
        f3 += a[j + 4] * s[j + 3]
        j += 4
    while j < m:
        f0 += a[j + 1] * s[j]
        j += 1
    f = a[0] + ((f0 + f1) + (f2 + f3))
    r = f - y
    a[0] -= lr * r
    gr = lr * r
    gu = lr_u * r * inv_eta
    for j in range(m):
        aj = a[j + 1]
        a[j + 1] = aj - gr * s[j]
        u[j] += gu * aj * sp[j]


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def _run(a, u, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp):
    """Steps ``start .. start + n - 1`` of the stream of ``seed``, in place on ``a``, ``u``."""
    key = _key(seed)
    m = u.shape[0]
    s = np.empty(m)
    sp = np.empty(m)
    for k in range(start, start + n):
        c = np.uint64(2 * k)
        x = _uniform(key, c + np.uint64(1))
        xi = 2.0 * _uniform(key, c + np.uint64(2)) - 1.0
        y = _target_value(x, jumps, values) + noise * xi
        _step(a, u, s, sp, x, y, inv_eta, lr, lr_u, ramp)


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def _run_samples(a, u, jumps, values, inv_eta, lr, lr_u, xs, noises):
    """Steps on explicit samples: ``y_k = f*(xs[k]) + noises[k]``, in place on ``a``, ``u``."""
    m = u.shape[0]
    s = np.empty(m)
    sp = np.empty(m)
    for k in range(xs.shape[0]):
        y = _target_value(xs[k], jumps, values) + noises[k]
        _step(a, u, s, sp, xs[k], y, inv_eta, lr, lr_u, False)


@njit(cache=True)
def _bad(a, u):
    for v in a:
        if not abs(v) <= 1e100:  # also catches NaN
            return True
    for v in u:
        if not abs(v) <= 1e100:
            return True
    return False


def _first_bad(a, u):
    """``(what, value)`` of the first offending entry, or ``None``."""
    for name, arr in (("a", a), ("u", u)):
        bad = ~(np.abs(arr) <= DIVERGENCE_THRESHOLD)
        if bad.any():
            j = int(np.argmax(bad))
            return f"{name}[{j}]", float(arr[j])
    return None


# --- results ----------------------------------------------------------------------------------
@dataclass
class SGDResult:
    r"""Outcome of :func:`sgd`.

    Attributes
    ----------
    a, u : ndarray
        Final outer weights (``a[0]`` the bias) and positions.
    steps : ndarray of int or None
        Recorded step numbers (0, ``record_every``, ..., and the final step) when
        ``record_every > 0``.
    a_history, u_history : ndarray or None
        Parameters at the recorded steps, shapes ``(k, m + 1)`` and ``(k, m)``.
    loss_history : ndarray or None
        Exact population loss :math:`L(a, u)` at the recorded steps.
    wall_time : float
        Seconds spent (compilation excluded once cached; loss evaluations included).
    seed, lr, eps, eta, noise, n_steps : parameters of the run.
    """

    a: np.ndarray
    u: np.ndarray
    steps: np.ndarray | None
    a_history: np.ndarray | None
    u_history: np.ndarray | None
    loss_history: np.ndarray | None
    wall_time: float
    seed: int = 0
    lr: float = 0.0
    eps: float = 0.0
    eta: float = 0.0
    noise: float = 0.0
    n_steps: int = 0

    @property
    def tau(self):
        r"""Slow time :math:`\tau = \varepsilon h k` of the recorded steps."""
        return None if self.steps is None else self.eps * self.lr * self.steps.astype(float)

    @property
    def t(self):
        r"""Fast time :math:`t = h k` of the recorded steps."""
        return None if self.steps is None else self.lr * self.steps.astype(float)


@dataclass
class SGDEnsembleResult:
    """Outcome of :func:`sgd_ensemble`: one :class:`SGDResult` per seed, in order.

    ``a``, ``u`` (and ``loss_history`` when recorded) are stacked along a first axis of
    length ``len(seeds)``; ``wall_time`` is the elapsed time of the whole ensemble.
    """

    seeds: np.ndarray
    runs: list = field(repr=False)
    wall_time: float

    @property
    def a(self) -> np.ndarray:
        return np.stack([r.a for r in self.runs])

    @property
    def u(self) -> np.ndarray:
        return np.stack([r.u for r in self.runs])

    @property
    def steps(self):
        return self.runs[0].steps

    @property
    def loss_history(self):
        if self.runs[0].loss_history is None:
            return None
        return np.stack([r.loss_history for r in self.runs])

    def __len__(self) -> int:
        return len(self.runs)

    def __getitem__(self, i) -> SGDResult:
        return self.runs[i]


# --- engines ------------------------------------------------------------------------------------
def choose_engine(m: int, eta: float, engine: str = "auto") -> str:
    r"""The engine :func:`sgd` uses for ``m`` neurons of width ``eta``: ``"dense"`` (:math:`O(m)` per step)
    or ``"sparse"`` (:math:`O(\log m + m\eta)`, :mod:`tts_lib._sparse_kernel`). ``"auto"`` is sparse when
    :math:`m \ge` :data:`SPARSE_MIN_NEURONS` and :math:`\eta \le` :data:`SPARSE_MAX_ETA`, dense otherwise."""
    if not isinstance(engine, str) or engine not in ("auto", "dense", "sparse"):
        raise ValueError(f"engine must be 'auto', 'dense' or 'sparse', got {engine!r}")
    if engine != "auto":
        return engine
    return "sparse" if m >= SPARSE_MIN_NEURONS and eta <= SPARSE_MAX_ETA else "dense"


class _Dense:
    """The dense engine's state: ``a``, ``u`` themselves."""

    def __init__(self, a, u, eta):
        self.a = np.array(a, dtype=float)
        self.u = np.array(u, dtype=float)

    def run(self, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp):
        _run(self.a, self.u, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp)

    def run_samples(self, jumps, values, inv_eta, lr, lr_u, xs, noises, ramp):
        if ramp:
            raise ValueError("derivative='ramp' is not available on explicit samples")
        _run_samples(self.a, self.u, jumps, values, inv_eta, lr, lr_u, xs, noises)

    def get(self):
        return self.a.copy(), self.u.copy()

    def snapshot(self):
        return self.a.copy(), self.u.copy()

    def restore(self, snap):
        self.a[:], self.u[:] = snap


class _Sparse:
    """The sparse engine's state (sorted slots, Fenwick trees), :mod:`tts_lib._sparse_kernel`."""

    def __init__(self, a, u, eta):
        from . import _sparse_kernel

        self.k = _sparse_kernel
        self.state = _sparse_kernel.init_state(np.asarray(a, dtype=float), np.asarray(u, dtype=float), eta)
        self.m = u.shape[0]

    def run(self, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp):
        self.k.run(self.state, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp)

    def run_samples(self, jumps, values, inv_eta, lr, lr_u, xs, noises, ramp):
        self.k.run_samples(self.state, jumps, values, inv_eta, lr, lr_u, xs, noises, ramp)

    def get(self):
        a = np.empty(self.m + 1)
        u = np.empty(self.m)
        self.k.materialise(self.state, a, u)
        return a, u

    def snapshot(self):
        return tuple(x.copy() for x in self.state)

    def restore(self, snap):
        for x, y in zip(self.state, snap):
            x[...] = y


_ENGINES = {"dense": _Dense, "sparse": _Sparse}


# --- drivers ----------------------------------------------------------------------------------
class _Stop(Exception):
    """Raised inside a run when its ensemble was interrupted (never escapes :func:`sgd_ensemble`)."""


def _check_common(target, eta, lr, eps, steps, noise, record_every):
    target = check_target(target)
    eta = _validate.width("eta", eta)
    lr = _validate.positive("lr", lr)
    eps = _validate.positive("eps", eps)
    steps = _validate.integer("steps", steps, minimum=0)
    noise = _validate.positive("noise", noise, allow_zero=True)
    record_every = _validate.integer("record_every", record_every, minimum=0)
    return target, eta, lr, eps, steps, noise, record_every


def _check_network(a0, u0):
    """``a0``, ``u0`` checked under the caller's names (no limit on m but :data:`MAX_SGD_NEURONS`)."""
    u = _validate.vector("u0", u0, min_length=1)
    if u.shape[0] > MAX_SGD_NEURONS:
        raise ValueError(f"u0 has {u.shape[0]} neurons; sgd accepts at most {MAX_SGD_NEURONS}")
    a = _validate.vector("a0", a0)
    if a.shape[0] != u.shape[0] + 1:
        raise ValueError(
            f"a0 and u0 must have matching lengths, len(a0) = len(u0) + 1 (a0[0] is the bias): "
            f"got len(a0) = {a.shape[0]} and len(u0) = {u.shape[0]}"
        )
    return a, u


def _check_records(m, steps, record_every, runs=1):
    """Refuse up front a history that would not fit in memory (and exact losses beyond their limit)."""
    if not record_every:
        return
    n_rec = steps // record_every + 2
    per_record = 8 * (2 * m + 3) + 3 * 100  # a, u, loss, step + list and array overheads
    _validate.memory("record_every", float(n_rec) * per_record * runs,
                     f"{n_rec:.3g} records of {m} neurons" + (f" for each of {runs} runs" if runs > 1 else ""))
    if m > _validate.MAX_NEURONS:
        raise ValueError(f"record_every > 0 computes the exact loss at each record, limited to "
                         f"{_validate.MAX_NEURONS} neurons; got {m} (use record_every=0)")


def _check_seed(seed, name="seed") -> int:
    return _validate.integer(name, seed, minimum=0, maximum=2**63 - 1)


def _drive(a, u, target, eta, lr, eps, noise, seed, steps, record_every, bar=None, ramp=False,
           engine="auto", stop=None):
    """Run in blocks from ``a``, ``u`` (not modified); return an :class:`SGDResult`. ``stop``: an event
    checked between blocks (:class:`_Stop` when set)."""
    from .model import _loss

    t0 = time.perf_counter()
    eng = _ENGINES[choose_engine(u.shape[0], eta, engine)](a, u, eta)
    stream = shifted(seed)          # TTS_SEED_OFFSET (tts_lib.seeds): the result still records ``seed``
    jumps = np.ascontiguousarray(target.jumps, dtype=float)
    values = np.ascontiguousarray(target.values, dtype=float)
    inv_eta = 1.0 / eta
    lr_u = eps * lr
    rec_steps, rec_a, rec_u, rec_l = [], [], [], []

    def record(k):
        ak, uk = eng.get()
        rec_steps.append(k)
        rec_a.append(ak)
        rec_u.append(uk)
        rec_l.append(_loss(ak, uk, target, eta))

    if record_every:
        record(0)
    k = 0
    while k < steps:
        if stop is not None and stop.is_set():
            raise _Stop
        n = min(BLOCK, steps - k)
        if record_every:
            n = min(n, record_every - k % record_every)
        snap = eng.snapshot()
        eng.run(jumps, values, inv_eta, lr, lr_u, noise, stream, k, n, ramp)
        if _bad(*eng.get()):
            # replay the block one step at a time (same compiled code, same draws)
            eng.restore(snap)
            for i in range(n):
                eng.run(jumps, values, inv_eta, lr, lr_u, noise, stream, k + i, 1, ramp)
                bad = _first_bad(*eng.get())
                if bad is not None:
                    raise DivergenceError(
                        bad[0], k + i + 1, bad[1],
                        hint=f"seed={seed}, lr={lr:g}, eps={eps:g}, eta={eta:g}: try a smaller lr",
                    )
            raise DivergenceError("a/u", k + n, float("nan"), hint=f"seed={seed}: |value| exceeded the threshold")
        k += n
        if record_every and (k % record_every == 0 or k == steps):
            record(k)
        if bar is not None:
            bar.update(n)
    if record_every and rec_steps[-1] != steps:
        record(steps)
    hist = bool(record_every)
    a_fin, u_fin = eng.get()
    return SGDResult(
        a=a_fin,
        u=u_fin,
        steps=np.array(rec_steps, dtype=np.int64) if hist else None,
        a_history=np.array(rec_a) if hist else None,
        u_history=np.array(rec_u) if hist else None,
        loss_history=np.array(rec_l) if hist else None,
        wall_time=time.perf_counter() - t0,
        seed=seed, lr=lr, eps=eps, eta=eta, noise=noise, n_steps=steps,
    )


def _check_derivative(derivative) -> bool:
    if derivative not in ("exact", "ramp"):
        raise ValueError(f"derivative must be 'exact' (sigma') or 'ramp' (the authors' 1[|z| < 1/2]), got {derivative!r}")
    return derivative == "ramp"


def sgd(a0, u0, target, *, eta, lr, eps, steps, noise=1.0, seed=0, record_every=0, progress=None,
        derivative="exact", engine="auto"):
    r"""Online SGD on :math:`\tfrac12 (f(x; a, u) - y)^2` with inner step :math:`\varepsilon h`.

    Each step: :math:`x \sim U[0,1]`, :math:`y = f^*(x) + \text{noise}\cdot\xi`,
    :math:`\xi \sim U[-1, 1]`, :math:`r = f(x; a, u) - y`, then simultaneously

    .. math::

        a_0 \mathrel{-}= h r, \quad a_j \mathrel{-}= h r \sigma_\eta(x - u_j), \quad
        u_j \mathrel{+}= \varepsilon h r \frac{a_j}{\eta} \sigma'\!\Big(\frac{x - u_j}{\eta}\Big).

    Parameters
    ----------
    a0 : array_like, shape (m + 1,)
        Initial outer weights (``a0[0]`` the bias). Not modified.
    u0 : array_like, shape (m,)
        Initial positions. Not modified.
    target : PiecewiseConstant
        :math:`f^*`.
    eta : float
        Activation width :math:`\eta > 0` (in the range of :func:`tts_lib._validate.width`).
    lr : float
        Outer step :math:`h > 0` (the authors' step times 2, since their loss has no ½).
    eps : float
        Timescale ratio :math:`\varepsilon > 0`; the positions move with step :math:`\varepsilon h`.
    steps : int
        Number of SGD steps (>= 0).
    noise : float
        Amplitude of the uniform label noise (>= 0).
    seed : int
        Seed in ``[0, 2**63)`` of the counter-based SplitMix64 stream (module docstring).
    record_every : int
        If > 0, record ``a``, ``u`` and the exact population loss at steps 0, ``record_every``,
        ``2 record_every``, ... and at the final step. A history that would need more than
        ``_validate.MAX_BYTES`` (2 GiB) is refused before the run starts, with the figure.
    progress : bool or None
        Show a tqdm bar, updated between compiled blocks. Default ``None``: in a live notebook only, once the
        run has lasted a few seconds; never in the book build (:mod:`tts_lib._progress`).
    derivative : {"exact", "ramp"}
        The position update uses :math:`\sigma'` (the book's convention) or the authors' ramp
        derivative :math:`\mathbb 1[|z| < 1/2]` (same random draws either way, so two runs with the
        same seed differ by the derivative only).
    engine : {"auto", "dense", "sparse"}
        ``"dense"``: :math:`O(m)` per step; ``"sparse"``: :math:`O(\log m + m\eta)` per step; ``"auto"``
        (default) chooses by :func:`choose_engine`: dense below :data:`SPARSE_MIN_NEURONS` = 256 neurons
        or above :data:`SPARSE_MAX_ETA`, sparse otherwise. The two have the same law; on the same draws they
        agree to rounding until the dynamics amplifies it (chaotic divergence; module docstring); each gives
        the same bits for the same seed.

    Returns
    -------
    SGDResult

    Raises
    ------
    ValueError
        For an invalid argument (the message names it, with the caller's names ``a0``, ``u0``).
    DivergenceError
        If a parameter becomes non-finite or exceeds ``1e100`` in magnitude; ``.step`` is the
        exact step (1-based count of updates) at which it first happened.
    """
    a0, u0 = _check_network(a0, u0)
    target, eta, lr, eps, steps, noise, record_every = _check_common(
        target, eta, lr, eps, steps, noise, record_every
    )
    seed = _check_seed(seed)
    ramp = _check_derivative(derivative)
    choose_engine(u0.shape[0], eta, engine)
    progress = None if progress is None else _validate.flag("progress", progress)
    _check_records(u0.shape[0], steps, record_every)
    with _progress.bar(steps, desc="SGD", unit="step", progress=progress, unit_scale=True) as bar:
        return _drive(a0, u0, target, eta, lr, eps, noise, seed, steps, record_every, bar, ramp, engine)


def _ensemble_task(a, u, target, eta, lr, eps, noise, seed, steps, record_every, ramp, engine, stop=None):
    """One run of an ensemble (a module-level function, so that process-based executors can pickle it)."""
    return _drive(a, u, target, eta, lr, eps, noise, seed, steps, record_every, None, ramp, engine, stop)


def _check_seeds(seeds) -> list:
    """A non-empty sequence of integers in ``[0, 2**63)``; floats, bools and strings are refused."""
    if isinstance(seeds, (str, bytes)):
        raise TypeError(f"seeds must be a non-empty sequence of integers, got {seeds!r}")
    if isinstance(seeds, np.ndarray):
        if seeds.dtype.kind not in "iu":
            raise TypeError(f"seeds must be integers, got an array of dtype {seeds.dtype}")
        items = seeds.ravel().tolist()
    else:
        try:
            items = list(seeds)
        except TypeError:
            items = [seeds]  # one integer
    if not items:
        raise ValueError("seeds must be a non-empty sequence of integers, got an empty one")
    return [_check_seed(s, f"seeds[{i}]") for i, s in enumerate(items)]


def sgd_ensemble(a0, u0, target, *, eta, lr, eps, steps, seeds, noise=1.0, record_every=0, workers=None,
                 derivative="exact", engine="auto", executor=None, progress=None):
    r"""Run :func:`sgd` for each seed in ``seeds``, in parallel threads or on ``executor``.

    Every run is exactly ``sgd(a0[i], u0[i], target, ..., seed=seeds[i])``: the random stream depends
    only on ``(seed, step)``, so the results are bit-identical to the single runs whatever the number of
    threads, processes or machines (of the same CPU type) they run on.

    Parameters
    ----------
    a0, u0 : array_like
        One initialisation shared by all seeds (1-D), or one per seed (2-D, ``len(seeds)`` rows).
    seeds : sequence of int
        One seed per run (non-empty; integers in ``[0, 2**63)``, not floats or bools).
    workers : int, optional
        Number of local threads (default: the number of CPU cores); only without ``executor``.
    executor : concurrent.futures.Executor, optional
        Where to run: any executor, e.g. a ``ProcessPoolExecutor`` or a Dask cluster's
        ``distributed.Client(address).get_executor()``. Default: local threads (the compiled kernels
        release the GIL).
    eta, lr, eps, steps, noise, record_every, derivative, engine
        As in :func:`sgd`.
    progress : bool or None
        A bar counting the finished runs; default ``None``: in a live notebook only, once the ensemble has
        lasted a few seconds, never in the book build (:mod:`tts_lib._progress`).

    Returns
    -------
    SGDEnsembleResult

    Raises
    ------
    DivergenceError
        If a run diverges: the message names its seed and index; the other runs still finish and
        ``err.results`` is the list of their :class:`SGDResult` (``None`` for the runs that diverged),
        ``err.seed``/``err.index`` identify the first one.
    concurrent.futures.CancelledError
        If the ``executor`` cancels runs (e.g. ``executor.shutdown(cancel_futures=True)`` from another thread, a
        cluster shutting down): raised as soon as every other run has finished, naming the seeds of the
        cancelled runs (``err.seeds``, ``err.indices``; ``err.results`` holds the finished runs, ``None`` for
        the cancelled ones). A cancelled run is never waited for.
    KeyboardInterrupt
        On Ctrl-C: with local threads every run stops within one block of :data:`BLOCK` steps and the
        call returns at once (the results are lost); with an ``executor``, the runs not yet started are
        cancelled and the call returns at once (runs already started on remote workers finish there
        and are discarded).
    """
    target, eta, lr, eps, steps, noise, record_every = _check_common(
        target, eta, lr, eps, steps, noise, record_every
    )
    seeds = _check_seeds(seeds)
    ramp = _check_derivative(derivative)
    n = len(seeds)
    a_arr = _validate.points("a0", a0)
    u_arr = _validate.points("u0", u0)
    inits = []
    for i in range(n):
        ai = a_arr if a_arr.ndim == 1 else _rows("a0", a_arr, n)[i]
        ui = u_arr if u_arr.ndim == 1 else _rows("u0", u_arr, n)[i]
        try:
            inits.append(_check_network(ai, ui))
        except ValueError as err:
            if a_arr.ndim == 1 and u_arr.ndim == 1:
                raise
            raise type(err)(f"run {i} (seed {seeds[i]}): {err}") from None
    m = inits[0][1].shape[0]
    choose_engine(m, eta, engine)
    _check_records(m, steps, record_every, runs=n)
    if executor is not None:
        if workers is not None:
            raise ValueError("give workers (local threads) or executor, not both")
        if not hasattr(executor, "submit"):
            raise TypeError(f"executor must be a concurrent.futures.Executor, got {executor!r}")
    elif workers is None:
        workers = os.cpu_count() or 1
    else:
        workers = _validate.integer("workers", workers, minimum=1)
    t0 = time.perf_counter()
    args = [(inits[i][0], inits[i][1], target, eta, lr, eps, noise, seeds[i], steps, record_every, ramp, engine)
            for i in range(n)]

    progress = None if progress is None else _validate.flag("progress", progress)
    with _progress.bar(n, desc=f"SGD x {n}", unit="run", progress=progress) as bar:
        if executor is None and (workers == 1 or n == 1):
            runs, errors = [], {}
            for i in range(n):
                try:
                    runs.append(_ensemble_task(*args[i]))
                except DivergenceError as err:
                    runs.append(None)
                    errors[i] = err
                bar.update(1)
        else:
            runs, errors = _run_pool(args, executor, workers, bar)
    if errors:
        i = min(errors)
        first = errors[i]
        ok = n - len(errors)
        err = DivergenceError(
            first.what, first.step, first.value,
            hint=f"run {i} of {n}, seed {seeds[i]}; {len(errors)} run(s) diverged (seeds "
                 f"{[seeds[j] for j in sorted(errors)]}), the other {ok} finished: their results are in "
                 f"err.results (None for the diverged runs)",
        )
        err.seed, err.index, err.results, err.errors = seeds[i], i, runs, errors
        raise err from first
    return SGDEnsembleResult(seeds=np.array(seeds, dtype=np.int64), runs=runs, wall_time=time.perf_counter() - t0)


def _run_pool(args, executor, workers, bar=None):
    """Run ``_ensemble_task(*a)`` for each ``a`` on ``executor`` (or local threads); on Ctrl-C stop
    everything promptly: local threads see the ``stop`` event between blocks and raise :class:`_Stop`;
    on another executor the futures not yet started are cancelled."""
    import threading
    from concurrent.futures import CancelledError, wait

    n = len(args)
    own = executor is None
    stop = threading.Event() if own else None
    pool = ThreadPoolExecutor(max_workers=min(workers, n)) if own else executor
    futures = []
    try:
        for a in args:
            futures.append(pool.submit(_ensemble_task, *a, stop) if own else pool.submit(_ensemble_task, *a))
        pending = set(futures)
        while pending:  # short waits, so that a KeyboardInterrupt is seen at once
            done, pending = wait(pending, timeout=0.25)
            if bar is not None and done:
                bar.update(len(done))
            # a future the executor cancelled (``shutdown(cancel_futures=True)``) is never "done" for ``wait``
            # unless a worker picks it up to notify it: count it as finished, or this loop waits forever
            pending = {f for f in pending if not f.cancelled()}
        runs, errors, cancelled = [], {}, []
        for i, f in enumerate(futures):
            try:
                runs.append(f.result())
            except DivergenceError as err:
                runs.append(None)
                errors[i] = err
            except CancelledError:
                runs.append(None)
                cancelled.append(i)
        if cancelled:
            seeds = [args[i][7] for i in cancelled]
            err = CancelledError(
                f"{len(cancelled)} of {n} run(s) were cancelled by the executor before they finished: seeds "
                f"{seeds} (runs {cancelled}); the other {n - len(cancelled)} finished (err.results, None for "
                f"the cancelled runs)")
            err.seeds, err.indices, err.results = seeds, cancelled, runs
            raise err
        return runs, errors
    except BaseException:
        if stop is not None:
            stop.set()
        for f in futures:
            f.cancel()
        raise
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)  # the threads see `stop` within one block


def _rows(name, arr, n):
    if arr.ndim != 2 or arr.shape[0] != n:
        raise ValueError(f"{name} must be 1-D or 2-D with one row per seed ({n} rows), got shape {arr.shape}")
    return arr


def sgd_samples(a0, u0, target, *, eta, lr, eps, xs, noises, engine="auto"):
    r"""SGD on explicit samples: step :math:`k` uses the input ``x = xs[k]`` and the label
    ``y = target(x) + noises[k]`` (:math:`y = f^*(x) + \text{noise}`, the label noise itself, already scaled).

    Same compiled step as :func:`sgd` (``engine`` as there); returns the final ``(a, u)``.
    """
    a, u = _check_network(a0, u0)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    lr = _validate.positive("lr", lr)
    eps = _validate.positive("eps", eps)
    xs = _validate.vector("xs", xs)
    noises = _validate.vector("noises", noises, length=xs.shape[0])
    eng = _ENGINES[choose_engine(u.shape[0], eta, engine)](a, u, eta)
    eng.run_samples(np.ascontiguousarray(target.jumps, float), np.ascontiguousarray(target.values, float),
                    1.0 / eta, lr, eps * lr, xs, noises, False)
    return eng.get()
