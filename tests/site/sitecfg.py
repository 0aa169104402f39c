"""Settings shared by conftest.py and test_built_site.py (see conftest.py for the environment)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("TTS_SITE_DIR", REPO / "_build" / "html")).resolve()
STUDENT_DIR = Path(os.environ.get("TTS_STUDENT_DIR", REPO / "_build" / "student" / "html")).resolve()
CHROMIUM = os.environ.get("TTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Pages that are not content: the redirect stub, the generated indices, the search page (needs its
# own JS index, and is exercised by typing in the box on a content page instead), assets.
SKIP_PAGES = {"index.html", "genindex.html", "py-modindex.html", "search.html"}
SKIP_DIRS = {"_sources", "_static", "_images", "_downloads", "_panels_static", "screenshots"}


def content_pages(root: Path) -> list[str]:
    """Every HTML page of the site worth loading, as paths relative to ``root`` (posix)."""
    pages = []
    if not root.is_dir():
        return pages
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIP_DIRS or rel.as_posix() in SKIP_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


# What a page gets instead of MathJax when a test leaves it out (``open_offline(..., mathjax=False)``).
NO_MATHJAX = "/* MathJax left out by this test (tests/site/sitecfg.py): the test does not read the page's math */"


def open_offline(browser, base_url, page_rel, width=1280, wait_until="load", mathjax=True):
    """Open ``base_url/page_rel`` in a new context of ``width`` CSS px with every non-local request blocked.

    Returns ``(context, page, errors, blocked)``: the JavaScript errors (page errors and console errors) and the
    blocked URLs are collected as the page runs; the response must be OK. ``wait_until="commit"`` returns as soon
    as the response arrived (the page goes on loading: the caller waits, e.g. to load several pages side by side).
    ``mathjax=False`` serves an empty script for MathJax (typesetting a chapter is most of its load time): for the
    tests that drive an explorable's interface, which holds no math; the pages' math and their look as a reader
    gets them are checked with MathJax (test_built_site.py, test_equations.py, test_legibility.py, the explorables'
    layout, text-size and contrast tests).
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    blocked: list[str] = []
    local = urlsplit(base_url).netloc

    def route(r):
        url = r.request.url
        if urlsplit(url).netloc == local or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    if not mathjax:  # registered last: matched before the route above
        context.route("**/_static/mathjax/tex-chtml.js",
                      lambda r: r.fulfill(status=200, content_type="text/javascript", body=NO_MATHJAX))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    response = page.goto(f"{base_url}/{page_rel}", wait_until=wait_until, timeout=60_000)
    assert response is not None and response.ok, f"{page_rel}: HTTP {response and response.status}"
    return context, page, errors, blocked


def wait_for_mathjax(page) -> bool:
    """Wait until MathJax has typeset ``page`` (False when the page loads no MathJax)."""
    if not page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')"):
        return False
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
    page.evaluate("() => MathJax.startup.promise.then(() => true)")
    return True

# The chapter page of each in-page explorable (tests/site/test_explorables*.py).
EXPLORABLE_PAGES = {
    "sgd": "chapters/01_introduction.html",
    "network": "chapters/02_setting.html",
    "ideal": "chapters/03_slow_fast.html",
}


def open_explorable(browser, base_url, name, width=1280, mathjax=True):
    """``open_offline`` on the page of explorable ``name``, once ``window.ttsExplorables[name]`` is registered.
    Returns ``(context, page, errors)``."""
    return open_explorables(browser, base_url, [name], width, mathjax)[name]


def open_explorables(browser, base_url, names, width=1280, mathjax=True):
    """``open_explorable`` for each of ``names``, the pages loading side by side: {name: (context, page, errors)}."""
    opened = {}
    try:
        for name in names:
            context, page, errors, _ = open_offline(browser, base_url, EXPLORABLE_PAGES[name], width=width,
                                                    wait_until="commit", mathjax=mathjax)
            opened[name] = (context, page, errors)
        for name, (_, page, _) in opened.items():
            page.wait_for_load_state("load", timeout=180_000)
            page.wait_for_function(f"() => window.ttsExplorables && window.ttsExplorables.{name}", timeout=30_000)
    except BaseException:
        for context, _, _ in opened.values():
            context.close()
        raise
    return opened


def drag(page, locator, dx, steps=5):
    """Press the mouse on the centre of ``locator`` (scrolled into view), move it ``dx`` CSS px to the right
    in ``steps`` moves and release, as a reader drags a handle."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=steps)
    page.mouse.up()
