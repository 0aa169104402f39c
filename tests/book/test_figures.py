"""Source checks of the chapters' figures (the built pages are measured by tests/site/test_legibility.py).

Every chapter applies the book's figure style (``style.use()`` in its imports cell); every visible cell that
draws a figure or an animation carries a caption (myst-nb ``mystnb: figure: caption``), so the page numbers it;
no figure is made wider than :data:`tts_lib.plots.style.WIDE_WIDTH`, none sets a font below
:data:`~tts_lib.plots.style.MIN_FONT` pt, and none calls ``tight_layout`` (the style uses constrained layout).
"""

import re
from pathlib import Path

import jupytext
import pytest

from tts_lib.plots import style

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
DRAWS = re.compile(r"plt\.show\(\)|animation_html\(|responsive_animation\(|to_jshtml\(|views\.figures\(|views\.plot_snapshots\(|"
                   r"^\s*fig\w*\s*$", re.M)


def _cells(path):
    nb = jupytext.read(path)
    return [c for c in nb.cells if c.cell_type == "code"]


def _hidden(cell):
    return "remove-cell" in cell.metadata.get("tags", [])


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_uses_the_figure_style(path):
    first = _cells(path)[0].source
    assert "style.use()" in first, f"{path.name}: the imports cell does not call style.use()"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_figure_has_a_caption(path):
    missing = [c.source.splitlines()[0] for c in _cells(path)
               if not _hidden(c) and DRAWS.search(c.source)
               and not str(c.metadata.get("mystnb", {}).get("figure", {}).get("caption", "")).strip()]
    assert not missing, f"{path.name}: figure cells without a caption, starting: {missing}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_figure_sizes_and_fonts(path):
    text = path.read_text()
    widths = [float(w) for w in re.findall(r"figsize=\(\s*([\d.]+)\s*,", text)]
    assert all(w <= style.WIDE_WIDTH for w in widths), f"{path.name}: figure wider than {style.WIDE_WIDTH} in"
    small = [int(f) for f in re.findall(r"fontsize\s*=\s*(\d+)", text) if int(f) < style.MIN_FONT]
    assert not small, f"{path.name}: font sizes below {style.MIN_FONT} pt: {small}"
    assert "tight_layout" not in text, f"{path.name}: tight_layout (the style uses constrained layout)"
