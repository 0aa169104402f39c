"""The lecturer's course tools (not part of the student's wheel, bundle or site).

    python -m course make  --term 2027-spring --secret-file SECRET --out OUT [--labels a,b,...]
    python -m course sheets [--pdf [--pdf-dir DIR]] [--check]
    python -m course grade --key OUT/key.json [--week N] [--timeout S] [--workers K] [--csv F] NOTEBOOK...

``make`` draws this term's variants from the secret (keep it; the same secret and term give the same sets),
writes ``OUT/key.json`` (the answer key: keep it on the lecturer's side), one notebook per week for the
students (``OUT/student/week-N.ipynb``) and the weekly sheets (``OUT/sheets``). ``grade`` prints one JSON result
per notebook (score, marks per part, the failing cells with their exceptions) and exits 0 even when a
submission is broken; it exits 2 only for a usage error (no key, a week without graded exercises).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make", help="draw the term's variants; write the key, the students' notebooks, the sheets")
    m.add_argument("--term", required=True)
    m.add_argument("--secret-file", required=True, help="a file holding the lecturer's secret (keep it private)")
    m.add_argument("--out", required=True)
    m.add_argument("--labels", default=None, help="comma-separated exercise labels (default: every graded exercise)")
    m.add_argument("--pdf", action="store_true", help="also build the sheets as PDF (needs latexmk/xelatex)")
    sh = sub.add_parser("sheets", help="rewrite course/sheets, course/marking.md and course/weeks.md from the chapters")
    sh.add_argument("--pdf", action="store_true", help="also build the PDFs (needs latexmk/xelatex: tools/setup_tex.sh)")
    sh.add_argument("--pdf-dir", default=None, help="where the PDFs go (default _build/sheets)")
    sh.add_argument("--check", action="store_true", help="exit 1 when the committed files are out of date")
    g = sub.add_parser("grade", help="grade submitted notebooks against a key")
    g.add_argument("notebooks", nargs="+")
    g.add_argument("--key", required=True)
    g.add_argument("--week", type=int, default=None)
    g.add_argument("--timeout", type=float, default=120.0, help="seconds per cell (default 120)")
    g.add_argument("--workers", type=int, default=2)
    g.add_argument("--csv", default=None, help="also write a gradebook CSV here")
    args = parser.parse_args(argv)

    if args.command == "make":
        from .sets import make_term

        secret_path = Path(args.secret_file)
        if not secret_path.is_file():
            parser.error(f"--secret-file {args.secret_file!r} is not a file")
        secret = secret_path.read_text().strip()
        if len(secret) < 16:
            parser.error("--secret-file: the secret must have at least 16 characters (e.g. python -c 'import secrets; print(secrets.token_hex(16))')")
        labels = args.labels.split(",") if args.labels else None
        try:
            written = make_term(secret, args.term, Path(args.out), labels=labels, pdf=args.pdf)
        except ValueError as err:
            parser.error(str(err))
        print("\n".join(str(p) for p in written))
        return 0

    if args.command == "sheets":
        from .paper import render_all, write_all

        if args.check:
            stale = [str(p) for p, text in render_all().items() if not p.exists() or p.read_text() != text]
            if stale:
                print("out of date (run python -m course sheets):", *stale, sep="\n  ", file=sys.stderr)
                return 1
            return 0
        try:
            print("\n".join(str(p) for p in write_all(pdf=args.pdf, pdf_dir=args.pdf_dir)))
        except RuntimeError as err:
            print(err, file=sys.stderr)
            return 1
        return 0

    from .grader import grade_many, gradebook_csv, load_key, select

    if args.timeout <= 0:
        parser.error(f"--timeout must be positive, got {args.timeout}")
    try:
        key = load_key(args.key)
        select(key, args.week)
    except ValueError as err:
        parser.error(str(err))
    results = grade_many(args.notebooks, key, week=args.week, timeout=args.timeout, workers=args.workers)
    if args.csv:
        Path(args.csv).write_text(gradebook_csv(results))
    json.dump(results, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
