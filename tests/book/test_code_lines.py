"""The displayed code of the chapters fits the column at 1280 px, checked on the sources (issue 27).

tests/site/test_code_width.py measures the built pages in a browser: the code box holds 77 characters of the
plain code font, but highlighted tokens (bold keywords, operators) render a little wider, and lines of 75-77
characters ran 2-19 px past the box. So the chapters' displayed code is formatted to ``LIMIT`` characters a line.
This test reads the sources and fails in a second, before a build: every line of a code cell that is shown (not
tagged ``remove-cell``/``remove-input``) is at most ``LIMIT`` characters.

Run as a script to list the lines over the limit: ``python tests/book/test_code_lines.py [chapters/x.md ...]``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
LIMIT = 72      # characters a displayed code line (with highlighting it renders within the 77-character box)
HIDDEN = {"remove-cell", "remove-input"}

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


def shown_code(text: str):
    """(line number, line) of every source line of a displayed code cell (options and tags skipped)."""
    for m in CELL.finditer(text):
        body, start = m.group(1), text.count("\n", 0, m.start(1)) + 1
        lines = body.rstrip("\n").split("\n")
        head = 0
        if lines and lines[0] == "---":                      # a YAML options block
            head = lines.index("---", 1) + 1
            options = "\n".join(lines[1:head - 1])
        else:
            while head < len(lines) and lines[head].startswith(":"):   # ':tags: [...]' lines
                head += 1
            options = "\n".join(lines[:head])
        tags = set(re.findall(r"[\w-]+", " ".join(re.findall(r"tags:\s*\[([^\]]*)\]", options))))
        if tags & HIDDEN:
            continue
        for i, line in enumerate(lines[head:], start=start + head):
            yield i, line


def long_lines(path: Path):
    return [(i, len(line), line) for i, line in shown_code(path.read_text()) if len(line) > LIMIT]


def test_the_parser_sees_the_cells():
    text = ("```{code-cell} ipython3\nx = 1\n```\n\n```{code-cell} ipython3\n:tags: [remove-cell]\nassert x\n```\n"
            "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    name: f\n---\nshow(x)\n```\n")
    assert [line for _, line in shown_code(text)] == ["x = 1", "show(x)"]
    assert [i for i, _ in shown_code(text)] == [2, 15]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_displayed_code_fits_the_column(path):
    wide = long_lines(path)
    assert not wide, (f"{path.name}: {len(wide)} displayed code lines over {LIMIT} characters, e.g.\n"
                      + "\n".join(f"  {i}: ({n}) {line}" for i, n, line in wide[:8]))


if __name__ == "__main__":
    total = 0
    for p in [Path(a) for a in sys.argv[1:]] or CHAPTERS:
        wide = long_lines(p)
        total += len(wide)
        for i, n, line in wide:
            print(f"{p.name}:{i}: ({n}) {line}")
    print(f"{total} displayed code lines over {LIMIT} characters")
