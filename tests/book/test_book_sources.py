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


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_checks_exercises_objectives(path):
    text = path.read_text()
    hidden_checks = re.findall(r"```\{code-cell\} ipython3\n:tags: \[[^\]]*remove-cell[^\]]*\]\n(.*?)```", text, re.S)
    assert sum("assert" in cell for cell in hidden_checks) >= 3, "fewer than 3 hidden assert cells"
    assert len(list_exercises.exercises(path)) >= 3, "fewer than 3 exercises"
    assert re.search(r"(?i)learning objectives", text), "no learning objectives"


def test_toc_lists_every_chapter():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
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
