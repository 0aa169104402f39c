r"""The floor of lazy (NTK) training: the best loss of the network linearised at :math:`(a, u)`."""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..target import check_target

__all__ = ["tangent_floor"]


def tangent_floor(target, u, eta, a=None) -> float:
    r"""Best loss of the network linearised at :math:`(a, u)` — the floor of lazy (NTK) training.

    Linearising :math:`f(x; a, u) = a_0 + \sum_j a_j\sigma_\eta(x - u_j)` at :math:`(a, u)`, the reachable
    functions are :math:`f(\cdot; a, u)` plus the span of the tangent features

    .. math::

        \frac{\partial f}{\partial a_0} = 1, \qquad
        \frac{\partial f}{\partial a_j} = \sigma_\eta(x - u_j), \qquad
        \frac{\partial f}{\partial u_j} = -\frac{a_j}{\eta}\,\sigma'\Big(\frac{x - u_j}{\eta}\Big),

    and since :math:`f` itself is in the span of the first two kinds, the floor is
    :math:`\tfrac12 \min_c \|\Phi c - f^*\|^2` with :math:`\Phi` the features. With ``a = None`` (or
    :math:`a_j = 0`, the book's start) the position features vanish and the floor is the random-feature
    floor :math:`\ell(u) = \min_a L(a, u)`: **at** :math:`a = 0` **the tangent kernel is exactly the
    random-feature kernel**. With :math:`a_j \ne 0` (NTK or mean-field starts) the features
    :math:`\sigma'((x - u_j)/\eta)` join (their scale :math:`a_j/\eta` does not change the span).

    Computed by least squares on the 4-point Gauss–Legendre nodes of every interval between the breakpoints
    :math:`\{0, 1, v_i, u_j, u_j \pm \eta/2\}` (exact: every product of features is a polynomial of degree
    at most 6 there), with an SVD-based solver (features may be nearly collinear).
    """
    from ..activation import sigma, sigma_prime
    from ..quadrature import nodes

    target = check_target(target)
    u = _validate.vector("u", u, min_length=1)
    eta = _validate.positive("eta", eta)
    use = np.zeros(u.size, dtype=bool)
    if a is not None:
        a = _validate.vector("a", a, length=u.size + 1)
        use = a[1:] != 0
    x, w = nodes(u, eta, target.jumps)
    z = (x[:, None] - u[None, :]) / eta
    cols = [np.ones((x.size, 1)), sigma(z)]
    if use.any():
        cols.append(sigma_prime(z[:, use]))
    phi = np.hstack(cols) * np.sqrt(w)[:, None]
    y = target(x) * np.sqrt(w)
    coef = np.linalg.lstsq(phi, y, rcond=None)[0]
    return float(0.5 * np.sum((phi @ coef - y) ** 2))
