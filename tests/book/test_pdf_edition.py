"""The PDF edition's stand-ins for what only a browser can show (_ext/pdf_edition.py), without a LaTeX run:
every explorable of the chapters becomes a box with its caption as plain text, an animation its last frame; and
the landing page carries the hidden link that tools/build_pdf.sh shows once the PDF is built."""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import pytest
from docutils import nodes

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))

import pdf_edition  # noqa: E402

_RAW_HTML = re.compile(r"```\{raw\} html\n(.*?)```", re.S)


def _explorable_blocks():
    blocks = []
    for path in sorted((ROOT / "chapters").glob("*.md")):
        blocks += [(path.name, b) for b in _RAW_HTML.findall(path.read_text()) if "tts-explorable" in b]
    return blocks


def test_every_explorable_prints_its_caption():
    blocks = _explorable_blocks()
    assert len(blocks) >= 3, blocks  # the sgd, network and ideal explorables
    for name, block in blocks:
        box = pdf_edition.explorable_box(block)
        assert isinstance(box, nodes.admonition), name
        text = box.astext()
        assert text.startswith("Explorable (web edition)"), name
        assert "<" not in text and "&" not in text.replace("&amp;", ""), (name, text)  # no HTML left
        caption = re.search(r"<figcaption>(.*?)</figcaption>", block, re.S).group(1)
        first_words = " ".join(re.sub(r"<[^>]+>", "", caption).split()[:6])
        assert first_words in text, (name, first_words)


def test_other_raw_html_is_left_alone():
    assert pdf_edition.explorable_box('<p class="tts-student-edition" hidden>x</p>') is None


def test_last_frame_of_an_animation():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    (line,) = ax.plot([0, 1], [0, 0])
    anim = FuncAnimation(fig, lambda k: line.set_ydata([0, k]), frames=3)
    html = '<div class="tts-animation">' + anim.to_jshtml() + "</div>"
    plt.close(fig)
    png = pdf_edition.last_frame(html)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=\\n\s]+)", html)
    assert len(frames) == 3 and png == base64.b64decode(re.sub(r"\\n|\s", "", frames[-1]))
    assert pdf_edition.last_frame("<div>no frame</div>") is None


def test_last_frame_is_the_desktop_players():
    """An animation drawn for the desktop and for a phone (style.responsive_animation): the PDF prints the
    desktop drawing's last frame, not the phone one's (which comes after it in the HTML)."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import struct

    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    from tts_lib.plots import style

    def make():
        fig, ax = plt.subplots(figsize=(1.5 if style.is_phone() else 2.0, 1), dpi=20)
        (line,) = ax.plot([0, 1], [0, 0])
        return fig, FuncAnimation(fig, lambda k: line.set_ydata([0, k]), frames=2)

    png = pdf_edition.last_frame(style.responsive_animation(make, dpi=20, phone_dpi=20, progress=False))
    assert png is not None and struct.unpack(">I", png[16:20])[0] == 40   # 2 in at 20 dpi: the desktop's


def test_landing_page_has_the_hidden_pdf_link():
    intro = (ROOT / "intro.md").read_text()
    # exactly one, hidden, with no href (tools/build_pdf.sh gives it one when the PDF is built)
    assert intro.count('<p class="tts-pdf-edition" hidden>') == 1
    assert 'class="tts-pdf-link" data-href="tts-book.pdf"' in intro
    assert 'href="tts-book.pdf"' not in intro.replace('data-href="tts-book.pdf"', "")
    build = (ROOT / "tools" / "build_pdf.sh").read_text()
    assert '<p class="tts-pdf-edition" hidden>' in build and 'data-href="tts-book.pdf"' in build


def test_config_builds_the_pdf_with_xelatex():
    import yaml

    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["latex"]["latex_engine"] == "xelatex"
    assert cfg["latex"]["latex_documents"]["targetname"] == "book.tex"
    assert cfg["sphinx"]["local_extensions"]["pdf_edition"] == "_ext"
    assert cfg["sphinx"]["config"]["latex_use_xindy"] is False  # xindy is not installed by tools/setup_tex.sh


def test_math_with_backticks_is_split_into_math_and_code():
    """tts_lib.sgd.sgd_samples' docstring (``:math:`x = ` ``xs[k]```) leaves backticks inside math: a LaTeX error."""
    parts = pdf_edition.split_code_from_math("x = ` ``xs[k]`")
    assert [type(p).__name__ for p in parts] == ["math", "Text", "literal"]
    assert parts[0].astext() == "x =" and parts[2].astext() == "xs[k]"
    assert pdf_edition.split_code_from_math(r"\varepsilon^2") is None
    assert pdf_edition.split_code_from_math("a `b")[0].astext() == "a b"


def test_proof_box_gets_a_title():
    box = nodes.admonition(classes=["proof", "proof"], ids=["proof"])
    box += nodes.paragraph(text="Proof. Differentiate each cubic.")
    assert pdf_edition.title_proof(box)
    assert isinstance(box[0], nodes.title) and box[0].astext() == "Proof"
    assert box[1].astext() == "Differentiate each cubic."
    assert not pdf_edition.title_proof(box)  # titled already
    assert not pdf_edition.title_proof(nodes.admonition(classes=["note"]))


def test_link_titled_with_math_prints_the_letter():
    ref = nodes.reference(refuri="05_3_eps_sweep")
    ref += nodes.inline(text=r"The sweep over \varepsilon", classes=["doc"])
    pdf_edition.unescape_link_titles(ref)
    assert ref.astext() == "The sweep over ε"
    ref = nodes.reference(refuri="x")
    ref += nodes.Text(r"\etaX stays")  # not a command of the map
    pdf_edition.unescape_link_titles(ref)
    assert ref.astext() == r"\etaX stays"
