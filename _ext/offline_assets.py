"""Keep the site self-contained (no CDN asset on any page) and free of JavaScript errors.

matplotlib's ``Animation.to_jshtml()`` output starts with
``<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/font-awesome.min.css">``
for the icons of its play/pause buttons. The book theme already ships Font Awesome (as JavaScript,
``_static/scripts/fontawesome.js``), which renders the same ``<i class="fa fa-play">`` icons, so that
CDN stylesheet is dropped from notebook outputs here. Any *other* remote asset is left alone on
purpose: tests/site/test_built_site.py blocks every non-local request in the browser and fails on it.

MathJax 4 (npm packages ``mathjax`` and ``@mathjax/mathjax-newcm-font``, pinned in package.json and installed by
``npm ci`` in tools/_env.sh) is copied from ``node_modules`` into ``_static/mathjax`` (its font under
``_static/mathjax/fonts``) and configured here to break long display equations at the width of their box, and
inline formulas at the end of a line (``output.displayOverflow: linebreak``). Its default font path is a CDN: the
loader's ``fonts`` path points at the local copy instead. Checked by tests/site/test_equations.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
MATHJAX_DIR = NODE_MODULES / "mathjax"
FONT = "mathjax-newcm-font"          # MathJax 4's default font (New Computer Modern)
FONT_DIR = NODE_MODULES / "@mathjax" / FONT
# what the browser needs of each package (no Node.js entry points, no SVG output, no sources)
_MATHJAX_SKIP = ("node-main*", "require.mjs", "*.md", "*.d.mts", "*.cjs")
_FONT_KEEP = ("chtml", "chtml.js", "package.json")

MATHJAX_CONFIG = {
    # the font's dynamic ranges and web fonts: the local copy, not the CDN the loader defaults to
    "loader": {"paths": {"fonts": "[mathjax]/fonts"}},
    # MathJax 4 enriches every formula and computes its speech by default: 30 s of CPU for chapter 2 on a
    # busy 2-core machine (the startup promise, which the browser tests await, waited for it). Off by default, as
    # in MathJax 3; screen readers get the assistive MathML (MathJax 3's default), and a reader can switch speech
    # and Braille on in MathJax's menu (right click on a formula).
    "options": {"menuOptions": {"settings": {"enrich": False, "speech": False, "braille": False,
                                             "assistiveMml": True}}},
    "output": {
        # a display equation wider than its box is broken into lines at that width (not cut, not scrolled)
        "displayOverflow": "linebreak",
        # in-line formulas may break at the end of a text line too (math.css: no side padding on a display
        # equation, which MathJax does not count: a 356 px line in a 358 px box scrolled by 2 px)
        "linebreaks": {"inline": True, "width": "100%", "lineleading": 0.2},
    },
}

_CDN_FONT_AWESOME = re.compile(
    r"<link\b[^>]*href=[\"']https?://[^\"']*font-awesome[^\"']*[\"'][^>]*>\s*", re.IGNORECASE
)


def _strip_cdn_links(app, doctree, docname):  # noqa: ARG001 (Sphinx event signature)
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        new = _CDN_FONT_AWESOME.sub("", text)
        if new != text:
            node.children = [nodes.Text(new)]
            node.rawsource = new


def _dedupe_scripts(app, pagename, templatename, context, doctree):  # noqa: ARG001
    """Drop repeated inline <script> bodies.

    sphinx-thebe 0.3.1 registers its inline config (``const THEBE_JS_URL = ...``) once per read pass,
    (and sphinx-togglebutton its selector) once per read pass, so pages carried them twice and the
    browser threw "Identifier 'THEBE_JS_URL' has already been declared" on every page.
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        # the same inline script arrives once with filename None and once with filename ""
        key = (str(getattr(js, "filename", js) or ""), tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    context["script_files"] = unique


def _deep_merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _configure_mathjax(app, config):
    config.mathjax_path = "mathjax/tex-chtml.js"
    config.mathjax3_config = _deep_merge(config.mathjax3_config or {}, MATHJAX_CONFIG)


def _check_mathjax(app):
    missing = [p for p in (MATHJAX_DIR / "tex-chtml.js", FONT_DIR / "chtml.js") if not p.is_file()]
    if missing:
        raise ExtensionError(f"MathJax 4 is not installed ({missing[0]} missing): run `npm ci` in {ROOT} "
                             "(tools/_env.sh does it)")


def _copy_mathjax(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / "mathjax"
    shutil.rmtree(dest, ignore_errors=True)      # no file of an older MathJax left beside this one
    shutil.copytree(MATHJAX_DIR, dest, ignore=shutil.ignore_patterns(*_MATHJAX_SKIP))
    font_dest = dest / "fonts" / FONT
    font_dest.mkdir(parents=True)
    for name in _FONT_KEEP:
        src = FONT_DIR / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, font_dest / name)


def setup(app):
    # MathJax on every page: sphinx-proof's index (prf-prf) and the bibliography show math from other pages
    # (theorem titles, entry titles) that Sphinx does not count as the page's own, and left it untypeset
    app.set_html_assets_policy("always")
    app.connect("config-inited", _configure_mathjax, priority=900)
    app.connect("builder-inited", _check_mathjax)
    app.connect("build-finished", _copy_mathjax)
    app.connect("doctree-resolved", _strip_cdn_links)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
