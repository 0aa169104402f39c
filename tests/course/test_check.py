"""Tests of tts_lib.course: the self-checks say right/close/not yet without revealing the answer, and the
grader scores a submitted notebook."""

import json
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tts_lib.course import check, expected_parts, grade, labels
from tts_lib.course._answers import ANSWERS
from tts_lib.course.check import decode

ROOT = Path(__file__).resolve().parents[2]


def test_answers_are_up_to_date():
    """The stored answers are what tools/make_answers.py computes with the library today."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_answers.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _nudge(y, kind, tol, factor):
    step = tol if kind == "abs" else tol * abs(y)
    return y + factor * step


@pytest.mark.parametrize("label", sorted(ANSWERS))
def test_verdicts_at_and_around_the_answer(label):
    entry = ANSWERS[label]
    values = decode(label, entry["data"])
    assert set(values) == set(entry["describe"]) == set(entry["tol"])
    assert check(label, values).correct
    for part, y in values.items():
        kind, tol = entry["tol"][part]
        if tol == 0:  # integer answers: off by one is not yet
            assert check(label, {part: y + 1}).verdicts[part] == "not yet"
            continue
        assert check(label, {part: _nudge(y, kind, tol, 0.9)}).verdicts[part] == "correct"
        assert check(label, {part: _nudge(y, kind, tol, 5)}).verdicts[part] == "close"
        assert check(label, {part: _nudge(y, kind, tol, 1000)}).verdicts[part] == "not yet"


@pytest.mark.parametrize("label", sorted(ANSWERS))
def test_messages_never_reveal_the_answer(label):
    values = decode(label, ANSWERS[label]["data"])
    for answer in (None, {k: 0.5 for k in values}, values):
        text = str(check(label, answer))
        for y in values.values():
            for fmt in ("{}", "{:.2g}", "{:.3g}", "{:.4g}", "{:.6g}", "{:.2f}", "{:.3f}"):
                s = fmt.format(y)
                if len(s.strip("0.-")) >= 2:  # a one-digit string could appear by chance in a tolerance
                    assert s not in text, (label, s, text)


def test_stored_values_are_not_in_clear():
    src = (ROOT / "tts_lib" / "course" / "_answers.py").read_text()
    for label, entry in ANSWERS.items():
        for y in decode(label, entry["data"]).values():
            if len(f"{y:.4g}".strip("0.-")) < 2:  # 0, 0.5, 36...: too short to be told from other digits
                continue
            assert repr(y) not in src and f"{y:.4g}" not in src


def test_one_part_exercises_take_a_number():
    assert check("sf-ex-arrival", 0.025).correct
    assert not check("sf-ex-arrival", 0.1).correct


@pytest.mark.parametrize(
    "args, error, match",
    [
        (("nope", 1.0), ValueError, "label"),
        ((3, 1.0), TypeError, "label"),
        (("sf-ex-invariant", 1.0), ValueError, "parts"),
        (("sf-ex-invariant", {"d_X": 1.0}), ValueError, "unknown part"),
        (("sf-ex-arrival", "0.025"), TypeError, "real number"),
        (("sf-ex-arrival", True), TypeError, "real number"),
        (("sf-ex-arrival", math.nan), ValueError, "finite"),
        (("sf-ex-arrival", 1j), TypeError, "real number"),
    ],
)
def test_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        check(*args)


def test_expected_parts_lists_descriptions_only():
    parts = expected_parts("sf-ex-invariant")
    assert set(parts) == {"d_R", "tau"} and all(isinstance(v, str) for v in parts.values())


def test_every_checkable_label_is_an_exercise_of_the_book():
    text = "".join(p.read_text() for p in (ROOT / "chapters").glob("*.md"))
    for label in labels():
        assert f":label: {label}\n" in text, label


def _notebook(tmp_path, name, answers):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from tts_lib.course import check")]
    nb.cells += [nbformat.v4.new_code_cell(f"check({label!r}, {answer!r})") for label, answer in answers.items()]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_grade_scores_right_and_wrong_submissions(tmp_path):
    right = {"sf-ex-arrival": 0.025, "intro-ex-steps": 1.75e8,
             "sf-ex-invariant": {"d_R": float(decode("sf-ex-invariant", ANSWERS["sf-ex-invariant"]["data"])["d_R"]),
                                 "tau": 0.0}}
    good = grade(_notebook(tmp_path, "good.ipynb", right))
    assert good["errors"] is None
    assert good["scores"]["sf-ex-arrival"] == 1.0 and good["scores"]["intro-ex-steps"] == 1.0
    assert good["scores"]["sf-ex-invariant"] == 0.5          # one part of two right
    assert good["scores"]["proof-ex-interval"] == 0.0        # never checked
    assert good["total"] == pytest.approx(2.5)
    bad = grade(_notebook(tmp_path, "bad.ipynb", {"sf-ex-arrival": 0.1}))
    assert bad["scores"]["sf-ex-arrival"] == 0.0 and bad["total"] == 0.0
    # the command line prints the same table as JSON
    proc = subprocess.run([sys.executable, "-m", "tts_lib.course", "grade", str(tmp_path / "bad.ipynb")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[str(tmp_path / "bad.ipynb")]["total"] == 0.0


def test_grade_reports_a_failing_cell(tmp_path):
    path = _notebook(tmp_path, "crash.ipynb", {"sf-ex-arrival": 0.025})
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, path)
    out = grade(path)
    assert out["errors"] is not None and out["scores"]["sf-ex-arrival"] == 1.0


def test_grade_refuses_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="notebook"):
        grade(tmp_path / "none.ipynb")
