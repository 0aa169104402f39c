"""Settings shared by conftest.py and test_built_site.py (see conftest.py for the environment)."""

from __future__ import annotations

import os
from pathlib import Path

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
