"""How long does it take to recover a graded variant's answer from what a student receives? It cannot be done:
the key is not there (issue 28). What a student receives is the library's wheel (``tts_lib`` only), the term's
notebooks and sheets (parameters and statements), and the student edition of the site with its bundle. This
file draws two terms' keys and looks for their answers in all of it:

- the wheel's only stored answers, the practice answers of the self-checks, decoded: none is within tolerance
  of a variant's answer (``make_variant`` redraws when one is);
- every file of the package ``tts_lib/`` (what the wheel holds), the student's notebooks and sheets, and, when
  the student edition is built (``TTS_STUDENT_DIR``), every file of it and of every archive in it (its bundle,
  the wheel inside), recursively: no variant answer with 5 or more significant digits occurs written out to 5 or more (as a number, not inside a longer
  one). Shorter answers (``0.15``, an integer ``m``, ``2/45``) occur in any text by chance; a scan cannot say
  anything about them, and they are covered by the next point;
- none of that material holds the key, the variant generator or the grader (by file name or by their code).

Run the site part after the student build: ``TTS_STUDENT_DIR=_build/student/html pytest tests/course/test_key_absent.py``.
"""

from __future__ import annotations

import io
import re
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from course.sets import make_key, sheet, student_notebook
from course.variants import GENERATORS

ROOT = Path(__file__).resolve().parents[2]
TERMS = [("a CI secret that is not a real one", "ci-term-1"), ("another CI secret, also not real", "ci-term-2")]
#: code and names that only the lecturer's side has
LECTURER_ONLY_NAMES = ("key.json", "variants.py", "grader.py", "sets.py", "marking.py")
LECTURER_ONLY_CODE = ("def make_variant", "def rng_for", "__tts_extract", "def grade_many", '"exercises": {"intro-ex')


@pytest.fixture(scope="module")
def keys():
    return [make_key(secret, term) for secret, term in TERMS]


def _answers(keys):
    """(label, part, value, kind, tol) of every part of every variant."""
    return [(lab, part, p["value"], p["kind"], p["tol"]) for key in keys for lab, ex in key["exercises"].items()
            for part, p in ex["parts"].items()]


def _digits(y: float) -> int:
    """Significant digits of ``y``: those of its shortest spelling that gives it back (``0.19999999999999996``,
    a difference of round numbers, has 1; ``0.0155556`` for ``0.015555555555555557`` has 17)."""
    for n in range(1, 18):
        if abs(float(f"{y:.{n}g}") - y) <= 1e-12 * abs(y):
            return n
    return 17


def _spellings(y: float) -> set[str]:
    """How an answer with 5 or more significant digits would be written out (to 5 digits or more)."""
    if _digits(y) < 5:
        return set()
    return {s for s in (repr(y), f"{y:.5g}", f"{y:.6g}", f"{y:.8g}", f"{y:.5f}", f"{y:.6f}")
            if len(s.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) >= 5}


def _texts(name: str, data: bytes):
    """(name, text) of a file and, for an archive, of every member, recursively."""
    if name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                yield from _texts(f"{name}!{member}", z.read(member))
        return
    yield name, data.decode("utf-8", errors="replace")


def _student_files(keys):
    """(name, bytes) of what a student receives, without the site: the package and the term's material."""
    for path in sorted((ROOT / "tts_lib").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield f"wheel:{path.relative_to(ROOT)}", path.read_bytes()
    for i, key in enumerate(keys):
        for week in sorted({ex["week"] for ex in key["exercises"].values()}):
            yield f"term{i}:week-{week}.ipynb", json.dumps(student_notebook(key, week)).encode()
            yield f"term{i}:graded-week-{week}-student.md", sheet(key, week, lecturer=False).encode()


def _scan(files, answers):
    hits, n_files, n_bytes = [], 0, 0
    needles = {s: (lab, part) for lab, part, y, _, _ in answers for s in _spellings(y)}
    for name, data in files:
        n_bytes += len(data)
        for member, text in _texts(name, data):
            n_files += 1
            base = member.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
            if base in LECTURER_ONLY_NAMES:
                hits.append((member, "a lecturer-only file"))
            hits += [(member, code) for code in LECTURER_ONLY_CODE if code in text]
            hits += [(member, f"{needles[s]} written {s}") for s in needles
                     if s in text and re.search(rf"(?<![\d.]){re.escape(s)}(?!\d)", text)]
    return hits, n_files, n_bytes


def test_the_wheels_stored_answers_are_not_the_variants(keys):
    """The decoded practice answers (and known mistakes) of every self-check: the whole store a student can
    decode, in well under a second, and none of it is a variant's answer within its tolerance."""
    from tts_lib.course._answers import ANSWERS
    from tts_lib.course.check import _decode

    t0 = time.perf_counter()
    stored = []
    for label, entry in ANSWERS.items():
        payload = _decode(label, entry["data"])
        stored += [float(v) for v in payload["values"].values()]
        stored += [float(v) for mistakes in payload.get("mistakes", {}).values() for v, _ in mistakes]
    seconds = time.perf_counter() - t0
    assert len(stored) > 50 and seconds < 1.0
    for label, part, y, kind, tol in _answers(keys):
        scale = max(tol * (abs(y) if kind == "rel" else 1.0), 1e-12)
        if label in ANSWERS:  # the variant of a checked exercise: make_variant keeps it away from the practice answers
            practice = [float(v) for v in _decode(label, ANSWERS[label]["data"])["values"].values()]
            assert all(abs(y - x) > scale for x in practice), (label, part)
    print(f"\ndecoded {len(stored)} stored numbers in {seconds * 1e3:.1f} ms; variant answers among them: 0")


def test_no_variant_answer_in_the_wheel_or_the_terms_material(keys):
    answers = _answers(keys)
    long = [(lab, part) for lab, part, y, _, _ in answers if _spellings(y)]
    assert len(long) >= 15, long   # enough answers have 5+ significant digits for the scan to mean something
    t0 = time.perf_counter()
    hits, n_files, n_bytes = _scan(_student_files(keys), answers)
    assert not hits, hits[:10]
    print(f"\nscanned {n_files} files ({n_bytes / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s for "
          f"{len(long)} variant answers: none found")


def test_the_scan_finds_an_answer_where_there_is_one(keys):
    """Positive control: the lecturer's sheet and the key itself hold the answers, and the scan sees them."""
    answers = _answers(keys)
    lecturer = [(f"week-{w}-lecturer.md", sheet(keys[0], w, lecturer=True).encode()) for w in (1, 2, 3)]
    hits, _, _ = _scan(lecturer + [("key.json", json.dumps(keys[0]).encode())], answers)
    found = {h[1] for h in hits}
    assert "a lecturer-only file" in found and sum("written" in h for h in found) >= 8


STUDENT_DIR = Path(os.environ.get("TTS_STUDENT_DIR", ROOT / "_build" / "student" / "html"))


@pytest.mark.skipif(not (STUDENT_DIR / "intro.html").is_file(), reason="student edition not built")
def test_no_variant_answer_in_the_student_site_and_bundle(keys):
    files = ((str(p.relative_to(STUDENT_DIR)), p.read_bytes()) for p in sorted(STUDENT_DIR.rglob("*")) if p.is_file())
    t0 = time.perf_counter()
    answers = _answers(keys)
    hits, n_files, n_bytes = _scan(files, answers)
    assert not hits, hits[:10]
    assert any(n.endswith("-student.zip") for n in map(str, STUDENT_DIR.rglob("*.zip")))   # the bundle was scanned
    print(f"\nstudent site and bundle: {n_files} files ({n_bytes / 1e6:.0f} MB) scanned in "
          f"{time.perf_counter() - t0:.1f} s for {sum(bool(_spellings(a[2])) for a in answers)} variant answers: "
          "none found; no key, no generator, no grader")


def test_every_graded_exercise_is_in_the_scan(keys):
    assert set(keys[0]["exercises"]) == set(GENERATORS)
