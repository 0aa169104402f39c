"""Screenshots of built pages, for looking at what a reader sees.

    python tools/screenshot.py chapters/05_experiments.html [more pages] [--out DIR] [--tiles N]
                               [--width 390] [--start K] [--dark]

Serves _build/html on 127.0.0.1, opens each page in Debian's headless Chromium (Playwright), waits
for MathJax, and writes the page as consecutive viewport-sized tiles DIR/<page>__<k>.png (default DIR:
_build/screenshots/pages) at a viewport of WIDTH x 1000 CSS px (default 1280, a laptop; 390 is a phone, taken
with a device scale factor of 2 and touch, as a phone renders it; the file names then end in ``__w390``).
``--start K`` skips the first K tiles. ``--dark`` shows the theme's dark mode (as tests/site/test_explorables_contrast.py
sets it: the browser's colour scheme and the theme's stored mode), and the file names end in ``__dark``. Requests to any other host are blocked, as in the browser test.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "screenshots" / "pages")
    parser.add_argument("--tiles", type=int, default=40, help="at most this many tiles per page")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS px (390: a phone)")
    parser.add_argument("--start", type=int, default=0, help="first tile to write")
    parser.add_argument("--dark", action="store_true", help="the theme's dark mode")
    opts = parser.parse_args()
    opts.out.mkdir(parents=True, exist_ok=True)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(opts.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        phone = opts.width < 600
        mode = "dark" if opts.dark else "light"
        page = browser.new_page(viewport={"width": opts.width, "height": 1000}, color_scheme=mode,
                                device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone)
        # pydata-sphinx-theme reads the mode from localStorage before it paints
        page.add_init_script(f"try {{ localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}'); }}"
                             " catch (e) {}")
        suffix = ("" if opts.width == 1280 else f"__w{opts.width}") + ("__dark" if opts.dark else "")
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        for name in opts.pages:
            page.goto(base + name, wait_until="load")
            page.wait_for_timeout(1500)  # MathJax typesetting
            height = page.evaluate("document.documentElement.scrollHeight")
            stem = name.replace("/", "__").removesuffix(".html")
            for k in range(opts.start, min(opts.start + opts.tiles, -(-height // 1000))):
                page.evaluate(f"window.scrollTo(0, {k * 1000})")
                page.wait_for_timeout(150)
                page.screenshot(path=str(opts.out / f"{stem}__{k:02d}{suffix}.png"))
            print(f"{name}: {height} px -> {opts.out}/{stem}__*.png")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
