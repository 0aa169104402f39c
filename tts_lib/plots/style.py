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
state, and :func:`animation_html` to render an animation at the same scale and resolution
(:func:`responsive_animation`: drawn for the desktop and for a phone).

**Phones.** A figure drawn for a 750 px column and scaled down to a phone's (:data:`PHONE_WIDTH`, 358 CSS px)
shows its 9 pt labels at 5 px. :func:`show` (or :func:`responsive`) draws a figure twice, for the desktop and for the phone
(panels stacked, :data:`PHONE_WIDTH` wide, legends below the data: :func:`phone` and :func:`is_phone`), and
displays (returns) a :class:`Responsive` whose HTML is a ``<picture>`` (the phone image for screens narrower than
:data:`PHONE_MEDIA`, the desktop one otherwise) and whose PNG (LaTeX, PDF, print) is the desktop figure.
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
#: Width of a figure drawn for a phone, in inches: 358 CSS px at :data:`SCREEN_DPI`, the text column of a
#: 390 px screen; shown at its own size, 9 pt text reads as 12.5 px.
PHONE_WIDTH = 3.58
#: The screens that get the phone drawing of a :func:`show` figure: those on which a desktop figure
#: (:data:`WIDE_WIDTH`, 540 pt) would be shown at less than 1 CSS px per point.
PHONE_MEDIA = "(max-width: 600px)"

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


_PHONE = [False]


def is_phone() -> bool:
    """Whether the figure being drawn is the phone version (inside :func:`phone`)."""
    return _PHONE[0]


class phone:
    """Context manager: figures made inside it are drawn for a phone. :func:`figure` and :func:`subplots`
    make them :data:`PHONE_WIDTH` wide (whatever width they are given) with their panels stacked in one
    column, and :func:`legend` puts a legend asked for on the ``"right"`` below the data."""

    def __enter__(self):
        self._old = _PHONE[0]
        _PHONE[0] = True
        return self

    def __exit__(self, *exc):
        _PHONE[0] = self._old
        return False


def phone_height(height: float, panels: int = 1) -> float:
    """Height in inches of the phone version of a figure ``height`` inches tall with ``panels`` panels in a
    row (stacked on the phone): each panel about as tall as on the desktop, at most 2.9 in, at least 2.3 in."""
    per = min(max(0.8 * height, 2.3), 2.9)
    return per * panels + (0.25 if panels > 1 else 0.0)


def phone_ncol(labels, ncol: int) -> int:
    """The number of legend columns (at most ``ncol``) whose rows of ``labels`` fit a phone's figure."""
    import re

    def shown(s):  # roughly the characters a label shows (mathtext commands count as one)
        return len(re.sub(r"\\[a-zA-Z]+", "x", str(s)).replace("$", "").replace("{", "").replace("}", ""))

    longest = max((shown(s) for s in labels), default=0)
    k = max(1, min(ncol, len(labels) or 1))
    while k > 1 and k * (longest + 5) > 46:
        k -= 1
    return k


def figure(width: float = COLUMN_WIDTH, height: float | None = None, **kwargs):
    """A :class:`matplotlib.figure.Figure` in the book's style, without pyplot (no global state).
    Inside :func:`phone`: :data:`PHONE_WIDTH` wide, and ``height`` (default: ``0.55 width``) as
    :func:`phone_height` makes it."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    if is_phone():
        height = phone_height(height if height is not None else width * 0.55)
        width = PHONE_WIDTH
    if not width > 0 or (height is not None and not height > 0):
        raise ValueError(f"width and height must be positive, got {width!r}, {height!r}")
    with mpl.rc_context(rc()):
        return Figure(figsize=(width, height if height is not None else width * 0.55), layout="constrained",
                      dpi=SCREEN_DPI, **kwargs)


def subplots(nrows: int = 1, ncols: int = 1, *, width: float = COLUMN_WIDTH, height: float | None = None,
             **kwargs):
    """``(fig, axes)`` like ``plt.subplots`` but from :func:`figure` (no pyplot); ``kwargs`` go to
    ``Figure.subplots`` (``sharex``, ``squeeze``, ``gridspec_kw``, ...). Inside :func:`phone` the
    ``nrows * ncols`` panels are stacked in one column, :data:`PHONE_WIDTH` wide, and ``axes`` keeps the
    shape it would have on the desktop (so drawing code indexes it the same way)."""
    import matplotlib as mpl

    for name, val in (("nrows", nrows), ("ncols", ncols)):
        if not isinstance(val, int) or val < 1:
            raise ValueError(f"{name} must be a positive integer, got {val!r}")
    if not is_phone():
        fig = figure(width, height)
        with mpl.rc_context(rc()):
            axes = fig.subplots(nrows, ncols, **kwargs)
        return fig, axes
    n = nrows * ncols
    height = phone_height((height if height is not None else width * 0.55) / nrows, n) if n > 1 else \
        phone_height(height if height is not None else width * 0.55)
    _PHONE[0] = False
    try:
        fig = figure(PHONE_WIDTH, height)
    finally:
        _PHONE[0] = True
    squeeze = kwargs.pop("squeeze", True)
    gs = dict(kwargs.pop("gridspec_kw", None) or {})
    ratios = gs.pop("width_ratios", None) if ncols > 1 else None
    if ratios is not None and nrows == 1:
        gs["height_ratios"] = ratios
    elif nrows > 1 and ncols == 1 and "height_ratios" in gs:
        pass
    else:
        gs.pop("height_ratios", None)
    for share in ("sharex", "sharey"):
        if kwargs.get(share) in ("row", "col"):
            kwargs[share] = False
    with mpl.rc_context(rc()):
        axes = fig.subplots(n, 1, squeeze=False, gridspec_kw=gs or None, **kwargs)
    axes = axes.reshape(nrows, ncols)
    if squeeze:
        axes = axes.item() if n == 1 else (axes.ravel() if nrows == 1 or ncols == 1 else axes)
    return fig, axes


def legend(ax, *, where: str = "right", ncol: int | None = None, **kwargs):
    """A legend outside the data: to the ``"right"`` of the axes, ``"below"`` or ``"above"`` it.
    Returns the Legend (None when ``ax`` has no labelled artist)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    if is_phone():  # a phone has no room beside the data, and rows of at most ~44 characters
        if where == "right":
            where = "below"
        ncol = phone_ncol(labels, ncol or (1 if where == "right" else 3))
    if where == "right":
        opts = dict(loc="upper left", bbox_to_anchor=(1.02, 1.0), ncol=ncol or 1, borderaxespad=0.0)
    elif where == "below":  # (a phone's axes are short: further down, clear of the x label)
        opts = dict(loc="upper center", bbox_to_anchor=(0.5, -0.3 if is_phone() else -0.22),
                    ncol=ncol or min(len(labels), 3))
    elif where == "above":
        opts = dict(loc="lower center", bbox_to_anchor=(0.5, 1.02), ncol=ncol or min(len(labels), 3))
    else:
        raise ValueError(f"where must be 'right', 'below' or 'above', got {where!r}")
    opts.update(kwargs)
    return ax.legend(handles, labels, **opts)


def _png(fig, *, crop: bool = True) -> tuple[bytes, int, int]:
    """``fig`` as a PNG stored at :data:`DPI` (cropped like Jupyter's inline figures, or at its own size with
    ``crop=False``: a phone figure stays exactly :data:`PHONE_WIDTH` wide), with its display size in CSS px
    (half its pixels)."""
    import io
    import struct

    pad = 0.1  # matplotlib's (and Jupyter's) default margin around a cropped figure, in inches
    if not crop:  # unless something sticks out of the figure: then crop (with a thin margin), rather than cut it off
        fig.draw_without_rendering()  # runs the layout (a bare Figure's canvas.draw() does not)
        inside, box = fig.bbox, fig.get_tightbbox().transformed(fig.dpi_scale_trans)
        crop = box.x0 < inside.x0 - 2 or box.y0 < inside.y0 - 2 or box.x1 > inside.x1 + 2 or box.y1 > inside.y1 + 2
        pad = 0.02
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight" if crop else None, pad_inches=pad)
    data = buf.getvalue()
    w, h = struct.unpack(">II", data[16:24])
    return data, w // 2, h // 2


class Responsive:
    """A figure drawn twice, for the desktop (:attr:`figure`) and for a phone (:attr:`phone_figure`), made by
    :func:`responsive`. Jupyter and the book show it as a ``<picture>``: the phone drawing on screens matching
    :data:`PHONE_MEDIA`, the desktop one elsewhere; its PNG (LaTeX and PDF) is the desktop drawing. Any other
    attribute is the desktop Figure's (``savefig``, ``axes``, ...)."""

    def __init__(self, figure, phone_figure):
        self.figure = figure
        self.phone_figure = phone_figure

    def __getattr__(self, name):
        if name in ("figure", "phone_figure"):
            raise AttributeError(name)
        return getattr(self.figure, name)

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ARG002 - IPython's signature
        import base64

        desk, dw, dh = _png(self.figure)
        ph, pw, phh = _png(self.phone_figure, crop=False)
        b64 = {k: base64.b64encode(v).decode("ascii") for k, v in (("d", desk), ("p", ph))}
        html = (f'<picture class="tts-picture"><source media="{PHONE_MEDIA}" width="{pw}" height="{phh}" '
                f'srcset="data:image/png;base64,{b64["p"]}"><img src="data:image/png;base64,{b64["d"]}" '
                f'width="{dw}" height="{dh}" alt="" style="max-width:100%;height:auto"></picture>')
        return ({"image/png": b64["d"], "text/html": html, "text/plain": f"<Responsive figure {dw}x{dh} px>"},
                {"image/png": {"width": dw, "height": dh}})


def responsive(draw, nrows: int | None = None, ncols: int | None = None, *, width: float = COLUMN_WIDTH,
               height: float | None = None, phone_height: float | None = None, **kwargs) -> Responsive:
    """Draw a figure for the desktop and for a phone; return the :class:`Responsive` pair (a cell's last
    expression displays it; :func:`show` displays it at once).

    With ``nrows``/``ncols``: ``draw(axes)`` draws on the axes of :func:`subplots` (``width``, ``height`` and
    ``kwargs`` go there), once as given and once inside :func:`phone` (panels stacked, :data:`PHONE_WIDTH`
    wide). Without them: ``draw()`` makes and returns a Figure itself (through :func:`figure` or
    :func:`subplots`, which follow :func:`phone`). The phone version has the same fonts: its smallest text
    is 9 pt at 1.39 CSS px per point on a 390 px screen. ``phone_height``: the phone figure's height in
    inches (default :func:`phone_height` of the panels'); titles too long for the phone are wrapped.
    """
    if not callable(draw):
        raise ValueError(f"draw must be callable, got {type(draw).__name__}")

    def make():
        if nrows is None and ncols is None:
            fig = draw()
            if fig is None or not hasattr(fig, "savefig"):
                raise ValueError("draw() must return a Figure when neither nrows nor ncols is given")
            return fig
        fig, axes = subplots(nrows or 1, ncols or 1, width=width, height=height, **dict(kwargs))
        draw(axes)
        return fig

    desktop = make()
    with phone():
        small = make()
    if phone_height is not None:
        small.set_figheight(phone_height)
    _wrap_titles(small)
    return Responsive(desktop, small)


def _wrap_titles(fig) -> None:
    """Wrap the axes titles and labels of ``fig`` that are wider than the figure (a phone's narrow figure), and
    y labels taller than their axes."""
    import textwrap

    fig.draw_without_rendering()  # runs the layout (a bare Figure's canvas.draw() does not)
    texts = [(t, 0.95 * fig.bbox.width, "width") for ax in fig.axes
             for t in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label)]
    texts += [(ax.yaxis.label, 1.0 * ax.bbox.height, "height") for ax in fig.axes]
    for t, limit, dim in texts:
        s = t.get_text()
        ext = t.get_window_extent()
        w = getattr(ext, dim) if s else 0
        if dim == "width" and s:  # a centred label also has to stay inside the figure on both sides
            centre = (ext.x0 + ext.x1) / 2
            limit = min(limit, 2 * min(centre, fig.bbox.width - centre) - 4)
        if w > limit and "\n" not in s:
            chars = max(12, int(0.9 * len(s) * limit / w))  # 0.9: letters differ in width
            # never break inside $...$ (mathtext): protect its spaces while wrapping
            parts = s.split("$")
            protected = "$".join(p.replace(" ", "\0") if i % 2 else p for i, p in enumerate(parts))
            t.set_text(textwrap.fill(protected, chars, break_on_hyphens=False).replace("\0", " "))


def show(draw, nrows: int | None = None, ncols: int | None = None, **kwargs) -> None:
    """:func:`responsive` and display the result now (in IPython; like ``plt.show()``, a cell's figure then
    comes before what the cell prints next)."""
    fig = responsive(draw, nrows, ncols, **kwargs)
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is a dependency of the book, not of the library
        return
    display(fig)


def _frame_writer(anim, **kwargs):
    """matplotlib's ``HTMLWriter`` (``to_jshtml``'s), whose frames are drawn as blitting draws them on a screen
    when the animation function returns the artists it changes: the rest of the figure (axes, ticks, labels,
    legends: most of a frame's drawing, mathtext above all) is drawn once at ``dpi`` as a background, and each
    frame restores it and draws those artists on top, in their z-order, then stores the PNG exactly as
    ``savefig`` does (``matplotlib.image.imsave`` of the canvas's pixels). An artist returned is drawn after every
    static artist of its axes (on screen blitting does the same); the whole figure drawn by ``savefig`` with the
    returned artists raised above the others gives the very pixels of these frames (for the book's animations:
    tests/plots/test_plots_experiments.py). An animation whose function returns nothing is saved frame by frame
    with ``savefig``, as ``to_jshtml`` does.
    """
    from io import BytesIO
    import base64

    import matplotlib as mpl
    from matplotlib.animation import HTMLWriter
    from matplotlib.artist import Artist
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    class FrameCanvas(FigureCanvasAgg):
        def draw_idle(self, *args, **kwargs):
            """Nothing: the animation asks for a whole redraw after each frame; the writer draws what changed."""

    class BlitHTMLWriter(HTMLWriter):
        _blit = None   # None: not decided yet (first frame); then True (blit) or False (savefig)

        def grab_frame(self, **savefig_kwargs):
            drawn = getattr(anim, "_drawn_artists", None)
            artists = list(drawn) if isinstance(drawn, (list, tuple)) else []
            if self._blit is None:
                # Animation.save asks for an opaque frame (HTMLWriter: no transparency), its facecolor
                # composited on white: the figure's patch gets it, as in savefig; anything else -> savefig
                self._blit = (bool(artists) and all(isinstance(a, Artist) for a in artists) and self.embed_frames
                              and set(savefig_kwargs) <= {"facecolor", "transparent"}
                              and not savefig_kwargs.get("transparent", False)
                              and mpl.rcParams["savefig.bbox"] in (None, "standard"))
                if self._blit:
                    self._start_blit(savefig_kwargs.get("facecolor"))
            if not self._blit:
                return super().grab_frame(**savefig_kwargs)
            if self._hit_limit:
                return
            canvas = self.fig.canvas
            canvas.restore_region(self._background)
            for a in sorted(artists, key=lambda a: a.get_zorder()):
                self.fig.draw_artist(a)
            buf = BytesIO()
            mpl.image.imsave(buf, canvas.buffer_rgba(), format="png", origin="upper", dpi=self.fig.dpi)
            data = base64.encodebytes(buf.getvalue()).decode("ascii")
            self._total_bytes += len(data)
            if self._total_bytes >= self._bytes_limit:  # as HTMLWriter: the frames from here on are dropped
                import logging
                logging.getLogger("matplotlib.animation").warning(
                    "Animation size has reached %s bytes, exceeding the limit of %s; further frames are "
                    "dropped (rc animation.embed_limit)", self._total_bytes, self._bytes_limit)
                self._hit_limit = True
            else:
                self._saved_frames.append(data)

        def _start_blit(self, facecolor):
            fig = self.fig
            self._restore = (fig.canvas, fig.dpi, list(getattr(anim, "_drawn_artists", ())),
                             fig.patch.get_facecolor())
            if facecolor is not None:
                fig.patch.set_facecolor(facecolor)
            first_draw = getattr(anim, "_first_draw_id", None)
            if first_draw is not None:  # the animation is saved, never started on a screen
                fig.canvas.mpl_disconnect(first_draw)
            FrameCanvas(fig)        # a canvas of its own (not "saving": animated artists are left out)
            fig.dpi = self.dpi
            for a in self._restore[2]:
                a.set_animated(True)
            fig.canvas.draw()
            self._background = fig.canvas.copy_from_bbox(fig.bbox)

        def finish(self):
            try:
                super().finish()
            finally:
                if self._blit:
                    canvas, dpi, artists, facecolor = self._restore
                    for a in artists:
                        a.set_animated(False)
                    self.fig.patch.set_facecolor(facecolor)
                    self.fig.dpi = dpi
                    self.fig.set_canvas(canvas)

    return BlitHTMLWriter(**kwargs)


def _freeze_layout(anim):
    """A constrained layout computed once, on the first frame, then frozen (see :func:`animation_html`)."""
    fig = anim._fig
    if fig.get_layout_engine() is not None and not fig.get_layout_engine().adjust_compatible:
        anim._init_draw()
        fig.canvas.draw()
        fig.set_layout_engine("none")


def animation_html(anim, *, dpi: float = DPI, progress: bool | None = None, _class: str = "") -> str:
    """``anim.to_jshtml()`` with frames stored at ``dpi`` and shown at :data:`SCREEN_DPI` px per inch, never
    wider than the page (the frame image scales down on a narrow screen; the controls wrap). ``progress``: a
    bar over the frames (default: in a live notebook only, :mod:`tts_lib._progress`)."""
    import tempfile
    from pathlib import Path

    import matplotlib as mpl

    from .. import _progress

    if not dpi > 0:
        raise ValueError(f"dpi must be positive, got {dpi!r}")
    extra = f" {_class}" if _class else ""
    fig = anim._fig
    width_px = round(fig.get_figwidth() * SCREEN_DPI)
    # One layout for every frame. A constrained layout is computed once, on the first frame, then frozen:
    # otherwise it runs again for every frame (half the cost of an animation) and may shift the axes between
    # frames. A figure without a layout engine keeps none: each savefig ends by restoring the figure's
    # engine, and "no engine" then means rcParams' default, the book's constrained layout, from the second
    # frame on (rc below).
    _freeze_layout(anim)
    rc = {"savefig.dpi": dpi, "animation.embed_limit": RC["animation.embed_limit"],
          "figure.constrained_layout.use": False, "figure.autolayout": False}
    with mpl.rc_context(rc), tempfile.TemporaryDirectory() as tmp:
        # what anim.to_jshtml() does, with a progress bar over the frames (tts_lib._progress), each frame
        # drawn on a background drawn once when the animation function returns what it changes (_frame_writer)
        path = Path(tmp, "anim.html")
        writer = _frame_writer(anim, fps=1000.0 / anim._interval, embed_frames=True,
                               default_mode="loop" if anim._repeat else "once")
        n = getattr(anim, "_save_count", None) or None
        with _progress.bar(n, desc="animation", unit="frame", progress=progress) as bar:
            anim.save(str(path), writer=writer, progress_callback=lambda i, total: bar.update(1))
        html = path.read_text()
    style = f'style="width:{width_px}px;max-width:100%;height:auto"'
    html, n = re.subn(r'<img id="(_anim_img[^"]*)"', rf'<img id="\1" {style} alt="animation frame"', html, count=1)
    if n != 1:  # pragma: no cover - matplotlib changed its template
        raise RuntimeError("could not find the frame <img> in matplotlib's jshtml template")
    return f'<div class="tts-animation{extra}" style="max-width:100%;overflow-x:auto">' + html + "</div>"


def responsive_animation(make, *, dpi: float = DPI, phone_dpi: float = DPI, progress: bool | None = None) -> str:
    """An animation drawn for the desktop and for a phone (what :func:`responsive` does for a figure), as HTML.

    ``make()`` returns a matplotlib Animation, or a ``(fig, anim)`` pair; it is called once as it is and once
    inside :func:`phone`, where the book's animations (``tts_lib.plots.experiments``) stack their panels at
    :data:`PHONE_WIDTH` with the same style and frames. Each is rendered by :func:`animation_html` (the phone's
    frames stored at ``phone_dpi``), a jshtml player with its own ids, and its figure is closed. The HTML holds
    both players and a ``<style>`` of two media queries at the ``<picture>``'s breakpoint: the phone player on
    screens matching :data:`PHONE_MEDIA`, the desktop one elsewhere; the other is ``display: none`` (not laid
    out, so not measured). Its desktop player (``.tts-animation-desktop``) is the one the PDF edition prints.
    """
    from contextlib import nullcontext

    import matplotlib.pyplot as plt

    if not callable(make):
        raise ValueError(f"make must be callable, got {type(make).__name__}")
    if not phone_dpi > 0:
        raise ValueError(f"phone_dpi must be positive, got {phone_dpi!r}")

    def render(phone_version):  # the frames are drawn while they are saved: inside phone() too
        with phone() if phone_version else nullcontext():
            made = make()
            anim = made[1] if isinstance(made, tuple) else made
            if not hasattr(anim, "_fig") or not hasattr(anim, "save"):
                raise ValueError(f"make() must return an Animation or a (fig, anim) pair, got {type(made).__name__}")
            try:
                return animation_html(anim, dpi=phone_dpi if phone_version else dpi, progress=progress,
                                      _class="tts-animation-phone" if phone_version else "tts-animation-desktop")
            finally:
                plt.close(anim._fig)

    desktop, small = render(False), render(True)
    css = (f"@media {PHONE_MEDIA} {{ .tts-animation-desktop {{ display: none; }} }}\n"
           f"@media not all and {PHONE_MEDIA} {{ .tts-animation-phone {{ display: none; }} }}")
    return f'<div class="tts-responsive-animation"><style>{css}</style>{desktop}{small}</div>'

