r"""The book as a course unit: self-checks for the exercises and a grader for submitted notebooks.

* :func:`check` — ``check(label, answer)`` says *correct*, *close* or *not yet* for an exercise with a numeric
  answer, with the tolerance, without revealing the answer;
* :func:`grade` — runs a submitted notebook and tabulates every :func:`check` it made (for a lecturer;
  also ``python -m tts_lib.course grade NOTEBOOK.ipynb``).

This layer is apparatus, not mathematics: it imports nothing from the rest of the library. The stored answers
(:mod:`tts_lib.course._answers`) are computed by ``tools/make_answers.py`` with the library and encoded, so that
they cannot be read off the source at a glance; a test checks that they are up to date.
"""

from .check import CheckResult, check, expected_parts, grade, labels

__all__ = ["CheckResult", "check", "expected_parts", "grade", "labels"]
