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

import numpy as np

from .. import _validate
from ..target import check_target
from ..sgd import SGDResult, _check_derivative, _check_network, sgd

__all__ = ["authors_sgd_samples", "ramp_sgd"]


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
