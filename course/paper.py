r"""Weekly problem sheets on paper, from the chapters' exercise blocks.

``python -m course sheets`` writes ``course/sheets/week-N-student.{md,tex}`` (statements only) and
``week-N-lecturer.{md,tex}`` (statements, the book's solutions, the marking scheme), the marking page
``course/marking.md`` and the weekly page ``course/weeks.md``; with ``--pdf`` it also runs ``latexmk -xelatex`` on
the ``.tex`` files, into ``_build/sheets/`` (``--pdf-dir``). TeX Live comes from ``tools/setup_tex.sh`` (Debian
packages), which ``tools/build_pdf.sh`` runs before building the book's PDF and these sheets. The ``.tex`` sources
are committed; a test checks that the committed files are up to date, another that no solution reaches a
student's sheet (in the ``.tex`` and, once built, in the PDF's text).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .marking import SCHEME, cell, total
from .weeks import WEEKS, workload

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "course" / "sheets"
_START = re.compile(r"```\{exercise-start\}\s*\n:label:\s*(\S+)\s*\n(?::[^\n]*\n)*```\s*\n(.*?)```\{exercise-end\}\s*\n```", re.S)
_HEAD = re.compile(r"\*\*\((?P<stars>[★☆]{3}),\s*(?P<minutes>\d+)\s*min\)\s*(?P<title>.+?)\*\*\s*", re.S)


def _solution(text: str, label: str) -> str:
    m = re.search(r"```\{solution-start\} " + re.escape(label) + r"\s*\n(?::[^\n]*\n)*```\s*\n(.*?)```\{solution-end\}", text, re.S)
    if not m:
        return ""
    body = m.group(1)
    body = re.sub(r"````?\{code-cell\}[^\n]*\n(?:---\n.*?\n---\n|(?::[^\n]*\n)*)(.*?)\n````?\n",
                  lambda c: "" if "remove-cell" in c.group(0)[:200] else "```python\n" + c.group(1) + "\n```\n",
                  body, flags=re.S)
    return body.strip()


def exercises() -> dict:
    """label -> {title, minutes, stars, statement, solution, chapter file}, from every chapter page."""
    out = {}
    for path in sorted((ROOT / "chapters").glob("*.md")):
        text = path.read_text()
        for m in _START.finditer(text):
            label, body = m.group(1), m.group(2)
            head = _HEAD.search(body)
            statement = body[head.end():] if head else body
            statement = re.sub(r"\n\*(Uses from the chapter|Self-contained)[^\n]*\n", "\n", statement).strip()
            out[label] = {"title": head.group("title").strip().rstrip(".") if head else label,
                          "minutes": int(head.group("minutes")) if head else 0, "stars": head.group("stars") if head else "",
                          "statement": statement, "solution": _solution(text, label), "file": path.name}
    return out


def _plain_roles(md: str) -> str:
    """MyST roles to plain text: {ref}`text <label>` -> text; {eq}`label` -> (label); {prf:ref}`label` -> label."""
    md = re.sub(r"\{(?:ref|numref|doc)\}`([^`<]+?)\s*<[^`]+>`", r"\1", md)
    md = re.sub(r"\{eq\}`([^`]+)`", r"(\1)", md)
    md = re.sub(r"\{[a-z:]+\}`([^`]+)`", r"\1", md)
    return md


def sheet_markdown(week: int, lecturer: bool, ex: dict | None = None) -> str:
    ex = ex or exercises()
    w = WEEKS[week]
    cat = {k: v["minutes"] for k, v in ex.items()}
    load = workload(week, cat)
    lines = [f"# Week {week}: problem sheet{' (lecturer: solutions and marking)' if lecturer else ''}", "",
             f"Chapters {', '.join(str(c) for c in w['chapters'])}. Objectives: by the end of the week you can",
             *[f"- {o};" for o in w["objectives"]], "",
             f"Expected time for this sheet: {sum(cat[lab] for lab in w['set'])} min ({load['problem set']:g} h).", ""]
    for k, label in enumerate(w["set"], start=1):
        e = ex[label]
        lines += [f"## {k}. {e['title']} ({e['stars']}, {e['minutes']} min, {total(label)} marks)", "",
                  _plain_roles(e["statement"]), ""]
        if lecturer:
            lines += ["**Solution (from the book).**", "", _plain_roles(e["solution"]) or "(see the chapter)", "",
                      "**Marking scheme.**", "", "| part | marks | for |", "| --- | --- | --- |",
                      *[f"| {p} | {m} | {cell(why)} |" for p, m, why in SCHEME[label]], ""]
    return "\n".join(lines).rstrip() + "\n"


_TEX_HEAD = r"""\documentclass[11pt,a4paper]{article}
\usepackage[margin=2cm,headheight=14pt]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{fontspec}
\setmainfont{FreeSerif}\setsansfont{FreeSans}\setmonofont{FreeMono}[Scale=0.9]
\usepackage{fvextra}
\usepackage{array}
\usepackage{fancyhdr}
\pagestyle{fancy}\fancyhf{}
\fancyhead[L]{\small Two timescales, one global optimum}\fancyhead[R]{\small %(edition)s}
\fancyfoot[C]{\small\thepage}
\setlength{\parindent}{0pt}\setlength{\parskip}{0.5em}
\begin{document}
"""

_EDITIONS = {False: "Student sheet (no solutions)", True: "Lecturer's sheet: solutions and marking, do not hand out"}


def md_to_tex(md: str) -> str:
    """The sheets' small Markdown subset (headings, lists, bold, italics, code, tables, $math$) as LaTeX.
    A sheet whose title says "lecturer" gets the lecturer's running head."""
    out, in_code, in_list, in_table = [], False, False, False
    for line in md.splitlines():
        if in_table and not line.startswith("|"):
            out.append(r"\hline\end{tabular}\end{center}")
            in_table = False
        if line.startswith("```"):
            out.append(r"\end{Verbatim}" if in_code else r"\begin{Verbatim}[fontsize=\small,breaklines,breakanywhere]")
            in_code = not in_code
            continue
        if in_code:
            out.append(line)
            continue
        if in_list and not line.startswith("- "):
            out.append(r"\end{itemize}")
            in_list = False
        if line.startswith("| ---"):
            continue
        if line.startswith("|"):
            cells = [c.strip().replace(r"\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            if not in_table:
                out.append(r"\begin{center}\begin{tabular}{" + "l" * (len(cells) - 1) + r"p{10cm}}\hline")
                in_table = True
            out.append(" & ".join(_inline(c) for c in cells) + r" \\")
            continue
        if line.startswith("# "):
            out.append(r"\section*{" + _inline(line[2:]) + "}")
        elif line.startswith("## "):
            out.append(r"\subsection*{" + _inline(line[3:]) + "}")
        elif line.startswith("- "):
            if not in_list:
                out.append(r"\begin{itemize}")
                in_list = True
            out.append(r"\item " + _inline(line[2:]))
        else:
            out.append(_inline(line))
    if in_list:
        out.append(r"\end{itemize}")
    if in_table:
        out.append(r"\hline\end{tabular}\end{center}")
    lecturer = "(lecturer" in md.split("\n", 1)[0]
    return _TEX_HEAD % {"edition": _EDITIONS[lecturer]} + "\n".join(out) + "\n\\end{document}\n"


def _inline(text: str) -> str:
    parts = re.split(r"(\$\$.*?\$\$|\$[^$]+\$|`[^`]+`)", text)
    res = []
    for p in parts:
        if p.startswith("$"):
            res.append(p)
        elif p.startswith("`"):
            # a long identifier may break after . _ ( , = (it would otherwise run into the margin)
            res.append(r"\texttt{" + re.sub(r"([._(,=])", r"\1\\allowbreak{}", _escape(p[1:-1])) + "}")
        else:
            p = _escape(p)
            p = re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", p)
            p = re.sub(r"\*(.+?)\*", r"\\emph{\1}", p)
            res.append(p)
    return "".join(res)


def _escape(s: str) -> str:
    return (s.replace("\\", r"\textbackslash{}").replace("&", r"\&").replace("%", r"\%").replace("#", r"\#")
             .replace("_", r"\_").replace("{", r"\{").replace("}", r"\}").replace("~", r"\~{}").replace("^", r"\^{}"))


def markdown_to_pdf(md_path: Path, outdir: Path | None = None) -> Path:
    """Write the ``.tex`` of a sheet (next to it, or into ``outdir``) and build its PDF there with latexmk -xelatex
    (a clear error when TeX is missing or the LaTeX run fails)."""
    outdir = Path(outdir) if outdir is not None else md_path.parent
    outdir.mkdir(parents=True, exist_ok=True)
    tex = outdir / md_path.with_suffix(".tex").name
    tex.write_text(md_to_tex(md_path.read_text()))
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise RuntimeError("no latexmk/xelatex on this machine: the .tex sheets are written; install TeX Live "
                           "(bash tools/setup_tex.sh) to build the PDF")
    proc = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-quiet",
                           f"-outdir={outdir}", str(tex)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"LaTeX failed on {tex} (see {tex.with_suffix('.log')}):\n{proc.stdout[-3000:]}")
    return tex.with_suffix(".pdf")


def render_all() -> dict[Path, str]:
    """Every generated file of course/ (sheets, marking page, weekly page) -> its text."""
    ex = exercises()
    files = {}
    for week in WEEKS:
        for who in ("student", "lecturer"):
            md = sheet_markdown(week, who == "lecturer", ex)
            files[OUT / f"week-{week}-{who}.md"] = md
            files[OUT / f"week-{week}-{who}.tex"] = md_to_tex(md)
    from .marking import markdown

    files[ROOT / "course" / "marking.md"] = markdown({k: v["title"] for k, v in ex.items()})
    files[ROOT / "course" / "weeks.md"] = weeks_markdown(ex)
    return files


def weeks_markdown(ex: dict) -> str:
    cat = {k: v["minutes"] for k, v in ex.items()}
    lines = ["# The three weeks: objectives and workload", "",
             "Hours per week (lectures and problem class are contact hours; reading and the problem set are the "
             "student's own; the mini-project is done in pairs). The problem-set hours are the sum of the "
             "exercises' stated times.", "",
             "| week | chapters | lectures | problem class | reading | problem set | mini-project | total |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for week, w in WEEKS.items():
        h = workload(week, cat)
        lines.append(f"| {week} | {', '.join(map(str, w['chapters']))} | {h['lectures']:g} | {h['problem class']:g} | "
                     f"{h['reading']:g} | {h['problem set']:g} | {h['mini-project']:g} | {h['total']:g} |")
    lines.append("")
    for week, w in WEEKS.items():
        lines += [f"## Week {week}", "", "Objectives:", *[f"- {o}" for o in w["objectives"]], "",
                  "Problem set: " + ", ".join(f"`{lab}` ({cat[lab]} min)" for lab in w["set"]) +
                  f"; total {sum(cat[lab] for lab in w['set'])} min. Mini-project: {w['project']}.", ""]
    return "\n".join(lines)


def write_all(pdf: bool = False, pdf_dir: Path | None = None) -> list[Path]:
    """Write every generated file; with ``pdf``, build the sheets' PDFs into ``pdf_dir`` (default _build/sheets)."""
    files = render_all()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    written = list(files)
    if pdf:
        pdf_dir = Path(pdf_dir) if pdf_dir is not None else ROOT / "_build" / "sheets"
        written += [markdown_to_pdf(p, pdf_dir) for p in files if p.suffix == ".md" and p.parent == OUT]
    return written
