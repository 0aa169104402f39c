r"""The authors' conventions, to check that the book's conventions do not change the findings.

The authors' code differs from the book's in three ways (module docstring of :mod:`tts_lib.sgd`):
it minimises :math:`(f - y)^2` without the ½ with step :math:`h_{\text{paper}}`, it puts the bias as an
extra neuron at :math:`-\eta/2`, and it updates the positions with the derivative of a linear ramp,

.. math::

    D_{\text{ramp}}(z) = \mathbb 1[|z| < 1/2] \qquad\text{instead of}\qquad \sigma'(z) = 12\,(1/2 - |z|)^2 ,

both even, supported on :math:`[-1/2, 1/2]` and of unit mass. The first two are exact equivalences
(``lr = 2 h_paper``; the bias neuron's window lies left of 0, so its output is 1 on :math:`[0, 1]` and its
position gradient vanishes); the third changes the position update only where a window overlaps a jump
of the residual.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..target import check_target
from ..sgd import SGDResult, _check_derivative, _check_network, sgd

__all__ = ["authors_sgd_samples", "ramp_sgd", "AuthorsLimit", "authors_limit", "limit_difference"]


def authors_sgd_samples(a0, u0, target, *, eta, h, eps, xs, noises, derivative="ramp"):
    r"""Plain NumPy per-sample SGD **in the authors' conventions**, on explicit samples.

    The network is :math:`\sum_{j=0}^{m} c_j \sigma_\eta(x - p_j)` with the bias as neuron 0 at
    :math:`p_0 = -\eta/2` (weight ``a0[0]``); the loss is :math:`(f(x) - y)^2` (no ½) and the step
    :math:`h`; the positions move with step :math:`\varepsilon h` and the derivative ``"ramp"``
    (:math:`\mathbb 1[|z| < 1/2]`, theirs) or ``"exact"`` (:math:`\sigma'`). All parameters are updated
    simultaneously. Returns ``(a, u)`` in the book's layout (``a[0]`` the bias weight, ``u`` without
    the bias neuron) and the bias neuron's final position.
    """
    from ..activation import sigma, sigma_prime

    a, u = _check_network(a0, u0)
    target = check_target(target)
    eta = _validate.width("eta", eta)
    h = _validate.positive("h", h)
    eps = _validate.positive("eps", eps)
    xs = _validate.vector("xs", xs)
    noises = _validate.vector("noises", noises, length=xs.shape[0])
    ramp = _check_derivative(derivative)
    c = a.copy()
    p = np.concatenate(([-eta / 2], u))
    for x, xi in zip(xs, noises):
        z = (x - p) / eta
        s = sigma(z)
        d = (np.abs(z) < 0.5).astype(float) if ramp else sigma_prime(z)
        r = float(c @ s) - (float(target(x)) + xi)
        c_new = c - h * 2.0 * r * s
        p = p - eps * h * 2.0 * r * c * (-d / eta)
        c = c_new
    return c, p[1:], float(p[0])


def ramp_sgd(a0, u0, target, *, eta, lr, eps, steps, noise=1.0, seed=0, record_every=0) -> SGDResult:
    r""":func:`tts_lib.sgd.sgd` with the authors' ramp derivative :math:`\mathbb 1[|z| < 1/2]` in place of
    :math:`\sigma'(z)` in the position update (``derivative="ramp"``); same samples as
    :func:`tts_lib.sgd.sgd` for the same seed, so the two runs differ by the derivative only."""
    return sgd(a0, u0, target, eta=eta, lr=lr, eps=eps, steps=steps, noise=noise, seed=seed,
               record_every=record_every, derivative="ramp")


# --- the authors' "TT limit": explicit Euler with a jump-to-the-kink rule --------------------------------------
@dataclass
class AuthorsLimit:
    """Outcome of :func:`authors_limit`: slow times ``tau`` (K,) and positions ``u`` (K, m) after each Euler
    update (``tau[0] = 0``, the start)."""

    tau: np.ndarray
    u: np.ndarray


def authors_limit(u0, target, tau_end, *, n_steps=1000) -> AuthorsLimit:
    r"""The authors' "TT limit" curve (``two_timescale_limit.py`` and ``experiment.run`` of their code), in the
    book's units: explicit Euler on the ideal velocities with step :math:`\delta = \tau_{\text{end}}/n`, where
    for each jump :math:`v` of height :math:`\Delta` with flanking neurons :math:`u^L \le v \le u^R`
    (:math:`d_L = v - u^L > 0`, :math:`d_R = u^R - v > 0`)

    .. math::

        \dot u^L = +\frac{\Delta^2}{2}\Big(\frac{d_R}{d_L + d_R}\Big)^2, \qquad
        \dot u^R = -\frac{\Delta^2}{2}\Big(\frac{d_L}{d_L + d_R}\Big)^2

    (theirs without the ½, in their slow time, which is half the book's: the same displacement per step), every
    other neuron still; and a neuron whose step :math:`\delta|\dot u|` would exceed its distance to the jump is put
    **on** the jump (their "jump to the kink", a first-order rule). A jump with a neuron on it moves nothing
    any more. Their loop updates at SGD steps :math:`0, I, 2I, \dots, nI` (:math:`I = N/n`), i.e. ``n_steps + 1``
    updates, the last ending at :math:`\tau_{\text{end}}(1 + 1/n)`; so does this function.
    """
    target = check_target(target)
    u = np.sort(_validate.vector("u0", u0, min_length=1)).astype(float)
    tau_end = _validate.positive("tau_end", tau_end)
    n_steps = _validate.integer("n_steps", n_steps, minimum=1)
    delta = tau_end / n_steps
    v, heights = target.jumps, target.heights
    out = [u.copy()]
    for _ in range(n_steps + 1):
        vel = np.zeros_like(u)
        dist = np.zeros_like(u)
        for jump, dh in zip(v, heights):
            left = np.nonzero(u <= jump)[0]
            right = np.nonzero(u >= jump)[0]
            if left.size == 0 or right.size == 0:
                continue
            iL, iR = left[-1], right[0]
            dL, dR = jump - u[iL], u[iR] - jump
            if dL > 0 and dR > 0:
                vel[iL] = 0.5 * dh**2 * (dR / (dL + dR)) ** 2
                vel[iR] = -0.5 * dh**2 * (dL / (dL + dR)) ** 2
                dist[iL], dist[iR] = dL, -dR
        jumpers = (vel != 0) & (np.abs(dist) < np.abs(delta * vel))
        u = np.where(jumpers, u + dist, u + delta * vel)
        out.append(u.copy())
    tau = delta * np.arange(n_steps + 2)
    return AuthorsLimit(tau, np.array(out))


def limit_difference(u0, target, tau_end, *, eta=4e-3, n_steps=1000) -> dict:
    r"""How far the authors' Euler limit (:func:`authors_limit`) is from the exact ideal flow
    (:func:`tts_lib.ideal.ideal_flow`, arrivals located to the solver's accuracy) from ``u0``: the largest
    difference of the positions over the Euler grid (``max_over_eta``, in units of ``eta``), at the end
    (``final_over_eta``), and the largest difference of the capture times of the jumps (``capture_diff``, slow
    time; ``nan`` when a jump is captured by one and not the other)."""
    from ..ideal import ideal_flow

    target = check_target(target)
    lim = authors_limit(u0, target, tau_end, n_steps=n_steps)
    ex = ideal_flow(np.sort(np.asarray(u0, float)), target, (0.0, lim.tau[-1]), tau_eval=lim.tau)
    diff = np.max(np.abs(lim.u - ex.u), axis=1) / eta
    cap_e, cap_x = [], []
    for i, jump in enumerate(target.jumps):
        on = np.nonzero(np.any(np.abs(lim.u - jump) <= 1e-12, axis=1))[0]
        cap_e.append(lim.tau[on[0]] if on.size else np.nan)
        hit = ex.arrival_tau[ex.arrival_jump == i]
        cap_x.append(np.min(hit) if hit.size else np.nan)
    cap_e, cap_x = np.array(cap_e), np.array(cap_x)
    both = np.isfinite(cap_e) & np.isfinite(cap_x)
    mismatch = np.isfinite(cap_e) != np.isfinite(cap_x)
    return {"max_over_eta": float(diff.max()), "final_over_eta": float(diff[-1]),
            "capture_diff": float("nan") if mismatch.any() else float(np.max(np.abs(cap_e - cap_x)[both], initial=0.0)),
            "captured_euler": int(np.isfinite(cap_e).sum()), "captured_exact": int(np.isfinite(cap_x).sum())}
