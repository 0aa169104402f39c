"""The right material in the right hands, without a build: the student edition drops the cells tagged
``remove-student`` and the outputs of those tagged ``hide-output-student`` (pages, .md, .ipynb, bundle); the
lecturer's bundle carries the course/ folder and no key; the student's wheel packages tts_lib only."""

import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))

import course_bundle  # noqa: E402
import student_edition  # noqa: E402

MD = """# A chapter

```{code-cell} ipython3
print(36)
```

```{code-cell} ipython3
:tags: [remove-cell, remove-student]
assert answer == 36
```

```{code-cell} ipython3
:tags: [remove-cell]
assert other == 1
```

````{code-cell} ipython3
---
tags: [remove-student]
---
secret = 36
````
"""


def test_student_text_drops_tagged_cells_only():
    out = student_edition.strip_solutions_text(MD)
    assert "assert answer == 36" not in out and "secret = 36" not in out
    assert "print(36)" in out and "assert other == 1" in out and out.startswith("# A chapter")


def test_student_notebook_drops_and_hides():
    cell = lambda src, tags, outputs: {"cell_type": "code", "source": src, "metadata": {"tags": tags},  # noqa: E731
                                       "outputs": outputs, "execution_count": 1}
    out = [{"output_type": "stream", "name": "stdout", "text": "[23, 36, 52]\n"}]
    nb = {"cells": [cell("a", [], out), cell("b", ["hide-output-student"], out), cell("c", ["remove-student"], out)]}
    cells = student_edition.strip_solutions_notebook(nb)["cells"]
    assert [c["source"] for c in cells] == ["a", "b"]
    assert cells[0]["outputs"] == out and cells[1]["outputs"] == []


def test_lecturer_bundle_has_the_course_folder_and_no_key(tmp_path):
    wheel = tmp_path / "tts_lib-0-py3-none-any.whl"
    wheel.write_bytes(b"not a real wheel")
    dest = course_bundle.write_lecturer_bundle(tmp_path, wheel, "lect")
    names = zipfile.ZipFile(dest).namelist()
    assert {"lect/course/grader.py", "lect/course/variants.py", "lect/README.md", "lect/requirements.txt"} <= set(names)
    assert not any(n.endswith("key.json") for n in names)


def test_the_wheel_packages_tts_lib_only():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert cfg["tool"]["setuptools"]["packages"]["find"]["include"] == ["tts_lib", "tts_lib.*"]
    assert not list((ROOT / "tts_lib").rglob("variants.py")) and not list((ROOT / "tts_lib").rglob("grader.py"))
