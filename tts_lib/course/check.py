r"""Self-checks for the exercises: right, close or not yet, without revealing the answer.

Each checkable exercise has one or more named *parts* (numbers). For a part with expected value :math:`y` and
tolerance :math:`t`, an answer :math:`x` is

* **correct** when :math:`|x - y| \le t` (absolute) or :math:`|x - y| \le t\,|y|` (relative),
* **close** when it misses that by at most a factor 10 (a rounding slip, too few digits),
* **not yet** otherwise.

The message states the tolerance and never the expected value. The stored values are encoded (XOR with a
key derived from the label, then base64), which hides them from a glance at the source, not from a determined
reader: these are self-checks, not exams. For grading, :func:`grade` re-runs the student's notebook.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import numbers
from dataclasses import dataclass, field
from pathlib import Path

from ._answers import ANSWERS

__all__ = ["CheckResult", "check", "labels", "expected_parts", "grade", "encode", "decode"]

#: Environment variable naming a file to which every :func:`check` appends its result (JSON lines); set by
#: :func:`grade` while it runs a submission.
RECORD_ENV = "TTS_COURSE_RECORD"


def _key(label: str, n: int) -> bytes:
    out = b""
    block = 0
    while len(out) < n:
        out += hashlib.sha256(f"tts-course:{label}:{block}".encode()).digest()
        block += 1
    return out[:n]


def encode(label: str, values: dict) -> str:
    """Encode the expected ``values`` (part -> number) of exercise ``label`` (used by tools/make_answers.py)."""
    raw = json.dumps(values, sort_keys=True).encode()
    return base64.b64encode(bytes(a ^ b for a, b in zip(raw, _key(label, len(raw))))).decode()


def decode(label: str, data: str) -> dict:
    """Inverse of :func:`encode`."""
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
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{label}: the answer for {part!r} must be finite, got {value}")
    return value


def _verdict(x, y, kind, tol):
    err = abs(x - y)
    scale = tol if kind == "abs" else tol * abs(y)
    if err <= scale:
        return "correct"
    if err <= 10 * scale:
        return "close"
    return "not yet"


def _tolerance_text(kind, tol):
    return f"{'absolute' if kind == 'abs' else 'relative'} tolerance {tol:g}"


def check(label: str, answer) -> CheckResult:
    """Check an answer to exercise ``label``.

    ``answer`` is a number when the exercise has one part, or a dict part -> number (``expected_parts(label)``
    lists the parts); ``None`` (or a missing part) only prints what is expected. Returns a
    :class:`CheckResult` (shown as a list of verdicts in a notebook); never prints the expected values.
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
    expected = decode(label, entry["data"])
    result = CheckResult(label)
    for part, description in parts.items():
        kind, tol = entry["tol"][part]
        if part not in answer or answer[part] is None:
            result.verdicts[part] = "missing"
            result.messages.append(f"{part}: give {description} ({_tolerance_text(kind, tol)})")
            continue
        x = _number(label, part, answer[part])
        v = _verdict(x, float(expected[part]), kind, tol)
        result.verdicts[part] = v
        note = {"correct": "correct", "close": "close, but outside the tolerance: recheck rounding and the last step",
                "not yet": "not yet"}[v]
        result.messages.append(f"{part}: {note} ({_tolerance_text(kind, tol)})")
    record = os.environ.get(RECORD_ENV)
    if record:
        with open(record, "a") as fh:
            fh.write(json.dumps({"label": label, "verdicts": result.verdicts}) + "\n")
    return result


def grade(notebook, *, timeout: int = 600) -> dict:
    """Run a submitted notebook (``.ipynb`` path) from its own folder and tabulate its checks.

    Every :func:`check` the notebook makes is recorded; the result maps each checkable exercise label to its
    score (fraction of parts correct; the last call per label counts; 0 when the notebook never checked it),
    plus ``"total"`` (sum over labels) and ``"errors"`` (the exception text if a cell raised, else ``None``).
    """
    import tempfile

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(notebook)
    if not path.is_file():
        raise ValueError(f"notebook {str(path)!r} is not a file")
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "checks.jsonl"
        record.touch()
        old = os.environ.get(RECORD_ENV)
        os.environ[RECORD_ENV] = str(record)
        error = None
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                           resources={"metadata": {"path": str(path.parent.resolve())}}).execute()
        except CellExecutionError as err:
            error = str(err).splitlines()[0] if str(err) else "a cell raised"
        finally:
            if old is None:
                os.environ.pop(RECORD_ENV, None)
            else:
                os.environ[RECORD_ENV] = old
        last = {}
        for line in record.read_text().splitlines():
            row = json.loads(line)
            last[row["label"]] = row["verdicts"]
    scores = {}
    for label in labels():
        verdicts = last.get(label, {})
        scores[label] = (sum(v == "correct" for v in verdicts.values()) / len(verdicts)) if verdicts else 0.0
    return {"scores": scores, "total": sum(scores.values()), "errors": error}
