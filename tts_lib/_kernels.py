"""Compiled kernel for the exact loss and gradient (the hot path of the flows).

Same mathematics as :mod:`tts_lib.model` (Gauss--Legendre nodes on every interval
between breakpoints), written as loops so that numba compiles it; the numpy
version is kept for the Hessian and the Gram matrix, and the tests check both
against adaptive quadrature. From m = SORTED_MIN_NEURONS (256) neurons on, the loss
and gradient use the neurons sorted by position (prefix sums for the saturated
neurons, only the active windows computed): O(m log m + m^2 eta) instead of O(m^2),
on the same nodes (see :func:`_loss_grad_sorted` for the formulas and the rounding); the Gram matrix and b
likewise in O(m^2 + nodes * active^2) instead of O(nodes * m^2) = O(m^3) (:func:`_gram_b_sorted`: 1 ms instead
of 0.2 s at m = 320, 16 ms instead of 1.9 s at m = 640).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._sort import argsort, is_sorted, is_sorting_permutation, sort
from .errors import CompiledCodeError
from .quadrature import _GL_W, _GL_X

GL_X = np.ascontiguousarray(_GL_X)
GL_W = np.ascontiguousarray(_GL_W)


@njit(cache=True)
def sorted_breakpoints(u, jumps, eta):
    """0, 1, the jumps and u_j - eta/2, u_j, u_j + eta/2, clipped to [0, 1] and sorted (by the library's own
    sort, :mod:`tts_lib._sort`; the output is checked, O(n), and :class:`~tts_lib.errors.CompiledCodeError` is
    raised if it is not sorted)."""
    m = u.shape[0]
    nj = jumps.shape[0]
    bp = np.empty(2 + nj + 3 * m)
    bp[0] = 0.0
    bp[1] = 1.0
    for i in range(nj):
        bp[2 + i] = jumps[i]
    h = 0.5 * eta
    for j in range(m):
        bp[2 + nj + 3 * j] = u[j] - h
        bp[3 + nj + 3 * j] = u[j]
        bp[4 + nj + 3 * j] = u[j] + h
    for i in range(bp.shape[0]):
        if bp[i] < 0.0:
            bp[i] = 0.0
        elif bp[i] > 1.0:
            bp[i] = 1.0
    sort(bp)
    if not is_sorted(bp):
        raise CompiledCodeError("sorted_breakpoints: the sorted breakpoints are not sorted (or NaN): the compiled "
                                "code is not the library's; clear numba's cache (find tts_lib -name '*.nb[ic]' -delete)")
    return bp


@njit(cache=True)
def _phi(z):
    """sigma(z) and sigma'(z) of the unit-width profile."""
    if z >= 0.5:
        return 1.0, 0.0
    if z <= -0.5:
        return 0.0, 0.0
    if z <= 0.0:
        t = z + 0.5
        return 4.0 * t * t * t, 12.0 * t * t
    t = 0.5 - z
    return 1.0 - 4.0 * t * t * t, 12.0 * t * t


@njit(cache=True)
def gauss_nodes(u, jumps, values, eta):
    """Nodes ``x``, weights ``w`` and target values ``f*(x)``: 4 Gauss-Legendre points on every
    interval between consecutive breakpoints, exact for piecewise polynomials of degree <= 7."""
    nj = jumps.shape[0]
    bp = sorted_breakpoints(u, jumps, eta)
    nq = GL_X.shape[0]
    x = np.empty(nq * (bp.shape[0] - 1))
    w = np.empty_like(x)
    fstar = np.empty_like(x)
    n = 0
    piece = 0
    for k in range(bp.shape[0] - 1):
        lo = bp[k]
        hi = bp[k + 1]
        if hi <= lo:
            continue
        mid = 0.5 * (lo + hi)
        half = 0.5 * (hi - lo)
        while piece < nj and jumps[piece] <= mid:
            piece += 1
        for q in range(nq):
            x[n] = mid + half * GL_X[q]
            w[n] = half * GL_W[q]
            fstar[n] = values[piece]
            n += 1
    return x[:n], w[:n], fstar[:n]


#: Widths from which :func:`loss_grad_kernel` and :func:`gram_b_kernel` use the sorted paths (O(m log m + nodes *
#: active) for the loss, O(m^2 + nodes * active^2) for the Gram matrix); below it the dense loops, whose bits every
#: small-m computation of the book relies on. Same value as ``tts_lib.sgd.SPARSE_MIN_NEURONS``, defined here because
#: the kernels import nothing from the engines.
SORTED_MIN_NEURONS = 256


@njit(cache=True)
def gram_b_kernel(u, jumps, values, eta, gram, b):
    """Write G_jk = int phi_j phi_k and b_k = int f* phi_k (phi_0 = 1) into ``gram`` and ``b``.

    Dispatch: :func:`_gram_b_dense` (O(N m^2) = O(m^3), the reference) for m < :data:`SORTED_MIN_NEURONS`,
    :func:`_gram_b_sorted` (O(m^2 + N + sum_n |active(x_n)|^2), same nodes and same sigma values) from it on.
    """
    if u.shape[0] < SORTED_MIN_NEURONS:
        _gram_b_dense(u, jumps, values, eta, gram, b)
    else:
        _gram_b_sorted(u, jumps, values, eta, gram, b)


@njit(cache=True)
def _gram_b_dense(u, jumps, values, eta, gram, b):
    """The reference: every pair of features at every node, O(N m^2) (N about 12m nodes)."""
    m = u.shape[0]
    x, w, fstar = gauss_nodes(u, jumps, values, eta)
    phi = np.empty(m + 1)
    phi[0] = 1.0
    gram[:, :] = 0.0
    b[:] = 0.0
    inv_eta = 1.0 / eta
    for n in range(x.shape[0]):
        for j in range(m):
            phi[j + 1] = _phi((x[n] - u[j]) * inv_eta)[0]
        for j in range(m + 1):
            wj = w[n] * phi[j]
            if wj == 0.0:
                continue
            b[j] += wj * fstar[n]
            for i in range(j, m + 1):
                gram[j, i] += wj * phi[i]
    for j in range(m + 1):
        for i in range(j + 1, m + 1):
            gram[i, j] = gram[j, i]


@njit(cache=True)
def _window(xn, us, inv_eta, p, q):
    """The pointers p <= q at node ``xn`` over the sorted positions ``us``, moved from the previous node's: sigma = 1
    for k < p (z >= 1/2, the very test of :func:`_phi`), active for p <= k < q (-1/2 < z < 1/2), 0 beyond. Moved
    by while loops in either direction, so exact for any node order; forward only for increasing nodes."""
    m = us.shape[0]
    while p < m and (xn - us[p]) * inv_eta >= 0.5:
        p += 1
    while p > 0 and not ((xn - us[p - 1]) * inv_eta >= 0.5):
        p -= 1
    while q < m and (xn - us[q]) * inv_eta > -0.5:
        q += 1
    while q > p and not ((xn - us[q - 1]) * inv_eta > -0.5):
        q -= 1
    return p, q


@njit(cache=True)
def _gram_b_sorted(u, jumps, values, eta, gram, b):
    r"""Same ``G`` and ``b`` as :func:`_gram_b_dense`, in O(m log m + m^2 + N + sum_n |active(x_n)|^2).

    Same Gauss nodes x_n, weights w_n and z_n(k) = (x_n - u_(k)) * (1/eta) as the dense kernel, so every
    sigma value is bit-identical; the neurons sorted, u_(0) <= ... <= u_(m-1), and the pointers p_n <= q_n
    of :func:`_sorted_sums` (sigma = 1 for k < p_n, active for p_n <= k < q_n, 0 beyond). In the sorted
    features (index 0 the constant, i = k + 1 the neuron k) phi(x_n) = O_n + A_n, with O_n the indicator of
    the first 1 + p_n features and A_n the active values, so G = sum_n w_n (O O^T + O A^T + A O^T + A A^T):

    * sum_n w_n O_n O_n^T has entry (i, j) = T_max(i, j), with T_r = sum_{n: p_n >= r} w_n (a suffix sum of
      the buckets sum_{n: p_n = p} w_n);
    * sum_n w_n O_n A_n^T, for i < j = k + 1 (k active at x_n means p_n <= k < j): sum over the nodes where k
      is active and p_n >= i of w_n sigma(z_n(k)): the buckets C_j[p] = sum_{n: k active, p_n = p} w_n
      sigma(z_n(k)) (kept in G's own entry (p, j), p < j, until summed), summed from p = i up: a suffix sum
      down each column; A O^T is its transpose;
    * sum_n w_n A_n A_n^T: the active pairs at each node, added after the suffix sums (a second pass);
    * b_i = sum_{n: p_n >= i} w_n f*_n + sum_{n: k active} w_n f*_n sigma(z_n(k)) likewise.

    Rounding: each entry sums the same products w_n phi_i phi_j (or w_n f*_n phi_i) as the dense kernel, in
    another order: a product lies in one bucket (at most N terms in all), the bucket in a suffix sum (at most m
    steps), then one addition joins the two kinds of bucket and pass 2 adds the active pairs one by one, each node
    in exactly one of the three; so a product passes through at most N + m + 1 additions, and the two kernels
    differ by at most (gamma_N + gamma_{N+m+1}) sum_n w_n |phi_i phi_j| <= 2 gamma_{N+m+1} (times max|f*| for b),
    as sum_n w_n = 1 and 0 <= sigma <= 1; the tests use this bound as their tolerance.
    """
    m = u.shape[0]
    x, w, fstar = gauss_nodes(u, jumps, values, eta)
    order = argsort(u)
    if not is_sorting_permutation(u, order):
        raise CompiledCodeError("_gram_b_sorted: argsort did not return a sorting permutation of u: the compiled "
                                "code is not the library's; clear numba's cache (find tts_lib -name '*.nb[ic]' -delete)")
    us = np.empty(m)
    for k in range(m):
        us[k] = u[order[k]]
    n_nodes = x.shape[0]
    ps = np.empty(n_nodes, dtype=np.int64)
    qs = np.empty(n_nodes, dtype=np.int64)
    gs = np.zeros((m + 1, m + 1))   # sorted features; upper triangle (i < j) holds the buckets C_j[i] first
    bs = np.zeros(m + 1)
    tw = np.zeros(m + 1)            # tw[p]: sum of w over the nodes with p_n = p (0 <= p <= m), then its suffix sums
    tf = np.zeros(m + 1)            # the same for w f*
    inv_eta = 1.0 / eta
    p = 0
    q = 0
    for n in range(n_nodes):        # pass 1: the pointers, the saturated buckets, the active-times-one buckets
        xn = x[n]
        p, q = _window(xn, us, inv_eta, p, q)
        ps[n] = p
        qs[n] = q
        tw[p] += w[n]
        tf[p] += w[n] * fstar[n]
        for k in range(p, q):
            wsk = w[n] * _phi((xn - us[k]) * inv_eta)[0]
            gs[p, k + 1] += wsk
            bs[k + 1] += wsk * fstar[n]
    for r in range(m - 1, -1, -1):  # suffix sums: tw[r] = T_r = sum_{n: p_n >= r} w_n
        tw[r] += tw[r + 1]
        tf[r] += tf[r + 1]
    for j in range(1, m + 1):       # column j: C_j summed from row i up (rows i < j), then T_j added
        acc = 0.0
        for i in range(j - 1, -1, -1):
            acc += gs[i, j]
            gs[i, j] = acc + tw[j]
        gs[j, j] = tw[j]
    gs[0, 0] = tw[0]
    for i in range(m + 1):
        bs[i] += tf[i]
    for n in range(n_nodes):        # pass 2: pairs of active neurons
        xn = x[n]
        p = ps[n]
        q = qs[n]
        for k in range(p, q):
            wsk = w[n] * _phi((xn - us[k]) * inv_eta)[0]
            for l in range(k, q):
                gs[k + 1, l + 1] += wsk * _phi((xn - us[l]) * inv_eta)[0]
    # back to the caller's order: sorted feature k + 1 is feature order[k] + 1
    pos = np.empty(m + 1, dtype=np.int64)
    pos[0] = 0
    for k in range(m):
        pos[k + 1] = order[k] + 1
    for i in range(m + 1):
        b[pos[i]] = bs[i]
        for j in range(i, m + 1):
            gram[pos[i], pos[j]] = gs[i, j]
            gram[pos[j], pos[i]] = gs[i, j]


@njit(cache=True)
def loss_grad_kernel(a, u, jumps, values, eta, grad_a, grad_u):
    """Return the loss and write the exact gradient into ``grad_a``, ``grad_u``.

    Dispatch: :func:`_loss_grad_dense` (O(m^2), the reference) for m < :data:`SORTED_MIN_NEURONS`,
    :func:`_loss_grad_sorted` (O(m log m + nodes * active), same nodes and same sigma values) from it on.
    """
    if u.shape[0] < SORTED_MIN_NEURONS:
        return _loss_grad_dense(a, u, jumps, values, eta, grad_a, grad_u)
    return _loss_grad_sorted(a, u, jumps, values, eta, grad_a, grad_u)


@njit(cache=True)
def _loss_grad_dense(a, u, jumps, values, eta, grad_a, grad_u):
    """The reference: every neuron at every node, O(m^2) (about 12m nodes times m neurons)."""
    m = u.shape[0]
    x, w, fstar = gauss_nodes(u, jumps, values, eta)
    s = np.empty(m)
    sp = np.empty(m)
    acc_sp = np.zeros(m)
    grad_a[:] = 0.0
    total = 0.0
    inv_eta = 1.0 / eta
    for n in range(x.shape[0]):
        f = a[0]
        for j in range(m):
            s[j], sp[j] = _phi((x[n] - u[j]) * inv_eta)
            f += a[j + 1] * s[j]
        wr = w[n] * (f - fstar[n])
        total += 0.5 * wr * (f - fstar[n])
        grad_a[0] += wr
        for j in range(m):
            grad_a[j + 1] += wr * s[j]
            acc_sp[j] += wr * sp[j]
    for j in range(m):
        grad_u[j] = -a[j + 1] * inv_eta * acc_sp[j]
    return total


@njit(cache=True)
def _loss_grad_sorted(a, u, jumps, values, eta, grad_a, grad_u):
    r"""Same result as :func:`_loss_grad_dense` in O(m log m + N + sum_n |active(x_n)|).

    Same N <= 4(3m + n_jumps + 1) Gauss nodes x_n (from :func:`gauss_nodes`, weights w_n), and the same
    z_nj = (x_n - u_j) * (1/eta), so every sigma and sigma' value is bit-identical to the dense kernel's.

    **Structure.** Sort the neurons, u_(0) <= ... <= u_(m-1) (weights a_(k); equal positions in index order,
    :func:`tts_lib._sort.argsort` is stable). Floating-point subtraction and
    multiplication by 1/eta > 0 are monotone, so z_n(k) is non-increasing in k: the neurons with sigma = 1
    (z >= 1/2, the very test of :func:`_phi`) are a prefix k < p_n, the active ones (-1/2 < z < 1/2) the
    next block p_n <= k < q_n, and the others contribute 0. Both pointers are moved by while loops in
    either direction, so they are exact for any node order (a test shuffles the nodes); the nodes come in
    increasing x, so the pointers only move forward, O(m + N) moves in all. With P_p = sum_{k<p} a_(k)
    and r_n = f(x_n) - f*(x_n):

    * f(x_n) = a_0 + P_{p_n} + sum_{p_n <= k < q_n} a_(k) sigma(z_n(k));
    * dL/da_(k) = sum_{n: p_n > k} w_n r_n + sum_{n: k active} w_n r_n sigma(z_n(k)): the first sum is a
      suffix sum of the buckets B_p = sum_{n: p_n = p} w_n r_n, all m of them in one O(m) sweep;
    * dL/du_(k) = -(a_(k)/eta) sum_{n: k active} w_n r_n sigma'(z_n(k)), active nodes only;
    * L = 1/2 sum_n w_n r_n^2, and dL/da_0 = sum_n w_n r_n, as in the dense kernel.

    Cost: the sort O(m log m), the nodes O(N) = O(m), the windows O(sum_n (q_n - p_n)), about N m eta for
    spread-out neurons (O(m^2 eta)): 1/eta times less than the dense O(N m).

    **Rounding** (unit roundoff u = 2^-53, gamma_k = k u / (1 - k u), A = |a_0| + sum_j |a_j|,
    R = max_n |r_n| <= A + max|f*|). Both kernels sum the same products a_j sigma_j, in different orders
    (P_p by recursive summation), so each computed f(x_n) is within gamma_{m+2} A of the exact one and the two
    differ by at most delta = 2 gamma_{m+2} A (about m eps A: 2e-12 A at m = 10^4). Then, as sum_n w_n = 1
    and sum_n w_n |sigma'| <= eta, to first order in u:

    * |L_sorted - L_dense| <= delta R + delta^2 / 2 + 2 gamma_{N+3} (R + delta)^2 / 2;
    * |dL/da_j| differ by <= delta + 2 gamma_{N+m+3} (R + delta) (buckets, then a suffix sum: at most
      N + m additions on any path);
    * |dL/du_j| differ by <= |a_j| (delta + 2 gamma_{N+3} (R + delta)) (active nodes only).

    Each bound adds the two kernels' own worst-case errors, so it holds whatever the summation orders. The
    tests use them as tolerances; observed differences are about 1e-3 of them (random-walk rounding).
    """
    x, w, fstar = gauss_nodes(u, jumps, values, eta)
    return _sorted_sums(a, u, x, w, fstar, eta, grad_a, grad_u)


@njit(cache=True)
def _sorted_sums(a, u, x, w, fstar, eta, grad_a, grad_u):
    """The sums of :func:`_loss_grad_sorted` over given nodes ``x`` (any order: the pointers move both
    ways; in increasing order, as :func:`gauss_nodes` makes them, they only move forward)."""
    m = u.shape[0]
    order = argsort(u)
    if not is_sorting_permutation(u, order):
        raise CompiledCodeError("_sorted_sums: argsort did not return a sorting permutation of u: the compiled code is "
                                "not the library's; clear numba's cache (find tts_lib -name '*.nb[ic]' -delete)")
    us = np.empty(m)
    As = np.empty(m)
    pref = np.empty(m + 1)  # pref[p] = sum of the p leftmost neurons' weights
    pref[0] = 0.0
    for k in range(m):
        us[k] = u[order[k]]
        As[k] = a[order[k] + 1]
        pref[k + 1] = pref[k] + As[k]
    s = np.empty(m)
    sp = np.empty(m)
    bucket = np.zeros(m + 1)  # bucket[p] = sum of w r over the nodes with p_n = p
    acc_s = np.zeros(m)  # sorted order: the active-window part of dL/da
    acc_sp = np.zeros(m)
    total = 0.0
    g0 = 0.0
    inv_eta = 1.0 / eta
    p = 0
    q = 0
    for n in range(x.shape[0]):
        xn = x[n]
        p, q = _window(xn, us, inv_eta, p, q)
        f = a[0] + pref[p]
        for k in range(p, q):
            sk, spk = _phi((xn - us[k]) * inv_eta)
            s[k] = sk
            sp[k] = spk
            f += As[k] * sk
        wr = w[n] * (f - fstar[n])
        total += 0.5 * wr * (f - fstar[n])
        g0 += wr
        bucket[p] += wr
        for k in range(p, q):
            acc_s[k] += wr * s[k]
            acc_sp[k] += wr * sp[k]
    grad_a[0] = g0
    tail = 0.0  # sum of bucket[p] for p > k: the nodes where neuron k has sigma = 1
    for k in range(m - 1, -1, -1):
        tail += bucket[k + 1]
        j = order[k]
        grad_a[j + 1] = tail + acc_s[k]
        grad_u[j] = -As[k] * inv_eta * acc_sp[k]
    return total
