"""Figures drawn for the phone (tts_lib.plots.style.show) as files, with their alt text, in the HTML pages.

A :class:`tts_lib.plots.style.Responsive` figure is a notebook output with two representations: ``image/png``
(the desktop drawing: LaTeX/PDF take it) and ``text/html``, a ``<picture class="tts-picture">`` whose phone
``<source>`` and desktop ``<img>`` are data URIs (so that it also shows in Jupyter). The HTML builder picks
``text/html`` (myst-nb's mime priority). Before it does (this post-transform runs ahead of myst-nb's
``SelectMimeType``), each such picture gets

* its images as files in ``_images/`` (named by their SHA-256, like myst-nb's), so a phone downloads only
  the phone drawing and a desktop only the desktop one, and the page does not carry both inline;
* the ``alt`` text of the cell's ``mystnb: image: alt:`` metadata, which myst-nb gave the ``image/png``
  image node.

The figure node around the output (caption, number, ``{numref}`` target) is myst-nb's, untouched.
Checked by tests/site/test_legibility.py (phone and desktop sizes) and test_built_site.py (no broken image).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

_DATA_URI = re.compile(r'data:image/png;base64,([A-Za-z0-9+/=]+)')
_MARK = 'class="tts-picture"'


class ResponsiveFigures(SphinxPostTransform):
    default_priority = 3  # before myst-nb's SelectMimeType (4), which drops the image/png node
    formats = ("html",)

    def run(self, **kwargs) -> None:  # noqa: ARG002
        builder = self.app.builder
        outdir = Path(builder.outdir) / builder.imagedir
        page = builder.get_target_uri(self.env.docname)
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {c.get("mime_type"): c for c in bundle.children if isinstance(c, nodes.container)}
            html_c = by_type.get("text/html")
            if html_c is None:
                continue
            raws = [r for r in html_c.findall(nodes.raw) if _MARK in r.astext()]
            if not raws:
                continue
            alt = ""
            png_c = by_type.get("image/png")
            if png_c is not None:
                alt = next((img.get("alt", "") for img in png_c.findall(nodes.image)), "")
            for raw in raws:
                text = self._externalise(raw.astext(), outdir, page, builder.imagedir)
                if alt:
                    text = text.replace('alt=""', f'alt="{html.escape(alt, quote=True)}"', 1)
                raw.children = [nodes.Text(text)]
                raw.rawsource = text

    @staticmethod
    def _externalise(text: str, outdir: Path, page: str, imagedir: str) -> str:
        def repl(m):
            data = base64.b64decode(m.group(1))
            name = hashlib.sha256(data).hexdigest() + ".png"
            outdir.mkdir(parents=True, exist_ok=True)
            path = outdir / name
            if not path.is_file():
                path.write_bytes(data)
            return relative_uri(page, f"{imagedir}/{name}")

        return _DATA_URI.sub(repl, text)


def setup(app):
    app.add_post_transform(ResponsiveFigures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
