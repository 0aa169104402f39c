r"""The book as a course unit: self-checks for the exercises.

* :func:`check` — ``check(label, answer)`` says *correct*, *close* or *not yet* for an exercise with a numeric
  answer, with the tolerance and, for a known mistake, what it looks like; never the answer.

This layer is apparatus, not mathematics: it imports nothing from the rest of the library. The self-checks are
for learning and are **not secure** (the practice answers ship with the library, lightly encoded; see
:mod:`tts_lib.course.check`). Graded coursework uses variants of the exercises and a grader that live only in
the lecturer's bundle (the repository's ``course/`` folder), never in this package.
"""

from .check import CheckResult, check, expected_parts, labels

__all__ = ["CheckResult", "check", "expected_parts", "labels"]
