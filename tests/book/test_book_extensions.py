"""The book's Sphinx extensions (_ext/), on a two-page toy book built in a scratch folder.

- ``notebook_downloads``: the chapter's ``.ipynb`` download has its outputs after a cold build AND after a
  warm rebuild served by the execution cache (myst-nb alone writes an output-free notebook then);
- ``run_box``: the "Run this chapter" box, with the notebook, the bundle and the lab command; Binder only
  when a repository address is set (``book_meta``);
- ``course_bundle``: the zip with README, requirements, wheel and executed notebooks, linked by
  ``{course-bundle}`` from the landing page;
- ``student_edition``: no solution text in any page, source, notebook or bundle of the student build, and
  the landing page's sentence on solutions changes;
- ``book_meta``: the version in the footer; unset repository -> no repository/issues/edit/Binder buttons.

Three builds of a one-chapter book: about a minute in all (the wheel is built once).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import tts_lib

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "_ext"
sys.path.insert(0, str(EXT))

import book_meta  # noqa: E402
import student_edition  # noqa: E402

SOLUTION_TEXT = "The secret solution sentence that students must never see in any file."
SOLUTION_CODE = "secret_solution_value = 6 * 7  # this solution line must never leak"

CHAPTER = f"""---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Toy chapter

Some text.

```{{code-cell}} ipython3
print("visible output", 2 + 3)
```

```{{exercise-start}}
:label: toy-ex
```
Compute six times seven.
```{{exercise-end}}
```

```{{solution-start}} toy-ex
:class: dropdown
```
{SOLUTION_TEXT}

```{{code-cell}} ipython3
{SOLUTION_CODE}
print(secret_solution_value)
```
```{{solution-end}}
```

After the exercise.

```{{code-cell}} ipython3
print("after", 1 + 1)
```

```{{code-cell}} ipython3
:tags: [hide-output-student]
print("answer output", 6 * 6)
```

```{{code-cell}} ipython3
:tags: [remove-cell, remove-student]
hidden_answer_check = 36
```
"""

INTRO = """# Toy book

Exercises: {{ solutions_note }}

Get the {course-bundle}`course bundle`.
"""


def config(student: bool, cache: Path, repo_url: str = "") -> dict:
    return {
        "title": "Toy book" + (" (student edition)" if student else ""),
        "author": "The tts-book contributors",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "cache", "cache": str(cache), "timeout": 300},
        "parse": {"myst_enable_extensions": ["dollarmath", "colon_fence", "substitution"]},
        "repository": {"url": repo_url, "path_to_book": "", "branch": "main"},
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": "https://mybinder.org", "thebe": False},
        "html": {"extra_footer": "Toy footer, version {version}."},
        "sphinx": {
            "extra_extensions": ["sphinx_exercise"],
            "local_extensions": {name: str(EXT) for name in
                                 ("student_edition", "book_meta", "notebook_downloads", "course_bundle", "run_box")},
            "config": {"hide_solutions": student, "nb_execution_raise_on_error": True,
                       "suppress_warnings": ["myst.domains"]},
        },
    }


def build(src: Path, out: Path, cfg: dict) -> Path:
    (src / "_config.yml").write_text(yaml.safe_dump(cfg))
    res = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", "-W", "--keep-going", "--all",
                          "--path-output", str(out), str(src)], capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    return out / "_build" / "html"


def visible(html: str) -> str:
    """The text a reader sees in an HTML fragment (tags removed, entities decoded, spaces collapsed)."""
    import html as _html

    return " ".join(_html.unescape(re.sub(r"<[^>]+>", "", html)).split())


def outputs(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text())
    return ["".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def all_text(root: Path) -> str:
    """Every file under root, zip members included, as one text."""
    parts = []
    for p in sorted(root.rglob("*")):
        if p.suffix in (".zip", ".whl"):
            with zipfile.ZipFile(p) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif p.is_file():
            parts.append(p.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    src = tmp_path_factory.mktemp("toybook")
    (src / "chapters").mkdir()
    (src / "chapters" / "01_toy.md").write_text(CHAPTER)
    (src / "intro.md").write_text(INTRO)
    (src / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: chapters/01_toy\n")
    return src


@pytest.fixture(scope="module")
def builds(toy, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    cache = out / "cache"
    cold = build(toy, out / "main", config(False, cache))
    cold_outputs = outputs(cold / "_sources" / "chapters" / "01_toy.ipynb")
    warm = build(toy, out / "main", config(False, cache))  # same cache: nothing executes
    student = build(toy, out / "student", config(True, cache))
    return {"cold_outputs": cold_outputs, "site": warm, "student": student}


def test_downloads_carry_outputs_cold_and_warm(builds):
    assert any("visible output 5" in o for o in builds["cold_outputs"])
    warm = outputs(builds["site"] / "_sources" / "chapters" / "01_toy.ipynb")
    assert any("visible output 5" in o for o in warm) and any("after 2" in o for o in warm)
    html = (builds["site"] / "chapters" / "01_toy.html").read_text()
    assert 'href="../_sources/chapters/01_toy.ipynb"' in html  # the download menu offers it


def test_run_box_and_no_placeholder_buttons(builds):
    html = (builds["site"] / "chapters" / "01_toy.html").read_text()
    box = html[html.index("run-this-chapter"):]
    box = box[: box.index("</div>")]
    assert "Run this chapter" in box
    assert "bash tools/lab.sh chapters/01_toy.md" in visible(box)
    assert f"../_downloads/tts-course-{tts_lib.__version__}.zip" in box
    assert "mybinder" not in html and "github.com" not in html  # repository unset: no such button or link
    assert f"version {tts_lib.__version__}." in html  # footer


def test_course_bundle(builds):
    z = zipfile.ZipFile(builds["site"] / "_downloads" / f"tts-course-{tts_lib.__version__}.zip")
    names = z.namelist()
    root = f"tts-course-{tts_lib.__version__}/"
    assert {root + "README.md", root + "requirements.txt", root + "notebooks/01_toy.ipynb"} <= set(names)
    assert any(re.fullmatch(re.escape(root) + r"tts_lib-.*\.whl", n) for n in names)
    nb = json.loads(z.read(root + "notebooks/01_toy.ipynb"))
    assert any("visible output" in "".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    intro = (builds["site"] / "intro.html").read_text()
    assert f'href="_downloads/tts-course-{tts_lib.__version__}.zip"' in intro
    assert "folded" in intro


def test_student_edition_leaks_nothing(builds):
    text = all_text(builds["student"])
    assert SOLUTION_TEXT not in text and SOLUTION_CODE not in text and "secret_solution_value" not in text
    assert "Compute six times seven." in text  # the exercise itself stays
    assert (builds["student"] / "_downloads" / f"tts-course-{tts_lib.__version__}-student.zip").is_file()
    intro = (builds["student"] / "intro.html").read_text()
    assert "folded" not in intro and "student edition" in intro
    # control: the full edition does carry the solution, in the page, the sources and the bundle
    full = all_text(builds["site"])
    assert full.count("secret_solution_value = 6 * 7") >= 3


def test_student_edition_drops_tagged_outputs_and_cells(builds):
    """Main-text cells that give an exercise's answer away: ``hide-output-student`` loses its output,
    ``remove-student`` the whole cell, in the student edition only (pages, sources, bundles)."""
    student = all_text(builds["student"])
    assert "answer output 36" not in student and "hidden_answer_check" not in student
    assert 'print(&quot;answer output&quot;, 6 * 6)' in student or 'print("answer output", 6 * 6)' in student
    full = all_text(builds["site"])
    assert "answer output 36" in full and "hidden_answer_check" in full


def test_full_edition_writes_the_student_and_lecturer_bundles(builds):
    v = tts_lib.__version__
    downloads = builds["site"] / "_downloads"
    with zipfile.ZipFile(downloads / f"tts-course-{v}-student.zip") as z:
        text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".ipynb", ".md")))
    assert SOLUTION_CODE not in text and SOLUTION_TEXT not in text and "answer output 36" not in text
    assert "Compute six times seven." in text
    names = zipfile.ZipFile(downloads / f"tts-course-{v}-lecturer.zip").namelist()
    assert f"tts-course-{v}-lecturer/course/grader.py" in names and not any(n.endswith("key.json") for n in names)
    assert not (builds["student"] / "_downloads" / f"tts-course-{v}-lecturer.zip").exists()


def test_strip_solutions_keeps_everything_else():
    text = "a\n```{solution-start} x\n:class: dropdown\n```\nsecret\n```{code-cell} ipython3\n1\n```\n```{solution-end}\n```\nb\n"
    assert student_edition.strip_solutions_text(text) == "a\nb\n"
    nb = {"cells": [
        {"cell_type": "markdown", "source": "intro\n```{solution-start} x\n```\nsecret"},
        {"cell_type": "code", "source": "secret = 1", "outputs": []},
        {"cell_type": "markdown", "source": "more secret\n```{solution-end}\n```\nafter"},
        {"cell_type": "code", "source": "kept = 2", "outputs": []},
    ]}
    out = student_edition.strip_solutions_notebook(nb)
    assert [c["source"] for c in out["cells"]] == ["intro\n", "after", "kept = 2"]


def test_repository_is_one_setting():
    opts = {"launch_buttons": {"binderhub_url": "https://mybinder.org"}, "repository_url": ""}
    book_meta.apply_repository(opts, book_meta.repository_url(opts, environ={}))
    assert not any(opts[k] for k in book_meta.BUTTONS) and "repository_url" not in opts
    assert book_meta.binder_url(opts, "chapters/02_setting.md") == ""
    opts = {"launch_buttons": {"binderhub_url": "https://mybinder.org"}}
    url = book_meta.repository_url(opts, environ={"TTS_REPOSITORY_URL": "https://github.com/org/book/"})
    book_meta.apply_repository(opts, url)
    assert all(opts[k] for k in book_meta.BUTTONS)
    assert book_meta.binder_url(opts, "chapters/02_setting.md") == (
        "https://mybinder.org/v2/gh/org/book/main?urlpath=lab/tree/chapters/02_setting.md")


def test_split_chapters_order_and_run_box_title():
    """A split chapter's section pages (``NN_k_name``) come after its landing page in the bundle, and their run
    box says "Run this section"."""
    import course_bundle
    import run_box

    docs = ["chapters/05_experiments", "chapters/04_2_real_flow", "chapters/04_convergence_proof",
            "chapters/04_1_ideal_limit", "chapters/03_slow_fast", "chapters/05_1_two_timescales"]
    assert sorted(docs, key=course_bundle.page_order) == [
        "chapters/03_slow_fast", "chapters/04_convergence_proof", "chapters/04_1_ideal_limit",
        "chapters/04_2_real_flow", "chapters/05_experiments", "chapters/05_1_two_timescales"]
    assert run_box.is_section_page("04_1_ideal_limit") and not run_box.is_section_page("04_convergence_proof")
    assert not run_box.is_section_page("01_toy")
