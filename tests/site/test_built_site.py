"""Real-browser test of the built book (Debian's Chromium driven by Playwright).

Run by tools/run_tests.sh after `jupyter-book build`; see conftest.py for the fixtures and settings.
Every request that does not go to the local server is blocked and reported, so a page that needs
the network (a CDN script, a font, an image) fails here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from bookcfg import toc_landing_pages
from pagemeasure import measured
from sitecfg import STUDENT_DIR, content_pages, open_offline

# Console messages that are known and harmless. Each entry: (regex, why it is allowed).
CONSOLE_ALLOW = [
    # (none so far: keep this list short and documented)
]

# Raw TeX delimiters that must not survive typesetting in visible prose.
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\$[^\s$][^$\n]{0,200}?\$")


class _IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v:
                self.ids.add(v)


@lru_cache(maxsize=None)
def _ids_of(path: Path) -> frozenset:
    parser = _IdCollector()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def _resolve_local(site_dir: Path, url_path: str) -> Path | None:
    rel = unquote(url_path).lstrip("/")
    if rel.startswith("student/"):   # the student edition, published under student/ (ci.yml; test_student_link.py)
        site_dir, rel = STUDENT_DIR, rel[len("student/"):]
    target = (site_dir / rel).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target if target.exists() else None




def test_page(browser, base_url, site_dir, page):
    """The page at 1280 px as pagemeasure.py loaded it (one load shared with test_equations.py and
    test_legibility.py): math typeset, images loaded, figures, no widgets, links resolve, nothing from the
    network, no JavaScript error. Pages of pagemeasure.SCREENSHOT_PAGES leave a screenshot in <site>/../screenshots."""
    m = measured(browser, base_url, page, 1280)
    problems: list[str] = []
    html = (site_dir / page).read_text(encoding="utf-8")
    local = urlsplit(m["origin"]).netloc  # the server that served the measured page

    # -- math is typeset --------------------------------------------------------------
    n_math = m["n_math"]
    if n_math:
        if not m["mathjax"]:
            problems.append(f"{n_math} math elements but no MathJax script")
        if m["n_mjx"] == 0:
            problems.append(f"{n_math} math elements but no mjx-container: math not typeset")
        if m["n_merror"]:
            problems.append(f"{m['n_merror']} MathJax errors: {m['merrors']}")
    leftovers = RAW_TEX.findall(m["visible_text"])
    if leftovers:
        problems.append(f"raw TeX left in visible text: {leftovers[:5]}")

    # -- every image loads -------------------------------------------------------------
    for img in m["images"]:
        if img["ok"]:
            continue
        if img["svg"]:
            # an SVG without intrinsic size has naturalWidth 0 even when it loaded: check the file
            parts = urlsplit(img["src"])
            if parts.netloc == local and _resolve_local(site_dir, parts.path):
                continue
        problems.append(f"image does not load: {img['src']}")

    # -- chapters show at least one figure or animation (a split chapter: on its section pages) ----
    if page.startswith("chapters/") and Path(page).stem not in toc_landing_pages():
        if m["n_fig"] == 0:
            problems.append("chapter page without any figure (img) or animation")

    # -- no ipywidgets (they would be dead in a static site) -----------------------------
    if "application/vnd.jupyter.widget-view+json" in html or "application/vnd.jupyter.widget-state+json" in html:
        problems.append("page contains ipywidgets output/state (dead in a static site)")
    if m["n_widgets"]:
        problems.append("page contains .jupyter-widgets elements")

    # -- internal links resolve ----------------------------------------------------------
    for href in sorted(set(m["hrefs"])):
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.netloc != local:
            continue
        target = _resolve_local(site_dir, parts.path)
        if target is None:
            problems.append(f"broken internal link: {href}")
            continue
        _, frag = urldefrag(href)
        frag = unquote(frag)
        if frag and target.suffix == ".html" and frag not in _ids_of(target):
            problems.append(f"broken anchor: {href}")

    # -- no request left the machine; no JavaScript errors --------------------------------
    if m["blocked"]:
        problems.append(f"requests to the network (blocked): {sorted(set(m['blocked']))[:10]}")
    for err in m["errors"]:
        if not any(re.search(rx, err) for rx, _why in CONSOLE_ALLOW):
            problems.append(err)

    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


def test_no_remote_assets_in_html(site_dir):
    """No page (indices and search included) references a remote script, stylesheet or image."""
    pat = re.compile(
        r"<(?:script|img|iframe|source)\b[^>]*\bsrc=[\"']((?:https?:)?//[^\"']+)"
        r"|<link\b[^>]*\bhref=[\"']((?:https?:)?//[^\"']+)",
        re.IGNORECASE,
    )
    bad = {}
    for path in site_dir.rglob("*.html"):
        if path.relative_to(site_dir).parts[0] in ("_static", "_sources"):
            continue
        hits = [a or b for a, b in pat.findall(path.read_text(encoding="utf-8", errors="replace"))]
        # <link rel="canonical"> etc. would be harmless, but Sphinx emits none without html_baseurl
        if hits:
            bad[path.relative_to(site_dir).as_posix()] = sorted(set(hits))
    assert not bad, f"remote assets referenced: {bad}"


def test_mathjax_is_local(site_dir):
    assert (site_dir / "_static" / "mathjax" / "tex-chtml.js").is_file()
    intro = (site_dir / "intro.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in intro


def test_search_works_offline(browser, base_url):
    context, pg, errors, blocked = open_offline(browser, base_url, "search.html?q=neurons")
    try:
        pg.wait_for_selector("#search-results", timeout=30_000)
        pg.wait_for_function(
            "() => { const p = document.querySelector('#search-results p.search-summary');"
            " return p && p.textContent.trim().length > 0; }",
            timeout=30_000,
        )
        n = pg.evaluate("() => document.querySelectorAll('#search-results li').length")
        assert n > 0, "search for 'neurons' found nothing"
        assert not blocked, blocked
        assert not errors, errors
    finally:
        context.close()


VISIBLE_SEARCH_BUTTONS = """() => [...document.querySelectorAll('button')].filter(e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  const text = (e.textContent + ' ' + (e.getAttribute('aria-label') || '') + ' ' + e.className).toLowerCase();
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && text.includes('search');
}).length"""


@pytest.mark.parametrize("width", [1280, 390])
def test_one_search_entry_point(browser, base_url, width):
    """One visible search button per page, on a laptop and on a phone (the theme's header bar once added a
    second "Search Ctrl+K" field at 1280 px; _config.yml navbar_persistent: []), and it opens a search field."""
    context, pg, errors, _ = open_offline(browser, base_url, "chapters/02_setting.html", width=width)
    try:
        assert pg.evaluate(VISIBLE_SEARCH_BUTTONS) == 1
        pg.locator("button.search-button, button.search-button__button").locator("visible=true").first.click()
        pg.wait_for_selector("input[name=q]:visible", timeout=10_000)
        assert not errors, errors
    finally:
        context.close()


def test_search_snippets_show_no_raw_latex(browser, base_url):
    """A query whose hits carry inline math ('reduced flow' hits chapter 3's '\\(\\eta \\to 0\\)'): the snippets
    show the math as text (_static/search_snippets.js), never the TeX source."""
    context, pg, errors, _ = open_offline(browser, base_url, "search.html?q=ideal+dynamics")
    try:
        pg.wait_for_function("() => document.querySelectorAll('#search-results p.context').length > 2",
                             timeout=30_000)
        pg.wait_for_timeout(1500)  # the snippets arrive one by one
        texts = pg.eval_on_selector_all("#search-results p.context", "els => els.map(e => e.textContent)")
        raw = [t[:120] for t in texts if "\\(" in t or "\\)" in t or "\\eta" in t or "\\varepsilon" in t]
        assert not raw, raw
        assert any("η" in t or "ε" in t for t in texts), "no snippet with math to check: " + repr(texts[:3])
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_student_edition_has_no_solutions():
    pages = content_pages(STUDENT_DIR)
    assert pages
    leaks = [
        p
        for p in pages
        if re.search(r'class="[^"]*\bsolution\b', (STUDENT_DIR / p).read_text(encoding="utf-8"))
    ]
    assert not leaks, f"solutions present in the student edition: {leaks}"


def test_chapter_downloads_are_real_notebooks(site_dir):
    """Each chapter's download menu offers the .md source and a real .ipynb with its code cells."""
    import json

    chapters = sorted((site_dir / "chapters").glob("*.html"))
    assert chapters, "no chapter pages"
    for page in chapters:
        html = page.read_text(encoding="utf-8")
        for suffix in (".ipynb", ".md"):
            href = f"../_sources/chapters/{page.stem}{suffix}"
            assert href in html, f"{page.name}: no download link {href}"
        nb = json.loads((site_dir / "_sources" / "chapters" / f"{page.stem}.ipynb").read_text(encoding="utf-8"))
        assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["name"] == "python3"
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        minimum = 2 if page.stem in toc_landing_pages() else 5      # a landing page: imports and one more
        assert len(code) >= minimum, f"{page.name}: the downloadable notebook has {len(code)} code cells"


SPLIT_PAGES = ["chapters/04_convergence_proof.html", "chapters/04_2_real_flow.html", "chapters/05_experiments.html",
               "chapters/05_1_two_timescales.html", "chapters/06_beyond.html", "chapters/06_3_other_regimes.html"]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page_rel", SPLIT_PAGES)
def test_page_top_fits_one_screen(browser, base_url, page_rel, width):
    """The run box and the learning objectives fit one screen (900 CSS px high) together, at 1280 and 390 px,
    and the library-call chips come after the last section, not before the first one (issue #27)."""
    m = measured(browser, base_url, page_rel, width)  # the load test_page and test_equations.py share
    top = m["top"]
    assert top is not None, "no run box or no objectives"
    assert top["end"] - top["start"] <= 900, f"run box + objectives: {top['end'] - top['start']:.0f} px high"
    assert m["chips_after_sections"], "the library-call chips are missing or not at the end of the page"
    assert not m["errors"], m["errors"]


def test_split_chapters_are_numbered_by_section(site_dir):
    """Chapters 4-6 are a landing page and section pages numbered N.1, N.2, ... in the sidebar and the titles."""
    html = (site_dir / "chapters" / "04_1_ideal_limit.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>\s*<span class=\"section-number\">4\.1\. </span>The ideal limit, proved", html), \
        "04_1_ideal_limit is not section 4.1"
    html = (site_dir / "chapters" / "06_3_other_regimes.html").read_text(encoding="utf-8")
    assert re.search(r"<span class=\"section-number\">6\.3\. </span>The same target in other regimes", html)
