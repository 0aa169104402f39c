"""The course bundle (issue 15), tested as a student uses it.

``_build/html/_downloads/tts-course-<version>.zip`` (built by ``_ext/course_bundle.py``) is linked from
the landing page and holds: a README with the install and open commands, a pinned ``requirements.txt``,
the ``tts_lib`` wheel, and every chapter as an executed notebook. The last test unzips it into a scratch
folder, creates a fresh virtual environment (no access to the project's packages), runs the README's install
command there (pip's cache makes a repeated run fast) and executes one chapter with the installed kernel.

Run after the build: ``pytest tests/site/test_bundle.py`` (tools/run_tests.sh does).
"""

from __future__ import annotations

import json
import os
from html import unescape
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import tts_lib
from bookcfg import toc_chapters
from sitecfg import SITE_DIR

# the chapter executed in the fresh environment: the quickest one to run
CHAPTER = "03_slow_fast"


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = SITE_DIR / "_downloads" / f"tts-course-{tts_lib.__version__}.zip"
    assert path.is_file(), f"no course bundle {path}: build the book first"
    return path


def test_bundle_contents(bundle):
    name = bundle.stem
    chapters = toc_chapters()
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        assert {f"{name}/README.md", f"{name}/requirements.txt", f"{name}/LICENSE", f"{name}/LICENSE-CONTENT"} <= names
        wheel = f"{name}/tts_lib-{tts_lib.__version__}-py3-none-any.whl"
        assert wheel in names
        for ch in chapters:
            nb = json.loads(z.read(f"{name}/notebooks/{ch}.ipynb"))
            code = [c for c in nb["cells"] if c["cell_type"] == "code"]
            assert code and any(c["outputs"] for c in code), f"{ch}: no outputs in the bundled notebook"
            assert nb["metadata"]["kernelspec"]["name"] == "python3"
        reqs = z.read(f"{name}/requirements.txt").decode()
        readme = z.read(f"{name}/README.md").decode()
    for pkg in ("numpy", "scipy", "numba", "matplotlib", "ipykernel", "ipywidgets", "jupyterlab", "jupyterlab-myst"):
        assert re.search(rf"^{pkg}==\S+$", reqs, re.M), pkg
    assert f"./tts_lib-{tts_lib.__version__}-py3-none-any.whl" in reqs.splitlines()
    assert "pip install -r requirements.txt" in readme and "jupyter lab notebooks/" in readme
    assert "solution" not in readme.lower() or "student" not in name


def test_landing_page_and_chapters_link_the_bundle(bundle):
    assert f'href="_downloads/{bundle.name}"' in (SITE_DIR / "intro.html").read_text(encoding="utf-8")
    for page in sorted((SITE_DIR / "chapters").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "run-this-chapter" in html, f"{page.name}: no 'Run this chapter' box"
        assert f'href="../_downloads/{bundle.name}"' in html, page.name
        assert f'href="../_sources/chapters/{page.stem}.ipynb"' in html, page.name
        text = " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
        assert f"bash tools/lab.sh chapters/{page.stem}.md" in text, page.name


def test_fresh_venv_installs_from_the_bundle_and_runs_a_chapter(bundle, tmp_path):
    t0 = time.monotonic()
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    folder = tmp_path / bundle.stem
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # nothing of the project's environment: its packages, nor its numba cache (a student's starts empty)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "NUMBA_CACHE_DIR")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # no byte-compiling of every module of the ~100 installed packages (pip's default): it proves nothing about
    # the bundle (the kernel compiles what it imports) and costs CPU time
    env["PIP_NO_COMPILE"] = "1"
    # the README's install command, from the bundle's folder
    res = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                         cwd=folder, env=env, capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, res.stderr[-3000:]
    t_install = time.monotonic() - t0
    # the library comes from the wheel, not from the repository
    where = subprocess.run([str(py), "-c", "import tts_lib; print(tts_lib.__file__, tts_lib.__version__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert Path(where[0]).is_relative_to(venv) and where[1] == tts_lib.__version__
    # execute one chapter in the new environment, its own kernel
    out = tmp_path / "out"
    jupyter = venv / "bin" / "jupyter"
    assert jupyter.exists(), "the bundle's requirements do not install Jupyter"
    res = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=1200",
         "--ExecutePreprocessor.kernel_name=python3", "--output-dir", str(out), f"notebooks/{CHAPTER}.ipynb"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=1800)
    assert res.returncode == 0, res.stderr[-3000:]
    nb = json.loads((out / f"{CHAPTER}.ipynb").read_text())
    errors = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors
    assert sum(bool(c.get("outputs")) for c in nb["cells"] if c["cell_type"] == "code") >= 3
    print(f"\nbundle test: install {t_install:.0f} s, total {time.monotonic() - t0:.0f} s")
    shutil.rmtree(venv, ignore_errors=True)


def test_teachers_page_links_the_student_and_lecturer_bundles_separately():
    """The teachers' guide links the student bundle, the lecturer's bundle and the full one, each a real file;
    the lecturer's bundle holds the grader and the variant generator, and no answer key."""
    version = tts_lib.__version__
    html = (SITE_DIR / "reference" / "teachers.html").read_text(encoding="utf-8")
    for kind in ("-student", "-lecturer", ""):
        name = f"tts-course-{version}{kind}.zip"
        assert f'href="../_downloads/{name}"' in html, name
        assert (SITE_DIR / "_downloads" / name).is_file(), name
    with zipfile.ZipFile(SITE_DIR / "_downloads" / f"tts-course-{version}-lecturer.zip") as z:
        names = z.namelist()
    assert any(n.endswith("/course/grader.py") for n in names) and any(n.endswith("/course/variants.py") for n in names)
    assert not any(n.endswith("key.json") for n in names)
    with zipfile.ZipFile(SITE_DIR / "_downloads" / f"tts-course-{version}-student.zip") as z:
        text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".ipynb"))
    assert "solution-start" not in text and "min_neurons(lengths, 0.9) == 36" not in text
