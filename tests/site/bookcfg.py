"""The book's chapter list, for the tests of tests/site (bundle, student edition)."""

from __future__ import annotations

from sitecfg import REPO


def toc_chapters() -> list[str]:
    """Stems of the chapters listed in _toc.yml (the ones the book builds), sorted."""
    import re

    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    return sorted(re.findall(r"^\s*-\s*file:\s*chapters/(\w+)\s*$", toc, re.M))


def toc_landing_pages() -> set[str]:
    """Stems of the chapters split into section pages (entries of _toc.yml with ``sections:``): their landing
    page holds the route (and in chapter 4 the main theorem), the figures are on the section pages."""
    import yaml

    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    return {c["file"].rsplit("/", 1)[-1] for part in toc["parts"] for c in part["chapters"]
            if c.get("sections") and c["file"].startswith("chapters/")}
