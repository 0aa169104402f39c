r"""Figures of the paper's experiments (chapter 5) and of the studies beyond it (chapter 6).

:mod:`tts_lib.experiments` runs every experiment and returns result objects; this module draws them:

* :func:`figures` — the figures of any named experiment's result (what ``python -m tts_lib reproduce`` saves);
* :func:`plot_positions`, :func:`plot_losses`, :func:`plot_error_boxes`, :func:`plot_final_positions`;
* :func:`plot_snapshots` — the network :math:`f(\cdot; a, u)` against :math:`f^*` at chosen slow times,
  SGD's neurons and the ideal limit's side by side;
* :func:`training_animation` — a matplotlib animation (for ``to_jshtml()``) of the network and its neurons;
* :func:`plot_uncovered` — a final network with its uncovered jumps marked;
* :func:`plot_losses_authors`, :func:`plot_sweep_boxes` — the authors' quantity :math:`\int (f - f^*)^2`
  (their ":math:`L_2` error", against the step count) next to the book's;
* the phase study's figures (chapter 6) and :func:`preview_animation` (chapter 1).
"""

from __future__ import annotations


import numpy as np

from .. import _validate
from . import style
from ..experiments.appendix import ADDITIVE_THRESHOLDS, RELU_TEACHER_U
from ..experiments.paper import (COVER_RADIUS, AppendixResult, AuthorsSeedResult, SGDExperimentResult, SweepResult,
                                 jump_summary, snapshot_index)
from ..experiments.preview import PreviewRuns, _sci, covered_jumps
from ..model import predict

__all__ = [
    "figures",
    "plot_positions",
    "plot_losses",
    "plot_error_boxes",
    "plot_final_positions",
    "plot_snapshots",
    "training_animation",
    "plot_uncovered",
    "plot_phase_study",
    "phase_study_table",
    "plot_study_vs_m",
    "plot_coverage_vs_tolerance",
    "plot_capture_times",
    "plot_step_grid",
    "plot_equal_stepsize_coverage",
    "plot_equal_stepsize_loss",
    "preview_animation",
    "plot_losses_authors",
    "plot_sweep_boxes",
]


def figures(result) -> dict:
    """The figures of a named experiment's result (:func:`tts_lib.experiments.run`), by name: what
    ``python -m tts_lib reproduce`` saves. Returns a dict name -> matplotlib Figure."""
    if isinstance(result, SGDExperimentResult):
        cfg = result.config
        fig1 = plot_positions(result.main, result.target, ideal=result.ideal,
                              title=f"{cfg.name}: neuron positions (eps={cfg.eps:g}, seed {result.seeds[0]})")
        fig2 = plot_losses(result.main, ideal=result.ideal, target=result.target)
        return {"positions": fig1, "loss": fig2, "loss-authors": plot_losses_authors(result)}
    if isinstance(result, SweepResult):
        eps = sorted(result.config.eps_values, reverse=True)
        fig = plot_error_boxes({f"eps = {e:g}": result.errors[e] for e in eps},
                               ylabel=r"final $L^2$ error $\|f - f^*\|$",
                               title=f"eps sweep (t_max = {result.config.t_max:g}, {result.config.repeats} runs each)")
        return {"boxplot": fig, "boxplot-authors": plot_sweep_boxes(result)}
    if isinstance(result, AuthorsSeedResult):
        out = {f"two-timescale-{k}": v for k, v in figures(result.two_timescale).items()}
        out.update({f"equal-stepsizes-{k}": v for k, v in figures(result.equal_stepsizes).items()})
        return out
    if isinstance(result, AppendixResult):
        cfg = result.config
        fig1 = plot_error_boxes({"standard": result.errors("standard"), "two-timescale": result.errors("two_timescale")},
                                ylabel=r"final $\|f(X) - y\| / n$", title=f"{cfg.name}: final error, {len(result.seeds)} runs")
        jumps = ADDITIVE_THRESHOLDS if cfg.model == "additive" else RELU_TEACHER_U
        fig2 = plot_final_positions(
            {"standard": result.standard[0].u, "two-timescale": result.two_timescale[0].u},
            jumps, n_groups=cfg.d if cfg.model == "additive" else 1,
            title=f"{cfg.name}: final positions (seed {result.seeds[0]})",
        )
        return {"boxplot": fig1, "positions": fig2}
    raise ValueError(f"result must be the result of tts_lib.experiments.run, got {type(result).__name__}")



# --- per-seed results ------------------------------------------------------------------------------------






# --- plots -------------------------------------------------------------------------------------------------
def _draw_network(ax, target, eta, a, u, *, u_ideal=None, xs=None, title=None, legend=False,
                  legend_where="right"):
    xs = np.linspace(0.0, 1.0, 1201) if xs is None else xs
    ax.step(np.r_[0.0, target.jumps, 1.0], np.r_[target.values, target.values[-1]], where="post",
            color="0.55", lw=1.2, label="$f^*$")
    ax.plot(xs, predict(xs, a, u, eta), color="C0", lw=1.3, label="SGD network")
    lo = min(target.values) - 1.0
    ax.plot(u, np.full(u.size, lo + 0.25), "|", color="C0", ms=9, mew=1.5, label="SGD neurons")
    if u_ideal is not None:
        ax.plot(u_ideal, np.full(u_ideal.size, lo - 0.25), "v", color="C1", ms=5, label="ideal limit")
    ax.set_ylim(lo - 0.7, max(target.values) + 0.8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("$x$")
    ax.set_ylabel("output")
    if title:
        ax.set_title(title)
    if legend:
        style.legend(ax, where=legend_where)


def plot_snapshots(result: SGDExperimentResult, taus, *, ncols=2):
    r"""The network of the first seed at the records closest to each slow time in ``taus``, against
    :math:`f^*`, with SGD's neurons (ticks) and the ideal limit's (triangles); one legend above the
    panels. Returns the Figure (column width)."""
    taus = _validate.vector("taus", taus, min_length=1)
    ncols = _validate.integer("ncols", ncols, minimum=1)
    nrows = int(np.ceil(taus.size / ncols))
    fig, axes = style.subplots(nrows, ncols, height=0.4 + 2.1 * nrows, squeeze=False)
    axes = axes.ravel()
    run, eta = result.main, result.config.eta
    for k, (ax, tau) in enumerate(zip(axes, taus)):
        i = snapshot_index(result, tau)
        u_id = None if result.ideal is None else result.ideal.u[i]
        _draw_network(ax, result.target, eta, run.a_history[i], run.u_history[i], u_ideal=u_id,
                      title=rf"$\tau = {run.tau[i]:.3g}$, step {run.steps[i]:.3g}")
    for ax in axes[taus.size:]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncol=style.phone_ncol(labels, len(labels)) if style.is_phone() else len(labels))
    return fig


def training_animation(result: SGDExperimentResult, *, frames=30, interval=200, dpi=style.SCREEN_DPI):
    r"""Animation of the first seed: top, the network and its neurons against :math:`f^*` (and the ideal
    limit's neurons); bottom, the loss against :math:`\tau` with the current time marked.

    Returns ``(fig, anim)``; display :func:`tts_lib.plots.style.animation_html` of ``anim`` and close ``fig``
    (or :func:`tts_lib.plots.style.responsive_animation` of a function making it, which does both).
    ``frames`` records are used, equally spaced among the recorded ones. The two panels are stacked, at the
    column width; inside :func:`tts_lib.plots.style.phone`, at :data:`~tts_lib.plots.style.PHONE_WIDTH`, the
    network's legend above the panels and the loss's below its data
    (:func:`tts_lib.plots.style.responsive_animation` draws both).
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    frames = _validate.integer("frames", frames, minimum=2)
    interval = _validate.integer("interval", interval, minimum=1)
    run, eta, target = result.main, result.config.eta, result.target
    idx = np.unique(np.linspace(0, run.steps.size - 1, frames).round().astype(int))
    with plt.rc_context(style.rc()):
        phone = style.is_phone()
        size = (style.PHONE_WIDTH, 6.0) if phone else (style.COLUMN_WIDTH, 5.4)
        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=size, dpi=dpi, layout="constrained", height_ratios=[1.3, 1])
    ax2.semilogy(run.tau, run.loss_history, color="C0", lw=1, label="SGD: $L(a, u)$")
    if result.ideal is not None:
        ax2.semilogy(result.ideal.tau, np.maximum(result.ideal.loss, 1e-12), color="C1", ls="--", lw=1,
                     label=r"ideal limit: $\ell_0(u)$")
    marker, = ax2.plot([], [], "o", color="k")
    ax2.set_xlabel(r"slow time $\tau$")
    ax2.set_ylabel("loss")
    # (a phone's legend goes below the data: just under the x label, not the static figures' -0.3 axes heights)
    style.legend(ax2, where="right", **({"bbox_to_anchor": (0.5, -0.24)} if phone else {}))

    def draw(k):
        i = idx[k]
        ax1.clear()
        u_id = None if result.ideal is None else result.ideal.u[i]
        _draw_network(ax1, target, eta, run.a_history[i], run.u_history[i], u_ideal=u_id,
                      title=rf"$\tau = {run.tau[i]:.4f}$ (step {run.steps[i]:,})", legend=not phone)
        marker.set_data([run.tau[i]], [max(run.loss_history[i], 1e-12)])
        return (ax1, marker)   # what changes (style.animation_html draws the rest of the figure once)

    if phone:  # one legend above both panels, made once (the frames redraw the network's panel, not the legend)
        draw(0)
        handles, labels = ax1.get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncol=style.phone_ncol(labels, len(labels)))

    anim = FuncAnimation(fig, draw, frames=len(idx), interval=interval, blit=False)
    return fig, anim


def plot_uncovered(result: SGDExperimentResult, i=0, *, ax=None):
    r"""Final network of seed ``i`` against :math:`f^*`; every jump whose nearest neuron is farther than
    :math:`2\eta` is marked (dashed red line, its empty :math:`\pm 2\eta` band shaded, a red segment to its
    nearest neuron, the distance written). Returns the Axes."""
    i = _validate.integer("i", i, minimum=0)
    if i >= len(result.runs):
        raise ValueError(f"i must be < {len(result.runs)} (the number of seeds), got {i}")
    run, eta, target = result.runs[i], result.config.eta, result.target
    if ax is None:
        _, ax = style.subplots(height=3.2)
    _draw_network(ax, target, eta, run.a, run.u,
                  title=rf"seed {result.seeds[i]}: final network, $\varepsilon = {result.config.eps:g}$")
    js = jump_summary(run.u, target, eta)
    lo = min(target.values) - 1.0
    first = True
    top = max(target.values) + 0.8
    for v, d, k, ok in zip(js["jumps"], js["distance"], js["nearest_neuron"], js["covered"]):
        if not ok:
            # the covered band (radius 2 eta) around the jump, empty; and the gap to the nearest neuron
            ax.axvspan(v - COVER_RADIUS * eta, v + COVER_RADIUS * eta, color="C1", alpha=0.3,
                       label=rf"uncovered jump $\pm {COVER_RADIUS:g}\eta$" if first else None)
            ax.axvline(v, color="C1", lw=1.2, ls="--")
            ax.plot([v, run.u[k]], [lo + 0.25, lo + 0.25], color="C1", lw=2.5,
                    label="gap to nearest neuron" if first else None)
            ax.annotate(rf"{d / eta:.0f}$\eta$", (v, top), xytext=(0, -2), textcoords="offset points",
                        ha="center", va="top", fontsize=style.MIN_FONT, color="C1",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
            first = False
    style.legend(ax, where="right")
    return ax


# --- the authors' conventions --------------------------------------------------------------------------------


def plot_positions(result, target, *, ideal=None, title=None):
    r"""Neuron positions :math:`u_j` against slow time :math:`\tau = \varepsilon\,\text{lr}\,k` (SGD solid,
    ideal limit dashed), with the target's jumps as horizontal lines. Returns the Figure."""
    fig, ax = style.subplots(height=3.6)
    for v in target.jumps:
        ax.axhline(v, color="0.75", lw=1, zorder=0)
    ax.plot(result.tau, result.u_history, color="C0", lw=1)
    if ideal is not None:
        ax.plot(ideal.tau, ideal.u, color="C1", lw=1, ls="--")
        ax.plot([], [], color="C1", ls="--", label="ideal limit")
    ax.plot([], [], color="C0", label="SGD")
    ax.set_xlabel(r"slow time $\tau = \varepsilon\, h\, k$")
    ax.set_ylabel("neuron position $u_j$")
    ax.set_ylim(-0.02, 1.02)
    ax.plot([], [], color="0.75", label="jumps of $f^*$")
    style.legend(ax, where="right")
    if title:
        ax.set_title(title)
    return fig


def plot_losses(result, *, ideal=None, target=None):
    r"""Population loss :math:`L(a, u)` of SGD (and :math:`\ell_0` of the ideal limit) against :math:`\tau`, log scale."""
    fig, ax = style.subplots(height=3.2)
    ax.semilogy(result.tau, result.loss_history, label="SGD: $L(a, u)$")
    if ideal is not None:
        ax.semilogy(ideal.tau, np.maximum(ideal.loss, 1e-12), ls="--", label=r"ideal limit: $\ell_0(u)$")
    ax.set_xlabel(r"slow time $\tau$")
    ax.set_ylabel("loss")
    style.legend(ax, where="right")
    return fig


def plot_error_boxes(groups: dict, *, ylabel="final error", title=None):
    """Box plot (one box per entry of ``groups``: label -> array of values), log scale. Returns the Figure."""
    fig, ax = style.subplots(width=5.0, height=3.4)
    labels = list(groups)
    ax.boxplot([np.asarray(groups[k]) for k in labels], tick_labels=labels)
    for i, k in enumerate(labels, start=1):
        vals = np.asarray(groups[k])
        ax.plot(np.full(vals.size, i) + 0.08 * (np.arange(vals.size) / max(vals.size - 1, 1) - 0.5), vals,
                ".", color="C1", ms=4, alpha=0.7)
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("regime")
    if title:
        ax.set_title(title)
    return fig


def plot_final_positions(positions: dict, jumps, *, n_groups=1, title=None):
    """Final positions of each regime (label -> u, grouped into ``n_groups`` coordinates of equal size)
    as ticks against the target's jumps (vertical lines). Returns the Figure."""
    fig, ax = style.subplots(height=1.2 + 0.3 * n_groups * len(positions))
    row = 0
    yt, yl = [], []
    for label, u in positions.items():
        u = np.asarray(u)
        per = u.size // n_groups
        for k in range(n_groups):
            ax.plot(u[k * per:(k + 1) * per], np.full(per, row), "|", ms=10,
                    color="C0" if label == "standard" else "C2")
            yt.append(row)
            short = {"standard": "std", "two-timescale": "2-scale"}.get(label, label) if style.is_phone() else label
            yl.append(f"{short}, x{k + 1}" if n_groups > 1 else short)  # (short on a phone: room for the data)
            row += 1
    for v in jumps:
        ax.axvline(v, color="0.6", lw=1, ls=":")
    ax.set_yticks(yt, yl)
    ax.set_ylabel("regime, coordinate")
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("neuron position $u_j$ (dotted: the target's jumps)")
    if title:
        ax.set_title(title)
    return fig






def preview_animation(runs: PreviewRuns, *, interval=150, dpi=style.SCREEN_DPI):
    r"""Side-by-side ``FuncAnimation`` of the two runs: the target, the network at each snapshot,
    the neuron positions (triangles; red circles mark uncovered jumps at the end) and the
    population loss. The figure (column width) is closed before returning; render with
    :func:`tts_lib.plots.style.animation_html`. Inside :func:`tts_lib.plots.style.phone` the two panels are
    stacked at :data:`~tts_lib.plots.style.PHONE_WIDTH` (:func:`tts_lib.plots.style.responsive_animation`
    draws both)."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    if not isinstance(runs, PreviewRuns):
        raise ValueError(f"runs must be a PreviewRuns (from run_preview), got {type(runs).__name__}")
    target, eta = runs.target, runs.eta
    panels = [
        (runs.two_timescale, rf"two timescales ($\varepsilon = {_sci(runs.two_timescale.eps)}$)"),
        (runs.equal, r"equal stepsizes ($\varepsilon = 1$)"),
    ]
    n = min(len(r.steps) for r, _ in panels)
    x = np.unique(np.concatenate((np.linspace(0, 1, 600), target.jumps, np.nextafter(target.jumps, -np.inf))))
    phone = style.is_phone()   # stacked panels sharing x, the legend below both
    with plt.rc_context(style.rc()):
        if phone:
            fig, axes = plt.subplots(2, 1, figsize=(style.PHONE_WIDTH, 5.6), dpi=dpi, sharex=True, sharey=True,
                                     layout="none")
        else:
            fig, axes = plt.subplots(1, 2, figsize=(style.COLUMN_WIDTH, 3.6), dpi=dpi, sharey=True, layout="none")
    lo, hi = target.values.min() - 1.5, target.values.max() + 2.0   # room for the step/loss note above the target
    artists = []
    for ax, (run, title) in zip(axes, panels):
        ax.plot(x, target(x), "k", lw=2, label=r"target $f^*$")
        for i, v in enumerate(target.jumps):
            ax.axvline(v, color="k", ls=":", lw=1, label="jumps" if i == 0 else None)
        (line,) = ax.plot([], [], "C0", lw=1.6, label="network $f$")
        (dots,) = ax.plot([], [], "^", color="C1", ms=7, clip_on=False, label="neurons $u_j$")
        (miss,) = ax.plot([], [], "o", mfc="none", mec="k", ms=14, mew=2, label="uncovered jump")
        txt = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=style.MIN_FONT)
        ax.set_xlim(0, 1)
        ax.set_ylim(lo, hi)
        ax.set_title(title)
        artists.append((run, line, dots, miss, txt))
    axes[-1].set_xlabel("$x$")
    if phone:
        for ax in axes:
            ax.set_ylabel("output")
    else:
        axes[0].set_xlabel("$x$")
        axes[0].set_ylabel("output")
        axes[0].set_xticks([0.0, 0.2, 0.4, 0.6, 0.8])  # the right panel's 0.0 would touch the left panel's 1.0
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=style.phone_ncol(labels, 3) if phone else 3,
               fontsize=style.MIN_FONT, frameon=False)
    # (no tight_layout: the empty, unclipped marker lines confuse its bounding boxes)
    if phone:
        fig.subplots_adjust(left=0.17, right=0.95, bottom=0.2, top=0.95, hspace=0.2)
    else:
        fig.subplots_adjust(left=0.1, right=0.96, bottom=0.3, top=0.92, wspace=0.06)   # (room for the last tick, 1.0)

    def frame(k):
        for run, line, dots, miss, txt in artists:
            i = min(k * (len(run.steps) - 1) // max(n - 1, 1), len(run.steps) - 1)
            a, u = run.a_history[i], run.u_history[i]
            line.set_data(x, predict(x, a, u, eta))
            dots.set_data(u, np.full(u.shape, lo + 0.3))
            if i == len(run.steps) - 1:
                bad = target.jumps[~covered_jumps(u, target, 2 * eta)]
                miss.set_data(bad, np.full(bad.shape, lo + 0.3))
            else:
                miss.set_data([], [])
            txt.set_text(f"step {run.steps[i]:,}\nloss {run.loss_history[i]:.3f}")
        # what changes (style.animation_html draws the rest of the figure once)
        return [artist for _, *changing in artists for artist in changing]

    anim = FuncAnimation(fig, frame, frames=n, interval=interval, blit=False)
    plt.close(fig)
    return anim


# --- chapter 6: the phase study (independent seeds, Wilson intervals) -----------------------------------------
def _study(result):
    from ..experiments.phase import PhaseStudy

    if not isinstance(result, PhaseStudy):
        raise ValueError(f"result must be a PhaseStudy (from phase.phase_study), got {type(result).__name__}")
    return result


def plot_phase_study(ax, result, *, outcome="success", cmap="viridis"):
    r"""Heat map over :math:`(m, \varepsilon)` of the proportion of runs with ``outcome`` (``"success"``:
    covered and small loss; ``"covered"``; ``"loss"``), each cell annotated with the proportion and its
    95 % Wilson interval. Returns the image (for a colour bar)."""
    result = _study(result)
    outcomes = {"success": result.success, "covered": result.covered(), "loss": result.loss_ok()}
    if outcome not in outcomes:
        raise ValueError(f"outcome must be one of {sorted(outcomes)}, got {outcome!r}")
    p, lo, hi = result.rate(outcomes[outcome])
    im = ax.imshow(p, origin="lower", cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(result.m.size), [str(int(m)) for m in result.m])
    ax.set_yticks(range(result.eps.size), [f"{e:g}" for e in result.eps])
    for i in range(p.shape[0]):
        for k in range(p.shape[1]):
            iv = f"{lo[i, k]:.2f}–{hi[i, k]:.2f}" if style.is_phone() else f"[{lo[i, k]:.2f}, {hi[i, k]:.2f}]"
            ax.text(k, i, f"{p[i, k]:.2f}\n{iv}", ha="center", va="center",
                    color="k" if p[i, k] > 0.6 else "w", fontsize=style.MIN_FONT)
    ax.set_xlabel("number of neurons $m$")
    ax.set_ylabel(r"timescale ratio $\varepsilon$")
    what = {"success": rf"covered and $L \leq {result.loss_factor:g}\,L_{{\rm tts}}$",
            "covered": rf"every jump within ${result.tol / result.eta:g}\eta$",
            "loss": rf"$L \leq {result.loss_factor:g}\,L_{{\rm tts}}$"}[outcome]
    ax.set_title(f"{what}\n({result.n_seeds} seeds per cell, 95 % interval)")  # two lines: side by side,
    # two panels' one-line titles ran into each other
    return im


def phase_study_table(result, *, name: str | None = None, caption: str | None = None):
    r"""The phase study per cell as a :func:`~tts_lib.plots.tables.table`: :math:`\varepsilon`, :math:`m`, the
    covered and success proportions with their 95 % Wilson intervals, the horizon :math:`t_{\rm end}`, whether
    the runs were stable by then, and the median final loss over :math:`L_{\rm tts}`. ``name``/``caption``: a
    numbered table of the book."""
    from .tables import table

    result = _study(result)
    cov, clo, chi = result.rate(result.covered())
    suc, slo, shi = result.rate(result.success)
    rows = [(f"{e:g}", int(m), f"{cov[i, k]:.2f} [{clo[i, k]:.2f}, {chi[i, k]:.2f}]",
             f"{suc[i, k]:.2f} [{slo[i, k]:.2f}, {shi[i, k]:.2f}]", f"{result.horizon[i, k]:.0f}",
             bool(result.stable[i, k]), f"{np.median(result.final_loss[i, k]) / result.l_tts:.2f}")
            for i, e in enumerate(result.eps) for k, m in enumerate(result.m)]
    return table(rows, ["ε", "m", "covered [95 % CI]", "success [95 % CI]", "t_end", "stable",
                        "median L / L_tts"], caption=caption, name=name)


def plot_study_vs_m(ax, result, *, outcome="success", probability=None):
    r"""Proportion of ``outcome`` (as in :func:`plot_phase_study`) against :math:`m`, one line per
    :math:`\varepsilon` with its 95 % Wilson interval as error bars; optionally the probability of the
    two-per-piece condition (array over ``result.m``). Returns ``ax``."""
    result = _study(result)
    outcomes = {"success": result.success, "covered": result.covered(), "loss": result.loss_ok()}
    if outcome not in outcomes:
        raise ValueError(f"outcome must be one of {sorted(outcomes)}, got {outcome!r}")
    p, lo, hi = result.rate(outcomes[outcome])
    shift = 0.25 * (np.arange(result.eps.size) - (result.eps.size - 1) / 2)
    for i, eps in enumerate(result.eps):
        kw = style.cue(i)
        ax.errorbar(result.m + shift[i], p[i], yerr=[p[i] - lo[i], hi[i] - p[i]], capsize=2,
                    label=rf"$\varepsilon = {eps:g}$", color=kw["color"], ls=kw["ls"], marker=kw["marker"], ms=4)
    if probability is not None:
        ax.plot(result.m, probability, "k--", lw=1, label="P(two neurons in every piece)")
    ax.set_xlabel("number of neurons $m$")
    ax.set_ylabel(f"proportion ({outcome})")
    ax.set_ylim(-0.03, 1.03)
    style.legend(ax, where="below", ncol=3)
    return ax


def plot_coverage_vs_tolerance(ax, result, k, *, tols=None):
    r"""Proportion of runs with every jump within ``tol`` at the end, against ``tol``/:math:`\eta`, for
    width ``result.m[k]``, one line per :math:`\varepsilon` (the success criterion's sensitivity to its
    threshold). Returns ``ax``."""
    result = _study(result)
    k = _validate.integer("k", k)
    if k >= result.m.size:
        raise ValueError(f"k must index result.m (size {result.m.size}), got {k}")
    tols = np.linspace(0.5, 10, 39) if tols is None else _validate.positive_vector("tols", tols)
    cov = result.coverage_vs_tolerance(tols * result.eta)[:, k]
    for i, eps in enumerate(result.eps):
        kw = style.cue(i)
        ax.plot(tols, cov[i], color=kw["color"], ls=kw["ls"], label=rf"$\varepsilon = {eps:g}$")
    ax.axvline(result.tol / result.eta, color="0.5", lw=1, ls=":")
    ax.set_xlabel(r"tolerance / $\eta$")
    ax.set_ylabel("proportion covered")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(f"$m = {int(result.m[k])}$")
    return ax


def plot_capture_times(ax, result, k, *, horizon=None):
    r"""Empirical distribution function of the slow capture time :math:`\tau_{\text{cap}} = \varepsilon
    t_{\text{cap}}` for width ``result.m[k]``, one line per :math:`\varepsilon` (runs never covered stay
    below 1); a vertical line at ``horizon`` (e.g. the paper's :math:`\tau = 0.07`). Returns ``ax``."""
    result = _study(result)
    k = _validate.integer("k", k)
    if k >= result.m.size:
        raise ValueError(f"k must index result.m (size {result.m.size}), got {k}")
    for i, eps in enumerate(result.eps):
        tau = np.sort(result.tau_cap[i, k][np.isfinite(result.tau_cap[i, k])])
        if tau.size == 0:
            continue
        y = np.arange(1, tau.size + 1) / result.n_seeds
        kw = style.cue(i)
        ax.step(np.r_[tau[0], tau], np.r_[0.0, y], where="post", color=kw["color"], ls=kw["ls"],
                label=rf"$\varepsilon = {eps:g}$")
    if horizon is not None:
        ax.axvline(_validate.positive("horizon", horizon), color="k", lw=1, ls=":")
    ax.set_xscale("log")
    ax.set_xlabel(r"capture time $\tau_{\rm cap}$ (slow time)")
    ax.set_ylabel("proportion captured")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(f"$m = {int(result.m[k])}$")
    return ax


# --- chapter 6: equal stepsizes up to m = 10^4 ---------------------------------------------------------------
def _sweep(result):
    from ..experiments.regimes import EqualStepsizeSweep

    if not isinstance(result, EqualStepsizeSweep):
        raise ValueError(f"sweep must be an EqualStepsizeSweep (from regimes.equal_stepsize_sweep), "
                         f"got {type(result).__name__}")
    return result


def plot_equal_stepsize_coverage(ax, sweep, *, probability=None, reference=None, reference_eps=0.01):
    r"""Proportion of runs with every jump within :math:`2\eta` against :math:`m` (log axis), at the end and at
    the start of each run of ``sweep`` (an :class:`~tts_lib.experiments.regimes.EqualStepsizeSweep` with its
    initial gaps), with 95 % Wilson intervals as error bars; optionally ``probability = (m, p)``, the exact
    probability that the start covers every jump (a line), and the covered proportion of a
    :class:`~tts_lib.experiments.phase.PhaseStudy` ``reference`` at ``reference_eps``. Returns ``ax``."""
    sweep = _sweep(sweep)
    m = sweep.m.astype(float)
    rows = [(sweep.coverage(), rf"$\varepsilon = {sweep.eps:g}$, end of training", 0, 1.0),
            (sweep.coverage(at_start=True), rf"$\varepsilon = {sweep.eps:g}$, at the start", 1, 0.93)]
    for (k, p, lo, hi), label, i, shift in rows:
        kw = style.cue(i)
        ax.errorbar(m * shift, p, yerr=[p - lo, hi - p], capsize=2, color=kw["color"], ls=kw["ls"],
                    marker=kw["marker"], ms=4, label=label + f" ({sweep.seeds.size} runs per $m$)")
    if probability is not None:
        pm, pp = (np.asarray(x, dtype=float) for x in probability)
        if pm.shape != pp.shape or pm.ndim != 1:
            raise ValueError(f"probability must be (m, p) of equal 1-D shapes, got {pm.shape} and {pp.shape}")
        ax.plot(pm, pp, "k--", lw=1, label="P(start covers every jump), exact")
    if reference is not None:
        study = _study(reference)
        i = int(np.argmin(np.abs(study.eps - reference_eps)))
        p, lo, hi = study.rate(study.covered())
        kw = style.cue(2)
        ax.errorbar(study.m, p[i], yerr=[p[i] - lo[i], hi[i] - p[i]], capsize=2, color=kw["color"], ls="none",
                    marker="*", ms=7, label=rf"$\varepsilon = {study.eps[i]:g}$ (phase study, {study.n_seeds} runs)")
    ax.set_xscale("log")
    ax.set_xlabel("number of neurons $m$")
    ax.set_ylabel(rf"proportion with every jump within ${COVER_RADIUS:g}\eta$")
    ax.set_ylim(-0.03, 1.03)
    return ax


def plot_equal_stepsize_loss(ax, sweep, l_ref, *, prediction=None, cue=0, label=None):
    r"""Median final loss over ``l_ref`` (e.g. :math:`L_{\rm tts}`) against :math:`m` (log-log), with the
    quartiles as error bars, in the style ``style.cue(cue)``, and a dashed line at 1; optionally
    ``prediction = (m, value, label)``, a dotted curve in the same units. Call it again with another sweep and
    ``cue`` to compare steps. Returns ``ax``."""
    sweep = _sweep(sweep)
    l_ref = _validate.positive("l_ref", l_ref)
    q1, med, q3 = np.percentile(sweep.final_loss / l_ref, [25, 50, 75], axis=1)
    kw = style.cue(_validate.integer("cue", cue, minimum=0))
    if label is None:
        label = rf"$h = {sweep.lr:g}$ (median, quartiles; {sweep.seeds.size} runs per $m$)"
    ax.errorbar(sweep.m, med, yerr=[med - q1, q3 - med], capsize=2, color=kw["color"], ls=kw["ls"],
                marker=kw["marker"], ms=4, label=label)
    if prediction is not None:
        pm, pv, plabel = prediction
        pm, pv = np.asarray(pm, dtype=float), np.asarray(pv, dtype=float)
        if pm.shape != pv.shape or pm.ndim != 1:
            raise ValueError(f"prediction must be (m, value, label) with equal 1-D shapes, got {pm.shape}, {pv.shape}")
        ax.plot(pm, pv, color="0.3", ls=":", lw=1.5, label=plabel)
    ax.axhline(1.0, color="0.4", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of neurons $m$")
    ax.set_ylabel(r"final loss / $L_{\rm tts}$")
    return ax


# --- the authors' quantities (issue 13) ----------------------------------------------------------------------
def plot_losses_authors(result: SGDExperimentResult):
    r"""The first seed's loss twice, side by side: left the book's :math:`L(a, u) = \tfrac12\int_0^1 (f - f^*)^2`
    against the slow time :math:`\tau` (with the ideal limit's :math:`\ell_0`); right the authors'
    quantity :math:`\int_0^1 (f - f^*)^2 = 2L` (no ½, no square root), labelled ":math:`L_2` error" as in their
    figures, against the step count :math:`p = \tau / (\varepsilon h)`. Returns the Figure."""
    if not isinstance(result, SGDExperimentResult):
        raise ValueError(f"result must be an SGDExperimentResult, got {type(result).__name__}")
    run, ideal = result.main, result.ideal
    fig, (ax1, ax2) = style.subplots(1, 2, height=3.0)
    ax1.semilogy(run.tau, run.loss_history, **(style.cue(0) | {"marker": None}), label="SGD")
    ax2.semilogy(run.steps, 2.0 * run.loss_history, **(style.cue(0) | {"marker": None}), label="SGD")
    if ideal is not None:
        ax1.semilogy(ideal.tau, np.maximum(ideal.loss, 1e-12), **(style.cue(1) | {"marker": None}),
                     label="ideal limit")
        ax2.semilogy(run.steps, np.maximum(2.0 * ideal.loss, 2e-12), **(style.cue(1) | {"marker": None}),
                     label="ideal limit")
    ax1.set_xlabel(r"slow time $\tau$")
    ax1.set_ylabel(r"$L = \frac{1}{2}\int_0^1 (f - f^*)^2$")
    ax1.set_title("the book", fontsize=style.MIN_FONT + 1)
    ax2.set_xlabel(r"step $p = \tau / \varepsilon h$")
    ax2.set_ylabel(r"$L_2$ error $= \int_0^1 (f - f^*)^2$")
    ax2.set_title("the authors' figure", fontsize=style.MIN_FONT + 1)
    # the ideal limit's loss falls to 0 once every jump is captured: it leaves through the bottom
    low = 0.3 * float(np.min(run.loss_history))
    ax1.set_ylim(bottom=low)
    ax2.set_ylim(bottom=2.0 * low)
    ax1.legend(loc="lower left")
    return fig


def plot_sweep_boxes(result: SweepResult):
    r"""The ε sweep's final errors twice, side by side: the book's :math:`\|f - f^*\|_{L^2} = \sqrt{2L}`
    and the authors' ":math:`L_2` error" :math:`\int_0^1 (f - f^*)^2 = 2L`, one box per :math:`\varepsilon` with
    every run as a dot, log scale. Returns the Figure."""
    if not isinstance(result, SweepResult):
        raise ValueError(f"result must be a SweepResult, got {type(result).__name__}")
    eps = sorted(result.config.eps_values, reverse=True)
    fig, axes = style.subplots(1, 2, height=3.0)
    panels = ((result.errors, r"book: $\|f - f^*\|_{L^2} = \sqrt{2L}$"),
              (result.authors_errors(), r"authors: $L_2$ error $= \int_0^1 (f - f^*)^2$"))
    for ax, (values, label) in zip(axes, panels):
        data = [np.asarray(values[e]) for e in eps]
        ax.boxplot(data, tick_labels=[f"{e:g}" for e in eps])
        for i, vals in enumerate(data, start=1):
            ax.plot(np.full(vals.size, i) + 0.1 * (np.arange(vals.size) / max(vals.size - 1, 1) - 0.5), vals,
                    ".", color=style.PALETTE[1], ms=4, alpha=0.7)
        ax.set_yscale("log")
        ax.set_xlabel(r"$\varepsilon$")
        ax.set_ylabel(label)
    return fig


def plot_step_grid(ax, grid, *, what="refit_error"):
    r"""Median final error against the inner step :math:`\varepsilon h`, one line per :math:`\varepsilon`
    (``what``: ``"refit_error"``, positions only, or ``"error"``), with the interquartile range as error
    bars and the noise-free flow's median as a mark at the right edge. Returns ``ax``."""
    from ..experiments.regimes import StepGrid

    if not isinstance(grid, StepGrid):
        raise ValueError(f"grid must be a StepGrid (from regimes.step_grid), got {type(grid).__name__}")
    if what not in ("refit_error", "error"):
        raise ValueError(f"what must be 'refit_error' or 'error', got {what!r}")
    vals = getattr(grid, what)
    q1, med, q3 = np.percentile(vals, [25, 50, 75], axis=-1)
    x_flow = grid.position_step.max() * 4
    for i, eps in enumerate(grid.eps):
        kw = style.cue(i)
        ax.errorbar(grid.position_step, med[i], yerr=[med[i] - q1[i], q3[i] - med[i]], capsize=2, ms=5,
                    color=kw["color"], ls=kw["ls"], marker=kw["marker"], label=rf"SGD, $\varepsilon = {eps:g}$")
        ax.plot([x_flow], [np.median(grid.flow_error_long[i])], marker=kw["marker"], color=kw["color"], ms=8,
                mfc="none", ls="none")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(list(grid.position_step) + [x_flow],
                  [f"{p:.0e}" for p in grid.position_step] + ["flow"])
    ax.set_xlabel(r"inner step $\varepsilon h$ (open marks: noise-free flow)")
    ax.set_ylabel(r"final $\|f - f^*\|$" + (" (refitted $a$)" if what == "refit_error" else ""))
    style.legend(ax, where="below", ncol=3)
    return ax
