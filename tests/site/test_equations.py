"""Equations that fit the screen they are on (issue 27), measured in a real browser on every content page.

At 390 CSS px (a phone) and at 1280 px (a laptop), after MathJax has typeset the page:

* **display equations fit their box**: no glyph, rule or surd of a display equation lies outside the content
  box of its ``div.math`` (a cut symbol), and neither the equation nor its ``div.math`` scrolls sideways
  (MathJax 4 breaks long display equations to the width of their box; see README "Offline site");
* **no page is wider than the screen** (the document does not scroll sideways);
* on a phone, **equation numbers are on their own line**, never beside the equation (where a cut would be);
* on a phone, **display math at body size**: the font size MathJax sets on an equation is at least the size of
  the body text around it (``article p``);
* **inline math stays on screen**: no inline formula runs past the right edge of the text column, except
  inside a box that scrolls sideways on purpose (a table) and itself fits the column.

The page is loaded, typeset and measured once for this module, test_built_site.py and test_legibility.py
(pagemeasure.py: ``JS_EQUATIONS`` is this module's measurement). Run after the build like test_built_site.py (``TTS_SITE_DIR`` selects the site; see conftest.py). Each page's
numbers are collected in ``<site>/../equations.json`` to compare builds (``python tests/site/test_equations.py``
prints them).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pagemeasure import measured  # noqa: E402
from sitecfg import SITE_DIR, content_pages, open_offline, wait_for_mathjax  # noqa: E402

SLACK = 1.0        # CSS px of rounding allowed at a box edge
SIZE_SLACK = 0.25  # CSS px of rounding allowed when comparing font sizes

def _pages():
    return content_pages(SITE_DIR) or ["intro.html"]


@pytest.fixture(scope="module")
def report(site_dir):
    """Each page's numbers, written to <site>/../equations.json (or TTS_EQUATIONS_REPORT) after the last page."""
    rows: dict = {}
    yield rows
    out = Path(os.environ.get("TTS_EQUATIONS_REPORT", site_dir.parent / "equations.json"))
    out.write_text(json.dumps(rows, indent=1))


def _eq(e):
    return f"{e['where'] or '?'} [{e['text'][:40]}] ({e['need']} px in {e['box']} px)"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page_rel", _pages())
def test_equations_fit(browser, base_url, site_dir, report, page_rel, width):
    m = measured(browser, base_url, page_rel, width)["equations"]  # pagemeasure.JS_EQUATIONS, one shared load
    eqs = m["display"]
    cut = [e for e in eqs if e["cut"]]
    scrolling = [e for e in eqs if e["scrolls"] and not e["cut"]]
    beside = [e for e in eqs if e["eqno_beside"]]
    small = [e for e in eqs if e["font_px"] < m["bodyPx"] - SIZE_SLACK]
    report[f"{page_rel}@{width}"] = {
        "display": len(eqs), "wider_than_box": len(cut), "scrolling": len(scrolling),
        "numbered": sum(e["numbered"] for e in eqs), "eqno_beside": len(beside),
        "body_px": m["bodyPx"], "display_px": sorted({e["font_px"] for e in eqs}),
        "inline": m["inline_total"], "inline_off_screen": len(m["inline_off"]), "page_width": m["pageW"],
        "detail": {"cut": cut, "inline_off": m["inline_off"][:10]},
    }
    problems = []
    if cut:
        problems.append(f"{len(cut)} of {len(eqs)} display equations wider than their box: "
                        + "; ".join(_eq(e) for e in cut))
    if scrolling:
        problems.append(f"{len(scrolling)} display equations that scroll sideways: "
                        + "; ".join(_eq(e) for e in scrolling))
    if m["pageW"] > m["vw"] + SLACK:
        problems.append(f"page {m['pageW']} px wide on a {m['vw']} px screen")
    if m["inline_off"]:
        problems.append(f"{len(m['inline_off'])} inline formulas run past the column's right edge "
                        f"({m['inline_off'][0]['limit']} px): "
                        + "; ".join(f"{i['where'] or '?'} [{i['text']}] to {i['right']} px"
                                    for i in m["inline_off"][:6]))
    if width < 576:
        if beside:
            problems.append(f"{len(beside)} equation numbers beside their equation on a phone: "
                            + "; ".join(e["where"] for e in beside))
        if small:
            problems.append(f"{len(small)} display equations below the body text's {m['bodyPx']} px: "
                            + ", ".join(f"{e['where'] or '?'} at {e['font_px']:.1f} px" for e in small[:6]))
    assert not problems, f"{page_rel} at {width} px:\n  " + "\n  ".join(problems)


def test_notation_table_on_a_phone(browser, base_url, site_dir):
    """At 390 px every cell of the notation page's table (symbol, meaning, "Defined in") is on screen: the
    "Defined in" column was off-screen, in a table wider than the phone."""
    context, page, errors, _ = open_offline(browser, base_url, "reference/notation.html", 390)
    try:
        wait_for_mathjax(page)
        cells = page.evaluate("""() => Array.from(document.querySelectorAll('section#notation table td')).map(td => {
            const r = td.getBoundingClientRect();
            return {text: td.textContent.trim().slice(0, 40), left: r.left, right: r.right};})""")
        vw = page.evaluate("() => document.documentElement.clientWidth")
        assert len(cells) >= 60, f"notation table not found ({len(cells)} cells)"
        off = [c for c in cells if c["right"] > vw + SLACK or c["left"] < -SLACK]
        assert not off, f"{len(off)} of {len(cells)} cells off a {vw} px screen, e.g. " + "; ".join(
            f"{c['text']!r} at {c['left']:.0f}..{c['right']:.0f} px" for c in off[:5])
        defined = page.evaluate("() => Array.from(document.querySelectorAll('section#notation table td:nth-child(3)'))"
                                ".filter(td => td.getBoundingClientRect().height > 0).length")
        assert defined >= 20, f"only {defined} 'Defined in' cells shown"
        assert not errors, errors
    finally:
        context.close()


if __name__ == "__main__":  # sum up an equations.json: python tests/site/test_equations.py [path]
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(os.environ.get("TTS_EQUATIONS_REPORT",
                                                                          SITE_DIR.parent / "equations.json"))
    data = json.loads(path.read_text())
    keys = ["display", "wider_than_box", "scrolling", "eqno_beside", "inline_off_screen", "page_width"]
    print("page@width".ljust(40), *[k[:14].rjust(15) for k in keys], "  body px / display px")
    for page, row in sorted(data.items()):
        if row["display"] or row["inline_off_screen"] or row["page_width"] > int(page.rsplit("@", 1)[1]):
            print(page.ljust(40), *[str(row[k]).rjust(15) for k in keys], f"  {row['body_px']} / {row['display_px']}")
    for w in sorted({p.rsplit("@", 1)[1] for p in data}, key=int):
        rows = [r for p, r in data.items() if p.endswith("@" + w)]
        print(f"total @{w}".ljust(40), *[str(sum(r[k] for r in rows) if k != "page_width"
                                             else sum(r[k] > int(w) for r in rows)).rjust(15) for k in keys])
