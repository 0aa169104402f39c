r"""Views of the paper's experiments for the reproduction chapter, and the convention checks.

:mod:`tts_lib.experiments` runs every experiment and returns result objects; this module adds what the
book shows on top of them:

* :func:`per_seed` — one :class:`~tts_lib.experiments.SGDExperimentResult` per seed of a multi-seed run,
  each with its own ideal limit, so that every seed can be checked like the first one;
* :func:`jumps_in_flight` — the jumps the ideal limit has *not* captured by the end of the run;
* :func:`plot_snapshots` — the network :math:`f(\cdot; a, u)` against :math:`f^*` at chosen slow times,
  SGD's neurons and the ideal limit's side by side;
* :func:`training_animation` — a matplotlib animation (for ``to_jshtml()``) of the network and its neurons;
* :func:`plot_uncovered` — a final network with its uncovered jumps marked;
* the authors' conventions (:func:`authors_sgd_samples`, :func:`ramp_sgd`), to check that the book's
  conventions do not change the findings.

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

from . import _validate
from .experiments import COVER_RADIUS, SGDExperimentResult, jump_summary
from .ideal import ideal_flow
from .model import predict
from .sgd import SGDResult, _check_derivative, sgd

__all__ = [
    "per_seed",
    "jumps_in_flight",
    "snapshot_index",
    "plot_snapshots",
    "training_animation",
    "plot_uncovered",
    "authors_sgd_samples",
    "ramp_sgd",
]


# --- per-seed results ------------------------------------------------------------------------------------
def per_seed(result: SGDExperimentResult) -> list:
    """Split a multi-seed :class:`~tts_lib.experiments.SGDExperimentResult` into one result per seed, each
    with the ideal limit started from its own positions (evaluated at its recorded slow times)."""
    if not isinstance(result, SGDExperimentResult):
        raise ValueError(f"result must be an SGDExperimentResult, got {type(result).__name__}")
    out = []
    for i, run in enumerate(result.runs):
        ideal = None
        if result.config.compare_ideal:
            ideal = result.ideal if i == 0 and result.ideal is not None else ideal_flow(
                np.clip(result.u0[i], 0.0, 1.0), result.target, (0.0, float(run.tau[-1])), tau_eval=run.tau)
        out.append(SGDExperimentResult(result.config, [result.seeds[i]], result.u0[i:i + 1],
                                       [result.tries[i]], [run], ideal, run.wall_time, result.target))
    return out


def jumps_in_flight(result: SGDExperimentResult) -> list:
    """Indices of the jumps that the ideal limit (first seed) has not captured by the end of the run."""
    if not isinstance(result, SGDExperimentResult) or result.ideal is None:
        raise ValueError("result must be an SGDExperimentResult with an ideal limit")
    captured = set(result.captured_by_ideal())
    return [i for i in range(result.target.jumps.size) if i not in captured]


def snapshot_index(result: SGDExperimentResult, tau) -> int:
    """Index of the record of the first seed whose slow time is closest to ``tau``."""
    tau = _validate.positive("tau", tau, allow_zero=True)
    return int(np.argmin(np.abs(result.main.tau - tau)))


# --- plots -------------------------------------------------------------------------------------------------
def _draw_network(ax, target, eta, a, u, *, u_ideal=None, xs=None, title=None, legend=False,
                  legend_loc="upper left"):
    xs = np.linspace(0.0, 1.0, 1201) if xs is None else xs
    ax.step(np.r_[0.0, target.jumps, 1.0], np.r_[target.values, target.values[-1]], where="post",
            color="0.55", lw=1.2, label="$f^*$")
    ax.plot(xs, predict(xs, a, u, eta), color="C0", lw=1.3, label="SGD network")
    lo = min(target.values) - 1.0
    ax.plot(u, np.full(u.size, lo + 0.25), "|", color="C0", ms=9, mew=1.5, label="SGD neurons")
    if u_ideal is not None:
        ax.plot(u_ideal, np.full(u_ideal.size, lo - 0.25), "v", color="C3", ms=4, label="ideal limit")
    ax.set_ylim(lo - 0.7, max(target.values) + 0.8)
    ax.set_xlim(0, 1)
    if title:
        ax.set_title(title, fontsize=9)
    if legend:
        ax.legend(fontsize=7, loc=legend_loc, ncol=2 if legend_loc == "upper left" else 1)


def plot_snapshots(result: SGDExperimentResult, taus, *, ncols=3):
    r"""The network of the first seed at the records closest to each slow time in ``taus``, against
    :math:`f^*`, with SGD's neurons (ticks) and the ideal limit's (triangles). Returns the Figure."""
    from matplotlib.figure import Figure

    taus = _validate.vector("taus", taus, min_length=1)
    ncols = _validate.integer("ncols", ncols, minimum=1)
    nrows = int(np.ceil(taus.size / ncols))
    fig = Figure(figsize=(3.6 * ncols, 2.6 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    run, eta = result.main, result.config.eta
    for k, (ax, tau) in enumerate(zip(axes, taus)):
        i = snapshot_index(result, tau)
        u_id = None if result.ideal is None else result.ideal.u[i]
        _draw_network(ax, result.target, eta, run.a_history[i], run.u_history[i], u_ideal=u_id,
                      title=rf"$\tau = {run.tau[i]:.3g}$, step {run.steps[i]:.3g}", legend=(k == 0))
    for ax in axes[taus.size:]:
        ax.set_visible(False)
    return fig


def training_animation(result: SGDExperimentResult, *, frames=30, interval=200, dpi=65):
    r"""Animation of the first seed: left, the network and its neurons against :math:`f^*` (and the ideal
    limit's neurons); right, the loss against :math:`\tau` with the current time marked.

    Returns ``(fig, anim)``; display ``anim.to_jshtml()`` and close ``fig``. ``frames`` records are used,
    equally spaced among the recorded ones.
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    frames = _validate.integer("frames", frames, minimum=2)
    interval = _validate.integer("interval", interval, minimum=1)
    run, eta, target = result.main, result.config.eta, result.target
    idx = np.unique(np.linspace(0, run.steps.size - 1, frames).round().astype(int))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=dpi, layout="constrained")
    ax2.semilogy(run.tau, run.loss_history, color="C0", lw=1, label="SGD: $L(a, u)$")
    if result.ideal is not None:
        ax2.semilogy(result.ideal.tau, np.maximum(result.ideal.loss, 1e-12), color="C3", ls="--", lw=1,
                     label=r"ideal limit: $\ell_0(u)$")
    marker, = ax2.plot([], [], "o", color="k")
    ax2.set_xlabel(r"slow time $\tau$")
    ax2.set_ylabel("loss")
    ax2.legend(fontsize=8)

    def draw(k):
        i = idx[k]
        ax1.clear()
        u_id = None if result.ideal is None else result.ideal.u[i]
        _draw_network(ax1, target, eta, run.a_history[i], run.u_history[i], u_ideal=u_id,
                      title=rf"$\tau = {run.tau[i]:.4f}$ (step {run.steps[i]:,})", legend=True)
        marker.set_data([run.tau[i]], [max(run.loss_history[i], 1e-12)])
        return (marker,)

    anim = FuncAnimation(fig, draw, frames=len(idx), interval=interval, blit=False)
    return fig, anim


def plot_uncovered(result: SGDExperimentResult, i=0, *, ax=None):
    r"""Final network of seed ``i`` against :math:`f^*`; every jump whose nearest neuron is farther than
    :math:`2\eta` is marked (dashed red line, its empty :math:`\pm 2\eta` band shaded, a red segment to its
    nearest neuron, the distance written). Returns the Axes."""
    import matplotlib.pyplot as plt

    i = _validate.integer("i", i, minimum=0)
    if i >= len(result.runs):
        raise ValueError(f"i must be < {len(result.runs)} (the number of seeds), got {i}")
    run, eta, target = result.runs[i], result.config.eta, result.target
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
    _draw_network(ax, target, eta, run.a, run.u, legend=True, legend_loc="center right",
                  title=rf"seed {result.seeds[i]}: final network, $\varepsilon = {result.config.eps:g}$")
    js = jump_summary(run.u, target, eta)
    lo = min(target.values) - 1.0
    for v, d, k, ok in zip(js["jumps"], js["distance"], js["nearest_neuron"], js["covered"]):
        if not ok:
            # the covered band (radius 2 eta) around the jump, empty; and the gap to the nearest neuron
            ax.axvspan(v - COVER_RADIUS * eta, v + COVER_RADIUS * eta, color="C3", alpha=0.35)
            ax.axvline(v, color="C3", lw=1.2, ls="--")
            ax.plot([v, run.u[k]], [lo + 0.25, lo + 0.25], color="C3", lw=2)
            ax.text(v + 0.006, 0.5 * (min(target.values) + max(target.values)),
                    f"uncovered: nearest\nneuron {d / eta:.0f}$\\eta$ away", rotation=90, fontsize=7,
                    color="C3", va="center")
    return ax


# --- the authors' conventions --------------------------------------------------------------------------------
def authors_sgd_samples(a0, u0, target, *, eta, h, eps, xs, noises, derivative="ramp"):
    r"""Plain NumPy per-sample SGD **in the authors' conventions**, on explicit samples.

    The network is :math:`\sum_{j=0}^{m} c_j \sigma_\eta(x - p_j)` with the bias as neuron 0 at
    :math:`p_0 = -\eta/2` (weight ``a0[0]``); the loss is :math:`(f(x) - y)^2` (no ½) and the step
    :math:`h`; the positions move with step :math:`\varepsilon h` and the derivative ``"ramp"``
    (:math:`\mathbb 1[|z| < 1/2]`, theirs) or ``"exact"`` (:math:`\sigma'`). All parameters are updated
    simultaneously. Returns ``(a, u)`` in the book's layout (``a[0]`` the bias weight, ``u`` without
    the bias neuron) and the bias neuron's final position.
    """
    from .activation import sigma, sigma_prime

    a, u = _validate.network(a0, u0)
    target = _validate.target(target)
    eta = _validate.positive("eta", eta)
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

