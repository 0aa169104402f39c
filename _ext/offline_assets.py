"""Keep the site self-contained (no CDN asset on any page) and free of JavaScript errors.

matplotlib's ``Animation.to_jshtml()`` output starts with
``<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/font-awesome.min.css">``
for the icons of its play/pause buttons. The book theme already ships Font Awesome (as JavaScript,
``_static/scripts/fontawesome.js``), which renders the same ``<i class="fa fa-play">`` icons, so that
CDN stylesheet is dropped from notebook outputs here. Any *other* remote asset is left alone on
purpose: tests/site/test_built_site.py blocks every non-local request in the browser and fails on it.
"""

from __future__ import annotations

import re

from docutils import nodes

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


def setup(app):
    # MathJax on every page: sphinx-proof's index (prf-prf) and the bibliography show math from other pages
    # (theorem titles, entry titles) that Sphinx does not count as the page's own, and left it untypeset
    app.set_html_assets_policy("always")
    app.connect("doctree-resolved", _strip_cdn_links)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
