"""The student edition leaks nothing (issue 15): no solution text in any file of the student site.

Every line of at least 30 characters inside a ``{solution-start}`` ... ``{solution-end}`` block of
``chapters/*.md`` (and found nowhere outside such a block, so that it really is solution text) must be
absent from every file of ``_build/student/html``: pages (also as their visible text, tags removed),
``.md`` and ``.ipynb`` downloads (also as decoded JSON strings), search index, and the contents of every
archive (the course bundle, the wheel inside it), recursively. The same scan finds those lines in the
full edition, so it can fail.

Run after both builds (tools/run_tests.sh does): ``pytest tests/site/test_student_edition.py``.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from bookcfg import toc_chapters
from sitecfg import REPO, SITE_DIR, STUDENT_DIR

MIN_LEN = 30
_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}")
_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}")
_TAG = re.compile(r"<[^>]+>")


def solution_lines() -> set[str]:
    """Stripped lines (>= MIN_LEN chars) that occur inside solution blocks and nowhere else."""
    inside_lines, outside_lines = set(), set()
    for md in sorted((REPO / "chapters").glob("*.md")):
        inside = False
        for line in md.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if _START.match(s):
                inside = True
            elif _END.match(s):
                inside = False
            else:
                (inside_lines if inside else outside_lines).add(s)
    return {s for s in inside_lines if len(s) >= MIN_LEN and s not in outside_lines}


def _json_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _json_strings(v)
    elif isinstance(obj, list):
        # notebook sources are lists of lines: join them, so that a line is found whole
        if obj and all(isinstance(v, str) for v in obj):
            yield "".join(obj)
        else:
            for v in obj:
                yield from _json_strings(v)


def views(name: str, data: bytes):
    """Texts to search in one file: raw, and the decoded forms a reader would see."""
    if name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                yield from views(f"{name}!{member}", z.read(member))
        return
    text = data.decode("utf-8", errors="replace")
    yield text
    if name.endswith((".html", ".htm", ".xml", ".js")):
        yield html.unescape(_TAG.sub("", text))
    if name.endswith((".ipynb", ".json")):
        try:
            yield "\n".join(_json_strings(json.loads(text)))
        except ValueError:
            pass


#: window of the pre-filter: every line is >= MIN_LEN = 2 * W characters long, so each of its occurrences in a text
#: contains a whole window text[k:k + W] with k a multiple of W (k = the first multiple of W at or after the start;
#: k + W <= start + 2W - 1 < end), and that window is one of the line's own W-grams
W = MIN_LEN // 2


def _grams(lines: set[str]) -> dict[str, set[str]]:
    """Every W-character substring of every line -> the lines holding it."""
    index: dict[str, set[str]] = {}
    for line in lines:
        for j in range(len(line) - W + 1):
            index.setdefault(line[j:j + W], set()).add(line)
    return index


def found_in(text: str, lines: set[str], index: dict[str, set[str]] | None = None) -> set[str]:
    """The lines that occur in ``text`` — exactly ``{l for l in lines if l in text}``: only the lines sharing a
    W-gram with the text's W-aligned windows can occur (see W), and each of those is then searched for."""
    index = _grams(lines) if index is None else index
    windows = {text[k:k + W] for k in range(0, len(text) - W + 1, W)}
    candidates = set().union(*(index[w] for w in windows & index.keys()))
    return {line for line in candidates if line in text}


def leaks(root: Path, lines: set[str]) -> dict[str, list[str]]:
    assert min(map(len, lines), default=MIN_LEN) >= 2 * W
    index = _grams(lines)
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        hits = set()
        for text in views(rel, path.read_bytes()):
            hits.update(found_in(text, lines, index))
        if hits:
            found[rel] = sorted(hits)
    return found


@pytest.fixture(scope="module")
def lines():
    ls = solution_lines()
    assert len(ls) >= 50, f"only {len(ls)} solution lines found: is the solution markup still gated?"
    return ls


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_student_site_holds_no_solution_line(lines):
    found = leaks(STUDENT_DIR, lines)
    assert not found, "solution text in the student edition:\n" + "\n".join(
        f"  {f}: {len(h)} lines, e.g. {h[0]!r}" for f, h in found.items())


def test_the_prefilter_finds_what_a_plain_search_finds():
    """found_in == the plain substring search, on texts built to put occurrences at every offset modulo W, at
    the text's two ends, overlapping, and one character short of a line (no hit)."""
    import random
    rng = random.Random(0)
    alphabet = "ab c=(x)"
    lines = {"".join(rng.choice(alphabet) for _ in range(rng.randint(MIN_LEN, 3 * MIN_LEN))) for _ in range(40)}
    for trial in range(400):
        chosen = rng.sample(sorted(lines), 3)
        parts = []
        for line in chosen:
            cut = line if rng.random() < 0.7 else line[:-1]       # a truncated line must not be found
            parts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 2 * W))), cut]
        text = "".join(parts) if trial % 5 else chosen[0] + chosen[1][3:]   # an occurrence at offset 0
        assert found_in(text, lines) == {line for line in lines if line in text}


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_student_site_has_its_own_bundle_and_downloads():
    bundles = sorted((STUDENT_DIR / "_downloads").glob("tts-course-*-student.zip"))
    assert len(bundles) == 1, bundles
    with zipfile.ZipFile(bundles[0]) as z:
        names = z.namelist()
        nbs = [n for n in names if n.endswith(".ipynb")]
        assert sorted(Path(n).stem for n in nbs) == toc_chapters()
        readme = z.read(next(n for n in names if n.endswith("/README.md"))).decode()
        assert "student edition" in readme
        for n in nbs:  # still executed notebooks, only without solutions
            nb = json.loads(z.read(n))
            assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), n
    intro = (STUDENT_DIR / "intro.html").read_text(encoding="utf-8")
    assert bundles[0].name in intro
    assert "folded" not in html.unescape(_TAG.sub("", intro)).lower()
    for md in sorted((STUDENT_DIR / "_sources" / "chapters").glob("*.md")):
        assert "{solution-start}" not in md.read_text(encoding="utf-8"), md.name
        source = REPO / "chapters" / md.name   # the exercises stay, on every page that has some
        if "{exercise-start}" in source.read_text(encoding="utf-8"):
            assert "{exercise-start}" in md.read_text(encoding="utf-8"), md.name


def test_the_scan_finds_solutions_in_the_full_edition(lines):
    """Positive control: the full site serves the solutions, and the scan sees them there."""
    found = leaks(SITE_DIR / "_sources", lines) | leaks(SITE_DIR / "chapters", lines)
    seen = set().union(*found.values()) if found else set()
    assert len(seen) >= 0.9 * len(lines), f"the scan finds only {len(seen)} of {len(lines)} solution lines"
    assert any(f.endswith(".ipynb") for f in found) and any(f.endswith(".html") for f in found)


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_student_edition_has_no_guide_for_teachers():
    """The guide for teachers (weekly sets, rubrics, grading) is in the full site only, and the student
    landing page does not link to it."""
    assert (SITE_DIR / "reference" / "teachers.html").is_file()
    assert not (STUDENT_DIR / "reference" / "teachers.html").exists()
    assert "teachers.html" not in (STUDENT_DIR / "intro.html").read_text(encoding="utf-8")
    assert "teachers.html" in (SITE_DIR / "intro.html").read_text(encoding="utf-8")


#: printed numbers that equal a practice answer by coincidence (another quantity), checked by hand
COINCIDENCES = {
    ("sf-ex-envelope", "gap"): "chapter 3 prints (l(u) - l0(u))/eta = -0.1152 at eta = 1e-4, not the gradient gap",
}


def _output_text(cell) -> str:
    text = ""
    for out in cell.get("outputs", []):
        text += "".join(out.get("text", ""))
        data = out.get("data", {})
        for kind in ("text/html", "text/markdown", "text/plain"):
            if kind in data and "<script" not in "".join(data[kind]):
                text += "".join(data[kind])
                break
    return text


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_student_outputs_do_not_answer_an_exercise():
    """No output of the student edition's notebooks (what its pages and bundle show) prints the answer of a
    self-checked exercise to 4 significant digits (an integer of 2 digits or more: in a printed list such as
    ``[23, 36, 52]``), and no page says that solutions are folded."""
    from tts_lib.course._answers import ANSWERS
    from tts_lib.course.check import _decode

    needles = {}
    for label, entry in ANSWERS.items():
        for part, y in _decode(label, entry["data"])["values"].items():
            if (label, part) in COINCIDENCES:
                continue
            s = f"{y:.4g}"
            # (the literal, the pattern): the pattern can only match where the literal occurs, and a plain
            # substring test is ~100x faster than a pattern that opens with an assertion on MB-long outputs
            if float(y).is_integer() and abs(y) >= 10:
                needles[(label, part)] = (str(int(y)), rf"\[(?:\d+, )*{int(y)}(?:, \d+)*\]")
            elif len(s.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) >= 4:
                needles[(label, part)] = (s, rf"(?<![\d.]){re.escape(s)}(?!\d)")
    def scan(bundle):
        found = []
        with zipfile.ZipFile(bundle) as z:
            for name in (n for n in z.namelist() if n.endswith(".ipynb")):
                for k, cell in enumerate(json.loads(z.read(name))["cells"]):
                    text = _output_text(cell) if cell["cell_type"] == "code" else ""
                    found += [(Path(name).stem, k, key) for key, (literal, rx) in needles.items()
                              if literal in text and re.search(rx, text)]
        return found

    found = scan(next((STUDENT_DIR / "_downloads").glob("tts-course-*-student.zip")))
    assert not found, found
    # the control: the full edition's bundle prints the answers in its solutions, and the scan sees them
    full = scan(next(p for p in (SITE_DIR / "_downloads").glob("tts-course-*.zip") if p.stem.count("-") == 2))
    assert len({key for _, _, key in full}) >= 5, full
    assert re.search(r"\[(?:\d+, )*36(?:, \d+)*\]", "m for 50%, 90%, 99%: [23, 36, 52]")
    for page in sorted(STUDENT_DIR.rglob("*.html")):
        assert "solutions are folded" not in html.unescape(_TAG.sub("", page.read_text(encoding="utf-8"))), page


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_cells_tagged_remove_student_are_not_in_the_student_sources():
    """A main-text cell tagged ``remove-student`` (a hidden check that states an exercise's answer, such as
    ``min_neurons(lengths, 0.9) == 36``) is in the full edition's .md and .ipynb downloads, not the student's."""
    cell = re.compile(r"^(`{3,})\{code-cell\}[^\n]*\n(?::tags:[^\n]*remove-student[^\n]*\n|---\n(?:(?!---\n).)*?"
                      r"remove-student.*?---\n)(.*?)^\1\s*$", re.S | re.M)
    checked = 0
    for md in sorted((REPO / "chapters").glob("*.md")):
        for match in cell.finditer(md.read_text(encoding="utf-8")):
            lines = [s.strip() for s in match.group(2).splitlines() if len(s.strip()) >= 25]
            for suffix in (".md", ".ipynb"):
                student = (STUDENT_DIR / "_sources" / "chapters" / (md.stem + suffix)).read_text(encoding="utf-8")
                full = (SITE_DIR / "_sources" / "chapters" / (md.stem + suffix)).read_text(encoding="utf-8")
                for line in lines:
                    assert line not in student and json.dumps(line)[1:-1] not in student, (md.stem + suffix, line)
                    assert json.dumps(line)[1:-1] in full or line in full, (md.stem + suffix, line)  # the control
                    checked += 1
    assert checked >= 4
