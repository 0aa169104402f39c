"""Legibility of every chapter in a real browser: what a reader sees at 1280 px (desktop) and 390 px (phone).

Measured on each chapter page of the built site (see conftest.py for the fixtures and the environment):

* **equations**: no display equation is wider than its box at 1280 px (a cut equation is unreadable); at
  390 px the count is reported, and each wide one must scroll inside its own box, not widen the page;
* **printed output**: no line of printed output is wider than the text column at 1280 px; and no printed
  *result line* (:func:`result_lines`): a line of a cell's output, outside the solutions, that shows a NumPy array
  (``[0.1  0.3  0.37]``), a dict (``{'1': 0.88, ...}``), a list of four numbers or more, or only numbers (no word).
  Results are numbered, captioned tables (``plots.table(..., name=...)``) instead, or a sentence;
* **figures** (every image in a cell output, animation frames included):
  - scale: at least 1 CSS px per typographic point (a 9 pt tick label at least 9 px tall), from the image's
    resolution (its PNG ``pHYs`` chunk, or the SVG's size in pt) and its displayed width;
  - sharpness: at least ``SHARPNESS`` image pixels per displayed CSS pixel (a "2x" image, sharp on a
    high-density screen; 1.9 allows the rounding of a retina PNG's half width);
  - numbered caption: inside a ``<figure>`` whose caption carries a number ("Fig. N"), and an alt text that is
    not a file name;
  - on a phone (390 px): every static figure (animations aside) at least ``MIN_PX_PER_PT_PHONE`` CSS px per
    point, measured on the image the phone is served (a ``<picture>``'s phone source), so that the style's
    9 pt text reads as 11 px or more: a desktop figure scaled down to the phone's column cannot do that, a
    figure drawn for the phone (:func:`tts_lib.plots.style.show`) can;
* **phone**: at 390 px every result table and animation fits the column or scrolls inside a visible frame, and
  every table caption wraps inside the screen (the table scrolls, its caption does not); each animation is shown
  as its phone drawing (:func:`tts_lib.plots.style.responsive_animation`) at ``MIN_PX_PER_PT_PHONE`` or more,
  the desktop player hidden and not measured (and the other way round at 1280 px).

Each page is loaded (MathJax typeset, every image loaded) and measured once for this module,
test_built_site.py and test_equations.py: pagemeasure.py, whose ``JS_LEGIBILITY`` is this module's measurement.
Run after the build, like test_built_site.py (``TTS_SITE_DIR`` selects the site). The measurements of every
page are also written to ``<site>/../legibility.json`` (and summed up by ``python tests/site/test_legibility.py``),
so that the numbers before and after a change can be compared.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pagemeasure import measured  # noqa: E402
from sitecfg import SITE_DIR, content_pages  # noqa: E402

SHARPNESS = 1.9          # image px per displayed CSS px
MIN_PX_PER_PT = 1.0      # displayed CSS px per typographic point of the figure
MIN_PX_PER_PT_PHONE = 1.2  # the same at 390 px: 9 pt text at >= 10.8 px (11 px after rounding)
SLACK = 1                # px of rounding allowed in overflow checks

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?"
RESULT_LINE = {
    "array": re.compile(r"\[\s*" + _NUM + r"(?:\s+" + _NUM + r")+\s*\]"),            # NumPy: [0.1  0.3  0.37]
    "dict": re.compile(r"\{[^{}]*?[\w'\"\])]\s*:\s*[^{}\s]"),                        # {'1': 0.88, ...}
    "list": re.compile(r"\[\s*" + _NUM + r"(?:\s*,\s*" + _NUM + r"){3,}\s*[\],]"),  # [4, 6, 2, 3, ...]
}
_WORD = re.compile(r"[A-Za-z]{3,}")
_REPR = re.compile(r"^\s*[A-Z]\w*\(.*\)\s*$")   # an object's repr (PiecewiseConstant(jumps=[...], ...))


def result_lines(text: str) -> list[tuple[str, str]]:
    """The printed result lines of one output, each with its kind: a NumPy array, a dict, a list of four numbers
    or more, or a line of numbers without a word ("digits"). An object's repr is not one (it shows how the object
    is built); a line with a word and no array, dict or long list is a sentence."""
    found = []
    for line in text.splitlines():
        if not line.strip() or _REPR.match(line):
            continue
        kind = next((k for k, rx in RESULT_LINE.items() if rx.search(line)), None)
        if kind is None and not _WORD.search(line) and re.search(r"\d", line):
            kind = "digits"
        if kind:
            found.append((kind, line.strip()))
    return found


def _png_dpi(data: bytes) -> float | None:
    i = data.find(b"pHYs")
    if i < 0 or data[i + 12] != 1:  # unit 1 = metre
        return None
    return struct.unpack(">I", data[i + 4:i + 8])[0] * 0.0254


def _image_bytes(site_dir: Path, src: str) -> bytes | None:
    if src.startswith("data:"):
        head, _, payload = src.partition(",")
        return base64.b64decode(payload) if ";base64" in head else payload.encode()
    path = site_dir / unquote(urlsplit(src).path).lstrip("/")
    return path.read_bytes() if path.is_file() else None


def _width_pt(site_dir: Path, src: str, natural: int) -> float | None:
    """Width of the figure in typographic points, from the image file."""
    data = _image_bytes(site_dir, src)
    if data is None:
        return None
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        dpi = _png_dpi(data)
        return None if not dpi else natural / dpi * 72
    m = re.search(rb'<svg[^>]*\swidth="([\d.]+)(pt|px)?"', data[:2000])
    if m:
        return float(m.group(1)) * (1.0 if m.group(2) in (b"pt", None) else 0.75)
    return None


def _chapters():
    return [p for p in content_pages(SITE_DIR) if p.startswith("chapters/")] or ["chapters/missing.html"]


_REPORT: dict = {}


@pytest.fixture(scope="module")
def report(site_dir):
    yield _REPORT
    out = Path(os.environ.get("TTS_LEGIBILITY_REPORT", site_dir.parent / "legibility.json"))
    out.write_text(json.dumps(_REPORT, indent=1))


def _figures(site_dir, m):
    figs = []
    for img in m["imgs"]:
        pt = _width_pt(site_dir, img["src"], img["natural"])
        shown = img["shown"]
        figs.append({**img, "src": img["src"][:80], "width_pt": pt,
                     "px_per_pt": None if not pt or not shown else shown / pt,
                     "sharpness": None if not shown else img["natural"] / shown})
    return figs


@pytest.mark.parametrize("line, kind", [
    ("final positions  full: [0.1    0.3    0.3721 0.5045 0.6    0.8   ]", "array"),
    ("distance (in eta): [0. 0. 0. 0. 0.]", "array"),
    ("median error: {'1': 0.8814, '0.1': 0.2174}", "dict"),
    ("P(two neurons): {12: 0.003, 20: 0.336}", "dict"),
    ("neurons per piece: [6, 3, 2, 3, 2, 4]", "list"),
    ("1.8000000000000003", "digits"),
    ("0.0 -0.0625 -0.0625", "digits"),
    ("6.1 s", "digits"),
    ("loss: 5.30 at the start, 0.00397 at the end", None),
    ("capture times in [0.1, 0.2] with 95 % interval [0.06, 0.17]", None),
    ("PiecewiseConstant(jumps=[0.2, 0.35, 0.5, 0.65, 0.8], values=[1.0, 5.0])", None),
    ("checks:", None),
])
def test_result_lines_rule(line, kind):
    assert [k for k, _ in result_lines(line)] == ([kind] if kind else [])


@pytest.mark.parametrize("page_rel", _chapters())
def test_chapter_legibility(browser, base_url, site_dir, report, page_rel):
    if page_rel == "chapters/missing.html":
        pytest.fail(f"no chapter pages in {site_dir}")
    # pagemeasure.JS_LEGIBILITY on the loads test_built_site.py and test_equations.py share
    wide = measured(browser, base_url, page_rel, 1280)["legibility"]
    phone = measured(browser, base_url, page_rel, 390)["legibility"]
    figs = _figures(site_dir, wide)
    figs_phone = _figures(site_dir, phone)
    bad_eq = [e for e in wide["eqs"] if e["width"] > e["box"] + SLACK]
    bad_eq_phone = [e for e in phone["eqs"] if e["width"] > e["box"] + SLACK]
    bad_out = [p for p in wide["pres"] if p["width"] > p["box"] + SLACK]
    printed = [r for text in wide["printed"] for r in result_lines(text)]
    small = [f for f in figs if f["px_per_pt"] is not None and f["px_per_pt"] < MIN_PX_PER_PT]
    unknown = [f for f in figs if f["px_per_pt"] is None]
    blurry = [f for f in figs if f["sharpness"] is not None and f["sharpness"] < SHARPNESS
              and not f["src"].lower().split("?")[0].endswith(".svg")]
    small_phone = [f for f in figs_phone if not f["animation"]
                   and (f["px_per_pt"] is None or f["px_per_pt"] < MIN_PX_PER_PT_PHONE)]
    uncaptioned = [f for f in figs if not f["numbered"]]
    bad_alt = [f for f in figs if not f["animation"]
               and (not f["alt"].strip() or re.fullmatch(r"[0-9a-f]{16,}(\.\w+)?", f["alt"].strip()))]
    unframed = [f for f in phone["frames"] if f["width"] > f["col"] + SLACK and not f["scrolls"]]
    eq_unscrolled_phone = [e for e in bad_eq_phone if not e["scrolls"]]
    # a figure keeps its shape when the column (or the phone) narrows it: shown aspect = stored aspect
    distorted = [(w, f) for w, page in (("1280", wide), ("390", phone)) for f in page["imgs"]
                 if f["aspect_natural"] and f["aspect_shown"]
                 and abs(f["aspect_shown"] / f["aspect_natural"] - 1) > 0.02]
    report[page_rel] = {
        "column_px": wide["colW"], "equations": len(wide["eqs"]), "equations_overflowing_1280": len(bad_eq),
        "equations_overflowing_390": len(bad_eq_phone), "outputs": len(wide["pres"]),
        "outputs_wider_than_column": len(bad_out), "printed_result_lines": len(printed), "figures": len(figs),
        "figures_below_1px_per_pt": len(small), "figures_below_2x": len(blurry),
        "figures_without_numbered_caption": len(uncaptioned),
        "min_px_per_pt": min((f["px_per_pt"] for f in figs if f["px_per_pt"]), default=None),
        "min_sharpness": min((f["sharpness"] for f in figs if f["sharpness"]), default=None),
        "figures_below_1.2px_per_pt_390": len(small_phone),
        "min_px_per_pt_390": min((f["px_per_pt"] for f in figs_phone if f["px_per_pt"] and not f["animation"]),
                                 default=None),
        "figures_390": [{"caption": f["caption"][:12], "px_per_pt": f["px_per_pt"] and round(f["px_per_pt"], 3),
                         "smallest_text_px": f["px_per_pt"] and round(9 * f["px_per_pt"], 1),
                         "animation": f["animation"]} for f in figs_phone],
        "frames_not_fitting_390": len(unframed), "page_width_390": phone["pageW"],
        "figures_distorted": len(distorted),
        "detail": {"equations": bad_eq, "outputs": bad_out, "printed": printed, "small": [f["src"] for f in small],
                   "blurry": [f["src"] for f in blurry], "uncaptioned": [f["src"] for f in uncaptioned]},
    }
    problems = []
    if bad_eq:
        problems.append(f"{len(bad_eq)} display equations wider than their box at 1280 px: "
                        + ", ".join(f"{e['where'] or '?'} ({e['width']} > {e['box']} px)" for e in bad_eq))
    if bad_out:
        problems.append(f"{len(bad_out)} printed outputs wider than the column at 1280 px, e.g. "
                        + " | ".join(p["text"] for p in bad_out[:3]))
    if printed:
        problems.append(f"{len(printed)} printed result lines (a numbered table instead): "
                        + " | ".join(f"{k}: {t[:70]}" for k, t in printed[:4]))
    if small:
        problems.append(f"{len(small)} figures below {MIN_PX_PER_PT} CSS px per point: "
                        + ", ".join(f"{f['src']} ({f['px_per_pt']:.2f})" for f in small))
    if small_phone:
        problems.append(f"{len(small_phone)} figures below {MIN_PX_PER_PT_PHONE} CSS px per point at 390 px "
                        "(9 pt text under 11 px): "
                        + ", ".join(f"{f['caption'][:9] or f['src']} ({(f['px_per_pt'] or 0):.2f})"
                                    for f in small_phone))
    if unknown:
        problems.append(f"{len(unknown)} figures whose resolution cannot be read (no pHYs / SVG size): "
                        + ", ".join(f["src"] for f in unknown))
    if blurry:
        problems.append(f"{len(blurry)} figures below {SHARPNESS}x: "
                        + ", ".join(f"{f['src']} ({f['sharpness']:.2f})" for f in blurry))
    if uncaptioned:
        problems.append(f"{len(uncaptioned)} figures without a numbered caption: "
                        + ", ".join(f["src"] for f in uncaptioned))
    if bad_alt:
        problems.append(f"{len(bad_alt)} figures whose alt text is empty or a file name")
    if distorted:
        problems.append(f"{len(distorted)} figures shown out of proportion: "
                        + ", ".join(f"{f['src'].rsplit('/', 1)[-1]} at {w} px ({f['aspect_shown']:.2f} vs "
                                    f"{f['aspect_natural']:.2f})" for w, f in distorted[:6]))
    if unframed:
        problems.append(f"{len(unframed)} tables/animations wider than a 390 px screen without a scrolling frame")
    if eq_unscrolled_phone:
        problems.append(f"{len(eq_unscrolled_phone)} equations wider than a 390 px screen that do not scroll "
                        "inside their own box")
    assert not problems, f"{page_rel}:\n  " + "\n  ".join(problems)


ANIMATION_PAGES = ["chapters/01_introduction.html", "chapters/05_1_two_timescales.html"]   # Figs 1.2 and 5.5


@pytest.mark.parametrize("page_rel", ANIMATION_PAGES)
def test_animations_legible_on_a_phone(browser, base_url, site_dir, page_rel):
    """At 390 px an animation's frame, like a static figure, shows at least MIN_PX_PER_PT_PHONE CSS px per point
    (the style's 9 pt text at 11 px or more): the phone drawing of style.responsive_animation. At 1280 px the
    desktop drawing (wider in points than the phone's) is the one laid out; at each width one player of the pair
    is measured, the other is display: none."""
    phone = [f for f in _figures(site_dir, measured(browser, base_url, page_rel, 390)["legibility"])
             if f["animation"]]
    wide = [f for f in _figures(site_dir, measured(browser, base_url, page_rel, 1280)["legibility"])
            if f["animation"]]
    assert phone, f"{page_rel}: no animation"
    assert len(phone) == len(wide), f"{page_rel}: {len(phone)} animation frames at 390 px, {len(wide)} at 1280 px"
    small = [f for f in phone if (f["px_per_pt"] or 0) < MIN_PX_PER_PT_PHONE]
    assert not small, f"{page_rel}: " + ", ".join(f"{f['caption'][:9]} at {(f['px_per_pt'] or 0):.2f} px/pt"
                                                  for f in small)
    assert all(w["width_pt"] and p["width_pt"] and w["width_pt"] > 1.5 * p["width_pt"] for w, p in zip(wide, phone)), \
        f"{page_rel}: the laptop is not shown the desktop drawing: " + ", ".join(
            f"{w['width_pt']} pt vs {p['width_pt']} pt" for w, p in zip(wide, phone))


@pytest.mark.parametrize("page_rel", _chapters())
def test_table_captions_fit_the_screen(browser, base_url, page_rel):
    """At 390 px a table's caption wraps inside the screen, while a table wider than the screen scrolls sideways
    in its own box (_static/legibility.css): no caption wider than the viewport or past its edges."""
    if page_rel == "chapters/missing.html":
        pytest.fail("no chapter pages")
    caps = measured(browser, base_url, page_rel, 390)["table_captions"]
    cut = [c for c in caps if c["width"] > c["vw"] + SLACK or c["right"] > c["vw"] + SLACK or c["left"] < -SLACK]
    assert not cut, f"{page_rel}: table captions cut at 390 px: " + "; ".join(
        f"{c['text'][:30]!r} {c['width']} px wide, {c['left']}..{c['right']} (table {c['table_width']} px)"
        for c in cut)


def test_a_wide_table_caption_is_measured(browser, base_url):
    """The rule above can fail: Table 6.7 (the lazy floor) is wider than a 390 px screen, and its caption is
    measured."""
    caps = measured(browser, base_url, "chapters/06_3_other_regimes.html", 390)["table_captions"]
    lazy = [c for c in caps if c["id"] == "tab-beyond-lazy-floor"]
    assert lazy and lazy[0]["table_width"] > lazy[0]["vw"], caps


if __name__ == "__main__":  # sum up a legibility.json: python tests/site/test_legibility.py [path]
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(os.environ.get("TTS_LEGIBILITY_REPORT",
                                                                          SITE_DIR.parent / "legibility.json"))
    data = json.loads(path.read_text())
    keys = ["equations_overflowing_1280", "equations_overflowing_390", "outputs_wider_than_column",
            "printed_result_lines", "figures",
            "figures_below_1px_per_pt", "figures_below_1.2px_per_pt_390", "figures_below_2x", "figures_without_numbered_caption",
            "frames_not_fitting_390"]
    print("page".ljust(36), *[k[:14].rjust(15) for k in keys])
    for page, row in sorted(data.items()):
        print(page.ljust(36), *[str(row.get(k, "")).rjust(15) for k in keys])
    print("total".ljust(36), *[str(sum(r.get(k, 0) for r in data.values())).rjust(15) for k in keys])
