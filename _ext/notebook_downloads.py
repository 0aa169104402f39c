"""Every chapter's ``.ipynb`` download carries its executed outputs, on every build, cold or warm.

myst-nb writes ``_build/jupyter_execute/<page>.ipynb`` while it reads a notebook page, and
sphinx-book-theme copies that file to ``_build/html/_sources/<page>.ipynb`` for the download menu (only
when a launch button is configured). On a *warm* build the execution cache serves the outputs for the
page, but the file myst-nb writes is the source notebook without them (myst-nb 1.4 merges the cached
outputs into a copy and writes the original object): the download had no output.

Here, for every page read from a Jupytext notebook, just before the theme's own handlers
(``html-page-context``, priority 400 < 501):

1. the notebook in ``jupyter_execute`` is completed from the execution cache when none of its code cells
   has an output (``jupyter_cache``'s ``merge_match_into_notebook``, as myst-nb does for the page);
2. in the student edition (``hide_solutions``) its gated solutions are removed
   (``student_edition.strip_solutions_notebook``);
3. it is written back to ``jupyter_execute`` (so the theme's copy is the same file) and to
   ``_sources/<page>.ipynb``, and the page's download menu offers it (``ipynb_source``).

A notebook page whose download would still have no output at all is a build warning (fatal under -W).
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _has_outputs(nb: dict) -> bool:
    return any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def executed_notebook(path: Path, cache_path: str | None, hide_solutions: bool) -> dict:
    """The notebook at ``path`` with its outputs (from the cache if it has none), solutions removed if asked."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    if not _has_outputs(nb) and cache_path and Path(cache_path).exists():
        from jupyter_cache import get_cache

        try:
            _, nb = get_cache(cache_path).merge_match_into_notebook(nb)
        except KeyError:  # not in the cache: leave it, the caller warns
            pass
    nb = json.loads(nbformat.writes(nb))
    if hide_solutions:
        from student_edition import strip_solutions_notebook

        nb = strip_solutions_notebook(nb)
    return nb


def _page_context(app, pagename, templatename, context, doctree):  # noqa: ARG001
    if doctree is None or app.builder.format != "html":
        return
    src = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not src.is_file() or not str(app.env.doc2path(pagename)).endswith(".md"):
        return
    cache = getattr(app.env.mystnb_config, "execution_cache_path", None) or Path(app.outdir).parent / ".jupyter_cache"
    nb = executed_notebook(src, str(cache), app.config.hide_solutions)
    if not _has_outputs(nb):
        logger.warning(f"{pagename}: the downloadable notebook has no output", location=pagename)
    text = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
    src.write_text(text, encoding="utf-8")
    dst = Path(app.outdir, "_sources", f"{pagename}.ipynb")
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(text, encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    app.setup_extension("student_edition")  # strip_solutions_notebook, hide_solutions
    app.connect("html-page-context", _page_context, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
