r"""Pictures of the setting, and a live ipywidgets explorer of the network with its static stand-ins.

The picture is always the same: the target :math:`f^*` (with its jumps :math:`v_i`), the network

.. math::

    f(x; a, u) = a_0 + \sum_{j=1}^m a_j\, \sigma_\eta(x - u_j),

the neuron positions :math:`u_j` with their transition windows :math:`[u_j - \eta/2, u_j + \eta/2]`,
and the loss :math:`L(a, u) = \tfrac12\int_0^1 (f - f^*)^2`. With "optimal outer weights" on, the
weights are :math:`a = a^*(u) = G(u)^{-1} b(u)` and the loss shown is the reduced loss
:math:`\ell(u) = L(a^*(u), u)`.

* :func:`plot_target` draws :math:`f^*` with its constants :math:`\Delta v, \Delta f, M`;
  :func:`plot_activation` draws :math:`\sigma_\eta`, :math:`\sigma_\eta'` and :math:`\sigma_\eta''`;
* :func:`plot_network` draws that picture on a matplotlib axis (used everywhere);
* :class:`NetworkExplorer` is the live version (sliders for every :math:`u_j`, :math:`a_j` and
  :math:`\eta`); it needs a running Jupyter kernel, so the book never executes it at build time;
* :func:`position_sweep` and :func:`sweep_animation` are the static stand-in for the site: one neuron
  slides across :math:`[0, 1]` with :math:`a = a^*(u)`, and the animation shows :math:`f` and the curve
  :math:`u_j \mapsto \ell(u)`;
* :func:`profile_loss` and :func:`position_derivatives` evaluate the loss, and its first two derivatives in
  one position, for *another* unit-width profile (e.g. a linear ramp), to compare its smoothness with
  the cubic's.

ipywidgets is imported only when an explorer is built, so this module imports without it.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from . import style
from ..target import check_target
from ..model import loss, predict
from ..slow_fast import optimal_outer, reduced_loss

__all__ = ["plot_target", "plot_activation", "plot_network", "plot_sgd_vs_flow", "position_sweep", "sweep_animation",
           "profile_loss", "position_derivatives", "NetworkExplorer"]

_GRID = np.linspace(0.0, 1.0, 801)


def _grid_with_jumps(target):
    # add points just left of each jump so the target is drawn with vertical edges
    return np.unique(np.concatenate((_GRID, target.jumps, np.nextafter(target.jumps, -np.inf))))


def plot_target(ax, target):
    r"""Draw :math:`f^*` with its jumps and mark its constants: :math:`\Delta v` (the smallest piece,
    shaded), :math:`\Delta f` (the smallest jump, a vertical arrow) and :math:`M = \max|f^*_i|`
    (a dashed level). Returns ``ax``."""
    target = check_target(target)
    x = _grid_with_jumps(target)
    ax.plot(x, target(x), color="k", lw=2, label=r"$f^*$")
    for i, v in enumerate(target.jumps):
        ax.axvline(v, color="k", ls=":", lw=1, label="jumps $v_i$" if i == 0 else None)
    edges = target.edges
    i = int(np.argmin(np.diff(edges)))
    ax.axvspan(edges[i], edges[i + 1], color="C2", alpha=0.2, label=rf"smallest piece: $\Delta v = {target.delta_v:.3g}$")
    if target.jumps.size:
        k = int(np.argmin(np.abs(target.heights)))
        v = target.jumps[k]
        ax.annotate("", xy=(v + 0.01, target.values[k + 1]), xytext=(v + 0.01, target.values[k]),
                    arrowprops=dict(arrowstyle="<->", color="C3", lw=2))
        ax.plot([], [], color="C3", lw=2, label=rf"smallest jump: $\Delta f = {target.delta_f:.3g}$")
    big = target.values[int(np.argmax(np.abs(target.values)))]
    ax.axhline(big, color="C0", ls="--", lw=1, label=rf"$M = \max_i |f^*_i| = {target.sup_norm:.3g}$")
    ax.set_xlim(0, 1)
    ax.set_xlabel("$x$")
    ax.set_ylabel(r"$f^*(x)$")
    ax.set_title(f"Target with {target.n_pieces} pieces")
    style.legend(ax, where="right")
    return ax


def plot_activation(axes, etas=(0.05, 0.1, 0.2)):
    r"""On three axes: :math:`\sigma_\eta(z)`, :math:`\sigma_\eta'(z) = \sigma'(z/\eta)/\eta` and
    :math:`\sigma_\eta''(z) = \sigma''(z/\eta)/\eta^2` for each width in ``etas``, with the Heaviside
    step (the limit :math:`\eta \to 0`) on the first. Returns ``axes``."""
    from ..activation import sigma, sigma_prime, sigma_second

    if len(axes) != 3:
        raise ValueError(f"axes must hold 3 matplotlib axes, got {len(axes)}")
    etas = _validate.positive_vector("etas", etas, min_length=1)
    zmax = 0.75 * float(np.max(etas))
    z = np.linspace(-zmax, zmax, 1201)
    axes[0].step([-zmax, 0, zmax], [0, 1, 1], where="post", color="0.6", lw=1, ls="--", label=r"step ($\eta \to 0$)")
    for k, eta in enumerate(etas):
        lab = rf"$\eta = {eta:g}$"
        line = dict(color=style.PALETTE[k % len(style.PALETTE)], ls=style.LINESTYLES[k % len(style.LINESTYLES)])
        axes[0].plot(z, sigma(z / eta), label=lab, **line)
        axes[1].plot(z, sigma_prime(z / eta) / eta, label=lab, **line)
        axes[2].plot(z, sigma_second(z / eta) / eta**2, label=lab, **line)
    names = [r"$\sigma_\eta(z)$", r"$\sigma_\eta'(z)$", r"$\sigma_\eta''(z)$"]
    titles = ["C$^1$ smoothed step", "continuous, peak $3/\\eta$", "bounded, jumps at 0"]
    for ax, name, title in zip(axes, names, titles):
        ax.set_xlabel("$z$")
        ax.set_ylabel(name)
        ax.set_title(title)
        ax.axvline(0, color="0.8", lw=0.8)
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].figure.legend(handles, labels, loc="outside lower center", ncol=style.phone_ncol(labels, len(labels)) if style.is_phone() else len(labels))
    return axes


def plot_network(ax, target, a, u, eta, *, title=None, show_windows=True, legend=True):
    r"""Draw :math:`f^*`, :math:`f(\cdot; a, u)`, the jumps of :math:`f^*` (dotted vertical lines), the
    neuron positions (triangles on the bottom axis) and their windows :math:`u_j \pm \eta/2` (shaded).

    Returns ``ax``. The title defaults to the value of :math:`L(a, u)`.
    """
    a, u = _validate.network(a, u)
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    x = _grid_with_jumps(target)
    ax.plot(x, target(x), color="k", lw=2, label=r"target $f^*$")
    ax.plot(x, predict(x, a, u, eta), color="C0", lw=1.8, label=r"network $f(\cdot\,; a, u)$")
    for i, v in enumerate(target.jumps):
        ax.axvline(v, color="k", ls=":", lw=1, label="jumps $v_i$" if i == 0 else None)
    if show_windows:
        for uj in u:
            ax.axvspan(uj - eta / 2, uj + eta / 2, color="C1", alpha=0.25, lw=0)
    lo = min(target.values.min(), 0.0)
    hi = max(target.values.max(), 1.0)
    pad = 0.15 * (hi - lo)
    ax.set_ylim(lo - 2 * pad, hi + 2 * pad)
    ax.plot(u, np.full(u.shape, lo - 1.5 * pad), "^", color="C1", ms=7, label="neurons $u_j$", clip_on=False)
    ax.set_xlim(0, 1)
    ax.set_xlabel("$x$")
    ax.set_ylabel("output")
    if title is None:
        title = rf"$L(a, u) = {loss(a, u, target, eta):.4f}$"
    ax.set_title(title)
    if legend:
        style.legend(ax, where="below", ncol=2)
    return ax


def plot_sgd_vs_flow(axes, target, run, flow):
    r"""Compare an SGD run (:class:`~tts_lib.sgd.SGDResult` with records) with a gradient flow
    (:class:`~tts_lib.flows.FlowResult`) on two axes: the positions against the time
    :math:`t = hN` (with the jumps of :math:`f^*`), and the population loss (log scale).
    Returns ``axes``."""
    if len(axes) != 2:
        raise ValueError(f"axes must hold 2 matplotlib axes, got {len(axes)}")
    target = check_target(target)
    if getattr(run, "u_history", None) is None:
        raise ValueError("run must be an SGDResult recorded with record_every > 0")
    ax0, ax1 = axes
    ax0.plot(run.t, run.u_history, color="C1", lw=1)
    ax0.plot(flow.t, flow.u, color="k", lw=1, ls="--")
    for v in target.jumps:
        ax0.axhline(v, color="k", ls=":", lw=1)
    ax0.plot([], [], color="C1", label="SGD")
    ax0.plot([], [], "k--", label="gradient flow")
    ax0.plot([], [], "k:", label="jumps of $f^*$")
    ax0.set(xlabel="time $t = h N$", ylabel="positions $u_j$", title="Neuron positions")
    style.legend(ax0, where="below", ncol=2)
    ax1.semilogy(run.t, run.loss_history, color="C1", label="SGD")
    ax1.semilogy(flow.t, flow.loss, "k--", label="gradient flow")
    ax1.set(xlabel="time $t = h N$", ylabel="population loss $L$", title="Loss")
    style.legend(ax1, where="below", ncol=2)
    return axes


def position_sweep(target, u, eta, j, positions):
    r"""Reduced loss :math:`\ell(u)` as neuron ``j`` takes each value in ``positions`` (the others
    fixed): returns ``(positions, losses)``. Two neurons at the same place give a singular Gram
    matrix; :func:`~tts_lib.slow_fast.optimal_outer` then takes the minimum-norm minimiser, so the
    curve is still defined there."""
    u = _validate.vector("u", u, min_length=1)
    target = check_target(target)
    eta = _validate.positive("eta", eta)
    j = _validate.integer("j", j)
    if j >= u.shape[0]:
        raise ValueError(f"j must be a neuron index < {u.shape[0]}, got {j}")
    positions = _validate.vector("positions", positions, min_length=1)
    out = np.empty(positions.shape[0])
    w = u.copy()
    for i, p in enumerate(positions):
        w[j] = p
        out[i] = reduced_loss(w, target, eta)
    return positions, out


def sweep_animation(target, u, eta, j, positions, *, interval=120, dpi=style.SCREEN_DPI):
    r"""A matplotlib ``FuncAnimation``: neuron ``j`` slides through ``positions`` with
    :math:`a = a^*(u)`. Left: :math:`f^*` and :math:`f(\cdot; a^*(u), u)`; right: the curve
    :math:`u_j \mapsto \ell(u)` with the current point (the two panels stacked, at the column width). Render
    it with :func:`tts_lib.plots.style.animation_html`; the figure is closed before returning (only the
    animation keeps it)."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    u = _validate.vector("u", u, min_length=1)
    positions, losses = position_sweep(target, u, eta, j, positions)
    with plt.rc_context(style.rc()):
        fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(style.COLUMN_WIDTH, 5.6), dpi=dpi, layout="constrained")
    # left: everything drawn once by plot_network, then only the moving parts are updated
    w = u.copy()
    w[j] = positions[0]
    plot_network(ax0, target, optimal_outer(w, target, eta), w, eta, show_windows=False, legend=False)
    net_line = ax0.get_lines()[1]
    marks = ax0.get_lines()[-1]
    x = net_line.get_xdata()
    window = ax0.axvspan(w[j] - eta / 2, w[j] + eta / 2, color="C3", alpha=0.3, lw=0)
    (moving,) = ax0.plot([w[j]], [marks.get_ydata()[0]], "^", color="C3", ms=10, clip_on=False,
                         label=f"moving neuron {j + 1}")
    style.legend(ax0, where="right")
    # right: the curve u_j -> l(u)
    ax1.plot(positions, losses, color="C2", lw=1.8, label=r"$\ell(u)$")
    (dot,) = ax1.plot([positions[0]], [losses[0]], "o", color="C3", ms=8, label="current position")
    for i, v in enumerate(target.jumps):
        ax1.axvline(v, color="k", ls=":", lw=1, label="jumps $v_i$" if i == 0 else None)
    others = [ui for i, ui in enumerate(u) if i != j]
    for k, ui in enumerate(others):
        ax1.axvline(ui, color="C1", lw=1, ls="--", alpha=0.8, label="other neurons" if k == 0 else None)
    ax1.set_xlim(0, 1)
    ax1.set_xlabel(rf"position $u_{{{j + 1}}}$ of the moving neuron")
    ax1.set_ylabel(r"reduced loss $\ell(u)$")
    ax1.set_title(r"reduced loss $\ell(u) = \min_a L(a, u)$")
    style.legend(ax1, where="right")

    def frame(k):
        w = u.copy()
        w[j] = positions[k]
        a = optimal_outer(w, target, eta)
        net_line.set_ydata(predict(x, a, w, eta))
        marks.set_xdata(w)
        moving.set_xdata([w[j]])
        window.set_x(w[j] - eta / 2)
        window.set_width(eta)
        dot.set_data([positions[k]], [losses[k]])
        ax0.set_title(rf"$a = a^*(u)$; neuron {j + 1} at {w[j]:.3f}; $\ell(u) = {losses[k]:.4f}$")
        return ()

    anim = FuncAnimation(fig, frame, frames=len(positions), interval=interval, blit=False)
    plt.close(fig)
    return anim


def profile_loss(profile, a, u, target, eta):
    r""":math:`L(a, u) = \tfrac12\int_0^1 (f - f^*)^2` for the network
    :math:`f(x) = a_0 + \sum_j a_j\, \rho((x - u_j)/\eta)` built on another unit-width profile
    :math:`\rho` (a vectorised callable, e.g. the ramp ``lambda z: np.clip(z + 0.5, 0, 1)``).

    Computed by adaptive quadrature (``scipy.integrate.quad``) between the breakpoints
    :math:`\{0, 1, v_i, u_j, u_j \pm \eta/2\}`; with ``profile = tts.sigma`` it equals
    :func:`tts_lib.model.loss` to about :math:`10^{-13}`."""
    from scipy.integrate import quad

    if not callable(profile):
        raise ValueError("profile must be a callable z -> rho(z)")
    a, u = _validate.network(a, u)
    target = check_target(target)
    eta = _validate.positive("eta", eta)

    def sq(x):
        f = a[0] + np.dot(a[1:], np.asarray(profile((x - u) / eta), dtype=float))
        return (f - float(target(x))) ** 2

    pts = np.concatenate(([0.0, 1.0], target.jumps, u, u - eta / 2, u + eta / 2))
    pts = np.unique(pts[(pts >= 0) & (pts <= 1)])
    return 0.5 * sum(quad(sq, p, q, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for p, q in zip(pts[:-1], pts[1:]))


def position_derivatives(profile, a, u, j, target, eta, *, h=1e-4):
    r"""Central finite differences of :func:`profile_loss` in the position :math:`u_j` (weights fixed):
    returns ``(dL/du_j, d2L/du_j^2)``, with step ``h`` (errors :math:`O(h^2)` where :math:`L` is
    smooth; near a kink of :math:`\partial_{u_j} L` the second difference averages the two sides)."""
    a, u = _validate.network(a, u)
    j = _validate.integer("j", j)
    if j >= u.shape[0]:
        raise ValueError(f"j must be a neuron index < {u.shape[0]}, got {j}")
    h = _validate.positive("h", h)
    vals = []
    for s in (-h, 0.0, h):
        w = u.copy()
        w[j] += s
        vals.append(profile_loss(profile, a, w, target, eta))
    return (vals[2] - vals[0]) / (2 * h), (vals[2] - 2 * vals[1] + vals[0]) / h**2


class NetworkExplorer:
    r"""Live explorer: sliders for the positions :math:`u_j`, the weights :math:`a_j` (bias
    :math:`a_0` first) and :math:`\eta`, and a checkbox "optimal outer weights" that sets
    :math:`a = a^*(u)` and locks the weight sliders. The figure and the values of :math:`L(a, u)`
    and :math:`\ell(u)` update on every change.

    Show it with ``display(explorer.widget)``; it needs a live kernel (in a static page a widget is
    dead, so the book never executes it at build time).

    Speed: the figure is built once; a change only sets the data of its artists (the curve
    :math:`f`, the neuron markers, the windows, the title) and sends the re-rendered PNG to an
    ``ipywidgets.Image`` (any Jupyter backend). ``benchmarks/bench_explorer.py`` measures the time
    from a slider move to the new image (budget: 50 ms).

    Parameters
    ----------
    target : PiecewiseConstant
    u : array_like, shape (m,)
        Initial positions (each in [0, 1]; 1 <= m <= 12).
    a : array_like, shape (m + 1,), optional
        Initial weights; default :math:`a^*(u)`, with "optimal outer weights" ticked.
    eta : float
        Initial activation width, in [0.005, 0.2].
    """

    MAX_NEURONS = 12

    def __init__(self, target, u, a=None, eta=0.05):
        import ipywidgets as widgets

        target = check_target(target)
        u = _validate.vector("u", u, min_length=1)
        if u.shape[0] > self.MAX_NEURONS:
            raise ValueError(f"u must have at most {self.MAX_NEURONS} neurons for the explorer, got {u.shape[0]}")
        if np.any(u < 0) or np.any(u > 1):
            raise ValueError("u must lie in [0, 1]")
        eta = _validate.positive("eta", eta)
        if not 0.005 <= eta <= 0.2:
            raise ValueError(f"eta must lie in [0.005, 0.2] for the explorer, got {eta}")
        optimal = a is None
        a = optimal_outer(u, target, eta) if a is None else _validate.network(a, u)[0]
        self.target = target
        m = u.shape[0]
        span = max(4.0, 2.0 * float(np.max(np.abs(a))), 2.0 * target.sup_norm)
        slider = dict(continuous_update=False, readout_format=".3f", layout=widgets.Layout(width="260px"))
        self.u_sliders = [
            widgets.FloatSlider(value=float(u[j]), min=0.0, max=1.0, step=0.001, description=f"u{j + 1}", **slider)
            for j in range(m)
        ]
        self.a_sliders = [
            widgets.FloatSlider(value=float(a[k]), min=-span, max=span, step=0.01,
                                description="a0 (bias)" if k == 0 else f"a{k}", **slider)
            for k in range(m + 1)
        ]
        self.eta_slider = widgets.FloatLogSlider(value=eta, base=10, min=np.log10(0.005), max=np.log10(0.2),
                                                 step=0.01, description="eta", **slider)
        self.optimal = widgets.Checkbox(value=optimal, description="optimal outer weights a = a*(u)")
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.output = self.image  # the figure's place in the widget (kept under its old name)
        self._fig = None  # built at the first render, then only its artists' data change
        for w in [*self.u_sliders, *self.a_sliders, self.eta_slider, self.optimal]:
            w.observe(self._on_change, names="value")
        self._busy = False
        controls = widgets.HBox([
            widgets.VBox([widgets.HTML("<b>positions</b>"), *self.u_sliders, self.eta_slider]),
            widgets.VBox([widgets.HTML("<b>outer weights</b>"), self.optimal, *self.a_sliders]),
        ])
        self.widget = widgets.VBox([controls, self.readout, self.image])
        self.update()

    # -- state ---------------------------------------------------------------------------
    @property
    def u(self) -> np.ndarray:
        return np.array([s.value for s in self.u_sliders])

    @property
    def a(self) -> np.ndarray:
        return np.array([s.value for s in self.a_sliders])

    @property
    def eta(self) -> float:
        return float(self.eta_slider.value)

    def values(self) -> dict:
        r"""Current ``u``, ``a``, ``eta``, ``loss`` :math:`L(a, u)` and ``reduced_loss`` :math:`\ell(u)`."""
        u, a, eta = self.u, self.a, self.eta
        return {"u": u, "a": a, "eta": eta, "loss": loss(a, u, self.target, eta),
                "reduced_loss": reduced_loss(u, self.target, eta)}

    # -- updates ---------------------------------------------------------------------------
    def _on_change(self, _change):
        if not self._busy:
            self.update()

    def update(self):
        """Recompute (and, with optimal weights, reset the weight sliders), then update the figure."""
        self._busy = True
        try:
            if self.optimal.value:
                a_star = optimal_outer(self.u, self.target, self.eta)
                for s, val in zip(self.a_sliders, a_star):
                    s.max = max(s.max, abs(float(val)))
                    s.min = -s.max
                    s.value = float(val)
            for s in self.a_sliders:
                s.disabled = bool(self.optimal.value)
        finally:
            self._busy = False
        vals = self.values()
        self.readout.value = (
            f"L(a, u) = <b>{vals['loss']:.5f}</b> &nbsp;&nbsp; reduced loss l(u) = min<sub>a</sub> L(a, u) = "
            f"<b>{vals['reduced_loss']:.5f}</b>"
        )
        self.render(vals)
        return vals

    def render(self, vals=None) -> bytes:
        """Set the artists' data to ``vals`` (default :meth:`values`), redraw only them, and put the PNG
        into :attr:`image`; returns the PNG bytes.

        The first call builds the figure with :func:`plot_network`, fixes its layout and keeps the
        rendered background without the moving artists (the curve :math:`f`, the neuron markers, the
        windows, the title); later calls restore that background and draw only those artists on it
        (blitting), then encode the pixels (fast PNG compression)."""
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        vals = self.values() if vals is None else vals
        a, u, eta = vals["a"], vals["u"], vals["eta"]
        if self._fig is None:
            fig, ax = style.subplots(height=3.6)
            fig.set_dpi(style.SCREEN_DPI)
            canvas = FigureCanvasAgg(fig)
            n_lines, n_patches = len(ax.lines), len(ax.patches)
            plot_network(ax, self.target, a, u, eta)
            lines = ax.lines[n_lines:]
            # artists drawn by plot_network, in its order: f*, f, the jump lines, ..., the neuron markers
            self._fig, self._ax, self._canvas = fig, ax, canvas
            self._x = np.asarray(lines[1].get_xdata(), dtype=float)
            self._f_line, self._markers = lines[1], lines[-1]
            self._windows = list(ax.patches[n_patches:])
            self._moving = [*self._windows, self._f_line, self._markers, ax.title]
            canvas.draw()  # the layout, once
            fig.set_layout_engine("none")
            for artist in self._moving:
                artist.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(fig.bbox)
        self._f_line.set_ydata(predict(self._x, a, u, eta))
        self._markers.set_xdata(u)
        for patch, uj in zip(self._windows, u):
            patch.set_x(uj - eta / 2)
            patch.set_width(eta)
        self._ax.set_title(rf"$L(a, u) = {vals['loss']:.4f}$")
        self._canvas.restore_region(self._background)
        for artist in self._moving:
            artist.axes.draw_artist(artist) if artist.axes is not None else self._fig.draw_artist(artist)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(self._canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        png = buf.getvalue()
        self.image.value = png
        return png
