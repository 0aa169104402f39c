"""Code that fits the column at 1280 px (issue 27, "code lines that fit the column"), measured in a real browser.

On every content page at 1280 CSS px, no code block (a cell's source, a literal block of the reference pages) is
wider than its box: a block whose ``scrollWidth`` exceeds its ``clientWidth`` hides the end of a line behind a
sideways scroll (a plotting call loses its arguments off-screen). The column holds ``CHARS`` characters of the
theme's code font (measured here, :func:`test_column_holds_the_formatted_width`); highlighted tokens render a
little wider than the plain font (lines of 75-77 characters ran 2-19 px past the box), so the chapters' code is
formatted to at most 72 characters a line, checked on the sources by tests/book/test_code_lines.py.

Run after the build like test_built_site.py (``TTS_SITE_DIR`` selects the site; see conftest.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pagemeasure import CODE_SLACK, measured  # noqa: E402
from sitecfg import SITE_DIR, content_pages  # noqa: E402

WIDTH = 1280
CHARS = 77        # characters of the plain code font the box holds at 1280 px (77.4)
SLACK = 1         # CSS px of rounding

# the measurement (JS_CODE) is taken in pagemeasure.py, on the page load test_built_site/test_legibility share


def _pages():
    return [p for p in content_pages(SITE_DIR) if p.startswith(("chapters/", "reference/", "appendix"))
            or p == "intro.html"] or ["chapters/missing.html"]


def _measure(browser, base_url, page_rel):
    m = measured(browser, base_url, page_rel, WIDTH)["code"]
    # the slack the measurement used (pagemeasure.CODE_SLACK) is this module's
    assert CODE_SLACK == SLACK, (CODE_SLACK, SLACK)
    return m


def test_column_holds_the_formatted_width(browser, base_url):
    """The code box of a chapter holds at least CHARS characters of the code font at 1280 px."""
    m = _measure(browser, base_url, "chapters/02_setting.html")
    assert m["blocks"], "no code block on chapter 2"
    assert m["boxPx"] / m["charPx"] >= CHARS, (f"the code box holds {m['boxPx'] / m['charPx']:.1f} characters "
                                               f"({m['boxPx']:.0f} px / {m['charPx']:.2f} px), fewer than {CHARS}")


@pytest.mark.parametrize("page_rel", _pages())
def test_code_fits_the_column(browser, base_url, page_rel):
    if page_rel == "chapters/missing.html":
        pytest.fail(f"no pages in {SITE_DIR}")
    m = _measure(browser, base_url, page_rel)
    assert not m["wide"], (f"{page_rel}: {len(m['wide'])} of {m['blocks']} code blocks wider than their box at "
                           f"{WIDTH} px (box {m['boxPx'] and round(m['boxPx'])} px = "
                           f"{m['boxPx'] and m['boxPx'] / m['charPx']:.0f} characters), e.g.\n  "
                           + "\n  ".join(f"{w['chars']} chars (+{w['over']} px): {w['line']}" for w in m["wide"][:5]))
