r"""One figure style for the whole book.

Figures are drawn at the width of the book's text column (:data:`COLUMN_WIDTH` inches; :data:`WIDE_WIDTH`
for the few that earn the full page), with fonts of at least :data:`MIN_FONT` pt. A figure is *displayed* at
:data:`SCREEN_DPI` CSS pixels per inch (so a 10 pt label is :math:`10 \cdot 100/72 \approx 14` px tall, the
size of the body text) and *stored* at :data:`DPI` = 2 :data:`SCREEN_DPI` pixels per inch, so it stays sharp
on high-density screens (IPython's "retina" PNG: twice the pixels, shown at half their number). Colours come
from the Okabe–Ito palette, which colour-blind readers can tell apart; where colour carries meaning a second
cue (line style or marker: :data:`LINESTYLES`, :data:`MARKERS`, :func:`cue`) carries it too. Legends go
outside the data (:func:`legend`).

Use :func:`use` once (the chapters' imports cell does: it also switches Jupyter's inline figures to retina
PNGs), :func:`figure` or :func:`subplots` to make a Figure in the style without touching pyplot's global
state, and :func:`animation_html` to render an animation at the same scale and resolution.
"""

from __future__ import annotations

import re

#: Okabe–Ito palette (colour-blind safe), in the order matplotlib's cycle uses it.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
#: Line styles paired with :data:`PALETTE` where colour alone would carry meaning.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
#: Markers paired with :data:`PALETTE` (the second cue for point series).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Width of a one-column figure, in inches: 650 CSS px at :data:`SCREEN_DPI` (a little narrower than the column).
COLUMN_WIDTH = 6.5
#: Width of a figure that earns the whole column, in inches: 750 CSS px, the column's width on a desktop
#: screen (752 px measured at 1280 px), so that it is shown at its own size, not scaled down.
WIDE_WIDTH = 7.5
#: CSS pixels per inch at which a figure is displayed.
SCREEN_DPI = 100
#: Resolution of stored raster output (PNG), in dots per inch: twice :data:`SCREEN_DPI`.
DPI = 2 * SCREEN_DPI
#: Smallest font size used anywhere in a figure, in points.
MIN_FONT = 9

RC = {
    "figure.figsize": (COLUMN_WIDTH, COLUMN_WIDTH * 0.55),
    "figure.dpi": SCREEN_DPI,
    "savefig.dpi": DPI,
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "legend.title_fontsize": MIN_FONT,
    "figure.titlesize": 11,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.6,
    "animation.embed_limit": 40.0,
}


def rc() -> dict:
    """The style as matplotlib rcParams (palette included)."""
    from cycler import cycler

    out = dict(RC)
    out["axes.prop_cycle"] = cycler(color=list(PALETTE))
    return out


def use() -> None:
    """Apply the book's style to matplotlib's global rcParams (the chapters call this once).

    Inside IPython/Jupyter it also makes inline figures retina PNGs: stored at :data:`DPI`, displayed at
    :data:`SCREEN_DPI` px per inch (the output carries its display width, which the book honours).
    """
    import matplotlib as mpl

    mpl.rcParams.update(rc())
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the book, not of the library
        return
    shell = get_ipython()
    if shell is not None:
        from IPython.core.pylabtools import select_figure_formats

        try:  # the inline backend re-selects its configured formats when it activates: configure it too
            from matplotlib_inline.config import InlineBackend

            InlineBackend.instance(parent=shell).figure_formats = {"retina"}
        except ImportError:  # pragma: no cover - matplotlib-inline ships with ipykernel
            pass
        select_figure_formats(shell, {"retina"}, bbox_inches="tight")


def cue(i: int) -> dict:
    """Colour, line style and marker of series ``i`` (colour plus a second cue): keyword arguments for
    ``ax.plot``. Raises ValueError for a negative ``i``."""
    if not isinstance(i, int) or isinstance(i, bool) or i < 0:
        raise ValueError(f"i must be a non-negative integer, got {i!r}")
    return {"color": PALETTE[i % len(PALETTE)], "ls": LINESTYLES[i % len(LINESTYLES)],
            "marker": MARKERS[i % len(MARKERS)]}


def figure(width: float = COLUMN_WIDTH, height: float | None = None, **kwargs):
    """A :class:`matplotlib.figure.Figure` in the book's style, without pyplot (no global state)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    if not width > 0 or (height is not None and not height > 0):
        raise ValueError(f"width and height must be positive, got {width!r}, {height!r}")
    with mpl.rc_context(rc()):
        return Figure(figsize=(width, height if height is not None else width * 0.55), layout="constrained",
                      dpi=SCREEN_DPI, **kwargs)


def subplots(nrows: int = 1, ncols: int = 1, *, width: float = COLUMN_WIDTH, height: float | None = None,
             **kwargs):
    """``(fig, axes)`` like ``plt.subplots`` but from :func:`figure` (no pyplot); ``kwargs`` go to
    ``Figure.subplots`` (``sharex``, ``squeeze``, ``gridspec_kw``, ...)."""
    import matplotlib as mpl

    for name, val in (("nrows", nrows), ("ncols", ncols)):
        if not isinstance(val, int) or val < 1:
            raise ValueError(f"{name} must be a positive integer, got {val!r}")
    fig = figure(width, height)
    with mpl.rc_context(rc()):
        axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def legend(ax, *, where: str = "right", ncol: int | None = None, **kwargs):
    """A legend outside the data: to the ``"right"`` of the axes, ``"below"`` or ``"above"`` it.
    Returns the Legend (None when ``ax`` has no labelled artist)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    if where == "right":
        opts = dict(loc="upper left", bbox_to_anchor=(1.02, 1.0), ncol=ncol or 1, borderaxespad=0.0)
    elif where == "below":
        opts = dict(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=ncol or min(len(labels), 3))
    elif where == "above":
        opts = dict(loc="lower center", bbox_to_anchor=(0.5, 1.02), ncol=ncol or min(len(labels), 3))
    else:
        raise ValueError(f"where must be 'right', 'below' or 'above', got {where!r}")
    opts.update(kwargs)
    return ax.legend(handles, labels, **opts)


def animation_html(anim, *, dpi: float = DPI, progress: bool | None = None) -> str:
    """``anim.to_jshtml()`` with frames stored at ``dpi`` and shown at :data:`SCREEN_DPI` px per inch, never
    wider than the page (the frame image scales down on a narrow screen; the controls wrap). ``progress``: a
    bar over the frames (default: in a live notebook only, :mod:`tts_lib._progress`)."""
    import tempfile
    from pathlib import Path

    import matplotlib as mpl
    from matplotlib.animation import HTMLWriter

    from .. import _progress

    if not dpi > 0:
        raise ValueError(f"dpi must be positive, got {dpi!r}")
    fig = anim._fig
    width_px = round(fig.get_figwidth() * SCREEN_DPI)
    # One layout for every frame. A constrained layout is computed once, on the first frame, then frozen:
    # otherwise it runs again for every frame (half the cost of an animation) and may shift the axes between
    # frames. A figure without a layout engine keeps none: each savefig ends by restoring the figure's
    # engine, and "no engine" then means rcParams' default, the book's constrained layout, from the second
    # frame on (rc below).
    if fig.get_layout_engine() is not None and not fig.get_layout_engine().adjust_compatible:
        anim._init_draw()
        fig.canvas.draw()
        fig.set_layout_engine("none")
    rc = {"savefig.dpi": dpi, "animation.embed_limit": RC["animation.embed_limit"],
          "figure.constrained_layout.use": False, "figure.autolayout": False}
    with mpl.rc_context(rc), tempfile.TemporaryDirectory() as tmp:
        # what anim.to_jshtml() does, with a progress bar over the frames (tts_lib._progress)
        path = Path(tmp, "anim.html")
        writer = HTMLWriter(fps=1000.0 / anim._interval, embed_frames=True,
                            default_mode="loop" if anim._repeat else "once")
        n = getattr(anim, "_save_count", None) or None
        with _progress.bar(n, desc="animation", unit="frame", progress=progress) as bar:
            anim.save(str(path), writer=writer, progress_callback=lambda i, total: bar.update(1))
        html = path.read_text()
    style = f'style="width:{width_px}px;max-width:100%;height:auto"'
    html, n = re.subn(r'<img id="(_anim_img[^"]*)"', rf'<img id="\1" {style} alt="animation frame"', html, count=1)
    if n != 1:  # pragma: no cover - matplotlib changed its template
        raise RuntimeError("could not find the frame <img> in matplotlib's jshtml template")
    return '<div class="tts-animation" style="max-width:100%;overflow-x:auto">' + html + "</div>"
