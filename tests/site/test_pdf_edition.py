"""The book on paper (issues 27 and 28), as built by tools/build_pdf.sh: the PDF edition of the whole book
(_build/latex/book.pdf) and the weekly problem sheets (_build/sheets/week-N-{student,lecturer}.pdf).

- the book's PDF has every chapter: one LaTeX chapter per entry of _toc.yml, each page title in the PDF's text
  (pdftotext), a page count in the measured range, the explorables as their captions, no MathJax source left;
- published with the site: _build/html/tts-book.pdf, linked (visible, with an href) from the landing page;
- the student's sheets hold no solution and no marking scheme (probed with lines of the book's solutions, which
  the lecturer's sheets of the same week must contain, so that the probe is known to work).

With TTS_PDF=0 (CI without the PDF step) the whole module is skipped with that reason; otherwise a missing PDF is
a failure. TTS_PDF_DIR overrides the build folder (default _build).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from sitecfg import REPO, SITE_DIR

if os.environ.get("TTS_PDF", "1") == "0":
    pytest.skip("PDF edition not built (TTS_PDF=0): tools/build_pdf.sh was skipped", allow_module_level=True)

BUILD = Path(os.environ.get("TTS_PDF_DIR", REPO / "_build"))
BOOK = BUILD / "latex" / "book.pdf"
SHEETS = BUILD / "sheets"
# measured on 2026-12-07 (7 chapters, 12 section pages, 7 reference pages): see test_page_count
PAGES_MEASURED = 248


def _need(path: Path) -> Path:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing (poppler-utils; tools/setup_tex.sh installs it)")
    if not path.is_file():
        pytest.fail(f"{path} is missing: build it with bash tools/build_pdf.sh (or set TTS_PDF=0 to skip)")
    return path


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = re.sub(r"-\n(?=[a-z])", "", out)  # words hyphenated at a line end
    out = out.replace("’", "'").replace("‘", "'")
    return " ".join(out.split())


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _toc_files() -> list[tuple[str, bool]]:
    """(file, is a chapter of the numbered part) for every page of _toc.yml, in order."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = []
    for part in toc["parts"]:
        for ch in part["chapters"]:
            files.append((ch["file"], part.get("numbered", False)))
            files += [(s["file"], False) for s in ch.get("sections", [])]
    return files


def _title(file: str) -> str:
    text = (REPO / f"{file}.md").read_text()
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


@pytest.fixture(scope="module")
def book_text() -> str:
    return _text(_need(BOOK))


def test_every_page_title_is_in_the_pdf(book_text):
    missing = []
    for file, _ in _toc_files():
        title = _title(file)
        # the words around inline math ($\varepsilon$ prints as ε): each plain fragment must be there
        for fragment in re.split(r"\$[^$]+\$", title.replace("`", "")):
            fragment = " ".join(fragment.split())
            if len(fragment) > 3 and fragment not in book_text:
                missing.append((file, fragment))
    assert not missing, missing


def test_one_latex_chapter_per_toc_entry():
    toc = (BOOK.with_suffix(".toc"))
    _need(BOOK)
    # numbered chapters (the indices and the bibliography's own list come after them, unnumbered)
    chapters = re.findall(r"\\contentsline \{chapter\}\{\\numberline", toc.read_text())
    n_top = sum(len(p["chapters"]) for p in yaml.safe_load((REPO / "_toc.yml").read_text())["parts"])
    assert len(chapters) == n_top, (len(chapters), n_top)
    sections = re.findall(r"\\contentsline \{section\}", toc.read_text())
    assert len(sections) >= 12  # at least the section pages of chapters 4 to 6


def test_bibliography_is_one_chapter_with_its_entries():
    """The Reference part's "Bibliography" chapter holds the entries. Sphinx gathers every citation at the end of
    the LaTeX document in a chapter of its own, so the book's chapter of that name printed empty (a title page and
    a blank page) before an unnumbered second "Bibliography"."""
    _need(BOOK)
    lines = [line for line in BOOK.with_suffix(".toc").read_text().splitlines()
             if re.search(r"\}Bibliography\}", line)]
    assert len(lines) == 1 and "numberline" in lines[0], lines
    for page in range(1, _pages(BOOK) + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(BOOK), "-"],
                              capture_output=True, text=True, check=True).stdout
        if re.search(r"CHAPTER\s+\w+\s+BIBLIOGRAPHY", text):
            assert "Marion" in text, f"the Bibliography chapter's first page lists no entry:\n{text[:300]}"
            return
    pytest.fail("no Bibliography chapter in the PDF")


def test_page_count():
    pages = _pages(_need(BOOK))
    # a chapter lost (or a page per output line) moves the count far outside this band; chapters changing
    # by a few pages do not
    assert 0.8 * PAGES_MEASURED <= pages <= 1.25 * PAGES_MEASURED, pages


def test_web_only_content_has_its_printed_stand_in(book_text):
    assert book_text.count("Explorable (web edition)") >= 3
    assert "Animation in the web edition; its last frame is shown" in book_text
    assert "<IPython.core.display.HTML object>" not in book_text
    assert "This explorer needs JavaScript" not in book_text
    # math is typeset, not left as MathJax source (code cells do hold TeX, in matplotlib labels)
    assert "The sweep over \\varepsilon" not in book_text and "The sweep over" in book_text


def test_published_with_the_site():
    _need(BOOK)
    if not (SITE_DIR / "intro.html").is_file():
        pytest.skip(f"no site in {SITE_DIR}")
    copy = SITE_DIR / "tts-book.pdf"
    assert copy.is_file() and copy.stat().st_size == BOOK.stat().st_size, "run bash tools/build_pdf.sh --publish"
    intro = (SITE_DIR / "intro.html").read_text()
    assert '<p class="tts-pdf-edition">' in intro and 'class="tts-pdf-link" href="tts-book.pdf"' in intro


def test_student_sheets_published_with_the_site_and_the_lecturers_not():
    """The teachers' guide links each week's student sheet (a file of the site); no lecturer sheet is on the site."""
    from course.weeks import WEEKS

    if not (SITE_DIR / "intro.html").is_file():
        pytest.skip(f"no site in {SITE_DIR}")
    page = (SITE_DIR / "reference" / "teachers.html").read_text()
    assert '<p class="tts-sheets">' in page, "run bash tools/build_pdf.sh --publish"
    for week in WEEKS:
        name = f"week-{week}-student.pdf"
        assert f'class="tts-sheet-link" href="../sheets/{name}"' in page, name
        copy = SITE_DIR / "sheets" / name
        assert copy.is_file() and copy.read_bytes() == _need(SHEETS / name).read_bytes(), name
    assert not list(SITE_DIR.rglob("*lecturer*.pdf"))


def _solution_probes(label: str) -> list[str]:
    """Plain-text lines of a solution (no math, no code), as pdftotext prints them."""
    from course.paper import exercises

    probes = []
    in_code = False
    for line in exercises()[label]["solution"].splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        for piece in re.split(r"\$[^$]*\$|`[^`]*`|\{[a-z:]+\}|\*+|\[|\]|\(|\)", line):
            piece = " ".join(piece.split())
            if len(piece) >= 25:
                probes.append(piece)
    return probes


def test_weekly_sheets_student_without_solutions():
    from course.weeks import WEEKS

    for week, w in WEEKS.items():
        student = _text(_need(SHEETS / f"week-{week}-student.pdf"))
        lecturer = _text(_need(SHEETS / f"week-{week}-lecturer.pdf"))
        assert f"Week {week}: problem sheet" in student and "Student sheet (no solutions)" in student
        for word in ("Solution", "Marking scheme", "do not hand out"):
            assert word not in student, (week, word)
            assert word in lecturer, (week, word)
        probes = [p for label in w["set"] for p in _solution_probes(label)]
        found = [p for p in probes if p in lecturer]
        assert len(found) >= 3, (week, "the probes do not find the solutions in the lecturer's sheet")
        leaked = [p for p in probes if p in student]
        assert not leaked, (week, leaked[:3])
