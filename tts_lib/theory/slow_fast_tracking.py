r"""Fast relaxation, and how closely the full flow tracks the reduced flow (chapter 3's figures).

At fixed positions :math:`u` the fast dynamics :math:`\dot a = -\nabla_a L = -(G(u) a - b(u))` is
linear, so

.. math::

    a(t) - a^*(u) = e^{-t G(u)} \big(a(0) - a^*(u)\big), \qquad
    \|a(t) - a^*(u)\| \le e^{-\lambda_{\min}(G(u))\, t} \|a(0) - a^*(u)\| ,

and :math:`1/\lambda_{\min}(G(u))` is the fast relaxation time. It blows up when two neurons come
together: for :math:`u_1, u_2` at distance :math:`s` the test vector :math:`e_1 - e_2` gives

.. math::

    \lambda_{\min}(G) \le \tfrac12 \|\varphi_1 - \varphi_2\|^2
    \approx \tfrac12 s^2 \int (\sigma_\eta')^2 = \frac{9}{10} \frac{s^2}{\eta}
    \quad (s \to 0),

using :math:`\int_{-1/2}^{1/2} \sigma'(z)^2 dz = 9/5`.

Tikhonov's theorem says that, as long as :math:`\lambda_{\min}(G(u))` stays away from 0, the full
flow's positions stay within :math:`O(\varepsilon)` of the reduced flow's on a fixed slow-time
interval; :func:`tracking_gaps` measures that gap for several :math:`\varepsilon`.

(See also :mod:`tts_lib.tracking` for the distance to the slow manifold along a flow, and
:mod:`tts_lib.spacing`.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..target import check_target
from ..flows import gradient_flow, reduced_flow
from ..slow_fast import gram, optimal_outer

__all__ = [
    "SIGMA_PRIME_SQ_INTEGRAL",
    "gram_min_eigenvalue",
    "pair_spacing_eigenvalues",
    "feature_gap_sq",
    "frozen_relaxation",
    "TrackingResult",
    "tracking_gaps",
    "loglog_slope",
]

#: :math:`\int_{-1/2}^{1/2} \sigma'(z)^2\,dz = 144 \cdot 2 \int_0^{1/2} (1/2 - z)^4 dz = 9/5`.
SIGMA_PRIME_SQ_INTEGRAL = 9.0 / 5.0


def gram_min_eigenvalue(u, eta) -> float:
    r""":math:`\lambda_{\min}(G(u))`, the slowest relaxation rate of the fast variables."""
    return float(np.linalg.eigvalsh(gram(u, eta))[0])


def _spacings(spacings):
    s = _validate.vector("spacings", spacings, min_length=1)
    if np.any(s < 0):
        raise ValueError("spacings must be >= 0")
    return s


def _pair_positions(s, centre, others):
    return np.concatenate((np.asarray(others, dtype=float), [centre - s / 2, centre + s / 2]))


def _check_pair(eta, centre, others, spacings):
    eta = _validate.width("eta", eta)
    centre = _validate.positive("centre", centre)
    if not 0.0 < centre < 1.0:
        raise ValueError(f"centre must lie in (0, 1), got {centre}")
    others = _validate.vector("others", others)
    if np.any(spacings / 2 >= min(centre, 1 - centre)):
        raise ValueError("spacings must keep both neurons inside (0, 1): spacing/2 < min(centre, 1 - centre)")
    return eta, centre, others


def pair_spacing_eigenvalues(spacings, eta, *, centre=0.5, others=()):
    r""":math:`\lambda_{\min}(G(u))` for two neurons at :math:`\text{centre} \pm s/2` (plus the fixed
    neurons ``others``), one value per spacing :math:`s` in ``spacings``."""
    s = _spacings(spacings)
    eta, centre, others = _check_pair(eta, centre, others, s)
    return np.array([gram_min_eigenvalue(_pair_positions(si, centre, others), eta) for si in s])


def feature_gap_sq(spacings, eta, *, centre=0.5):
    r""":math:`\|\varphi_1 - \varphi_2\|^2 = G_{11} + G_{22} - 2G_{12}` for two neurons at distance
    :math:`s` (exact); :math:`\approx \tfrac95 s^2/\eta` as :math:`s \to 0`."""
    s = _spacings(spacings)
    eta, centre, _ = _check_pair(eta, centre, (), s)
    out = np.empty(s.shape[0])
    for i, si in enumerate(s):
        g = gram(_pair_positions(si, centre, ()), eta)
        out[i] = g[1, 1] + g[2, 2] - 2 * g[1, 2]
    return out


def frozen_relaxation(a0, u, target, eta, t):
    r"""Exact fast dynamics at frozen positions: :math:`a(t) = a^* + e^{-tG}(a_0 - a^*)`.

    Returns the array of :math:`a(t)` for the times ``t`` (shape ``(len(t), m + 1)``), computed
    from the eigendecomposition of :math:`G(u)`.
    """
    a0, u = _validate.network(a0, u, a_name="a0")
    target = check_target(target)
    eta = _validate.width("eta", eta)
    t = _validate.vector("t", t, min_length=1)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    lam, q = np.linalg.eigh(gram(u, eta))
    a_star = optimal_outer(u, target, eta)
    c = q.T @ (a0 - a_star)
    return a_star[None, :] + (np.exp(-np.outer(t, lam)) * c[None, :]) @ q.T


@dataclass
class TrackingResult:
    r"""Gap between the full two-timescale flow and the reduced flow.

    Attributes
    ----------
    eps : ndarray (k,)
        The timescale ratios.
    gap : ndarray (k,)
        :math:`\max_{\tau} \max_j |u_j^{\text{full}}(\tau) - u_j^{\text{red}}(\tau)|` over ``tau``.
    tau : ndarray (n,)
        Slow times at which both flows are compared.
    u_reduced : ndarray (n, m)
        Reduced flow's positions.
    u_full : list of ndarray (n, m)
        Full flow's positions, one per :math:`\varepsilon`.
    """

    eps: np.ndarray
    gap: np.ndarray
    tau: np.ndarray
    u_reduced: np.ndarray
    u_full: list


def tracking_gaps(target, u0, eta, eps_values, tau_end, *, a0=None, n_eval=51, rtol=1e-11, atol=1e-13):
    r"""Run the reduced flow and the full flow (one per :math:`\varepsilon`) from the same
    :math:`u_0` over slow times :math:`[0, \tau_{\text{end}}]` and return their largest gap.

    The full flow :math:`\dot a = -\nabla_a L`, :math:`\dot u = -\varepsilon \nabla_u L` is run in
    the fast time :math:`t = \tau/\varepsilon` (LSODA with the exact Hessian). ``a0`` defaults to
    :math:`a^*(u_0)` (start on the slow manifold, no initial layer).
    """
    target = check_target(target)
    u0 = _validate.positions("u0", u0)
    eta = _validate.width("eta", eta)
    rtol = _validate.tolerance("rtol", rtol, relative=True)
    atol = _validate.tolerance("atol", atol)
    eps_values = _validate.positive_vector("eps_values", eps_values, min_length=1)
    tau_end = _validate.positive("tau_end", tau_end)
    n_eval = _validate.integer("n_eval", n_eval, minimum=2, maximum=10**6)
    if a0 is None:
        a0 = optimal_outer(u0, target, eta)
    else:
        a0, _ = _validate.network(a0, u0, a_name="a0", u_name="u0")
    tau = np.linspace(0.0, tau_end, n_eval)
    red = reduced_flow(u0, target, eta, (0.0, tau_end), tau_eval=tau, rtol=rtol, atol=atol)
    gaps, fulls = [], []
    for eps in eps_values:
        fl = gradient_flow(
            a0, u0, target, eta, float(eps), (0.0, tau_end / eps), t_eval=tau / eps,
            method="LSODA", rtol=rtol, atol=atol,
        )
        fulls.append(fl.u)
        gaps.append(float(np.max(np.abs(fl.u - red.u))))
    return TrackingResult(eps_values, np.array(gaps), tau, red.u, fulls)


def loglog_slope(x, y) -> float:
    r"""Least-squares slope of :math:`\log y` against :math:`\log x` (the order :math:`p` in
    :math:`y \approx C x^p`)."""
    x = _validate.vector("x", x, min_length=2)
    y = _validate.vector("y", y, length=x.shape[0])
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive for a log-log slope")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])






