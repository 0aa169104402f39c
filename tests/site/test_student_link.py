"""The site links to the student edition whenever it is built (issue 27, "Promises kept").

The landing page and the guide for teachers carry a hidden link to student/intro.html (no href) that
_static/student_link.js shows, href set, when _static/student_edition.json says the student edition was built
(tools/build_student.sh writes it into the main site). Published, the student edition sits under student/ of the site
(.github/workflows/ci.yml); here the site is served with the built student edition (TTS_STUDENT_DIR) mounted at
student/ when it exists, and without it otherwise: the link must then be shown and resolve, or stay hidden.
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request

import pytest

from sitecfg import SITE_DIR, STUDENT_DIR

PAGES = ["intro.html", "reference/teachers.html"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The main site, with the student edition (if built) under student/."""

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass

    def translate_path(self, path):
        if path.startswith("/student/") and (STUDENT_DIR / "intro.html").is_file():
            return str(STUDENT_DIR / path[len("/student/"):].split("?")[0].split("#")[0])
        return super().translate_path(path)


@pytest.fixture(scope="module")
def published_url(site_dir):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(SITE_DIR)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _links(browser, url):
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1000)  # the HEAD request of student_link.js
        return page.evaluate("""() => Array.from(document.querySelectorAll('a.tts-student-link')).map((a) => {
            const box = a.closest('.tts-student-edition') || a;
            return {href: a.href, shown: !box.hidden && a.getBoundingClientRect().height > 0};
        })""")
    finally:
        page.close()


@pytest.mark.parametrize("rel", PAGES)
def test_student_edition_link(browser, published_url, rel):
    links = _links(browser, f"{published_url}/{rel}")
    assert links, f"{rel}: no link to the student edition"
    built = (STUDENT_DIR / "intro.html").is_file()
    for link in links:
        assert link["shown"] == built, f"{rel}: link shown={link['shown']} but student edition built={built}"
        if built:
            with urllib.request.urlopen(link["href"]) as r:
                body = r.read().decode("utf-8")
            assert r.status == 200 and "student edition" in body.lower(), f"{link['href']} is not the student edition"
