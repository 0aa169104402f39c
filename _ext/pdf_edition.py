"""The PDF edition (``jupyter-book build --builder pdflatex``, tools/build_pdf.sh): what the web page shows with
JavaScript becomes something that can be printed. Acts only for the LaTeX builder; the HTML site is unchanged.

- **Explorables** (``{raw} html`` blocks ``<figure class="tts-explorable">``, dropped by the LaTeX writer) become a
  boxed paragraph "Explorable (web edition)" holding the figure's caption as plain text, so the reader of the
  PDF learns what the page offers and where.
- **Animations** (``matplotlib`` ``to_jshtml()`` outputs, wrapped in ``<div class="tts-animation">``, whose only
  other representation is ``<IPython.core.display.HTML object>``) become their last frame as an image, with the
  line "Animation in the web edition; its last frame is shown". The frames are the PNGs embedded in the HTML.

- **Math that is not math**: an inline ``math`` node holding backticks (a docstring's broken markup,
  ``:math:`x = ` ``xs[k]```` in ``tts_lib.sgd.sgd_samples``, which MathJax shows as stray backticks) is a LaTeX
  error ("Double superscript"): it is split into its math and its code (``x =`` and ``xs[k]``).

- **Proofs** (sphinx-proof's ``{prf:proof}``: an admonition with no title, its first paragraph starting with
  "Proof. ") print as a box under an empty title bar; they get the title "Proof" instead.

- **A link titled with math** (``{doc}`05_3_eps_sweep``` whose page title is "The sweep over $\varepsilon$")
  carries the title as plain text, ``\varepsilon`` included (the web page shows it too): in the PDF the few
  Greek commands of the book's titles become their letters.

Two post-transforms: one before myst-nb's mime-type selection (``SelectMimeType``, priority 4), which would
otherwise keep the ``text/plain`` placeholder; one for the link titles after Sphinx resolves the references
(priority 10), which is when a ``{doc}`` link receives its page's title.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\n\s]+)")


def _plain(fragment: str) -> str:
    """HTML fragment -> one line of plain text (tags dropped, entities decoded, white space collapsed)."""
    text = re.sub(r"<[^>]+>", "", fragment)
    return " ".join(html.unescape(text).split())


def explorable_box(raw_html: str) -> nodes.Node | None:
    """The printable stand-in for an explorable's raw HTML block, or None if the block is not one."""
    if "tts-explorable" not in raw_html:
        return None
    m = _FIGCAPTION.search(raw_html)
    caption = _plain(m.group(1)) if m else "An interactive figure."
    box = nodes.admonition(classes=["tts-explorable-print"])
    box += nodes.title(text="Explorable (web edition)")
    box += nodes.paragraph(text=caption)
    box += nodes.paragraph(text="This figure is interactive: it runs in the web edition of the book, in the "
                                "browser (JavaScript, no installation). The printed book shows its caption only.")
    return box


def split_code_from_math(text: str) -> list[nodes.Node] | None:
    """``x = ` ``xs[k]`` (what the broken role leaves) -> [math ``x =``, literal ``xs[k]``]; None if no backtick."""
    if "`" not in text:
        return None
    m = re.match(r"^(.*?)`\s*``(.*?)`*$", text, re.S)
    if m:
        out = [nodes.math(text=m.group(1).strip())] if m.group(1).strip() else []
        return out + [nodes.Text(" "), nodes.literal(text=m.group(2).strip("` "))]
    return [nodes.math(text=text.replace("`", ""))]


def title_proof(box: nodes.admonition) -> bool:
    """Give a sphinx-proof proof box the title "Proof" (moved from its text); False if it is not one."""
    if "proof" not in box.get("classes", []) or any(isinstance(c, nodes.title) for c in box.children):
        return False
    first = next(iter(box.findall(nodes.Text)), None)
    kind = next((c for c in box["classes"] if c != "proof"), "proof").title()
    if first is not None and first.astext().startswith(f"{kind}. "):
        first.parent.replace(first, nodes.Text(first.astext()[len(kind) + 2:]))
    box.insert(0, nodes.title(text=kind))
    return True


_GREEK = {r"\varepsilon": "ε", r"\eta": "η", r"\Delta": "Δ", r"\tau": "τ", r"\sigma": "σ"}


def unescape_link_titles(ref: nodes.reference) -> None:
    """The TeX commands of a page title shown as a link's text -> Unicode letters, in place."""
    for text in list(ref.findall(nodes.Text)):
        new = text.astext()
        for cmd, letter in _GREEK.items():
            new = re.sub(re.escape(cmd) + r"(?![A-Za-z])", letter, new)
        if new != text.astext():
            text.parent.replace(text, nodes.Text(new))


def last_frame(animation_html: str) -> bytes | None:
    """The last PNG frame embedded in a ``to_jshtml()`` animation, or None; of the desktop player when the
    output also holds a phone one after it (``style.responsive_animation``)."""
    animation_html = re.split(r'<div class="tts-animation tts-animation-phone"', animation_html, maxsplit=1)[0]
    frames = _FRAME.findall(animation_html)
    if not frames:
        return None
    data = re.sub(r"\\n|\s", "", frames[-1])
    return base64.b64decode(data)


class PrintableWebContent(SphinxPostTransform):
    default_priority = 3  # before myst-nb's SelectMimeType (4)
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            if "html" in raw.get("format", "").split():
                box = explorable_box(raw.astext())
                if box is not None:
                    raw.replace_self(box)
        for box in list(self.document.findall(nodes.admonition)):
            title_proof(box)
        for math in list(self.document.findall(nodes.math)):
            parts = split_code_from_math(math.astext())
            if parts is not None:
                math.replace_self(parts)
        outdir = Path(self.app.builder.outdir)
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            html_part = next((c for c in bundle.children if c.get("mime_type") == "text/html"), None)
            if html_part is None or "tts-animation" not in html_part.astext():
                continue
            png = last_frame(html_part.astext())
            if png is None:
                bundle.parent.remove(bundle)
                continue
            name = f"tts-animation-{hashlib.sha256(png).hexdigest()[:12]}.png"
            outdir.mkdir(parents=True, exist_ok=True)
            (outdir / name).write_bytes(png)
            image = nodes.image(uri=name, candidates={"*": name}, width="90%")
            note = nodes.paragraph(text="Animation in the web edition; its last frame is shown.")
            bundle.replace_self([image, note])


class PrintableLinkTitles(SphinxPostTransform):
    default_priority = 20  # after Sphinx's ReferencesResolver (10), which writes a {doc} link's title
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for ref in list(self.document.findall(nodes.reference)):
            unescape_link_titles(ref)


def setup(app):
    app.add_post_transform(PrintableWebContent)
    app.add_post_transform(PrintableLinkTitles)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
