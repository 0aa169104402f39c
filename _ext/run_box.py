"""A "Run this chapter" box at the top of every notebook page (the chapters), generated here.

It is inserted under the page title of every page read from a Jupytext notebook and lists:

- the executed notebook of the page (the download menu's ``.ipynb``, see ``notebook_downloads``);
- the course bundle (``course_bundle``): every chapter plus the library (its README has the two commands);
- the command that opens the chapter as a notebook from a clone of the repository (``tools/lab.sh``);
- Binder, only when the repository address is set (``book_meta``).

The box is a ``note`` admonition with the class ``run-this-chapter``; in the student edition its links point
to the student edition's bundle and solution-free notebooks. A section page of a split chapter
(``chapters/NN_k_name``, its own notebook) gets the same box, titled "Run this section".
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes


def _is_notebook_source(path: Path) -> bool:
    if path.suffix != ".md" or not path.is_file():
        return False
    head = path.read_text(encoding="utf-8")[:600]
    return head.startswith("---") and "jupytext:" in head and "kernelspec:" in head


def _item(*children) -> nodes.list_item:
    para = nodes.paragraph()
    for child in children:
        para += child
    return nodes.list_item("", para)


def _link(text: str, href: str, literal: bool = False) -> nodes.reference:
    ref = nodes.reference("", "", refuri=href, internal=False)
    ref += nodes.literal(text, text) if literal else nodes.Text(text)
    return ref


def is_section_page(stem: str) -> bool:
    """``04_1_ideal_limit`` (a section of chapter 4 on its own page), not ``04_convergence_proof``."""
    parts = stem.split("_")
    return len(parts) > 2 and parts[0].isdigit() and parts[1].isdigit()


def run_box(app, docname: str) -> nodes.admonition:
    from book_meta import tts_binder_url
    from course_bundle import _app_bundle_name, bundle_href

    up = "../" * docname.count("/")
    stem = docname.rsplit("/", 1)[-1]
    source = app.env.doc2path(docname, base=False)
    source = Path(source).as_posix()
    bundle = _app_bundle_name(app)
    unit = "section" if is_section_page(stem) else "chapter"
    items = nodes.bullet_list()
    # short enough for the box and the learning objectives to fit one phone screen together (issue #27)
    items += _item(
        nodes.Text("Executed notebook: "),
        _link(f"{stem}.ipynb", f"{up}_sources/{docname}.ipynb", literal=True),
        nodes.Text(" (it imports "),
        nodes.literal("tts_lib", "tts_lib"),
        nodes.Text(", which the bundle installs)."),
    )
    items += _item(
        nodes.Text("Course bundle: "),
        _link(f"{bundle}.zip", bundle_href(app, docname), literal=True),
        nodes.Text(", every chapter and the library; its README says how to install and open it."),
    )
    items += _item(
        nodes.Text("From a clone: "),
        nodes.literal(f"bash tools/lab.sh {source}", f"bash tools/lab.sh {source}"),
        nodes.Text(f" opens this {unit} in JupyterLab."),
    )
    binder = tts_binder_url(app, source)
    if binder:
        items += _item(
            _link(f"Open this {unit} in Binder", binder),
            nodes.Text(" (live JupyterLab; the first start takes minutes)."),
        )
    box = nodes.admonition(classes=["note", "run-this-chapter"])
    box += nodes.title(f"Run this {unit}", f"Run this {unit}")
    box += items
    return box


def _doctree_read(app, doctree):
    docname = app.env.docname
    if not _is_notebook_source(Path(app.env.doc2path(docname))):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    section.insert(1, run_box(app, docname))


def setup(app):
    app.setup_extension("book_meta")
    app.setup_extension("course_bundle")
    app.connect("doctree-read", _doctree_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
