r"""The slow/fast decomposition.

For fixed positions :math:`u` the loss is a convex quadratic in :math:`a`:

.. math::

    L(a, u) = \tfrac12 a^\top G(u) a - b(u)^\top a + \tfrac12 \|f^*\|^2, \qquad
    G_{jk} = \int_0^1 \varphi_j \varphi_k, \quad b_k = \int_0^1 f^* \varphi_k ,

with :math:`\varphi_0 = 1` and :math:`\varphi_j = \sigma_\eta(\cdot - u_j)`. The fast
variable relaxes to :math:`a^*(u) = G(u)^{-1} b(u)`; the slow variable follows
:math:`du/d\tau = -\nabla \ell(u)` with :math:`\ell(u) = \min_a L(a, u) = L(a^*(u), u)` and,
by the envelope theorem, :math:`\nabla \ell(u) = \nabla_u L(a^*(u), u)`.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from . import _validate
from .target import check_target
from ._kernels import gram_b_kernel
from .model import _features, _kernel_array, _loss, _loss_grad
from .quadrature import nodes

_NO_JUMPS = _kernel_array(np.empty(0), readonly=True)
_ZERO = _kernel_array(np.zeros(1), readonly=True)


def _gram_b(u, target, eta):
    """Exact ``(G, b)`` by the compiled kernel (``b`` is None without a target)."""
    m = u.shape[0]
    g = np.empty((m + 1, m + 1))
    b = np.empty(m + 1)
    u = _kernel_array(u)
    if target is None:
        gram_b_kernel(u, _NO_JUMPS, _ZERO, float(eta), g, b)
        return g, None
    gram_b_kernel(u, _kernel_array(target.jumps, readonly=True), _kernel_array(target.values, readonly=True),
                  float(eta), g, b)
    return g, b


def _gram_b_numpy(u, target, eta):
    """Vectorised reference for :func:`_gram_b` (same nodes), used by the tests."""
    x, w = nodes(u, eta, target.jumps if target is not None else None)
    phi = _features(x, u, eta)
    g = phi.T @ (w[:, None] * phi)
    g = 0.5 * (g + g.T)
    b = None if target is None else phi.T @ (w * target(x))
    return g, b


def _check_gram_memory(name, m):
    """The Gram matrix, the sorted kernel's working copy, the Cholesky factor and a fallback least-squares copy:
    about 4 (m + 1)^2 floats."""
    _validate.memory(name, 32.0 * (m + 1) ** 2, f"the Gram matrix of m = {m} neurons")


def _args(u, target, eta):
    u = _validate.positions("u", u)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    _check_gram_memory("u", u.shape[0])
    return u, target, eta


def gram(u, eta) -> np.ndarray:
    r"""Gram matrix :math:`G_{jk}(u) = \int_0^1 \varphi_j \varphi_k`, shape ``(m + 1, m + 1)``, exact."""
    u = _validate.positions("u", u)
    eta = _validate.width("eta", eta)
    _check_gram_memory("u", u.shape[0])
    return _gram_b(u, None, eta)[0]


def target_features(u, target, eta) -> np.ndarray:
    r""":math:`b_k(u) = \int_0^1 f^* \varphi_k`, shape ``(m + 1,)``, exact."""
    u, target, eta = _args(u, target, eta)
    return _gram_b(u, target, eta)[1]


def _optimal_outer(u, target, eta) -> np.ndarray:
    g, b = _gram_b(u, target, eta)
    try:
        with np.errstate(all="raise"):
            c = scipy.linalg.cho_factor(g, check_finite=False)
            diag = np.abs(np.diag(c[0]))
            # the squared ratio of Cholesky pivots estimates the condition number cheaply
            if (diag.min() / diag.max()) ** 2 > 1e-12:
                return scipy.linalg.cho_solve(c, b, check_finite=False)
    except (np.linalg.LinAlgError, FloatingPointError):
        pass
    # singular Gram matrix (coincident neurons, or windows outside [0, 1]): any
    # minimiser is fine; take the minimum-norm one.
    return scipy.linalg.lstsq(g, b)[0]


def optimal_outer(u, target, eta) -> np.ndarray:
    r""":math:`a^*(u) = G(u)^{-1} b(u)`, the minimiser of :math:`L(\cdot, u)`.

    When :math:`G(u)` is singular (two neurons at the same place, or a window
    entirely outside [0, 1]) the minimiser is not unique and the minimum-norm one is returned.
    """
    u, target, eta = _args(u, target, eta)
    return _optimal_outer(u, target, eta)


def reduced_loss(u, target, eta) -> float:
    r""":math:`\ell(u) = \min_a L(a, u) = L(a^*(u), u)`."""
    u, target, eta = _args(u, target, eta)
    return _loss(_optimal_outer(u, target, eta), u, target, eta)


def _reduced_loss_grad(u, target, eta):
    a = _optimal_outer(u, target, eta)
    val, _, grad_u = _loss_grad(a, u, target, eta)
    return val, grad_u, a


def reduced_loss_grad(u, target, eta) -> np.ndarray:
    r""":math:`\nabla \ell(u) = \nabla_u L(a^*(u), u)` (envelope theorem)."""
    u, target, eta = _args(u, target, eta)
    return _reduced_loss_grad(u, target, eta)[1]
