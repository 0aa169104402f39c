"""Checks on the book's sources that need no execution (the chapters run under nbval and the build)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
sys.path.insert(0, str(ROOT / "tools"))
import list_exercises  # noqa: E402


def front_matter(path):
    text = path.read_text()
    assert text.startswith("---\n"), f"{path.name}: no front matter"
    return yaml.safe_load(text.split("---\n")[1])


def test_there_are_chapters():
    assert len(CHAPTERS) >= 6


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_jupytext_front_matter(path):
    meta = front_matter(path)
    rep = meta["jupytext"]["text_representation"]
    # without `extension: .md` jupytext drops the code cells and nbval silently collects nothing
    assert rep["extension"] == ".md" and rep["format_name"] == "myst"
    assert meta["kernelspec"]["name"] == "python3"


GROUPS = list_exercises.chapter_pages()      # chapters 4-6: a landing page and its section pages


def hidden_asserts(text):
    hidden_checks = re.findall(r"```\{code-cell\} ipython3\n:tags: \[[^\]]*remove-cell[^\]]*\]\n(.*?)```", text, re.S)
    return sum("assert" in cell for cell in hidden_checks)


@pytest.mark.parametrize("pages", GROUPS, ids=lambda g: g[0].name)
def test_chapter_has_checks_and_exercises(pages):
    """Counted over a chapter's pages (a split chapter's landing page has none of its own)."""
    assert sum(hidden_asserts(p.read_text()) for p in pages) >= 3, "fewer than 3 hidden assert cells"
    assert sum(len(list_exercises.exercises(p)) for p in pages) >= 3, "fewer than 3 exercises"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_page_has_objectives_takeaways_and_its_own_imports(path):
    """Every page is a notebook of its own: objectives on top, one imports cell first, takeaways, and the
    library-call chips at the end (after the last heading), not before the first section."""
    text = path.read_text()
    assert re.search(r"(?i)learning objectives", text), "no learning objectives"
    assert re.search(r"(?i)```\{admonition\} key takeaways", text), "no key takeaways box"
    first_cell = re.search(r"```\{code-cell\} ipython3\n(.*?)```", text, re.S).group(1)
    assert "import " in first_cell and "style.use()" in first_cell, "the first cell is not the imports cell"
    prose = re.sub(r"```\{code-cell\}.*?\n```\n", "", text, flags=re.S)   # code comments start with '# ' too
    chips = [m.start() for m in re.finditer(r"(?m)^\*Library calls (on this page|in this chapter)\*", prose)]
    assert len(chips) == 1, "no (or several) library-call lines"
    assert chips[0] > max(m.start() for m in re.finditer(r"(?m)^#{1,6} ", prose)), \
        "the library-call chips are not at the end of the page"


def test_toc_lists_every_chapter():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = [c for part in toc["parts"] for c in part["chapters"]]
    files = [c["file"] for c in entries] + [s["file"] for c in entries for s in c.get("sections", [])]
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in files


def test_citations_exist_in_the_bibliography():
    bib = (ROOT / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for path in CHAPTERS:
        for group in re.findall(r"\{cite[pt]?\}`([^`]+)`", path.read_text()):
            for key in group.split(","):
                assert key.strip() in keys, f"{path.name}: unknown citation {key}"


def test_exercise_list_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "list_exercises.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_promise_of_a_launch_button():
    """The book has no launch button (issue 27): the chapters point to what exists (run box, download button,
    tools/lab.sh)."""
    offenders = [p.name for p in CHAPTERS if re.search(r"launch button", p.read_text(encoding="utf-8"), re.I)]
    assert offenders == [], f"chapters promising a launch button: {offenders}"


def test_explorable_captions_do_not_name_a_colour_that_dark_mode_changes():
    """The explorables draw the target in the text colour, light in dark mode (issue 27): their captions must not
    call it black."""
    offenders = []
    for p in CHAPTERS:
        for caption in re.findall(r'<figure class="tts-explorable".*?</figure>', p.read_text(encoding="utf-8"), re.S):
            if re.search(r"\bblack\b", caption, re.I):
                offenders.append(p.name)
    assert offenders == [], f"explorable captions saying 'black': {offenders}"
