"""The course bundle (issue 15), tested as a student uses it.

``_build/html/_downloads/tts-course-<version>.zip`` (built by ``_ext/course_bundle.py``) is linked from
the landing page and holds: a README with the install and open commands, a pinned ``requirements.txt``,
the ``tts_lib`` wheel, and every chapter as an executed notebook. The last test unzips it into a scratch
folder, creates a fresh virtual environment (no access to the project's packages), installs the bundle's
``requirements.txt`` there with pip and executes one chapter with the installed kernel.

The install is the README's ``pip install -r requirements.txt`` with changes that keep what it proves (the
bundle's own requirements, resolved by pip, installed in an isolated environment) and drop what it costs:
pip runs from the project's environment with ``--python`` into a venv created ``--without-pip`` (ensurepip
would install pip's 1,000 files first); ``--no-index --find-links`` the wheelhouse that tools/_env.sh fills
when it installs the project (``_build/.wheelhouse``: the pinned wheels of requirements.txt, of which the
bundle's are a subset), so no index is queried and nothing is downloaded (if a requirement is missing there,
the wheelhouse is completed from the package index, ``pip download``, first); pip resolves (``--dry-run
--report``) and uv unpacks the wheels (pip itself when uv is absent), and the venv must then hold exactly
the distributions pip resolved, no more, no fewer.

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
ROOT = Path(__file__).resolve().parents[2]
#: the pinned wheels of requirements.txt, filled by tools/_env.sh (TTS_WHEELHOUSE overrides)
WHEELHOUSE = Path(os.environ.get("TTS_WHEELHOUSE") or ROOT / "_build" / ".wheelhouse")


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
    # a fresh venv without pip: the project's pip installs into it (pip --python), as the README's would
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    # nothing of the project's environment: its packages, nor its numba cache (a student's starts empty)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "NUMBA_CACHE_DIR")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # no byte-compiling of every module of the ~100 installed packages (pip's default): it proves nothing about
    # the bundle (the kernel compiles what it imports) and costs CPU time
    env["PIP_NO_COMPILE"] = "1"
    pip = [sys.executable, "-m", "pip", "--python", str(py)]
    local = ["--no-index", "--find-links", str(WHEELHOUSE), "-r", "requirements.txt"]

    def resolve():  # pip's resolution of the README's command: what `pip install -r requirements.txt` installs
        return subprocess.run(pip + ["install", "--dry-run", "--quiet", "--report", str(tmp_path / "pip.json")] + local,
                              cwd=folder, env=env, capture_output=True, text=True, timeout=1200)

    res = resolve()
    if res.returncode != 0 and "No matching distribution" in res.stderr:
        # the wheelhouse lacks a requirement (a new pin, or tools/_env.sh never filled it): complete it from
        # the package index, then resolve from it again
        fill = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(WHEELHOUSE),
                               "-r", "requirements.txt"], cwd=folder, env=env, capture_output=True, text=True,
                              timeout=1800)
        assert fill.returncode == 0, fill.stderr[-3000:]
        for stale in WHEELHOUSE.glob("tts_lib-*.whl"):  # the library always comes from the bundle's own wheel
            stale.unlink()
        res = resolve()
    assert res.returncode == 0, res.stderr[-3000:]
    norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    wanted = {norm(d["metadata"]["name"]): d["metadata"]["version"]
              for d in json.loads((tmp_path / "pip.json").read_text())["install"]}
    assert wanted.get("tts-lib") == tts_lib.__version__ and {"numba", "ipykernel", "jupyterlab"} <= set(wanted)
    # The install itself: uv (requirements.txt) unpacks the same wheels in a few seconds where pip takes a minute
    # of CPU; pip when uv is absent. Either way the venv must end up holding exactly what pip resolved.
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():
        res = subprocess.run([str(uv), "pip", "install", "--no-config", "--quiet", "--python", str(py)] + local,
                             cwd=folder, env=dict(env, UV_CACHE_DIR=str(tmp_path / "uv-cache")), capture_output=True,
                             text=True, timeout=1200)
    else:
        res = subprocess.run(pip + ["install", "--quiet"] + local, cwd=folder, env=env, capture_output=True, text=True,
                             timeout=1200)
    assert res.returncode == 0, res.stderr[-3000:]
    installed = json.loads(subprocess.run(
        [str(py), "-c", "import importlib.metadata as m, json; "
                        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"],
        env=env, capture_output=True, text=True, check=True).stdout)
    assert {norm(k): v for k, v in installed.items()} == wanted
    t_install = time.monotonic() - t0
    # pip is not in the new environment: nothing of the project's pip leaked in
    assert subprocess.run([str(py), "-c", "import pip"], env=env, capture_output=True).returncode != 0
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
