"""Bad input to the explorables' JavaScript interface (``window.ttsExplorables``), table-driven as the library's
suite (tests/badinput.py, tests/core/test_bad_inputs.py), in the real browser on the built site.

A *case* is (explorable, method, valid arguments, parameter, bad value). The test calls the method with the one
argument replaced and requires, within TIME_LIMIT_MS, an Error whose message names the parameter in its leading
clause (as ``badinput.leading_names``) and says what was expected in the library's words ("must be positive",
"must be finite", ...). A call that does not answer in time is stopped by Chromium (Runtime.evaluate's timeout,
through the DevTools protocol) and fails the case: a frozen tab is what this catches. The classes of bad value are
those of the Python suite that have a JavaScript meaning (NaN, infinities, magnitudes that overflow, numeric
strings, bools, wrong types, widths float64 cannot resolve) plus what only the page can get wrong: work that
would freeze the tab (steps, slow time, neurons) and loop counters <= 0.

Besides the table: a run that blows up throws a DivergenceError naming the value and the first step (as
``tts.sgd``), never returns NaN; the largest accepted inputs give finite results; every base call is accepted.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from sitecfg import EXPLORABLE_PAGES, open_explorables

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/badinput.py
from badinput import leading_names  # noqa: E402

PAGES = EXPLORABLE_PAGES
TIME_LIMIT_MS = 15_000  # a capped call takes at most a few seconds on a loaded 2-core machine
NAN, INF = float("nan"), float("inf")


class JS(str):
    """A JavaScript expression, written into the call as is (e.g. a large array built in the page)."""


def js(value) -> str:
    """A Python value as a JavaScript literal (NaN and the infinities included, which JSON cannot carry)."""
    if isinstance(value, JS):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(js(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {js(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


CALL = """(() => {{
  const api = window.ttsExplorables[{name}];
  const t0 = performance.now();
  try {{
    const out = api[{method}](...{args});
    const text = JSON.stringify(out, (k, v) => typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
    return {{ok: true, value: text.slice(0, 300), nonfinite: /"(NaN|Infinity|-Infinity)"/.test(text), ms: performance.now() - t0}};
  }} catch (e) {{
    return {{ok: false, name: e.name, message: String(e.message), ms: performance.now() - t0}};
  }}
}})()"""


def call(cdp, name, method, args):
    expr = CALL.format(name=json.dumps(name), method=json.dumps(method), args=js(list(args)))
    try:
        r = cdp.send("Runtime.evaluate", {"expression": expr, "timeout": TIME_LIMIT_MS, "returnByValue": True})
    except PlaywrightError as exc:  # "Execution was terminated": the call ran past the limit
        return {"ok": False, "hang": True, "message": f"no answer within {TIME_LIMIT_MS} ms ({exc.message[:80]})"}
    if "exceptionDetails" in r:
        return {"ok": False, "message": json.dumps(r["exceptionDetails"])[:300]}
    return r["result"]["value"]


@pytest.fixture(scope="module")
def pages(browser, base_url):
    opened = {}
    # the interface only: no MathJax (sitecfg.open_offline), the three pages loading side by side
    for name, (context, pg, errors) in open_explorables(browser, base_url, list(PAGES), mathjax=False).items():
        opened[name] = (pg, context.new_cdp_session(pg), errors)
    yield opened
    for pg, _, _ in opened.values():
        pg.context.close()


# --- the table -------------------------------------------------------------------------------------------------
PAPER = {"jumps": [0.2, 0.35, 0.5, 0.65, 0.8], "values": [1, 5, 1, 3, 1, 5]}
T2 = {"jumps": [0.3, 0.6], "values": [0, 2, 1]}
U6 = [0.1, 0.22, 0.4, 0.5, 0.65, 0.8]

# what each kind of parameter must say (the library's words: tts_lib/_validate.py)
FINITE = r"must be finite, got|must contain only finite values \(no NaN or inf\)"
POSITIVE = r"must be positive"
NONNEG = r"must be non-negative"
TYPE = r"must be (a real number|an integer|an array of real numbers)"
INTEGER = r"must be an integer"
MAGNITUDE = r"must (have magnitude|be) <= 1e\+100|must have entries of magnitude <= 1e\+100"
WIDTH = r"must lie in the supported range \[1\.49e-08, 6\.71e\+07\]"
WORK = r"asks for too much work|neurons; .* limited to"
OPTION = r"is not an option of"


def scalar_bad(kind):
    """(class, value, what the message must say) for a scalar parameter of a kind (as badinput.scalar_bad)."""
    out = [("nan", NAN, FINITE + "|" + INTEGER), ("inf", INF, FINITE + "|" + INTEGER + "|" + WORK),
           ("numeric string", "0.1", TYPE), ("bool", True, TYPE), ("null", None, TYPE), ("array", [0.1], TYPE)]
    if kind == "positive":
        out += [("negative", -1.0, POSITIVE), ("zero", 0.0, POSITIVE), ("huge 1e300", 1e300, MAGNITUDE)]
    if kind == "nonneg":
        out += [("negative", -1.0, NONNEG), ("huge 1e300", 1e300, MAGNITUDE)]
    if kind == "width":
        out += [("unresolvable 1e-12", 1e-12, WIDTH), ("too wide 1e9", 1e9, WIDTH), ("zero", 0.0, POSITIVE)]
    return out


def count_bad(minimum=0):
    out = [("negative", -1, r"must be >= %d, got -1" % minimum), ("fraction", 1.5, INTEGER), ("nan", NAN, INTEGER),
           ("inf", INF, INTEGER), ("numeric string", "3", INTEGER), ("bool", True, INTEGER)]
    if minimum == 1:
        out.append(("zero", 0, r"must be >= 1, got 0"))
    return out


def array_bad(good):
    return [("nan entry", [*good[:-1], NAN], FINITE), ("inf entry", [INF, *good[1:]], FINITE),
            ("huge entry 1e200", [1e200, *good[1:]], MAGNITUDE), ("string entries", [str(x) for x in good], TYPE),
            ("bool entry", [True, *good[1:]], TYPE), ("string", "0.5", TYPE), ("number", 0.5, TYPE)]


def target_bad():
    return [("values 1e200", {"jumps": [0.5], "values": [0.0, 1e200]}, MAGNITUDE),
            ("string jumps", {"jumps": ["0.5"], "values": [0.0, 1.0]}, TYPE),
            ("a list", [0.5], r"must be an object"), ("a string", "paper", r"must be an object")]


SGD = {"eps": 2e-5, "steps": 2000, "seed": 0}
SGD_SAMPLES = {"eps": 0.1, "lr": 1e-3, "samples": {"x": [0.1, 0.5, 0.9], "noise": [0.0, 0.1, -0.1]}}
TABLE = {
    # label: (explorable, method, valid positional arguments, index of the options object or None, {param: cases})
    "sgd.run": ("sgd", "run", [SGD], 0, {
        "eps": scalar_bad("positive"), "lr": scalar_bad("positive"), "eta": scalar_bad("width"),
        "noise": scalar_bad("nonneg"),
        "seed": count_bad() + [("2**32", 2**32, r"must be <= 4294967295")],
        "steps": count_bad() + [("freezes the tab: 1e9", 10**9, WORK)],
        "record": count_bad(), "block": count_bad(1),
        "u0": array_bad([0.2, 0.5, 0.8]) + [("empty", [], r"must have at least 1 entries, got 0"),
                                            ("10^6 neurons", JS("Array(1e6).fill(0.5)"), WORK),
                                            ("10^4 neurons, recorded", JS("Array(1e4).fill(0.5)"), WORK)],
        "target": target_bad(),
        "sed": [("misspelt seed", 3, OPTION)],
    }),
    "sgd.run (samples)": ("sgd", "run", [SGD_SAMPLES], 0, {
        "samples": [("nan noise", {"x": [0.5], "noise": [NAN]}, FINITE), ("nan pair", [[0.5, NAN]], FINITE),
                    ("string x", {"x": ["0.5"], "noise": [0.0]}, TYPE),
                    ("lengths differ", {"x": [0.5, 0.6], "noise": [0.0]}, r"must have length 2")],
    }),
    "sgd.startPositions": ("sgd", "startPositions", [20, PAPER, 0], None, {
        0: [("freezes the tab: 1e9", 10**9, r"must be <= 10000"), ("fraction", 2.5, INTEGER), ("zero", 0, r"must be >= 1")],
        2: [("negative", -5, r"must be >= 0"), ("nan", NAN, INTEGER)],
    }),
    "ideal.run": ("ideal", "run", [0.05, {"dt": 1e-4, "recordEvery": 0.01}], 1, {
        0: scalar_bad("nonneg") + [("freezes the tab: 1e9", 1e9, WORK)],
        "dt": scalar_bad("positive") + [("tiny 1e-300", 1e-300, WORK), ("subnormal", 5e-324, WORK)],
        "recordEvery": scalar_bad("nonneg") + [("1e-12: 5e10 records", 1e-12, r"records is more than a call may keep")],
        "dT": [("misspelt dt", 1e-4, OPTION)],
    }),
    "ideal.set": ("ideal", "set", [{"target": T2, "u": U6}], 0, {
        "u": array_bad(U6) + [("outside [0, 1]", [0.5, 1.5], r"must lie in \[0, 1\] for the ideal \(eta -> 0\) dynamics, got \[0\.5,1\.5\]"),
                              ("10^3 neurons", JS("Array(1000).fill(0.5)"), WORK),
                              ("10^6 neurons", JS("Array(1e6).fill(0.5)"), WORK)],
        "target": target_bad(),
    }),
    "network.set": ("network", "set", [{"target": PAPER, "u": U6, "eta": 0.02, "a": None}], 0, {
        "u": array_bad(U6) + [("10^3 neurons", JS("Array(1000).fill(0.5)"), WORK),
                              ("10^6 neurons", JS("Array(1e6).fill(0.5)"), WORK)],
        "eta": scalar_bad("width"),
        "a": array_bad([0.0] * 7) + [("wrong length", [0.0, 1.0], r"must have matching lengths")],
        "target": target_bad(),
        "etta": [("misspelt eta", 0.02, OPTION)],
    }),
}

PARAM_NAMES = {("ideal.run", 0): "tau", ("sgd.startPositions", 0): "m", ("sgd.startPositions", 2): "seed"}


def _cases():
    params = []
    for label, (name, method, valid, opt_index, bad) in TABLE.items():
        for param, values in bad.items():
            pname = PARAM_NAMES.get((label, param), param)
            for cls, value, expect in values:
                args = json.loads(json.dumps(valid))
                if isinstance(param, int):
                    args[param] = value
                else:
                    args[opt_index] = {**args[opt_index], param: value}
                params.append(pytest.param(name, method, args, pname, expect, id=f"{label}-{pname}-{cls}"))
    return params


CASES = _cases()


def _names(message):
    # "target.values must ..." names target; "tau / dt asks ..." names tau and dt
    return leading_names(re.split(r" (?:asks|records)\b", message, maxsplit=1)[0]) | {w.split(".")[0] for w in message.split(" ")[:1]}


@pytest.mark.parametrize("name, method, args, param, expect", CASES)
def test_bad_input_is_refused_naming_the_parameter(pages, name, method, args, param, expect):
    _, cdp, _ = pages[name]
    out = call(cdp, name, method, args)
    assert not out.get("hang"), out["message"]
    assert not out["ok"], f"accepted: {out['value'][:200]}"
    msg = out["message"]
    assert param in _names(msg), f"message does not name {param!r}: {msg!r}"
    assert re.search(expect, msg), f"message does not say /{expect}/: {msg!r}"


@pytest.mark.parametrize("label", list(TABLE))
def test_valid_call_of_the_table_is_accepted(pages, label):
    """The base call of each row works, so each refusal above is due to the one bad argument."""
    name, method, valid, _, _ = TABLE[label]
    _, cdp, _ = pages[name]
    if name == "ideal":
        call(cdp, "ideal", "set", [{"target": T2, "u": U6}])
    out = call(cdp, name, method, valid)
    assert out["ok"] and not out["nonfinite"], out


def test_the_suite_is_large():
    assert len(CASES) > 150


# --- blow-ups and the largest inputs --------------------------------------------------------------------------------
@pytest.mark.parametrize("opts", [
    {"eps": 1.0, "lr": 50.0, "steps": 5000, "seed": 1},                           # large steps: a and u explode
    {"eps": 1e6, "lr": 1.0, "steps": 5000, "seed": 2, "eta": 1e-3},                # positions fly off
    {"eps": 1.0, "lr": 1e90, "steps": 10, "seed": 3, "record": 1},                 # the first step overflows
], ids=["lr-50", "eps-1e6", "lr-1e90"])
def test_a_run_that_blows_up_says_where(pages, opts):
    """Accepted arguments whose run explodes: a DivergenceError naming the value and the first step (tts.sgd's
    message), never NaN or inf in the result."""
    _, cdp, _ = pages["sgd"]
    out = call(cdp, "sgd", "run", [opts])
    assert not out.get("hang"), out
    assert not out["ok"], f"returned {out['value'][:200]}"
    assert out["name"] == "DivergenceError", out
    assert re.match(r"^(a|u)\[\d+\] diverged at step \d+: value .*\(seed=\d+, lr=.*: try a smaller lr\)$", out["message"]), out


def test_blow_up_is_found_at_its_step(pages):
    """The step named is the first whose state leaves [-1e100, 1e100]: the run up to one step before is finite."""
    _, cdp, _ = pages["sgd"]
    opts = {"eps": 1.0, "lr": 50.0, "steps": 5000, "seed": 1, "record": 0}
    out = call(cdp, "sgd", "run", [opts])
    step = int(re.search(r"diverged at step (\d+)", out["message"]).group(1))
    before = call(cdp, "sgd", "run", [{**opts, "steps": step - 1}])
    assert before["ok"] and not before["nonfinite"], before


def test_the_largest_accepted_inputs_stay_finite(pages):
    """Magnitudes up to 1e100 (tts_lib's MAX_ABS) give finite losses, as in the library."""
    _, cdp, _ = pages["network"]
    big = {"target": {"jumps": [0.5], "values": [-1e100, 1e100]}, "u": [0.3, 0.7], "eta": 1.4901161193847656e-08,
           "a": [1e100, 1e100, 1e100]}
    out = call(cdp, "network", "set", [big])
    assert out["ok"] and not out["nonfinite"], out
    _, cdp, _ = pages["sgd"]
    out = call(cdp, "sgd", "run", [{"eps": 1e-5, "steps": 10, "target": big["target"], "record": 5, "lr": 1e-100,
                                    "u0": [0.3, 0.7], "a0": [0.0, 0.0, 0.0]}])
    assert out["ok"] and not out["nonfinite"], out


def test_a_capped_call_answers_quickly(pages):
    """The refusals are decided before the work starts: each answers in well under a second."""
    for name, method, args in (("sgd", "run", [{"eps": 2e-5, "steps": 10**12}]), ("ideal", "run", [1e9]),
                               ("network", "set", [{"u": JS("Array(1e6).fill(0.5)")}])):
        _, cdp, _ = pages[name]
        out = call(cdp, name, method, args)
        assert not out["ok"] and out["ms"] < 1000, out


def test_no_console_errors(pages):
    for name, (_, _, errors) in pages.items():
        assert not errors, (name, errors)
