"""Fixtures for the real-browser test of the built site (tests/site).

These tests are NOT part of ``pytest tests`` (pyproject.toml puts ``site`` in norecursedirs and
tools/run_tests.sh passes ``--ignore=tests/site``); tools/run_tests.sh runs them after the book build:

    pytest tests/site/test_built_site.py

Environment:
    TTS_SITE_DIR     built HTML site to check (default: <repo>/_build/html)
    TTS_STUDENT_DIR  built student edition (default: <repo>/_build/student/html); checked if present
    TTS_CHROMIUM     browser executable (default: /usr/bin/chromium, Debian's package ``chromium``)
    TTS_SITE_MEASURE_DIR  folder of the session's page measurements (pagemeasure.py); made here, in a temporary
                     folder removed at the end, when unset (the pytest-xdist workers inherit it)
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from sitecfg import CHROMIUM, CHROMIUM_ARGS, SITE_DIR, content_pages


def pytest_configure(config):
    """One folder of page measurements for the session, shared by the xdist workers (they are started after
    this hook, with this environment)."""
    if not os.environ.get("TTS_SITE_MEASURE_DIR") and not os.environ.get("PYTEST_XDIST_WORKER"):
        config._tts_measure_dir = os.environ["TTS_SITE_MEASURE_DIR"] = tempfile.mkdtemp(prefix="tts-site-measure-")


# the tests that read pagemeasure.measured(page, width), and the widths each reads
_MEASURED_TESTS = {"test_page": (1280,), "test_page_top_fits_one_screen": None, "test_equations_fit": None,
                   "test_chapter_legibility": (1280, 390), "test_code_fits_the_column": (1280,),
                   "test_column_holds_the_formatted_width": (1280,),
                   "test_animations_legible_on_a_phone": (1280, 390), "test_table_captions_fit_the_screen": (390,)}


# The order in which pytest-xdist (--dist loadfile --no-loadscope-reorder, tools/run_tests.sh) hands the modules out:
# the long indivisible ones first (a fresh venv, JupyterLab, the student edition's scan, the explorables), the
# modules that measure the pages through pagemeasure.py last: they share one pool of (page, width) loads, a
# worker that would wait for the other's measurement takes the next one, so the two workers finish together.
# (Without --no-loadscope-reorder xdist hands the modules out by their number of tests, the fresh venv last.)
SITE_ORDER = ("test_bundle.py", "test_lab.py", "test_student_edition.py", "test_explorables_contrast.py",
              "test_explorables.py", "test_explorables_defects.py", "test_explorables_api.py", "test_print.py",
              "test_screenshot_tool.py", "test_search_sections.py", "test_student_link.py", "test_pdf_edition.py",
              # the shared pool of page loads
              "test_legibility.py", "test_built_site.py", "test_equations.py", "test_code_width.py")


@pytest.hookimpl(trylast=True)  # after tests/conftest.py's order, which this one replaces for tests/site
def pytest_collection_modifyitems(config, items):
    rank = {m: i for i, m in enumerate(SITE_ORDER)}
    site = [i for i, it in enumerate(items) if "tests/site/" in it.nodeid]
    ordered = sorted((items[i] for i in site),
                     key=lambda it: rank.get(it.nodeid.split("::", 1)[0].rsplit("/", 1)[-1], len(rank)))
    for i, it in zip(site, ordered):
        items[i] = it


def pytest_collection_finish(session):
    """Tell pagemeasure.py which (page, width) this session measures (a worker that would wait for another's
    measurement takes one of these meanwhile)."""
    import pagemeasure

    needed = []
    for item in session.items:
        name = getattr(item, "originalname", None)
        if name in _MEASURED_TESTS and hasattr(item, "callspec"):
            params = item.callspec.params
            page = params.get("page") or params.get("page_rel")
            for width in _MEASURED_TESTS[name] or (params["width"],):
                if page and (page, width) not in needed:
                    needed.append((page, width))
    pagemeasure.NEEDED[:] = needed


def pytest_unconfigure(config):
    folder = getattr(config, "_tts_measure_dir", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("TTS_SITE_MEASURE_DIR", None)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE_DIR / "intro.html").is_file():
        pytest.fail(f"no built site at {SITE_DIR}: run `bash tools/build_book.sh` first")
    return SITE_DIR


@pytest.fixture(scope="session")
def base_url(site_dir):
    """Serve the site on 127.0.0.1, on a free port chosen by the OS, from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} not found: `apt-get install -y chromium` (tools/run_tests.sh does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        pages = content_pages(SITE_DIR) or ["intro.html"]  # intro.html missing -> site_dir fails
        metafunc.parametrize("page", pages)
