"""Fixtures for the real-browser test of the built site (tests/site).

These tests are NOT part of ``pytest tests`` (pyproject.toml puts ``site`` in norecursedirs and
tools/run_tests.sh passes ``--ignore=tests/site``); tools/run_tests.sh runs them after the book build:

    pytest tests/site/test_built_site.py

Environment:
    TTS_SITE_DIR     built HTML site to check (default: <repo>/_build/html)
    TTS_STUDENT_DIR  built student edition (default: <repo>/_build/student/html); checked if present
    TTS_CHROMIUM     browser executable (default: /usr/bin/chromium, Debian's package ``chromium``)
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from sitecfg import CHROMIUM, CHROMIUM_ARGS, SITE_DIR, content_pages


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


@pytest.fixture(scope="session")
def screenshot_dir(site_dir) -> Path:
    d = site_dir.parent / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        pages = content_pages(SITE_DIR) or ["intro.html"]  # intro.html missing -> site_dir fails
        metafunc.parametrize("page", pages)
