"""Paper and plans: the weekly sheets, marking page and weekly page are up to date with the chapters; a
student's sheet holds no solution; every exercise has a marking scheme whose checked parts are the check's
parts; the workload figures add up; the board notes cover every chapter on one page each."""

import subprocess
import sys
from pathlib import Path

from course.marking import SCHEME
from course.paper import exercises, render_all
from course.weeks import WEEKS, workload
from tts_lib.course import expected_parts, labels

ROOT = Path(__file__).resolve().parents[2]


def test_generated_files_are_up_to_date():
    proc = subprocess.run([sys.executable, "-m", "course", "sheets", "--check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_student_sheets_hold_no_solution():
    ex = exercises()
    files = render_all()
    for week in WEEKS:
        student = files[ROOT / "course" / "sheets" / f"week-{week}-student.md"]
        lecturer = files[ROOT / "course" / "sheets" / f"week-{week}-lecturer.md"]
        assert "Solution" not in student and "Marking" not in student
        for label in WEEKS[week]["set"]:
            sol = ex[label]["solution"]
            first = next((ln for ln in sol.splitlines() if len(ln) > 30 and not ln.startswith("```")), None)
            if first:
                assert first not in student, label
        assert "Solution (from the book)" in lecturer and "Marking scheme" in lecturer


def test_every_exercise_has_a_scheme_and_is_in_one_week():
    ex = exercises()
    assert set(SCHEME) == set(ex)
    in_weeks = [lab for w in WEEKS.values() for lab in w["set"]]
    assert sorted(in_weeks) == sorted(ex) and len(in_weeks) == len(set(in_weeks))
    for label in labels():  # a checked exercise: every part of its check has marks
        assert set(expected_parts(label)) <= {p for p, _, _ in SCHEME[label]}, label


def test_workload_adds_up():
    cat = {k: v["minutes"] for k, v in exercises().items()}
    for week, w in WEEKS.items():
        h = workload(week, cat)
        assert abs(h["problem set"] - sum(cat[lab] for lab in w["set"]) / 60) < 0.01
        assert abs(h["total"] - sum(v for k, v in h.items() if k != "total")) < 0.01
    teachers = (ROOT / "reference" / "teachers.md").read_text()
    for week in WEEKS:
        h = workload(week, cat)
        assert f"| {week} |" in teachers and f"{h['total']:g} h" in teachers, week
    # "Of these, 4.5 h a week are contact hours; the student's own work is ..." adds up too
    own = [round(workload(w, cat)["total"] - workload(w, cat)["lectures"] - workload(w, cat)["problem class"], 2)
           for w in WEEKS]
    contact = workload(1, cat)["lectures"] + workload(1, cat)["problem class"]
    assert f"{contact:g} h a week are contact hours" in teachers
    assert "own work is " + ", ".join(f"{x:g} h" for x in own[:-1]) + f" and {own[-1]:g} h" in teachers


def test_board_notes_one_page_per_chapter():
    notes = sorted((ROOT / "course" / "board-notes").glob("chapter-*.md"))
    assert [p.stem for p in notes] == [f"chapter-{k}" for k in range(1, 8)]
    for p in notes:
        words = len(p.read_text().split())
        assert 150 < words < 650, (p.name, words)   # about one printed page


def test_student_tex_holds_no_solution():
    """What LaTeX typesets for a student (the committed .tex, as rendered): no solution, no marking scheme, the
    student's running head; the lecturer's .tex has all three (so the probes are known to find them)."""
    ex = exercises()
    files = render_all()
    for week in WEEKS:
        student = files[ROOT / "course" / "sheets" / f"week-{week}-student.tex"]
        lecturer = files[ROOT / "course" / "sheets" / f"week-{week}-lecturer.tex"]
        assert "Student sheet (no solutions)" in student and "do not hand out" in lecturer
        for word in ("Solution", "Marking scheme", "do not hand out"):
            assert word not in student and word in lecturer, (week, word)
        found = 0
        for label in WEEKS[week]["set"]:
            for line in ex[label]["solution"].splitlines():
                if len(line) > 30 and not line.startswith("```") and "\\" not in line and "_" not in line:
                    assert line.strip() not in student, (week, label, line)
                    found += line.strip() in lecturer.replace("\\&", "&").replace("\\%", "%")
        assert found >= 3, week


def test_table_cells_keep_a_literal_bar():
    """|θ| inside a marking-scheme cell stays in its cell (it once split the row and broke the LaTeX run)."""
    from course.paper import md_to_tex

    tex = md_to_tex("| part | marks | for |\n| --- | --- | --- |\n| integral | 3 | the offset −(½ − \\|θ\\|)⁴ |\n")
    row = next(ln for ln in tex.splitlines() if ln.startswith("integral"))
    assert row.count("&") == 2 and "|θ|" in row, row
