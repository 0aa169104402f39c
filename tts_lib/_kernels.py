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
    """sigma(z) of the unit-width profile."""
    if z >= 0.5:
        return 1.0
    if z <= -0.5:
        return 0.0
    if z <= 0.0:
        t = z + 0.5
        return 4.0 * t * t * t
    t = 0.5 - z
    return 1.0 - 4.0 * t * t * t


@njit(cache=True)
def gram_b_kernel(u, jumps, values, eta, gram, b):
    """Write G_jk = int phi_j phi_k and b_k = int f* phi_k (phi_0 = 1) into ``gram`` and ``b``."""
    m = u.shape[0]
    nj = jumps.shape[0]
    bp = sorted_breakpoints(u, jumps, eta)
    phi = np.empty(m + 1)
    phi[0] = 1.0
    for j in range(m + 1):
        b[j] = 0.0
        for k in range(m + 1):
            gram[j, k] = 0.0
    inv_eta = 1.0 / eta
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
        fstar = values[piece]
        for q in range(GL_X.shape[0]):
            x = mid + half * GL_X[q]
            wq = half * GL_W[q]
            for j in range(m):
                phi[j + 1] = _phi((x - u[j]) * inv_eta)
            for j in range(m + 1):
                wj = wq * phi[j]
                if wj == 0.0:
                    continue
                b[j] += wj * fstar
                for i in range(j, m + 1):
                    gram[j, i] += wj * phi[i]
    for j in range(m + 1):
        for i in range(j + 1, m + 1):
            gram[i, j] = gram[j, i]


@njit(cache=True)
def loss_grad_kernel(a, u, jumps, values, eta, grad_a, grad_u):
    """Return the loss and write the exact gradient into ``grad_a``, ``grad_u``."""
    m = u.shape[0]
    nj = jumps.shape[0]
    bp = sorted_breakpoints(u, jumps, eta)
    for k in range(m + 1):
        grad_a[k] = 0.0
    acc_sp = np.zeros(m)
    total = 0.0
    piece = 0
    inv_eta = 1.0 / eta
    for k in range(bp.shape[0] - 1):
        lo = bp[k]
        hi = bp[k + 1]
        if hi <= lo:
            continue
        mid = 0.5 * (lo + hi)
        half = 0.5 * (hi - lo)
        while piece < nj and jumps[piece] <= mid:
            piece += 1
        fstar = values[piece]
        for q in range(GL_X.shape[0]):
            x = mid + half * GL_X[q]
            wq = half * GL_W[q]
            f = a[0]
            for j in range(m):
                z = (x - u[j]) * inv_eta
                if z >= 0.5:
                    f += a[j + 1]
                elif z > -0.5:
                    if z <= 0.0:
                        t = z + 0.5
                        f += a[j + 1] * 4.0 * t * t * t
                    else:
                        t = 0.5 - z
                        f += a[j + 1] * (1.0 - 4.0 * t * t * t)
            r = f - fstar
            wr = wq * r
            total += 0.5 * wr * r
            grad_a[0] += wr
            for j in range(m):
                z = (x - u[j]) * inv_eta
                if z >= 0.5:
                    grad_a[j + 1] += wr
                elif z > -0.5:
                    if z <= 0.0:
                        t = z + 0.5
                        grad_a[j + 1] += wr * 4.0 * t * t * t
                        acc_sp[j] += wr * 12.0 * t * t
                    else:
                        t = 0.5 - z
                        grad_a[j + 1] += wr * (1.0 - 4.0 * t * t * t)
                        acc_sp[j] += wr * 12.0 * t * t
    for j in range(m):
        grad_u[j] = -a[j + 1] * inv_eta * acc_sp[j]
    return total
