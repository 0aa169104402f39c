"""The book on paper (issue 27, "Print"): chapter 2 printed from Chromium with _static/print.css.

Under print media: no solution, no folding control, no button or form control, no navigation or sidebar; the page
starts with the chapter's own numbered title (not the theme's print title page); code wraps at the margin. Printed
as A4, the chapter takes fewer pages than the same page printed with print.css blocked (13 -> 12 at the time of
writing, with 15 mm margins instead of none).
"""

from __future__ import annotations

import re

import pytest

from sitecfg import open_offline, wait_for_mathjax

PAGE = "chapters/02_setting.html"

PRINT_STATE = r"""() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden'
      && r.width > 0 && r.height > 0;
  };
  const all = (sel) => Array.from(document.querySelectorAll(sel));
  const label = (el) => el.tagName.toLowerCase() + '.' + (el.className || '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const h1 = all('h1').filter(shown);
  const pres = all('article pre').filter(shown);
  return {
    solutions: all('.solution').length,
    solutionsShown: all('.solution').filter(shown).map(label),
    controlsShown: all('button, input, select, summary, .toggle-button').filter(shown).map(label),
    chromeShown: all('.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area, .bd-search')
      .filter(shown).map(label),
    firstH1: h1.length ? h1[0].textContent.trim() : '',
    firstH1Top: h1.length ? h1[0].getBoundingClientRect().top + window.scrollY : -1,
    pres: pres.length,
    presCut: pres.filter((p) => getComputedStyle(p).whiteSpace !== 'pre-wrap').length,
  };
}"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.fixture(scope="module")
def with_css(browser, base_url):
    """The chapter as served (print.css included), typeset (MathJax's promise): one page for both tests."""
    context, page, _, _ = open_offline(browser, base_url, PAGE)
    try:
        wait_for_mathjax(page)
        yield page
    finally:
        context.close()


def test_print_has_no_solutions_controls_or_chrome(with_css):
    page = with_css
    page.emulate_media(media="print")
    try:
        s = page.evaluate(PRINT_STATE)
    finally:
        page.emulate_media(media="null")  # as before: page.pdf() prints with print media
    assert s["solutions"] > 0, "chapter 2 has no solutions any more: pick a page that has some"
    assert s["solutionsShown"] == [], f"solutions printed: {s['solutionsShown']}"
    assert s["controlsShown"] == [], f"controls printed: {s['controlsShown']}"
    assert s["chromeShown"] == [], f"navigation/sidebars/search printed: {s['chromeShown']}"
    # the chapter's own title, with its number, opens page 1 (no print title page with a contents list)
    assert re.match(r"2\.\s*The setting", s["firstH1"]), f"first printed title: {s['firstH1']!r}"
    assert s["firstH1Top"] < 150, f"page 1 starts with {s['firstH1Top']:.0f} px of something before the title"
    assert s["pres"] > 0 and s["presCut"] == 0, f"{s['presCut']} of {s['pres']} code blocks do not wrap"


def test_print_is_shorter_than_without_the_stylesheet(browser, base_url, with_css):
    counts = {True: _pages(with_css.pdf(format="A4", prefer_css_page_size=True))}
    context, page, _, _ = open_offline(browser, base_url, PAGE)
    try:
        page.route("**/_static/print.css*", lambda r: r.abort())
        page.reload(wait_until="load")
        wait_for_mathjax(page)  # typeset, as the page with print.css
        counts[False] = _pages(page.pdf(format="A4", prefer_css_page_size=True))
    finally:
        context.close()
    assert counts[True] < counts[False], f"A4 pages with print.css {counts[True]}, without {counts[False]}"
