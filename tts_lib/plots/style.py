r"""One figure style for the whole book.

Figures are drawn at the width of the book's text column (:data:`COLUMN_WIDTH` inches; :data:`WIDE_WIDTH`
for the few that earn the full page), with fonts of at least 9 pt, and saved at :data:`DPI` (twice the
screen's 96 px per inch, so they stay sharp on high-density screens). Colours come from the Okabe–Ito
palette, which colour-blind readers can tell apart; where colour carries meaning a second cue (line style or
marker, :data:`LINESTYLES`) carries it too.

Use :func:`use` once (the chapters' imports cell does), or :func:`figure` to make a Figure in the style
without touching pyplot's global state.
"""

from __future__ import annotations

#: Okabe–Ito palette (colour-blind safe), in the order matplotlib's cycle uses it.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
#: Line styles paired with :data:`PALETTE` where colour alone would carry meaning.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
#: Width of the book's text column, in inches (about 690 CSS px at 96 px per inch... minus margins).
COLUMN_WIDTH = 6.5
#: Width of a full-page figure, in inches.
WIDE_WIDTH = 9.0
#: Resolution of raster output (PNG), in dots per inch.
DPI = 200
#: Smallest font size used anywhere in a figure, in points.
MIN_FONT = 9

RC = {
    "figure.figsize": (COLUMN_WIDTH, COLUMN_WIDTH * 0.55),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.6,
}


def rc() -> dict:
    """The style as matplotlib rcParams (palette included)."""
    from cycler import cycler

    out = dict(RC)
    out["axes.prop_cycle"] = cycler(color=list(PALETTE))
    return out


def use() -> None:
    """Apply the book's style to matplotlib's global rcParams (the chapters call this once)."""
    import matplotlib as mpl

    mpl.rcParams.update(rc())


def figure(width: float = COLUMN_WIDTH, height: float | None = None, **kwargs):
    """A :class:`matplotlib.figure.Figure` in the book's style, without pyplot (no global state)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    if not width > 0 or (height is not None and not height > 0):
        raise ValueError(f"width and height must be positive, got {width!r}, {height!r}")
    with mpl.rc_context(rc()):
        return Figure(figsize=(width, height if height is not None else width * 0.55), layout="constrained",
                      **kwargs)
