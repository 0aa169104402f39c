"""The lecturer's grader (course/): graded variants, and a batch of submissions of every kind.

A right notebook scores full marks; a wrong one, a forged one (it writes a record file, decodes the stored
practice answers, monkey-patches ``check``, silences its own tracebacks), a crashing one (an exception, then
``os._exit``), a hanging one (a loop that takes the interrupt, then one that ignores it) and a file that is not
JSON each score what they earned, and the batch returns a result for every notebook. The exercises are the
small ones (no compiled kernel), so the whole file runs in well under a minute.
"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.grader import grade, grade_many, gradebook_csv, judge, select
from course.sets import make_key, student_notebook
from course.variants import GENERATORS, make_variant

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["intro-ex-steps", "setting-ex-constants", "sf-ex-arrival", "sf-ex-invariant"]
#: the right answers, computed in the student's kernel from the variant's own parameters
RIGHT = {
    "intro-ex-steps": "N_steps = tau / (eps * h)",
    "setting-ex-constants": ("edges = [0.0, *jumps, 1.0]\ndelta_v = min(b - a for a, b in zip(edges, edges[1:]))\n"
                             "delta_f = min(abs(b - a) for a, b in zip(values, values[1:]))\nM = max(abs(v) for v in values)"),
    "sf-ex-arrival": "tau_limit = 2 * d_L0 / delta**2",
    "sf-ex-invariant": "d_R_final = (d_R0**3 - d_L0**3) ** (1 / 3)",
}
WRONG = {
    "intro-ex-steps": "N_steps = tau / h",                      # a known mistake
    "setting-ex-constants": "delta_v, delta_f, M = 0.3, 0.7, 9.0",
    "sf-ex-arrival": "tau_limit = 8 * d_L0 / delta**2",          # the bound, not the limit
    "sf-ex-invariant": "d_R_final = round(d_R0 - d_L0, 6)",
}


@pytest.fixture(scope="module")
def key():
    return make_key("a CI secret that is not a real one", "ci-term", LABELS)


def _nb(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def _setup(key, label):
    return key["exercises"][label]["setup"]


def full(key, week=None):
    return sum(p["marks"] for e in select(key, week).values() for p in e["parts"].values())


def test_variants_differ_from_the_practice_answers_and_depend_on_the_secret():
    from tts_lib.course._answers import ANSWERS
    from tts_lib.course.check import _decode

    for label in LABELS:
        a, b = make_variant(label, "secret one, long enough", "t"), make_variant(label, "secret two, long enough", "t")
        assert a == make_variant(label, "secret one, long enough", "t")          # same secret, same variant
        practice = _decode(label, ANSWERS[label]["data"])["values"].values() if label in ANSWERS else []
        for p in a["parts"].values():
            assert all(abs(p["value"] - y) > p["tol"] * abs(y) for y in practice)
        assert a["setup"] != b["setup"] or label == "setting-ex-constants"  # (a small grid may repeat)


def test_student_material_holds_no_answer(key, tmp_path):
    """The notebook given to students contains the parameters, never the key's values."""
    text = json.dumps(student_notebook(key, 2)) + json.dumps(student_notebook(key, 1))
    for ex in key["exercises"].values():
        if ex["label"] == "setting-ex-constants":  # its answers are read off the target: M is one of the values
            continue
        for p in ex["parts"].values():
            for fmt in ("{!r}", "{:.4g}", "{:.6g}"):
                s = fmt.format(p["value"])
                if len(s.strip("0.-")) >= 3:
                    assert s not in text, (ex["label"], s)
    # and the student's wheel has no grader, no variants, no decoder in its public API
    import tts_lib.course as pub

    assert not hasattr(pub, "grade") and not hasattr(pub, "decode")
    assert not (ROOT / "tts_lib" / "course" / "variants.py").exists()


def test_judge_close_hint_missing():
    part = {"variable": "x", "value": 2.0, "kind": "rel", "tol": 1e-3, "marks": 2, "hints": [[1.0, "half of it"]]}
    assert judge(part, {"value": 2.001})["marks"] == 2
    assert judge(part, {"value": 2.005})["verdict"] == "close" and judge(part, {"value": 2.005})["marks"] == 1
    assert judge(part, {"value": 2.1})["marks"] == 0
    assert judge(part, {"value": 1.0})["feedback"] == "half of it"
    assert judge(part, {"error": "not defined"})["verdict"] == "missing"
    proportion = {"variable": "p", "value": 0.73, "kind": "abs", "tol": 0.005, "marks": 2, "hints": []}
    assert judge(proportion, {"value": 0.74})["verdict"] == "not yet"   # a miscounted run is not a rounding slip


def test_a_batch_of_every_kind_of_submission(key, tmp_path):
    week2 = ["sf-ex-arrival", "sf-ex-invariant"]
    every = [_setup(key, lab) + "\n" + RIGHT[lab] for lab in LABELS]
    right = _nb(tmp_path / "right.ipynb", every)
    wrong = _nb(tmp_path / "wrong.ipynb", [_setup(key, lab) + "\n" + WRONG[lab] for lab in LABELS])
    forged = _nb(tmp_path / "forged.ipynb", [
        "import os, json\nfor lab in %r:\n    open(os.environ.get('TTS_COURSE_RECORD', 'record.jsonl'), 'a').write("
        "json.dumps({'label': lab, 'verdicts': {'x': 'correct'}}) + '\\n')" % LABELS,
        "import sys\nfrom tts_lib.course import check\nC = sys.modules['tts_lib.course.check']\nC.check = lambda *a, **k: True\n"
        "from tts_lib.course._answers import ANSWERS\n"
        "practice = {lab: C._decode(lab, ANSWERS[lab]['data'])['values'] for lab in ANSWERS}\n"
        "N_steps = practice['intro-ex-steps']['N']\ntau_limit = practice['sf-ex-arrival']['limit']\n"
        "d_R_final = practice['sf-ex-invariant']['d_R']\n"
        "delta_v, delta_f, M = (practice['setting-ex-constants'][k] for k in ('delta_v', 'delta_f', 'M'))",
        "from tts_lib.course.check import decode",            # no longer public: ImportError, recorded
        "get_ipython().showtraceback = lambda *a, **k: None\nraise RuntimeError('hidden')",
    ])
    crash = _nb(tmp_path / "crash.ipynb", [
        _setup(key, "intro-ex-steps") + "\n" + RIGHT["intro-ex-steps"],
        "1 / 0",
        _setup(key, "sf-ex-arrival") + "\n" + RIGHT["sf-ex-arrival"],
        "import os\nos._exit(3)",
        "import ctypes\nctypes.string_at(0)",                                   # a segfault
        _setup(key, "sf-ex-invariant") + "\n" + RIGHT["sf-ex-invariant"],
    ])
    hang = _nb(tmp_path / "hang.ipynb", [
        _setup(key, "sf-ex-arrival") + "\n" + RIGHT["sf-ex-arrival"],
        "while True:\n    pass",                                                   # takes the interrupt
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.01)",  # does not
        _setup(key, "sf-ex-invariant") + "\n" + RIGHT["sf-ex-invariant"],
    ])
    junk = tmp_path / "junk.ipynb"
    junk.write_text("this is not JSON {")
    # one week alone, from the command line (checked below), started now: it runs while the batch waits on the
    # hanging cells
    (tmp_path / "key.json").write_text(json.dumps(key))
    cli = subprocess.Popen([sys.executable, "-m", "course", "grade", "--key", str(tmp_path / "key.json"), "--week", "2",
                            "--timeout", "20", str(right), str(junk)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, text=True, cwd=ROOT)
    # the hanging notebook first: it is the longest (two cells that each run into the timeout, the probe of the
    # kernel that ignored the interrupt, a restart), the others share the other two workers meanwhile
    order = [hang, right, wrong, forged, crash, junk]
    # one batch, every kind. The per-cell timeout is the cost of the hanging cells (about 3 x timeout); the only
    # cell that needs time is the forged notebook's first import of the library (~2-4 s, measured: its
    # notebook's "seconds" printed below), so 10 s leaves it a margin of 2.5 or more.
    results = {Path(r["notebook"]).stem: r for r in grade_many(order, key, timeout=10, workers=3)}
    assert list(results) == [p.stem for p in order]
    print("\n" + "\n".join(f"{k}: {r['score']:g}/{r['max']:g} ({r['status']}, {r.get('seconds')} s; errors: "
                            f"{[(e['cell'], e['exception']) for e in r['errors']]})" for k, r in results.items()))
    marks = lambda r, lab: sum(v["marks"] for v in r["exercises"][lab].values())  # noqa: E731
    ex = key["exercises"]
    mx = {lab: sum(p["marks"] for p in ex[lab]["parts"].values()) for lab in LABELS}

    assert results["right"]["score"] == full(key) and results["right"]["errors"] == []
    assert results["wrong"]["score"] == 0
    assert results["wrong"]["exercises"]["sf-ex-arrival"]["limit"]["verdict"] == "known mistake"
    assert results["forged"]["score"] == 0
    # the errors are read from the kernel's replies: silencing the traceback does not hide them
    assert {e["exception"] for e in results["forged"]["errors"]} >= {"ImportError", "RuntimeError"}
    assert results["crash"]["score"] == mx["intro-ex-steps"] + mx["sf-ex-arrival"] + mx["sf-ex-invariant"]
    crash_errors = {e["cell"]: e["exception"] for e in results["crash"]["errors"]}
    assert crash_errors[1] == "ZeroDivisionError" and crash_errors[3] == crash_errors[4] == "DeadKernelError"
    assert results["hang"]["score"] == mx["sf-ex-arrival"] + mx["sf-ex-invariant"]
    hang_errors = {e["cell"] for e in results["hang"]["errors"]}
    assert {1, 2} <= hang_errors
    assert results["junk"]["status"] == "unreadable" and results["junk"]["score"] == 0
    for r in results.values():   # every result names the failing cells and exceptions, and sums its marks
        assert all(set(e) == {"cell", "exception", "message"} for e in r["errors"])
        assert r["score"] == sum(v["marks"] for e in r["exercises"].values() for v in e.values())
    csv = gradebook_csv(list(results.values()))
    assert csv.count("\n") == 1 + len(order)

    # one week alone, from the command line: only that week's exercises count
    try:
        stdout, stderr = cli.communicate(timeout=120)
    finally:
        cli.kill()
    assert cli.returncode == 0, stderr
    out = json.loads(stdout)
    assert [r["status"] for r in out] == ["graded", "unreadable"]
    assert set(out[0]["exercises"]) == set(week2) and out[0]["score"] == out[0]["max"] == full(key, 2)


def test_usage_errors(key, tmp_path):
    with pytest.raises(ValueError, match="week 9"):
        select(key, 9)
    with pytest.raises(ValueError, match="timeout"):
        grade(tmp_path / "x.ipynb", key, timeout=0)
    bad = tmp_path / "key.json"
    bad.write_text("[]")
    proc = subprocess.run([sys.executable, "-m", "course", "grade", "--key", str(bad), "x.ipynb"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "exercises" in proc.stderr
    with pytest.raises(ValueError, match="no graded variant"):
        make_variant("intro-ex-symmetry", "s" * 20, "t")
    assert set(LABELS) <= set(GENERATORS)


#: a student's solution of the newest variants, run on the variant's own parameters (as in the student's kernel)
SOLVE = {
    "proof-gen-ex-eta0": (
        "u = sorted(u0); v = jumps[0]; D = values[1] - values[0]; M = max(abs(x) for x in values)\n"
        "left, right = [x for x in u if x < v], [x for x in u if x > v]\n"
        "near = min(v - left[-1], right[0] - v); delta_d = abs((v - left[-1]) - (right[0] - v))\n"
        "delta_u = min(u[0], 1 - u[-1], left[1] - left[0], right[1] - right[0])\n"
        "nu = min(delta_u, delta_d); T_max = 16 * near / D**2\n"
        "eta0 = min(nu / 30, D**2 * nu / (176 * M**2), nu**2 / (352 * M**2 * T_max))"),
    "exp-ex-flight": (
        "import numpy as np\nfrom tts_lib.initialisation import sample_positions\n"
        "run = tts.ideal_flow(np.asarray(sample_positions(20, seed, target, require_two_per_piece=True)), target, (0, 0.07))\n"
        "j = [i for i in range(5) if not np.any(run.arrival_jump == i)][0]; u_end = run.u[-1]; v = target.jumps[j]\n"
        "more = tts.ideal_flow(u_end, target, (0, 1.0))\n"
        "extra_tau = np.nanmin(more.arrival_tau[more.arrival_jump == j]); extra_steps = extra_tau / (2e-5 * 2e-5)\n"
        "bound = 8 * min(np.min(v - u_end[u_end < v]), np.min(u_end[u_end > v] - v)) / target.heights[j] ** 2"),
}


@pytest.mark.parametrize("label", sorted(SOLVE))
def test_the_newest_variants_are_what_their_parameters_give(label):
    import tts_lib as tts

    for secret in ("first CI secret, not real", "second CI secret, not real"):
        ex = make_variant(label, secret, "ci")
        scope = {"tts": tts}
        exec(ex["setup"] + "\n" + SOLVE[label], scope)  # noqa: S102  (the test's own code)
        for part, p in ex["parts"].items():
            assert judge(p, {"value": float(scope[p["variable"]])})["verdict"] == "correct", (label, part)
            for value, hint in p["hints"]:   # a named mistake is not also "close"
                assert judge(p, {"value": value})["feedback"] == hint
