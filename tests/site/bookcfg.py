"""The book's chapter list, for the tests of tests/site (bundle, student edition)."""

from __future__ import annotations

from sitecfg import REPO


def toc_chapters() -> list[str]:
    """Stems of the chapters listed in _toc.yml (the ones the book builds), sorted."""
    import re

    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    return sorted(re.findall(r"^\s*-\s*file:\s*chapters/(\w+)\s*$", toc, re.M))
