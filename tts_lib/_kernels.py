"""Compiled kernel for the exact loss and gradient (the hot path of the flows).

Same mathematics as :mod:`tts_lib.model` (Gauss--Legendre nodes on every interval
between breakpoints), written as loops so that numba compiles it; the numpy
version is kept for the Hessian and the Gram matrix, and the tests check both
against adaptive quadrature.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .quadrature import _GL_W, _GL_X

GL_X = np.ascontiguousarray(_GL_X)
GL_W = np.ascontiguousarray(_GL_W)


@njit(cache=True)
def sorted_breakpoints(u, jumps, eta):
    """0, 1, the jumps and u_j - eta/2, u_j, u_j + eta/2, clipped to [0, 1] and sorted."""
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
    bp.sort()
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


@njit(cache=True)
def gram_b_kernel(u, jumps, values, eta, gram, b):
    """Write G_jk = int phi_j phi_k and b_k = int f* phi_k (phi_0 = 1) into ``gram`` and ``b``."""
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
def loss_grad_kernel(a, u, jumps, values, eta, grad_a, grad_u):
    """Return the loss and write the exact gradient into ``grad_a``, ``grad_u``."""
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
