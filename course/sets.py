"""A term's graded sets: the variants drawn from the lecturer's secret, the key, one notebook per week for the
students and a Markdown sheet per week (student: statements; lecturer: with answers and marking scheme)."""

from __future__ import annotations

import json
from pathlib import Path

from .variants import GENERATORS, make_variant

INTRO = ("Graded set, week {week} ({term}). Work in this notebook: run the parameter cell of each exercise, do the "
         "work in new cells below it, and store each answer in the variable named in the exercise (a number). "
         "The notebook is graded by running it from top to bottom in a fresh kernel: make sure it does. These are "
         "*variants* of the book's exercises: the self-checks (`check(...)`) answer the book's versions, not these.")


def make_key(secret: str, term: str, labels=None) -> dict:
    labels = list(GENERATORS) if labels is None else list(labels)
    unknown = [lab for lab in labels if lab not in GENERATORS]
    if unknown:
        raise ValueError(f"no graded variant for {unknown}; those with one: {', '.join(GENERATORS)}")
    return {"term": term, "exercises": {lab: make_variant(lab, secret, term) for lab in labels}}


def student_notebook(key: dict, week: int):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# Week {week}: graded set\n\n" + INTRO.format(week=week, term=key["term"])))
    nb.cells.append(nbformat.v4.new_code_cell("import numpy as np\nimport tts_lib as tts"))
    for label, ex in key["exercises"].items():
        if ex["week"] != week:
            continue
        names = ", ".join(f"`{p['variable']}`" for p in ex["parts"].values())
        nb.cells.append(nbformat.v4.new_markdown_cell(f"## {ex['title']} (`{label}`)\n\n{ex['statement']}\n\n"
                                                      f"*Store your answers in:* {names}."))
        nb.cells.append(nbformat.v4.new_code_cell("# the parameters of this variant (do not change them)\n" + ex["setup"]))
        nb.cells.append(nbformat.v4.new_code_cell("# your answers (replace None by a computed number)\n" +
                                                  "\n".join(f"{p['variable']} = None" for p in ex["parts"].values())))
    return nb


def sheet(key: dict, week: int, lecturer: bool) -> str:
    lines = [f"# Week {week}: graded set ({key['term']}){' — lecturer' if lecturer else ''}", ""]
    if not lecturer:
        lines += [INTRO.format(week=week, term=key["term"]), ""]
    total = 0
    for label, ex in key["exercises"].items():
        if ex["week"] != week:
            continue
        marks = sum(p["marks"] for p in ex["parts"].values())
        total += marks
        lines += [f"## {ex['title']} (`{label}`, {marks} marks for the numbers)", "", ex["statement"], ""]
        if lecturer:
            lines += ["**Answer.** " + ex["solution"], "",
                      "| part | variable | value | tolerance | marks |", "| --- | --- | --- | --- | --- |"]
            for part, p in ex["parts"].items():
                tol = "exact" if p["tol"] == 0 else f"{p['kind']} {p['tol']:g}"
                lines.append(f"| {part} | `{p['variable']}` | {p['value']:.8g} | {tol} | {p['marks']} |")
            lines += ["", "**Marking scheme.** " + ex["scheme"] +
                      " The grader gives full marks for a correct number, half for a close one (a rounding slip, "
                      "within 3 times a relative tolerance), none otherwise; it names a known mistake.", ""]
    lines += [f"Total for the numbers: {total} marks.", ""]
    return "\n".join(lines)


def make_term(secret: str, term: str, out: Path, labels=None, pdf: bool = False) -> list[Path]:
    import nbformat

    key = make_key(secret, term, labels)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "key.json"]
    written[0].write_text(json.dumps(key, indent=1, ensure_ascii=False) + "\n")
    for week in sorted({ex["week"] for ex in key["exercises"].values()}):
        nb_path = out / "student" / f"week-{week}.ipynb"
        nb_path.parent.mkdir(exist_ok=True)
        nbformat.write(student_notebook(key, week), nb_path)
        written.append(nb_path)
        for who in ("student", "lecturer"):
            md = out / "sheets" / f"graded-week-{week}-{who}.md"
            md.parent.mkdir(exist_ok=True)
            md.write_text(sheet(key, week, who == "lecturer"))
            written.append(md)
    if pdf:
        from .paper import markdown_to_pdf

        written += [markdown_to_pdf(p) for p in list(written) if p.suffix == ".md"]
    return written
