r"""Figures of the theory chapters (3 and 4): the jump pair's phase portrait, the Gram matrix's smallest
eigenvalue against the spacing of two neurons, and the tracking of the slow manifold."""

from __future__ import annotations

import numpy as np

from .. import _validate
from . import style
from ..theory.jump_pair import _height, arrival_time, pair_trajectory, pair_velocity
from ..theory.slow_fast_tracking import TrackingResult, _spacings, feature_gap_sq, pair_spacing_eigenvalues

__all__ = ["plot_phase_portrait", "plot_pair_spacing", "plot_tracking", "plot_three_levels"]



def plot_phase_portrait(ax, delta=1.0, *, d_max=0.2, starts=None, density=1.0):
    r"""Phase portrait of :math:`(d_L, d_R)` on ``ax``: the vector field (stream lines), the
    invariant curves :math:`d_L^3 - d_R^3 = C` through ``starts`` (default: a few points), the
    diagonal :math:`d_L = d_R`, and the arrival points on the axes. Returns ``ax``.
    """
    delta = _height(delta)
    d_max = _validate.positive("d_max", d_max)
    if starts is None:
        starts = [(0.05, 0.18), (0.12, 0.19), (0.18, 0.14), (0.19, 0.06), (0.15, 0.15)]
    starts = np.asarray(starts, dtype=float)
    if starts.ndim != 2 or starts.shape[1] != 2:
        raise ValueError(f"starts must be a list of (d_L, d_R) pairs, got shape {starts.shape}")
    g = np.linspace(1e-3 * d_max, d_max, 30)
    dl, dr = np.meshgrid(g, g)
    vl, vr = pair_velocity(dl, dr, delta)
    ax.streamplot(dl, dr, vl, vr, color="0.75", density=density, linewidth=0.8, arrowsize=0.8)
    ax.plot([0, d_max], [0, d_max], "k:", lw=1, label=r"$d_L = d_R$")
    for i, (a, b) in enumerate(starts):
        tau = np.linspace(0.0, arrival_time(a, b, delta), 200)
        xl, xr = pair_trajectory(a, b, delta, tau)
        ax.plot(xl, xr, "C0", lw=2, label="trajectories" if i == 0 else None)
        ax.plot([a], [b], "o", color="C0", ms=5)
        ax.plot([xl[-1]], [xr[-1]], "s", color="C3", ms=6, label="arrival (one distance = 0)" if i == 0 else None)
    ax.set_xlim(0, d_max)
    ax.set_ylim(0, d_max)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$d_L = v - u^L$")
    ax.set_ylabel(r"$d_R = u^R - v$")
    ax.set_title(rf"Ideal dynamics of the pair flanking a jump ($\Delta = {delta:g}$)")
    style.legend(ax, where="below", ncol=2)
    return ax


def plot_pair_spacing(ax, eta, spacings=None, *, centre=0.5, others=()):
    r"""Plot :math:`\lambda_{\min}(G)` against the spacing :math:`s/\eta` of two neurons (log-log),
    with the bound :math:`\tfrac12\|\varphi_1-\varphi_2\|^2` and its asymptote
    :math:`\tfrac{9}{10}s^2/\eta`. Returns ``ax``."""
    eta = _validate.positive("eta", eta)
    if spacings is None:
        spacings = eta * np.logspace(-2, np.log10(3.0), 40)
    s = _spacings(spacings)
    lam = pair_spacing_eigenvalues(s, eta, centre=centre, others=others)
    bound = 0.5 * feature_gap_sq(s, eta, centre=centre)
    ax.loglog(s / eta, lam, "C0-", lw=2, label=r"$\lambda_{\min}(G(u))$")
    ax.loglog(s / eta, bound, "C1--", label=r"bound $\frac{1}{2}\|\varphi_1-\varphi_2\|^2$")
    ax.loglog(s / eta, 0.9 * s**2 / eta, "k:", label=r"$\frac{9}{10}\, s^2/\eta$")
    ax.axvline(1.0, color="0.6", lw=1)
    ax.text(1.05, ax.get_ylim()[0] * 3, r"$s = \eta$: windows" "\n" "stop overlapping", fontsize=style.MIN_FONT,
            color="0.3")
    ax.set_xlabel(r"spacing of the two neurons $s/\eta$")
    ax.set_ylabel("eigenvalue (dimensionless)")
    ax.set_title(rf"Smallest eigenvalue of the Gram matrix ($\eta = {eta:g}$, $m = {len(others) + 2}$)")
    style.legend(ax, where="right")
    return ax


def plot_tracking(ax, result: TrackingResult):
    r"""Log-log plot of the gap against :math:`\varepsilon` from :func:`tracking_gaps`, with a
    reference line of slope 1 through the smallest :math:`\varepsilon`. Returns ``ax``."""
    if not isinstance(result, TrackingResult):
        raise ValueError(f"result must be a TrackingResult, got {type(result).__name__}")
    eps, gap = result.eps, result.gap
    ax.loglog(eps, gap, "o-", color="C0", label=r"$\max_\tau |u^{\rm full}(\tau) - u^{\rm red}(\tau)|$")
    i = int(np.argmin(eps))
    ax.loglog(eps, gap[i] * eps / eps[i], "k--", lw=1, label=r"slope 1 ($\propto \varepsilon$)")
    ax.set_xlabel(r"timescale ratio $\varepsilon$")
    ax.set_ylabel("largest gap in the positions")
    ax.set_title("The full flow tracks the reduced flow")
    style.legend(ax, where="below", ncol=2)
    return ax


def plot_three_levels(ax, target, full=None, reduced=None, ideal=None):
    r"""Neuron positions against the slow time :math:`\tau` for up to three descriptions of the same
    start: the full flow (a :class:`~tts_lib.flows.FlowResult`, thick and light), the reduced flow
    (a :class:`~tts_lib.flows.ReducedFlowResult`) and the ideal flow (an
    :class:`~tts_lib.ideal.IdealFlowResult`, dashed), with the jumps of :math:`f^*` dotted.
    Returns ``ax``."""
    from ..target import PiecewiseConstant

    if not isinstance(target, PiecewiseConstant):
        raise ValueError(f"target must be a PiecewiseConstant, got {type(target).__name__}")
    runs = [
        (full, dict(color="C0", lw=3.5, alpha=0.4),
         None if full is None else rf"full flow, $\varepsilon = {getattr(full, 'eps', float('nan')):g}$"),
        (reduced, dict(color="C1", lw=1.5, ls="-."), r"reduced flow ($\varepsilon \to 0$)"),
        (ideal, dict(color="k", lw=1, ls="--"), r"ideal flow ($\eta \to 0$)"),
    ]
    if all(r is None for r, _, _ in runs):
        raise ValueError("give at least one of full, reduced, ideal")
    for run, line, label in runs:
        if run is None:
            continue
        ax.plot(run.tau, run.u, **line)
        ax.plot([], [], label=label, **line)
    for i, v in enumerate(target.jumps):
        ax.axhline(v, color="C3", ls=":", lw=1, label="jumps of $f^*$" if i == 0 else None)
    ax.set_xlabel(r"slow time $\tau = \varepsilon t$")
    ax.set_ylabel("positions $u_j$")
    ax.set_title("Neuron positions under three descriptions")
    style.legend(ax, where="right")
    return ax
