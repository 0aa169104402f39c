"""Compiled full-batch gradient descent for the additive model (see :mod:`tts_lib.appendix`).

One epoch costs O(n d + window samples): for each coordinate the samples are visited in sorted
order while two pointers walk the block's neurons sorted by position; the neurons with
``u_j + eta/2 <= x`` contribute ``a_j`` (a running sum), those whose window contains ``x`` the cubic.
The gradient uses the same sweep: a neuron that is fully on from sample ``t`` on collects the suffix
sum of the residuals from ``t``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._sort import argsort, is_sorting_permutation
from ..errors import CompiledCodeError


@njit(cache=True, inline="always")
def _cubic(z):
    if z <= 0.0:
        t = z + 0.5
        return 4.0 * t * t * t, 12.0 * t * t
    t = 0.5 - z
    return 1.0 - 4.0 * t * t * t, 12.0 * t * t


@njit(cache=True, nogil=True)
def _block_order(u, k, p):
    """Indices (into ``u``) of block ``k``'s neurons sorted by position (stable: :mod:`tts_lib._sort`), checked."""
    block = u[k * p : (k + 1) * p]
    order = argsort(block)
    if not is_sorting_permutation(block, order):
        raise CompiledCodeError("additive kernel: argsort did not return a sorting permutation: the compiled code "
                                "is not the library's; clear numba's cache (find tts_lib -name '*.nb[ic]' -delete)")
    return order + k * p


@njit(cache=True, nogil=True)
def objective_grad(a, u, xs, order, y, p, eta, pred, grad_a, grad_u):
    """J = ||f(X) - y|| / n and its gradient; ``xs[k]`` is coordinate k sorted, ``order[k]`` the sort."""
    d, n = xs.shape
    h = 0.5 * eta
    inv_eta = 1.0 / eta
    for i in range(n):
        pred[i] = a[0]
    for k in range(d):
        idx = _block_order(u, k, p)
        on = 0  # neurons idx[:on] have u + h <= x (sigma = 1)
        started = 0  # neurons idx[:started] have u - h < x
        full = 0.0
        for t in range(n):
            x = xs[k, t]
            while started < p and u[idx[started]] - h < x:
                started += 1
            while on < p and u[idx[on]] + h <= x:
                full += a[1 + idx[on]]
                on += 1
            val = full
            for q in range(on, started):
                j = idx[q]
                s, _ = _cubic((x - u[j]) * inv_eta)
                val += a[1 + j] * s
            pred[order[k, t]] += val
    norm2 = 0.0
    rsum = 0.0
    for i in range(n):
        r = pred[i] - y[i]
        pred[i] = r  # pred now holds the residual
        norm2 += r * r
        rsum += r
    norm = np.sqrt(norm2)
    J = norm / n
    for j in range(grad_a.shape[0]):
        grad_a[j] = 0.0
    for j in range(grad_u.shape[0]):
        grad_u[j] = 0.0
    if norm == 0.0:
        return J
    c = 1.0 / (n * norm)
    grad_a[0] = c * rsum
    for k in range(d):
        idx = _block_order(u, k, p)
        on = 0
        started = 0
        before = 0.0  # sum of residuals of the samples visited so far
        for t in range(n):
            x = xs[k, t]
            r = pred[order[k, t]]
            while started < p and u[idx[started]] - h < x:
                started += 1
            while on < p and u[idx[on]] + h <= x:
                grad_a[1 + idx[on]] += rsum - before  # residuals from sample t on
                on += 1
            for q in range(on, started):
                j = idx[q]
                s, sp = _cubic((x - u[j]) * inv_eta)
                grad_a[1 + j] += r * s
                grad_u[j] += r * sp
            before += r
    for j in range(grad_u.shape[0]):
        grad_a[1 + j] *= c
        grad_u[j] *= -c * a[1 + j] * inv_eta
    return J


@njit(cache=True, nogil=True)
def gradient_descent(a, u, xs, order, y, p, eta, lr_a, lr_u, epochs, hist, bias=True):
    """``epochs`` steps a -= lr_a grad_a J, u -= lr_u grad_u J in place; J before each and after the last.
    With ``bias=False`` the bias ``a[0]`` is not trained (it keeps its initial value)."""
    n = y.shape[0]
    pred = np.empty(n)
    ga = np.empty(a.shape[0])
    gu = np.empty(u.shape[0])
    for e in range(epochs):
        hist[e] = objective_grad(a, u, xs, order, y, p, eta, pred, ga, gu)
        if not np.isfinite(hist[e]):
            return e
        for j in range(0 if bias else 1, a.shape[0]):
            a[j] -= lr_a * ga[j]
        for j in range(u.shape[0]):
            u[j] -= lr_u * gu[j]
    hist[epochs] = objective_grad(a, u, xs, order, y, p, eta, pred, ga, gu)
    return epochs
