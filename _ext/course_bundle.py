"""The course bundle: a ``.zip`` a student downloads to run every chapter on their own machine.

Written at the end of every HTML build to ``_downloads/tts-course-<version>[-student].zip`` (the
student edition, ``hide_solutions``, gets its own, built from its solution-free notebooks):

    tts-course-<version>/
        README.md                 the two commands: install, open
        requirements.txt          pinned: the library's runtime, ipykernel, ipywidgets, JupyterLab, jupyterlab-myst
        tts_lib-<version>-py3-none-any.whl   the companion library (``pip wheel --no-deps .``)
        notebooks/NN_name.ipynb   every chapter page (chapters 4-6: NN_k_name.ipynb per section), executed
        LICENSE, LICENSE-CONTENT

The full edition also writes, beside it, the **student bundle** ``tts-course-<version>-student.zip`` (the same
layout, from the notebooks without their solutions and without the outputs tagged for the student edition:
the file the student edition serves) and the **lecturer's bundle** ``tts-course-<version>-lecturer.zip`` (the
repository's ``course/`` folder: graded-variant generator, grader, marking schemes, board notes, weekly sheets;
and the wheel). The student edition writes only its own student bundle. The roles ``{student-bundle}`` and
``{lecturer-bundle}`` link to the two from a page of the full edition (the teachers' guide).

The role ``{course-bundle}`` links to it from a page: ``{course-bundle}`course bundle``` renders as
"**course bundle** (``tts-course-0.1.0.zip``)", one link. ``bundle_href(app, docname)`` gives the relative link for other extensions (the run box of the chapters).

The wheel is built once per content of the library (cached next to the build, keyed on a hash of
``pyproject.toml`` and ``tts_lib/``), in a scratch copy of those files so that nothing is written to the
source tree.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import version as dist_version
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
# what a student installs next to the library's wheel (which pulls its own runtime dependencies, pinned here)
BUNDLE_REQUIREMENTS = (
    "numpy", "scipy", "numba", "llvmlite", "matplotlib", "tqdm",
    "ipykernel", "ipywidgets", "jupyterlab", "jupyterlab-myst",
)


def bundle_name(version: str, student: bool) -> str:
    return f"tts-course-{version}" + ("-student" if student else "")


def _app_bundle_name(app) -> str:
    return bundle_name(app.config.tts_version, bool(app.config.hide_solutions))


def bundle_href(app, docname: str) -> str:
    """Link to the bundle from page ``docname`` (relative, so the site works from any folder)."""
    return "../" * docname.count("/") + f"_downloads/{_app_bundle_name(app)}.zip"


def _bundle_role(kind):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):  # noqa: ARG001
        env = inliner.document.settings.env
        app = env.app
        if kind == "course":
            fname = f"{_app_bundle_name(app)}.zip"
        else:
            fname = f"tts-course-{app.config.tts_version}-{kind}.zip"
        href = "../" * env.docname.count("/") + f"_downloads/{fname}"
        return _bundle_link(rawtext, text.strip(), fname, href)

    return role


def _bundle_link(rawtext, label, fname, href):
    node = nodes.reference(rawtext, "", refuri=href, classes=["course-bundle"])
    node += nodes.strong(label, label)
    node += nodes.Text(" (")
    node += nodes.literal(fname, fname)
    node += nodes.Text(")")
    return [node], []


def _library_hash() -> str:
    h = hashlib.sha256()
    for path in [ROOT / "pyproject.toml", *sorted((ROOT / "tts_lib").rglob("*.py"))]:
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def build_wheel(cache_dir: Path) -> Path:
    """``pip wheel --no-deps`` of the library, from a scratch copy of the sources; cached by content."""
    key = _library_hash()
    cached = sorted(Path(cache_dir, key).glob("tts_lib-*.whl"))
    if cached:
        return cached[0]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "src")
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (ROOT / name).exists():
                shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "tts_lib", src / "tts_lib", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        out = Path(cache_dir, key)
        out.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(src)]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"pip wheel failed:\n{res.stdout}\n{res.stderr}")
    return sorted(out.glob("tts_lib-*.whl"))[0]


def requirements_text(wheel_name: str) -> str:
    lines = [
        "# Install from this folder: python -m pip install -r requirements.txt",
        "# (versions: those the book was built and tested with)",
    ]
    for name in BUNDLE_REQUIREMENTS:
        lines.append(f"{name}=={dist_version(name)}")
    lines.append(f"./{wheel_name}")
    return "\n".join(lines) + "\n"


def page_order(docname: str) -> tuple:
    """Book order of a chapter page: ``chapters/04_convergence_proof`` (a chapter's landing page) before its
    sections ``chapters/04_1_ideal_limit``, ``chapters/04_2_...`` (plain sorting would put the sections first)."""
    stem = docname.rsplit("/", 1)[-1]
    parts = stem.split("_")
    section = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0
    return (parts[0], section, stem)


def readme_text(name: str, title: str, chapters: list[str], student: bool) -> str:
    first = chapters[0] if chapters else "01_introduction.ipynb"
    edition = (
        "This is the **student edition**: the exercises are there, their solutions are not.\n\n"
        if student
        else ""
    )
    listing = "\n".join(f"- `notebooks/{c}`" for c in chapters)
    return f"""# {title}: course bundle ({name})

{edition}Every chapter of the book as a notebook (chapters 4 to 6 as one notebook per section), with the outputs of the book's own run, and the companion
library `tts_lib` as a wheel. You need Python 3.11 or newer.

From this folder (after unzipping):

```bash
python3 -m venv .venv && . .venv/bin/activate && python -m pip install -r requirements.txt   # 1. install
jupyter lab notebooks/{first}                                                             # 2. open
```

(On Windows: `py -m venv .venv`, `.venv\\Scripts\\activate`, then the same `pip` and `jupyter` commands.)
In JupyterLab, *Run → Run All Cells* re-executes a notebook; `jupyterlab-myst` renders its theorems,
exercises, citations and equation references. The notebooks, in the book's order:

{listing}

Licences: code (the library, the code cells) under the MIT licence (`LICENSE`); text and figures under
CC BY 4.0 (`LICENSE-CONTENT`).
"""


def write_bundle(outdir: Path, notebooks: list[Path], wheel: Path, name: str, title: str, student: bool,
                 strip=None) -> Path:
    """Write ``outdir/_downloads/<name>.zip``; returns its path. ``strip`` (notebook dict -> notebook dict), when
    given, is applied to every notebook on its way into the zip (the student bundle of the full edition)."""
    import json

    dest = Path(outdir, "_downloads", f"{name}.zip")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{name}/README.md", readme_text(name, title, [p.name for p in notebooks], student))
        z.writestr(f"{name}/requirements.txt", requirements_text(wheel.name))
        z.write(wheel, f"{name}/{wheel.name}")
        for nb in notebooks:
            if strip is None:
                z.write(nb, f"{name}/notebooks/{nb.name}")
            else:
                data = strip(json.loads(nb.read_text(encoding="utf-8")))
                z.writestr(f"{name}/notebooks/{nb.name}", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        for lic in ("LICENSE", "LICENSE-CONTENT"):
            if (ROOT / lic).exists():
                z.write(ROOT / lic, f"{name}/{lic}")
    tmp.replace(dest)
    return dest


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    chapters = sorted((d for d in app.env.found_docs if d.startswith("chapters/")), key=page_order)
    notebooks = [outdir / "_sources" / f"{d}.ipynb" for d in chapters]
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        logger.warning(f"course bundle: executed notebooks missing: {missing}")
        return
    wheel = build_wheel(outdir.parent / ".tts_wheels")
    student = bool(app.config.hide_solutions)
    title = app.config.project.replace(" (student edition)", "")
    dest = write_bundle(outdir, notebooks, wheel, _app_bundle_name(app), title, student)
    logger.info(f"course bundle: {dest} ({dest.stat().st_size / 1e6:.1f} MB)")
    if not student:
        from student_edition import strip_solutions_notebook

        version = app.config.tts_version
        extra = write_bundle(outdir, notebooks, wheel, bundle_name(version, True), title, True, strip=strip_solutions_notebook)
        lecturer = write_lecturer_bundle(outdir, wheel, f"tts-course-{version}-lecturer")
        logger.info(f"course bundle: {extra} and {lecturer}")


#: what the lecturer's bundle takes from the repository's course/ folder
LECTURER_FILES = ("*.py", "*.md", "board-notes/*.md", "sheets/*.md", "sheets/*.tex", "sheets/*.pdf")


def write_lecturer_bundle(outdir: Path, wheel: Path, name: str) -> Path:
    """``_downloads/<name>.zip``: the course/ folder (generator, grader, schemes, notes, sheets) and the wheel."""
    dest = Path(outdir, "_downloads", f"{name}.zip")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".zip.part")
    src = ROOT / "course"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for pattern in LECTURER_FILES:
            for path in sorted(src.glob(pattern)):
                z.write(path, f"{name}/course/{path.relative_to(src)}")
        if (src / "README.md").exists():
            z.write(src / "README.md", f"{name}/README.md")
        z.writestr(f"{name}/requirements.txt", requirements_text(wheel.name)
                   + "".join(f"{pkg}=={dist_version(pkg)}\n" for pkg in ("nbclient", "nbformat")))
        z.write(wheel, f"{name}/{wheel.name}")
        for lic in ("LICENSE", "LICENSE-CONTENT"):
            if (ROOT / lic).exists():
                z.write(ROOT / lic, f"{name}/{lic}")
    tmp.replace(dest)
    return dest


def setup(app):
    app.setup_extension("book_meta")  # tts_version
    app.add_role("course-bundle", _bundle_role("course"))
    app.add_role("student-bundle", _bundle_role("student"))
    app.add_role("lecturer-bundle", _bundle_role("lecturer"))
    # after student_edition's clean-up of _sources (priority 400)
    app.connect("build-finished", _build_finished, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
