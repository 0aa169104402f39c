r"""Width-independent SGD step: sorted neurons, two Fenwick trees, exact updates of the active window.

The step of :mod:`tts_lib.sgd` at a sample :math:`(x, y)` splits the neurons by
:math:`z_j = (x - u_j)/\eta`, computed exactly as the dense engine computes it:

* :math:`z_j \ge 1/2` (a **prefix** of the neurons sorted by position): :math:`\sigma = 1`,
  :math:`\sigma' = 0`, so :math:`a_j \mathrel{-}= h r` and :math:`u_j` does not move;
* :math:`z_j \le -1/2` (the suffix): :math:`\sigma = \sigma' = 0`, nothing changes;
* :math:`|z_j| < 1/2` (the **active window**, about :math:`m\eta` neurons): the exact update.

State. Slot :math:`j = 1..m` holds neuron ``perm[j]`` at position ``us[j]``, sorted; slot 0 is the bias.
The outer weights are stored as differences :math:`D_j = a_{(j)} - a_{(j-1)}` (with
:math:`a_{(0)} = a_0`, the bias, which always has :math:`\sigma = 1`), so the prefix update
":math:`a_{(j)} \mathrel{-}= h r` for :math:`j \le p`" touches only :math:`a_0` and :math:`D_{p+1}`.
Two Fenwick trees hold :math:`D_j` and :math:`j D_j`, so that

.. math::

    P_1(p) = \sum_{i \le p} D_i = a_{(p)} - a_0, \qquad
    \sum_{j=1}^{p} a_{(j)} = p\, a_0 + (p + 1) P_1(p) - P_2(p), \quad P_2(p) = \sum_{i \le p} i D_i,

are :math:`O(\log m)` queries. One step: the search for :math:`p` (a table of :math:`p` at the grid points
:math:`c/G`, :math:`G \approx 4m`, rebuilt every :data:`FOLD` steps, brackets it; a binary search inside the
bracket and a walk from its result (needed only if the table is stale) make it exact; :math:`O(1)` for
spread-out neurons, :math:`O(\log m)` for clustered ones), one query, the active weights :math:`a_{(p+j)} = a_{(p+j-1)} + D_{p+j}`, the residual :math:`r`, and the changes of
:math:`D` on the contiguous slots :math:`p+1 .. e+1` (:math:`e` the last active slot) applied to both
trees in one pass (:func:`_add_range`: :math:`O(e - p + \log m)`, not :math:`O((e - p)\log m)`).
Total :math:`O(\log m + m\eta)` per step instead of :math:`O(m)`.

Crossing neurons: only active neurons move (by :math:`\varepsilon h\,|r a_j \sigma'_j|/\eta`), and after
each step a local insertion sort, starting at the active window and walking as far as it must, restores
the order (:func:`_insert`: a neuron moved :math:`k` slots left changes :math:`D` at :math:`k + 2` slots);
the trees take the changes of a step in one :func:`_add_range` pass over the slots touched, so the repair
costs :math:`O(\text{slots touched} + \log m)`, not :math:`O(\log m)` per exchange (at
:math:`\varepsilon = 1` many neurons gather at each jump and cross often).

Rounding: every :data:`FOLD` steps (counted from step 0 of the run, so cutting a run into blocks does
not change a bit) the trees are rebuilt from :math:`D` in a fixed order, so the rounding of their
incremental updates never accumulates over more than :data:`FOLD` steps. The random draws are the dense
engine's; each step differs from the dense engine's by rounding (another order of summation), so the two paths
agree to rounding until the dynamics amplifies that difference (chaotic divergence: at eps = 1 a 1-ulp change
of the start grows to O(1) within about 10^3 steps), and agree in law after that (see ``tts_lib.sgd``).

No ``fastmath`` reassociation (same flags as the dense engine): the same seed gives the same bits.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._jit_common import FASTMATH as _FASTMATH, target_value as _target_value
from ._rng import key as _key, uniform as _uniform
from .errors import CompiledCodeError

#: Steps between two rebuilds of the trees (a fixed grid in the run's step count).
FOLD = 4096
#: Indices known to be >= 0 are cast to unsigned in the step, so that numba emits no negative-index
#: wraparound for them (fewer instructions and registers in the inner loops; same bits).
U = np.uint64


@njit(cache=True)
def _build(D, t):
    """Fenwick trees of ``D[i]`` (``t[i, 0]``) and ``i D[i]`` (``t[i, 1]``) (1-based, linear time, fixed order)."""
    m = D.shape[0] - 1
    for i in range(1, m + 1):
        t[i, 0] = D[i]
        t[i, 1] = i * D[i]
    for i in range(1, m + 1):
        j = i + (i & -i)
        if j <= m:
            t[j, 0] += t[i, 0]
            t[j, 1] += t[i, 1]


@njit(cache=True)
def _guesses(us, inv_eta, guess):
    """``guess[c]`` = number of slots with :math:`z \\ge 1/2` at :math:`x = c/G`, ``G = len(guess) - 1``."""
    m = us.shape[0] - 1
    G = guess.shape[0] - 1
    p = 0
    for c in range(G + 1):
        x = c / G
        while p < m and (x - us[p + 1]) * inv_eta >= 0.5:
            p += 1
        guess[c] = p
    # positions are sorted, so guess is non-decreasing and brackets p on each cell


def init_state(a, u, eta):
    """Sorted state of the network ``(a, u)``: ``(bias, us, D, perm, t, guess)`` (slot arrays 1-based,
    ``us[0] = -inf`` so that slot 1 never counts as out of order; ``t`` the two Fenwick trees side by side,
    shape ``(m + 1, 2)``; ``guess`` the bracketing table of the step, on a grid of about ``4m`` cells, at
    most :math:`2^{15}`)."""
    m = u.shape[0]
    order = np.argsort(u, kind="stable")
    perm = np.zeros(m + 1, dtype=np.int64)
    perm[1:] = order
    us = np.zeros(m + 1)
    us[0] = -np.inf
    us[1:] = u[order]
    w = np.empty(m + 1)
    w[0] = a[0]
    w[1:] = a[1:][order]
    D = np.zeros(m + 1)
    D[1:] = np.diff(w)
    t = np.zeros((m + 1, 2))
    _build(D, t)
    G = 1 << max(4, min(15, int(np.ceil(np.log2(m))) + 2))
    guess = np.zeros(G + 1, dtype=np.int64)
    _guesses(us, 1.0 / eta, guess)
    return np.array([float(a[0])]), us, D, perm, t, guess


def materialise(state, a, u):
    """Write ``state`` into ``a`` (length m + 1) and ``u`` (length m) in the caller's neuron order; checks, O(m),
    that the slots are still sorted (the invariant of every step; NaN, a divergence, is left to the caller) and
    raises :class:`~tts_lib.errors.CompiledCodeError` if not."""
    _materialise(state[0], state[1], state[2], state[3], a, u)


@njit(cache=True)
def _materialise(bias, us, D, perm, a, u):
    run = bias[0]
    a[0] = run
    for j in range(1, us.shape[0]):
        if us[j] < us[j - 1]:
            raise CompiledCodeError("sparse SGD engine: the slots are out of order: the compiled code is not the "
                                    "library's; clear numba's cache (find tts_lib -name '*.nb[ic]' -delete)")
        run += D[j]
        i = perm[j]
        a[i + 1] = run
        u[i] = us[j]


@njit(cache=True, fastmath=_FASTMATH)
def _add_range(t, lo, hi, delta, c):
    """Add ``delta[i - lo]`` to ``D[i]`` (tree ``t[:, 0]``) and ``i delta[i - lo]`` (tree ``t[:, 1]``) for
    ``i = lo..hi``.

    Node :math:`k` of a Fenwick tree holds the sum over :math:`(k - \\mathrm{lowbit}(k), k]`; the nodes
    whose range meets ``[lo, hi]`` are the nodes ``lo..hi`` and the nodes above ``hi`` on its update path.
    Each takes the sum of the changes in its range, a difference of the running sums ``c[:, 0]``,
    ``c[:, 1]`` (scratch, ``c[i - lo + 1]`` = sum up to slot ``i``): :math:`O(hi - lo + \\log m)` in all."""
    m = t.shape[0] - 1
    s1 = 0.0
    s2 = 0.0
    c[0, 0] = 0.0
    c[0, 1] = 0.0
    for i in range(lo, hi + 1):
        v = delta[i - lo]
        s1 += v
        s2 += i * v
        c[i - lo + 1, 0] = s1
        c[i - lo + 1, 1] = s2
        b = max(i - (i & -i) - lo + 1, 0)
        t[i, 0] += s1 - c[b, 0]
        t[i, 1] += s2 - c[b, 1]
    k = hi + (hi & -hi)
    while k <= m:
        b = max(k - (k & -k) - lo + 1, 0)
        t[k, 0] += s1 - c[b, 0]
        t[k, 1] += s2 - c[b, 1]
        k += k & -k


@njit(cache=True, fastmath=_FASTMATH)
def _insert(a, b, m, us, D, perm, dD):
    """Move the neuron of slot ``b`` to slot ``a < b`` (those of ``a .. b-1`` shift one slot right):
    positions, identities and weights. With :math:`S = \\sum_{a < r \\le b} D_r` the differences become
    :math:`D_a + S`, :math:`-S`, :math:`D_a .. D_{b-2}` shifted one slot right, and :math:`D_b + D_{b+1}`
    (slot :math:`m + 1` does not exist); for :math:`b = a + 1` this is the exchange of two neighbours.
    Each change of ``D`` is also added to ``dD``, for the trees (:func:`_add_range`)."""
    S = 0.0
    for r in range(a + 1, b + 1):
        S += D[r]
    Db = D[b]
    for r in range(b, a + 1, -1):
        dD[r] += D[r - 1] - D[r]
        D[r] = D[r - 1]
    dD[a + 1] += -S - D[a + 1]
    D[a + 1] = -S
    dD[a] += S
    D[a] += S
    if b + 1 <= m:
        dD[b + 1] += Db
        D[b + 1] += Db
    x = us[b]
    q = perm[b]
    for r in range(b, a, -1):
        us[r] = us[r - 1]
        perm[r] = perm[r - 1]
    us[a] = x
    perm[a] = q


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def _loop(bias, us, D, perm, t, guess, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp, xs, noises):
    """Steps ``start .. start + n - 1``, in place on the state: on the stream of ``seed`` (as
    :func:`tts_lib.sgd._run`) when ``xs`` is empty, else on the samples ``xs[k - start]`` with labels
    ``f*(x) + noises[k - start]``. One simultaneous update per step (the module docstring); the step
    is written out in the loop (no call, so no reference counting of the arrays per step)."""
    key = _key(seed)
    m = us.shape[0] - 1
    win = np.zeros((m + 3, 3))     # active window: sigma, sigma', a of slot p + q in row q
    c = np.zeros((m + 3, 2))       # running sums of the changes of D and i D (c[0] stays 0)
    dD = np.zeros(m + 3)           # changes of D by the order repair, per slot (zero between steps)
    explicit = xs.shape[0] > 0
    G = guess.shape[0] - 1
    for k in range(start, start + n):
        if explicit:
            x = xs[k - start]
            xg = min(max(x, 0.0), 1.0 - 1.0 / G)   # explicit samples may lie outside [0, 1)
            y = _target_value(x, jumps, values) + noises[k - start]
        else:
            cnt = np.uint64(2 * k)
            x = _uniform(key, cnt + np.uint64(1))
            xg = x
            xi = 2.0 * _uniform(key, cnt + np.uint64(2)) - 1.0
            y = _target_value(x, jumps, values) + noise * xi
        # p = number of slots with z >= 1/2 (sigma = 1); z is non-increasing along the slots. The guess
        # table brackets p at the grid points around x (exactly at its last rebuild); a binary search inside
        # the bracket and a walk in both directions make the result exact whatever the table says.
        cell = U(xg * G)
        lo = guess[cell]
        base = lo + 1
        nb = guess[cell + U(1)] - lo
        while nb > 0:
            half = nb >> 1
            if (x - us[U(base + half)]) * inv_eta >= 0.5:
                base += half + 1
                nb -= half + 1
            else:
                nb = half
        p = base - 1
        while p < m and (x - us[U(p + 1)]) * inv_eta >= 0.5:
            p += 1
        while p > 0 and (x - us[U(p)]) * inv_eta < 0.5:
            p -= 1
        # prefix sums P1(p), P2(p)
        P1 = 0.0
        P2 = 0.0
        i = p
        while i > 0:
            P1 += t[U(i), 0]
            P2 += t[U(i), 1]
            i -= i & -i
        a0 = bias[0]
        pre = p * a0 + ((p + 1) * P1 - P2)
        # active window p+1 .. e: weights a_(j) = a_(j-1) + D_j; sigma = 4 t^3 left of the centre and
        # 1 - 4 t^3 right of it, t = 1/2 - |z| (a select, not a branch: the sign of z is a coin toss)
        acur = a0 + P1
        act = 0.0
        e = p
        while e < m:
            z = (x - us[U(e + 1)]) * inv_eta
            if z <= -0.5:
                break
            e += 1
            tz = 0.5 - abs(z)
            cz = 4.0 * tz * tz * tz
            s = cz if z <= 0.0 else 1.0 - cz
            acur += D[U(e)]
            q = U(e - p)
            win[q, 0] = s
            win[q, 1] = 1.0 if ramp else 12.0 * tz * tz
            win[q, 2] = acur
            act += acur * s
        f = a0 + (pre + act)
        r = f - y
        d = lr * r
        gu = lr_u * r * inv_eta
        bias[0] = a0 - d
        if p < m:
            # changes of D on slots p+1 .. hi = min(e+1, m): Delta a_(j) - Delta a_(j-1), with
            # Delta a_(j) = -d for j <= p (and the bias), -d sigma_j on the active window and 0 after it;
            # each is added to the trees in the same pass (the nodes lo..hi of _add_range, see its
            # docstring), the positions of the window move, and `moved` records an inversion
            lo = p + 1
            hi = e + 1 if e < m else m
            prev = -d
            moved = False
            s1 = 0.0
            s2 = 0.0
            for j in range(lo, e + 1):
                q = U(j - p)
                ju = U(j)
                cur = -d * win[q, 0]
                w = us[ju] + gu * win[q, 2] * win[q, 1]
                us[ju] = w
                moved |= w < us[U(j - 1)]
                dl = cur - prev
                prev = cur
                D[ju] += dl
                s1 += dl
                s2 += j * dl
                c[q, 0] = s1
                c[q, 1] = s2
                b = U(max(j - (j & -j) - p, 0))
                t[ju, 0] += s1 - c[b, 0]
                t[ju, 1] += s2 - c[b, 1]
            if e < m:
                j = e + 1
                q = j - p
                moved |= us[j] < us[e]
                dl = -prev
                D[j] += dl
                s1 += dl
                s2 += j * dl
                c[q, 0] = s1
                c[q, 1] = s2
                b = max(j - (j & -j) - p, 0)
                t[j, 0] += s1 - c[b, 0]
                t[j, 1] += s2 - c[b, 1]
            # the nodes above hi on its update path
            i = hi + (hi & -hi)
            while i <= m:
                b = U(max(i - (i & -i) - p, 0))
                iu = U(i)
                t[iu, 0] += s1 - c[b, 0]
                t[iu, 1] += s2 - c[b, 1]
                i += i & -i
            if moved:
                # restore the sorted order (insertion sort from the window on: slots before i are
                # sorted; past the window the slots are untouched and sorted, so the first one in order
                # ends it). Each out-of-order neuron moves left in one rotation (_insert); the changes of
                # D are gathered in dD and the trees take them in one pass over the slots touched (at
                # eps = 1 neurons pile up at the jumps and cross by the dozen at each step)
                i = (p if p > 0 else 1) + 1
                lo = m + 1
                hi = 0
                while i <= m:
                    x_i = us[U(i)]
                    if x_i < us[U(i - 1)]:
                        a_i = i - 1
                        while us[U(a_i - 1)] > x_i:      # us[0] = -inf ends the scan
                            a_i -= 1
                        _insert(a_i, i, m, us, D, perm, dD)
                        lo = min(lo, a_i)
                        hi = max(hi, min(i + 1, m))
                    elif i > e:
                        break
                    i += 1
                if hi > 0:
                    _add_range(t, lo, hi, dD[lo:], c)
                    dD[lo : hi + 1] = 0.0
        if (k + 1) % FOLD == 0:
            _build(D, t)
            _guesses(us, inv_eta, guess)


_EMPTY = np.zeros(0)


def run(state, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp):
    """Steps ``start .. start + n - 1`` of the stream of ``seed`` on ``state`` (:func:`init_state`)."""
    _loop(*state, jumps, values, inv_eta, lr, lr_u, noise, seed, start, n, ramp, _EMPTY, _EMPTY)


def run_samples(state, jumps, values, inv_eta, lr, lr_u, xs, noises, ramp):
    """Steps on explicit samples ``y_k = f*(xs[k]) + noises[k]`` on ``state``."""
    if xs.shape[0]:
        _loop(*state, jumps, values, inv_eta, lr, lr_u, 0.0, 0, 0, xs.shape[0], ramp, xs, noises)
