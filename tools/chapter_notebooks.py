"""The chapters as notebooks for nbval, and nbval's executed notebooks into the book's execution cache.

    python tools/chapter_notebooks.py prepare NBDIR chapters/*.md [--skip-cached _build/.jupyter_cache]
    python tools/chapter_notebooks.py cache CAPTURED_DIR --cache _build/.jupyter_cache

``prepare`` converts each page with Jupytext (what JupyterLab opens) into ``NBDIR`` and fails if a page has no
code cell after conversion (Jupytext front matter without ``extension: .md`` / ``format_name: myst`` turns a
chapter into one markdown cell, and nbval would "pass" a notebook that runs nothing) or if its code cells are
not exactly the ones the book build reads (myst-nb's reader): nbval must run what the book shows.

``cache`` takes the notebooks that ``tools/pytest_nbval_capture.py`` wrote (every cell passed under nbval) and
stores each one's outputs in the Jupyter Book execution cache (jupyter-cache), keyed as the build keys it: the
page read by myst-nb's reader, with nbval's outputs put into its code cells. The Sphinx pass then uses them
("Using cached notebook") instead of executing the page again. A page nbval did not pass is not cached, so
the build executes it and fails on the same cell.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _nb_name(md: Path) -> str:
    rel = md.resolve().relative_to(ROOT).with_suffix("")
    return "__".join(rel.parts) + ".ipynb"


def read_as_build(md: Path):
    """The page as the book build reads it (myst-nb's reader for a Jupytext MyST notebook)."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    text = md.read_text(encoding="utf-8")
    reader = create_nb_reader(str(md), MdParserConfig(), NbParserConfig(), text)
    if reader is None:
        raise SystemExit(f"error: {md}: myst-nb does not read it as a notebook")
    return reader.read(text)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def prepare(nbdir: Path, pages: list[Path], skip_cached: Path | None = None) -> int:
    import jupytext

    nbdir.mkdir(parents=True, exist_ok=True)
    store = None
    if skip_cached is not None and skip_cached.exists():
        from jupyter_cache import get_cache
        store = get_cache(str(skip_cached))
    bad = []
    for md in pages:
        if store is not None:
            try:
                store.match_cache_notebook(read_as_build(md))
                print(f"  {md}: in the execution cache")
                continue
            except KeyError:
                pass
        nb = jupytext.read(md)
        code = _code(nb)
        src_build = [c.source for c in _code(read_as_build(md))]
        print(f"  {md}: {len(code)} code cells")
        if not code:
            bad.append(f"{md}: no code cell after jupytext conversion (check the front matter: "
                       "jupytext.text_representation.extension: .md, format_name: myst)")
        elif [c.source for c in code] != src_build:
            bad.append(f"{md}: Jupytext and the book build (myst-nb) read different code cells")
        nb.metadata["tts_source"] = str(md.resolve().relative_to(ROOT))
        jupytext.write(nb, nbdir / _nb_name(md), fmt="ipynb")
    for b in bad:
        print("error:", b, file=sys.stderr)
    return 1 if bad else 0


def cache(captured: Path, cache_dir: Path) -> int:
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    store = get_cache(str(cache_dir))
    n = 0
    for path in sorted(captured.glob("*.ipynb")):
        done = nbformat.read(path, as_version=4)
        md = ROOT / done.metadata["tts_source"]
        nb = read_as_build(md)
        code, ran = _code(nb), _code(done)
        if [c.source for c in code] != [c.source for c in ran]:
            print(f"warning: {md}: changed since nbval ran it; not cached (the build executes it)", file=sys.stderr)
            continue
        for c, r in zip(code, ran):
            c.outputs = r.outputs
            c.execution_count = r.execution_count
        if "language_info" in done.metadata:
            nb.metadata["language_info"] = done.metadata["language_info"]
        seconds = done.metadata.get("tts_capture", {}).get("execution_seconds")
        store.cache_notebook_bundle(CacheBundleIn(nb, str(md), data={"execution_seconds": seconds}),
                                    check_validity=False, overwrite=True)
        n += 1
        print(f"  cached {md.relative_to(ROOT)} (executed by nbval in {seconds:.0f} s)")
    print(f"{n} executed notebook(s) in {cache_dir}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("nbdir", type=Path)
    p.add_argument("pages", nargs="+", type=Path)
    p.add_argument("--skip-cached", type=Path, default=None, help="leave out the pages this execution cache has")
    c = sub.add_parser("cache")
    c.add_argument("captured", type=Path)
    c.add_argument("--cache", type=Path, required=True)
    a = ap.parse_args()
    sys.exit(prepare(a.nbdir, a.pages, a.skip_cached) if a.cmd == "prepare" else cache(a.captured, a.cache))


if __name__ == "__main__":
    main()
