"""The lecturer's bundle: graded variants of the book's exercises, the answer key, the grader, the sheets.

Nothing here ships to students: the library's wheel packages ``tts_lib`` only (pyproject.toml), the student
edition of the site and its bundle carry no file of this folder. See ``course/README.md``.
"""
