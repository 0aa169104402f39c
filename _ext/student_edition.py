"""Student edition: make ``hide_solutions`` also remove *gated* solutions.

sphinx-exercise 1.2.1 with ``hide_solutions = True`` drops a ``{solution-start}`` directive but keeps
everything after it up to ``{solution-end}`` (so solution code cells stayed visible), and leaves the
``solution_end_node``, which the HTML writer does not know ("unknown node type" warning, fatal under
-W). Here, when ``hide_solutions`` is on, ``{solution-start}`` leaves a marker, and a transform
removes the marker, every sibling after it, and the matching end node. With ``hide_solutions`` off
this extension changes nothing.

Two cell tags serve the student edition (and change nothing in the full one): ``remove-student`` drops a cell
(from the page and from the ``.md`` and ``.ipynb`` downloads), ``hide-output-student`` keeps the cell's code and
drops its outputs. They are for main-text cells whose output or hidden check gives an exercise's answer away.

The downloads are cleaned too: at the end of a student build every source file served under
``_sources/`` (``.md`` and ``.ipynb``) is rewritten without its gated solution blocks
(:func:`strip_solutions_text`, :func:`strip_solutions_notebook`), and ``notebook_downloads`` strips the
executed notebooks it serves and bundles with the same functions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node


class hidden_solution_start(nodes.Element):
    """Marker left by {solution-start} in the student edition."""


class StudentSolutionStart(SolutionStartDirective):
    def run(self):
        result = super().run()  # keeps sphinx-exercise's gated-structure bookkeeping
        if self.env.app.config.hide_solutions:
            return [hidden_solution_start()]
        return result


REMOVE_TAG = "remove-student"
HIDE_OUTPUT_TAG = "hide-output-student"


class RemoveStudentCells(SphinxTransform):
    """Drop the cells tagged ``remove-student`` and the outputs of those tagged ``hide-output-student``."""

    default_priority = 9

    def apply(self):
        if not self.config.hide_solutions:
            return
        for node in list(self.document.findall(nodes.container)):
            classes = node.get("classes", [])
            if f"tag_{REMOVE_TAG}" in classes and node.parent is not None:
                node.parent.remove(node)
            elif f"tag_{HIDE_OUTPUT_TAG}" in classes:
                for child in list(node.children):
                    if "cell_output" in child.get("classes", []):
                        node.remove(child)


class RemoveGatedSolutions(SphinxTransform):
    default_priority = 9  # before sphinx-exercise's MergeGatedSolutions (10)

    def apply(self):
        if not self.config.hide_solutions:
            return
        for marker in list(self.document.findall(hidden_solution_start)):
            parent = marker.parent
            start = parent.index(marker)
            end = None
            for i in range(start + 1, len(parent.children)):
                if isinstance(parent.children[i], solution_end_node):
                    end = i
                    break
            if end is None:  # sphinx-exercise reports the malformed structure itself
                parent.remove(marker)
                continue
            for child in parent.children[start : end + 1]:
                parent.remove(child)
        # an end node left without a start (should not happen) must not reach the writer
        for node in list(self.document.findall(solution_end_node)):
            node.parent.remove(node)


_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\{solution-(start|end)\}")


class _Stripper:
    """Line filter dropping every ``{solution-start}`` ... ``{solution-end}`` block, fences included.

    The state is kept across calls, so a notebook's cells can be fed one after the other (a solution
    opens in one markdown cell and closes in a later one, with its code cells in between).
    """

    def __init__(self):
        self.inside = False
        self.closing = None  # fence that closes the {solution-end} directive, once its line was seen

    def keep(self, line: str) -> bool:
        if self.closing is not None:  # the line after {solution-end}: its closing fence
            fence, self.closing = self.closing, None
            if line.strip() == fence:
                return False
        m = _FENCE.match(line)
        if m and m.group(2) == "start" and not self.inside:
            self.inside = True
            return False
        if m and m.group(2) == "end" and self.inside:
            self.inside = False
            self.closing = m.group(1)
            return False
        return not self.inside


_CODE_CELL = re.compile(r"^(`{3,})\{code-cell\}")


def _drop_student_cells(text: str) -> str:
    """``text`` without its ``{code-cell}`` blocks tagged ``remove-student`` (fences included)."""
    out, block, fence = [], [], None
    for line in text.splitlines(keepends=True):
        if fence is None:
            m = _CODE_CELL.match(line)
            if m:
                fence, block = m.group(1), [line]
            else:
                out.append(line)
            continue
        block.append(line)
        if line.strip() == fence:
            if not any(REMOVE_TAG in b for b in block[:8] if b.startswith((":tags:", "tags:", "  - ", "- "))):
                out += block
            fence, block = None, []
    return "".join(out + block)


def strip_solutions_text(text: str) -> str:
    """``text`` (MyST Markdown) without its gated solution blocks (start line to end fence) and without the
    cells tagged ``remove-student``."""
    st = _Stripper()
    return _drop_student_cells("".join(line for line in text.splitlines(keepends=True) if st.keep(line)))


def strip_solutions_notebook(nb: dict) -> dict:
    """A copy of the notebook ``nb`` (nbformat 4 dict) without its gated solutions.

    Markdown cells lose the lines of a solution block; code cells inside a block are dropped; cells
    left empty are dropped; cells tagged ``remove-student`` are dropped and those tagged
    ``hide-output-student`` lose their outputs.
    """
    st = _Stripper()
    cells = []
    for cell in nb["cells"]:
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "markdown":
            kept = "".join(line for line in src.splitlines(keepends=True) if st.keep(line))
            if kept.strip():
                cells.append({**cell, "source": kept})
        elif not st.inside and REMOVE_TAG not in tags:
            cells.append({**cell, "outputs": [], "execution_count": None} if HIDE_OUTPUT_TAG in tags else cell)
    return {**nb, "cells": cells}


def strip_sources(outdir: Path) -> list[Path]:
    """Rewrite every ``.md`` and ``.ipynb`` under ``outdir/_sources`` without solutions; changed files."""
    changed = []
    for path in sorted(Path(outdir, "_sources").rglob("*")):
        if path.suffix == ".md":
            old = path.read_text(encoding="utf-8")
            new = strip_solutions_text(old)
        elif path.suffix == ".ipynb":
            old = path.read_text(encoding="utf-8")
            new = json.dumps(strip_solutions_notebook(json.loads(old)), ensure_ascii=False, indent=1) + "\n"
            if json.loads(new) == json.loads(old):
                new = old
        else:
            continue
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def _strip_downloads(app, exception):
    if exception is None and app.config.hide_solutions and app.builder.format == "html":
        strip_sources(Path(app.outdir))


def setup(app):
    app.setup_extension("sphinx_exercise")
    app.add_node(hidden_solution_start)
    app.add_directive("solution-start", StudentSolutionStart, override=True)
    app.add_transform(RemoveGatedSolutions)
    app.add_transform(RemoveStudentCells)
    # before course_bundle (priority 900) packs the sources
    app.connect("build-finished", _strip_downloads, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
