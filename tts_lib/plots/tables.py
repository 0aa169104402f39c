r"""Small result tables for the chapters, instead of long printed lines.

:func:`table` turns rows of values into a :class:`Table`, which Jupyter (and so the book) shows as an HTML
table inside a frame that scrolls sideways on a narrow screen, and plain text shows as aligned columns.
Numbers are formatted with ``fmt`` (default: 4 significant digits; integers with thousands separators).
A table given a ``name`` is a *numbered* table of the book: its output is MyST markdown, a ``{table}``
directive with the caption and the name as its label, so the page shows "Table N.k" and ``{numref}`` reaches
it (the cell needs the metadata ``mystnb: markdown_format: myst``).
"""

from __future__ import annotations

import html
import numbers

__all__ = ["Table", "table"]


def _cell(value, fmt: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return format(float(value), fmt)
    return str(value)


class Table:
    """Rows of formatted cells under a header; ``_repr_html_`` for Jupyter, ``str`` for a terminal.

    Attributes
    ----------
    header : list of str
    rows : list of list of str
        The cells, already formatted.
    caption : str or None
    """

    def __init__(self, header, rows, caption=None, name=None):
        self.header = header
        self.rows = rows
        self.caption = caption
        self.name = name

    def _repr_markdown_(self) -> str | None:
        """A numbered MyST ``{table}`` (only for a table with a ``name``)."""
        if not self.name:
            return None

        def cell(s):
            return s.replace("|", "\\|")

        lines = [f":::{{table}} {self.caption or ''}".rstrip(), f":name: {self.name}", ":class: tts-results", "",
                 "| " + " | ".join(cell(h) for h in self.header) + " |",
                 "|" + "|".join("---" for _ in self.header) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines + [":::"])

    def _repr_html_(self) -> str | None:
        if self.name:  # a numbered table is markdown (the book numbers it), not HTML
            return None
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        cap = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return ('<div class="tts-table" style="max-width:100%;overflow-x:auto">'
                f'<table class="table tts-results">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
                "</table></div>")

    def __str__(self) -> str:
        cols = [self.header, *self.rows]
        widths = [max(len(r[k]) for r in cols) for k in range(len(self.header))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cols]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(([self.caption] if self.caption else []) + lines)

    __repr__ = __str__


def table(rows, header, *, fmt: str = ".4g", caption: str | None = None, name: str | None = None) -> Table:
    """A :class:`Table` of ``rows`` (each a sequence with one value per entry of ``header``); with a ``name``
    (a label such as ``"tab-beyond-phase"``) a numbered table of the book, which needs a ``caption``.

    Strings are kept, booleans become yes/no, integers get thousands separators and other real numbers are
    formatted with ``fmt``. Raises ValueError when a row's length differs from the header's.
    """
    header = [str(h) for h in header]
    if name is not None and (not isinstance(name, str) or not name.strip() or not caption):
        raise ValueError(f"name must be a non-empty label and comes with a caption, got {name!r}, {caption!r}")
    if not header:
        raise ValueError("header must name at least one column")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format string, got {type(fmt).__name__}")
    out = []
    for i, row in enumerate(rows):
        row = list(row)
        if len(row) != len(header):
            raise ValueError(f"rows[{i}] has {len(row)} values, header has {len(header)}")
        out.append([_cell(v, fmt) for v in row])
    return Table(header, out, caption, name)
