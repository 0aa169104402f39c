r"""The network, its population loss and exact derivatives.

.. math::

    f(x; a, u) = a_0 + \sum_{j=1}^m a_j\, \sigma_\eta(x - u_j), \qquad
    L(a, u) = \frac12 \int_0^1 \big(f(x; a, u) - f^*(x)\big)^2\, dx .

With the residual :math:`r = f - f^*` and :math:`\varphi_0 = 1`,
:math:`\varphi_j = \sigma_\eta(\cdot - u_j)`:

.. math::

    \partial_{a_k} L = \int_0^1 r\, \varphi_k, \qquad
    \partial_{u_j} L = -\frac{a_j}{\eta} \int_0^1 r(x)\, \sigma'\!\Big(\frac{x - u_j}{\eta}\Big)\, dx .

All integrals are exact (see :mod:`tts_lib.quadrature`).

Supported widths: every function of the core refuses :math:`\eta` outside
:math:`[\sqrt{\varepsilon}, 1/\sqrt{\varepsilon}] \approx [1.49\times10^{-8}, 6.7\times10^{7}]`
(:math:`\varepsilon = 2^{-52}`): below it float64 cannot resolve the window :math:`u \pm \eta/2` around a position
(the position gradient loses its accuracy, then becomes exactly 0), above it the features no longer vary
measurably on :math:`[0, 1]`. Inputs are refused beyond magnitude :math:`10^{100}` and beyond
:math:`10^4` neurons, so no result can overflow (the derivation is in ``tts_lib._validate``).
"""

from __future__ import annotations

import numpy as np

from . import _validate
from .target import check_target
from ._kernels import loss_grad_kernel
from .errors import CompiledCodeError
from .activation import _sigma, _sigma_prime, _sigma_second
from .quadrature import nodes


def _features(x: np.ndarray, u: np.ndarray, eta: float) -> np.ndarray:
    """Matrix ``Phi[i, k] = phi_k(x_i)`` with ``phi_0 = 1``."""
    phi = np.empty((x.shape[0], u.shape[0] + 1))
    phi[:, 0] = 1.0
    phi[:, 1:] = _sigma((x[:, None] - u[None, :]) / eta)
    return phi


def predict(x, a, u, eta):
    r"""Network output :math:`f(x; a, u) = a_0 + \sum_j a_j \sigma_\eta(x - u_j)`.

    Parameters
    ----------
    x : array_like
        Inputs (any shape; need not lie in [0, 1]).
    a : array_like, shape (m + 1,)
        Outer weights, ``a[0]`` the bias.
    u : array_like, shape (m,)
        Neuron positions (any order).
    eta : float
        Activation width :math:`\eta > 0`.
    """
    a, u = _validate.network(a, u)
    eta = _validate.width("eta", eta)
    x = _validate.points("x", x)
    _validate.memory("x", 8.0 * x.size * (u.shape[0] + 1), "the feature matrix (x.size * (m + 1) floats)")
    flat = x.ravel()
    return (_features(flat, u, eta) @ a).reshape(x.shape)


def _residual_at_nodes(a, u, target, eta):
    x, w = nodes(u, eta, target.jumps)
    z = (x[:, None] - u[None, :]) / eta
    r = a[0] + _sigma(z) @ a[1:] - target(x)
    return x, w, z, r


def _loss_grad_numpy(a, u, target, eta):
    """Vectorised reference for :func:`_loss_grad` (same nodes, numpy instead of numba)."""
    _, w, z, r = _residual_at_nodes(a, u, target, eta)
    wr = w * r
    grad_a = np.empty(a.shape[0])
    grad_a[0] = wr.sum()
    grad_a[1:] = wr @ _sigma(z)
    grad_u = -(a[1:] / eta) * (wr @ _sigma_prime(z))
    return 0.5 * float(wr @ r), grad_a, grad_u


def _kernel_array(x, *, readonly=False) -> np.ndarray:
    """``x`` as the compiled kernels take it: C-contiguous float64, writable, or read-only when ``readonly``
    (a view, no copy when ``x`` already is). numba compiles a kernel again for each array layout and
    read-only flag it meets; the book's callers pass slices of flow states ('A' layout), targets' read-only
    arrays and writable ones, which made three to five specialisations of each exact-loss kernel (seconds of
    compilation each, in every fresh numba cache). One form each, one specialisation."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    if readonly and x.flags.writeable:
        x = x.view()
        x.flags.writeable = False
    elif not readonly and not x.flags.writeable:
        x = x.copy()
    return x


def _loss_grad(a, u, target, eta):
    """``(L, grad_a, grad_u)`` for validated inputs, via the compiled kernel."""
    grad_a = np.empty(a.shape[0])
    grad_u = np.empty(u.shape[0])
    val = float(loss_grad_kernel(_kernel_array(a), _kernel_array(u), _kernel_array(target.jumps, readonly=True),
                                 _kernel_array(target.values, readonly=True), float(eta), grad_a, grad_u))
    if val < 0.0:  # a sum of w_n r_n^2 / 2 with weights w_n > 0 is never negative, whatever the rounding
        raise CompiledCodeError(f"the compiled loss kernel returned L = {val!r} < 0: the machine code that ran is not "
                                f"the library's; clear numba's cache (find tts_lib -name '*.nb[ic]' -delete)")
    return val, grad_a, grad_u


def _loss(a, u, target, eta) -> float:
    return _loss_grad(a, u, target, eta)[0]


def loss(a, u, target, eta) -> float:
    r"""Population loss :math:`L(a, u) = \tfrac12 \int_0^1 (f(x; a, u) - f^*(x))^2 dx`, exact."""
    a, u = _validate.network(a, u)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    val = _loss(a, u, target, eta)
    if not np.isfinite(val):  # validated inputs cannot overflow (module docstring)
        raise CompiledCodeError(f"the compiled loss kernel returned L = {val!r} for validated inputs: the machine code "
                                f"that ran is not the library's; clear numba's cache "
                                f"(find tts_lib -name '*.nb[ic]' -delete)")
    return val


def loss_grad(a, u, target, eta):
    r"""Exact gradient of :math:`L`: returns ``(grad_a, grad_u)``.

    :math:`\partial_{a_k} L = \int r \varphi_k` and
    :math:`\partial_{u_j} L = -\frac{a_j}{\eta}\int r\, \sigma'((x - u_j)/\eta)\,dx`,
    with :math:`r = f - f^*`.
    """
    a, u = _validate.network(a, u)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    _, grad_a, grad_u = _loss_grad(a, u, target, eta)
    return grad_a, grad_u


def _check_hessian_memory(name, m, target):
    """The Hessian works on the (nodes x (2m + 1)) Jacobian at <= 4 (3m + n + 1) nodes, and the (2m+1)^2 result."""
    nodes_count = 4 * (3 * m + target.jumps.size + 1)
    _validate.memory(name, 8.0 * (2 * m + 1) * (2 * nodes_count + 2 * (2 * m + 1)),
                     f"the exact Hessian for m = {m} neurons")


def _loss_hessian(a, u, target, eta) -> np.ndarray:
    m = u.shape[0]
    _, w, z, r = _residual_at_nodes(a, u, target, eta)
    phi = np.empty((z.shape[0], m + 1))
    phi[:, 0] = 1.0
    phi[:, 1:] = _sigma(z)
    # d f / d u_j at the nodes
    dfu = -(a[1:] / eta) * _sigma_prime(z)
    jac = np.concatenate((phi, dfu), axis=1)  # d f / d(a, u)
    hess = jac.T @ (w[:, None] * jac)  # Gauss-Newton part
    hess = 0.5 * (hess + hess.T)
    wr = w * r
    # second derivatives of f: d2f/da_j du_j = -sigma'/eta ; d2f/du_j^2 = a_j sigma''/eta^2
    cross = -(wr @ _sigma_prime(z)) / eta
    idx = np.arange(m)
    hess[1 + idx, m + 1 + idx] += cross
    hess[m + 1 + idx, 1 + idx] += cross
    hess[m + 1 + idx, m + 1 + idx] += (a[1:] / eta**2) * (wr @ _sigma_second(z))
    return hess


def loss_hessian(a, u, target, eta) -> np.ndarray:
    r"""Exact Hessian of :math:`L` with respect to :math:`(a, u)`, shape ``(2m + 1, 2m + 1)``.

    Variables are ordered ``a_0, ..., a_m, u_1, ..., u_m``. The :math:`aa` block is the
    Gram matrix :math:`G(u)`; :math:`\sigma''` is bounded, so the Hessian exists everywhere.
    """
    a, u = _validate.network(a, u)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    _check_hessian_memory("u", u.shape[0], target)
    return _loss_hessian(a, u, target, eta)
