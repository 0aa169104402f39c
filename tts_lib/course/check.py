r"""Self-checks for the exercises: right, close or not yet, without revealing the answer.

Each checkable exercise has one or more named *parts* (numbers). For a part with expected value :math:`y` and
tolerance :math:`t`, an answer :math:`x` is

* **correct** when :math:`|x - y| \le t` (absolute) or :math:`|x - y| \le t\,|y|` (relative),
* **close** when it misses a *relative* tolerance by at most a factor 3 (a rounding slip, one digit too few);
  an absolute tolerance (an estimate, a proportion, a value near 0) has no "close": a miss there is not a
  matter of rounding,
* **not yet** otherwise; when the answer matches a *known mistake* (for instance the Wald interval where the
  Wilson interval is asked, or the value of another part of the same exercise) the message says which.

The message states the tolerance and never the expected value.

**These are self-checks for learning, not a way to give credit.** The practice answers ship with the library
(lightly encoded so that they are not read off the source at a glance); anyone can recover them, and a
low-entropy answer can be brute-forced through :func:`check` itself. Graded work uses *variants* of the
exercises and a grader that live only in the lecturer's bundle (the repository's ``course/`` folder): see the
teachers' guide.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
from dataclasses import dataclass, field

from ._answers import ANSWERS

__all__ = ["CheckResult", "check", "labels", "expected_parts"]

#: "close" means within this factor of the tolerance (a rounding slip), no further.
CLOSE_FACTOR = 3.0


def _key(label: str, n: int) -> bytes:
    out = b""
    block = 0
    while len(out) < n:
        out += hashlib.sha256(f"tts-course:{label}:{block}".encode()).digest()
        block += 1
    return out[:n]


def _encode(label: str, values: dict) -> str:
    """Encode ``values`` (a JSON-able dict) of exercise ``label`` (used by tools/make_answers.py)."""
    raw = json.dumps(values, sort_keys=True).encode()
    return base64.b64encode(bytes(a ^ b for a, b in zip(raw, _key(label, len(raw))))).decode()


def _decode(label: str, data: str) -> dict:
    """Inverse of :func:`_encode` (private: not a way to grade anything, see the module's docstring)."""
    raw = base64.b64decode(data)
    return json.loads(bytes(a ^ b for a, b in zip(raw, _key(label, len(raw)))).decode())


def labels() -> list[str]:
    """The labels of every exercise that has a self-check."""
    return sorted(ANSWERS)


def _entry(label):
    if not isinstance(label, str):
        raise TypeError(f"label must be a string such as 'sf-ex-invariant', got {type(label).__name__}")
    if label not in ANSWERS:
        raise ValueError(f"label {label!r} has no self-check; the exercises with one are: {', '.join(labels())}")
    return ANSWERS[label]


def expected_parts(label: str) -> dict:
    """What :func:`check` expects for ``label``: part name -> description (no values)."""
    return dict(_entry(label)["describe"])


@dataclass
class CheckResult:
    """Verdicts of one :func:`check` call: ``verdicts`` maps each part to ``"correct"``, ``"close"``,
    ``"not yet"`` or ``"missing"``; ``correct`` is true when every part is correct."""

    label: str
    verdicts: dict = field(default_factory=dict)
    messages: list = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return bool(self.verdicts) and all(v == "correct" for v in self.verdicts.values())

    @property
    def score(self) -> float:
        """Fraction of the parts that are correct."""
        return sum(v == "correct" for v in self.verdicts.values()) / max(len(self.verdicts), 1)

    def __str__(self) -> str:
        return "\n".join(self.messages)

    def _repr_markdown_(self) -> str:  # shown as a list in a notebook
        return "\n".join(f"- {m}" for m in self.messages)


def _number(label, part, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{label}: the answer for {part!r} must be a real number, got {type(value).__name__}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{label}: the answer for {part!r} is too large to be a float ({str(value)[:12]}...)") from None
    if not math.isfinite(value):
        raise ValueError(f"{label}: the answer for {part!r} must be finite, got {value}")
    return value


def _within(x, y, kind, tol, factor=1.0):
    scale = tol if kind == "abs" else tol * abs(y)
    return abs(x - y) <= factor * scale


def _verdict(x, y, kind, tol):
    if _within(x, y, kind, tol):
        return "correct"
    if kind == "rel" and tol > 0 and _within(x, y, kind, tol, CLOSE_FACTOR):  # a rounding slip is relative
        return "close"
    return "not yet"


def _tolerance_text(kind, tol):
    if tol == 0:
        return "exact integer"
    return f"{'absolute' if kind == 'abs' else 'relative'} tolerance {tol:g}"


def _payload(label, entry):
    data = _decode(label, entry["data"])
    return data["values"], data.get("mistakes", {})


def _hint(label, part, x, entry, values, mistakes, given=None):
    """A specific message when ``x`` is a known mistake for ``part``, else ``None``.

    Two parts are called swapped only when they are: ``x`` is the value of another part and that part was
    either not given or given this part's value (an answer that merely equals another part's value, with the
    other part answered differently, is a miscount, not a swap)."""
    kind, tol = entry["tol"][part]
    given = given or {}
    for value, hint in mistakes.get(part, []):
        if _within(x, float(value), kind, max(tol, 1e-12)):
            return hint
    for other, y in values.items():
        if other == part or _within(float(values[part]), float(y), kind, tol, CLOSE_FACTOR) \
                or not _within(x, float(y), kind, max(tol, 1e-12)):
            continue
        o_kind, o_tol = entry["tol"][other]
        if other not in given or _within(given[other], float(values[part]), o_kind, max(o_tol, 1e-12)):
            return f"this is the value asked for {other!r}: are two parts swapped?"
    return None


def check(label: str, answer) -> CheckResult:
    """Check an answer to exercise ``label``.

    ``answer`` is a number when the exercise has one part, or a dict part -> number (``expected_parts(label)``
    lists the parts); ``None`` (or a missing part) only prints what is expected. Returns a
    :class:`CheckResult` (shown as a list of verdicts in a notebook); never prints the expected values.
    Bad input (a label that has no check, an unknown part, a value that is not a finite real number) raises
    an error that names it.
    """
    entry = _entry(label)
    parts = entry["describe"]
    if answer is None:
        answer = {}
    elif not isinstance(answer, dict):
        if len(parts) != 1:
            raise ValueError(f"{label} has {len(parts)} parts: pass a dict with keys {sorted(parts)}")
        answer = {next(iter(parts)): answer}
    unknown = set(answer) - set(parts)
    if unknown:
        raise ValueError(f"{label}: unknown part(s) {sorted(unknown)}; expected {sorted(parts)}")
    given = {part: _number(label, part, answer[part]) for part in parts if answer.get(part) is not None}
    values, mistakes = _payload(label, entry)
    result = CheckResult(label)
    for part, description in parts.items():
        kind, tol = entry["tol"][part]
        if part not in given:
            result.verdicts[part] = "missing"
            result.messages.append(f"{part}: give {description} ({_tolerance_text(kind, tol)})")
            continue
        x = given[part]
        v = _verdict(x, float(values[part]), kind, tol)
        hint = None if v == "correct" else _hint(label, part, x, entry, values, mistakes, given)
        if hint is not None:
            v = "not yet"
        result.verdicts[part] = v
        note = {"correct": "correct",
                "close": f"close (within {CLOSE_FACTOR:g} times the tolerance): recheck rounding and the last digits",
                "not yet": "not yet"}[v]
        if hint:
            note += f": {hint}"
        result.messages.append(f"{part}: {note} ({_tolerance_text(kind, tol)})")
    return result
