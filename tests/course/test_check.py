"""Tests of tts_lib.course: the self-checks say right/close/not yet without revealing the answer, name the known
mistakes, accept the numbers the solutions state, and reject bad input with an error naming it. (Grading is on
the lecturer's side: tests/course/test_grader.py.)"""

import json
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tts_lib.course import check, expected_parts, labels
from tts_lib.course._answers import ANSWERS
from tts_lib.course.check import CLOSE_FACTOR, _decode


def decode(label, data):
    return _decode(label, data)["values"]


ROOT = Path(__file__).resolve().parents[2]


def test_answers_are_up_to_date():
    """The stored answers are what tools/make_answers.py computes with the library today.

    Values are compared within 1 % of each part's own tolerance (exactly for integer answers), not to the last
    bit: the same computation on another CPU or with another BLAS differs in the last digits (measured: relative
    differences of 5e-13, 1e-16 and 6e-13 for exp-ex-why-equal, intro-ex-lazy and sf-ex-spacing), while the
    smallest tolerance is 1e-4 relative. A 1 % margin can change a student's verdict only for an answer within
    1 % of the tolerance's edge, and it still catches any real change of an answer (a new parameter, a fixed
    bug), which moves it by far more than 1 % of the tolerance."""
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
        # "close" is a rounding slip, which is relative; missing an absolute tolerance (an estimate) is not yet
        assert check(label, {part: _nudge(y, kind, tol, 0.5 * (1 + CLOSE_FACTOR))}).verdicts[part] == \
            ("close" if kind == "rel" else "not yet")
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
            if len(f"{y:.4g}".strip("0.-")) < 3:  # 0, 0.5, 36...: too short to be told from base64 digits
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
        (("sf-ex-spacing", 1.0), ValueError, "parts"),
        (("sf-ex-spacing", {"d_X": 1.0}), ValueError, "unknown part"),
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
    parts = expected_parts("sf-ex-spacing")
    assert set(parts) == {"integral", "time"} and all(isinstance(v, str) for v in parts.values())


def test_every_checkable_label_is_an_exercise_of_the_book():
    text = "".join(p.read_text() for p in (ROOT / "chapters").glob("*.md"))
    for label in labels():
        assert f":label: {label}\n" in text, label


def test_no_grader_no_decoder_no_record_in_the_student_package(tmp_path, monkeypatch):
    import tts_lib.course as pub
    import tts_lib.course.check as mod

    assert not hasattr(pub, "grade") and not hasattr(mod, "decode") and not hasattr(mod, "grade")
    record = tmp_path / "missing" / "record.jsonl"          # a record path in a missing folder changes nothing
    monkeypatch.setenv("TTS_COURSE_RECORD", str(record))
    assert check("sf-ex-arrival", 0.025).correct and not record.exists()


def test_huge_integers_are_refused_with_the_part_named():
    with pytest.raises(ValueError, match="'limit'.*too large"):
        check("sf-ex-arrival", 10**400)


# The numbers the solutions state, as they stand in the chapters: each passes its check.
STATED = [
    ("01_introduction.md", "about 135 times worse", "intro-ex-lazy", {"ratio": 135}),
    ("01_introduction.md", "the exact probability, computed in chapter 4, is\n$0.34$", "intro-ex-init", {"p20": 0.34}),
    ("01_introduction.md", "($0.80$)", "intro-ex-init", {"p30": 0.80}),
    ("01_introduction.md", "= 1.75 \\cdot 10^8", "intro-ex-steps", {"N": 1.75e8}),
    ("02_setting.md", "so $\\Delta v = 0.1$", "setting-ex-constants", {"delta_v": 0.1, "delta_f": 0.5, "M": 2.5}),
    ("02_setting.md", "jumps by $a_1 \\Delta / \\eta = 10$", "setting-ex-ramp", {"ramp_jump": 10}),
    ("03_slow_fast.md", "\\approx 0.0900", "sf-ex-invariant", {"d_R": 0.0900}),
    ("03_slow_fast.md", "time is about $5730$", "sf-ex-spacing", {"time": 5730, "integral": 9 / 5}),
    ("03_slow_fast.md", "= 0.025$", "sf-ex-arrival", {"limit": 0.025}),
    ("06_3_other_regimes.md", "$\\sum_i \\Delta_i^2/6 = 9/6 = 1.5$", "beyond-ex-lazy", {"prediction": 1.5}),
    ("06_3_other_regimes.md", "\\approx 9333$", "beyond-ex-lazy", {"neurons": 9333}),
    ("04_4_general_theorem.md", "\\approx 3.33\\cdot10^{-3}$", "proof-gen-ex-eta0",
     {"delta_u": 0.1, "delta_d": 0.1, "nu": 0.1, "T": 1.6, "first": 3.33e-3, "second": 5.68e-4, "third": 1.78e-5}),
    ("04_2_real_flow.md", "25/1472", "proof-ex-kappa", {"alpha0": -3 / 92, "alpha1": 49 / 46, "kappa1": 25 / 1472}),
]


@pytest.mark.parametrize("chapter, text, label, answer", STATED)
def test_numbers_the_solutions_state_pass(chapter, text, label, answer):
    # ``chapter`` says where the text was when this list was written; a chapter may since be split into pages
    source = "".join(p.read_text() for p in (ROOT / "chapters").glob("*.md"))
    assert text.replace("\\n", "\n") in source, (chapter, text)
    result = check(label, answer)
    assert all(result.verdicts[p] == "correct" for p in answer), str(result)


def test_close_only_for_a_rounding_slip_and_hints_for_known_mistakes():
    # a Wald interval instead of Wilson's is named, not called close
    vals = decode("beyond-ex-phase", ANSWERS["beyond-ex-phase"]["data"])
    from tts_lib.experiments import phase

    n, z = phase.load_study().n_seeds, 1.959963984540054
    p = vals["proportion"]
    wald = (p - z * (p * (1 - p) / n) ** 0.5, p + z * (p * (1 - p) / n) ** 0.5)
    r = check("beyond-ex-phase", {"proportion": p, "lower": wald[0], "upper": wald[1]})
    assert r.verdicts == {"proportion": "correct", "lower": "not yet", "upper": "not yet"}
    assert "Wald" in str(r) and "close" not in str(r)
    # swapped parts are named
    r = check("intro-ex-init", {"p20": 0.80, "p30": 0.34})
    assert r.verdicts == {"p20": "not yet", "p30": "not yet"} and str(r).count("swapped") == 2
    # the bound instead of the limit; Var instead of Var/2; tau/h instead of tau/(eps h)
    assert "bound" in str(check("sf-ex-arrival", 0.1))
    assert "factor ½" in str(check("setting-ex-constant-fit", {"loss": 2 * decode(
        "setting-ex-constant-fit", ANSWERS["setting-ex-constant-fit"]["data"])["loss"]}))
    assert "factor ε" in str(check("intro-ex-steps", 3500))
    # an estimate 0.15 off (6 standard errors of 400 draws) is not a rounding slip: no "close" for absolute tolerances
    p20 = decode("intro-ex-init", ANSWERS["intro-ex-init"]["data"])["p20"]
    assert check("intro-ex-init", {"p20": p20 + 0.15}).verdicts["p20"] == "not yet"
    # 10 x the tolerance is no longer "close"
    assert check("sf-ex-arrival", 0.025 * (1 + 10e-4)).verdicts["limit"] == "not yet"


def test_the_checks_ask_what_the_exercises_ask():
    assert set(expected_parts("sf-ex-invariant")) == {"d_R"}        # where the far neuron stops, nothing else
    text = (ROOT / "chapters" / "03_slow_fast.md").read_text()
    assert "placed symmetrically about the centre" in text           # sf-ex-spacing says where the pair sits


def test_questions_do_not_state_their_answers():
    from course.paper import exercises

    ex = exercises()
    assert "25/1472" not in ex["proof-ex-kappa"]["statement"]           # proof-ex-kappa asks for kappa_1
    assert set(expected_parts("proof-ex-kappa")) == {"alpha0", "alpha1", "kappa1"}
    # the main text states P_2(20) and the m for 90 %: the exercises ask for m = 25 and for 95 %
    assert "0.95" in ex["proof-ex-probability"]["statement"] and "m = 25" in ex["beyond-ex-probability"]["statement"]
    assert "90 %" in str(check("proof-ex-probability", {"m2": 36}))


#: the exercises without a self-check, and why none can ask what they ask (every other exercise has one)
NOT_CHECKABLE = {
    "intro-ex-convex-in-a": "a sign at positions the student draws: the eigenvalues depend on the draw",
    "sf-ex-proof-strict": "a written proof",
    "proof-ex-interior": "a proof; the random instances are the student's",
    "proof-gen-ex-offset": "a derivation; the configuration is the student's choice",
    "proof-gen-ex-symmetric": "qualitative: lambda_min(G) collapses to a solver-dependent value (neurons merge)",
    "exp-ex-ramp": "a proof; the numeric limit, -1/2, is stated in the exercise itself",
    "concl-ex-condition": "a yes/no (both jumps are captured) and a written reason",
}


def test_every_numeric_exercise_is_checkable():
    """Every exercise of the book has a self-check, except the listed ones (proofs, student-chosen instances)."""
    from course.paper import exercises

    every = set(exercises())
    assert set(labels()) <= every
    assert every - set(labels()) == set(NOT_CHECKABLE), sorted(every - set(labels()) ^ set(NOT_CHECKABLE))
    teachers = (ROOT / "reference" / "teachers.md").read_text()
    assert f"{len(labels())} of the {len(every)} exercises" in teachers       # the guide's count is today's
    for label in ("exp-ex-radius", "exp-ex-flight", "proof-gen-ex-eta0"):   # the last numeric ones to get a check
        text = "".join(p.read_text() for p in (ROOT / "chapters").glob("*.md"))
        assert f'check("{label}", {{' in text, label


def test_every_check_cell_names_exactly_the_checks_parts():
    """The self-check cell under each exercise passes the parts that check() expects, no more, no fewer."""
    import re

    text = "".join(p.read_text() for p in sorted((ROOT / "chapters").glob("*.md")))
    # the call on one line, or spread over several by the formatter (label and parts on their own lines, the
    # closing parenthesis alone): up to the first line that ends the call
    cells = dict(re.findall(r'^check\(\s*"([a-z0-9-]+)",\s*(.*?),?\s*\)$', text, re.M | re.S))
    assert set(cells) == set(labels())
    for label, arg in cells.items():
        parts = set(re.findall(r'"(\w+)": None', arg)) or set(expected_parts(label))  # one part: check(label, None)
        assert parts == set(expected_parts(label)), label


def test_swapped_only_when_swapped():
    # p20's value given for p30 while p20 is answered differently is a miscount, not a swap
    r = check("intro-ex-init", {"p20": 0.80, "p30": 0.55})
    assert "swapped" not in str(r)
    r = check("exp-ex-radius", {"runs_eta": 9, "runs_4eta": 9, "seed": 6})
    assert r.verdicts["runs_eta"] == "not yet" and "swapped" not in str(r)


def test_known_mistakes_of_the_newest_checks():
    v = {lab: decode(lab, ANSWERS[lab]["data"]) for lab in ("exp-ex-flight", "exp-ex-radius", "proof-gen-ex-eta0")}
    f = v["exp-ex-flight"]
    assert "factor ε" in str(check("exp-ex-flight", {"steps": f["extra"] / 2e-5}))
    assert "authors' h" in str(check("exp-ex-flight", {"steps": 2 * f["steps"]}))
    assert "after τ = 0.07" in str(check("exp-ex-flight", {"extra": 0.07 + f["extra"]}))
    assert "counts uncovered jumps" in str(check("exp-ex-radius", {"runs_eta": 20}))
    assert "leaves out T" in str(check("proof-gen-ex-eta0", {"third": 0.1**2 / 352}))
    # what the exercises' solutions print (3 significant digits) passes
    assert check("exp-ex-flight", {k: float(f"{x:.3g}") for k, x in f.items()}).correct
    assert check("proof-gen-ex-eta0", {k: float(f"{x:.3g}") for k, x in v["proof-gen-ex-eta0"].items()}).correct
