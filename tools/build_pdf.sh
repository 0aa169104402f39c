#!/usr/bin/env bash
# The book on paper (issues 27 and 28):
#   1. TeX Live from Debian's packages (tools/setup_tex.sh; nothing happens when it is already installed)
#   2. the PDF edition of the whole book: jupyter-book build --builder pdflatex (xelatex, _config.yml `latex:`),
#      notebook outputs read from the execution cache (a chapter missing from it is executed first, as in
#      tools/build_book.sh) -> _build/latex/book.pdf
#   3. the weekly problem sheets: python -m course sheets --pdf -> _build/sheets/week-N-{student,lecturer}.pdf
#      (the student's sheets hold no solution; tests/course/test_sheets.py and tests/site/test_pdf_edition.py)
#   4. publish: when the site is built (_build/html), the PDF goes to _build/html/tts-book.pdf and the landing
#      page's link to it is shown (intro.md's hidden "tts-pdf-edition" paragraph). Run this after the HTML build
#      (a later HTML build hides the link again: run `bash tools/build_pdf.sh --publish` then).
# TTS_PDF=0 skips everything (exit 0) with a message: CI's time budget is tight, and the PDF costs minutes.
# Usage: bash tools/build_pdf.sh [--publish]     (--publish: step 4 only, from the PDF already built)
set -euo pipefail

if [ "${TTS_PDF:-1}" = "0" ]; then
  echo "PDF edition SKIPPED (TTS_PDF=0): no TeX install, no _build/latex/book.pdf, no problem-sheet PDFs."
  echo "  To build it: TTS_PDF=1 bash tools/build_pdf.sh   (TeX install 2-5 min once, then about 4 min of Sphinx and LaTeX)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
PDF="$ROOT/_build/latex/book.pdf"

publish() {
  local site="$ROOT/_build/html" rc=0
  if [ ! -f "$site/intro.html" ]; then
    echo ">> no site in _build/html: the PDF is not published (build the site, then: bash tools/build_pdf.sh --publish)"
    return 0
  fi
  # show the landing page's link: <p class="tts-pdf-edition" hidden> ... <a class="tts-pdf-link" data-href="tts-book.pdf">
  "$PYBIN" - "$site/intro.html" <<'PY' || rc=$?
import re, sys
from pathlib import Path
p = Path(sys.argv[1]); s = p.read_text()
if '<p class="tts-pdf-edition">' in s and 'class="tts-pdf-link" href="tts-book.pdf"' in s:
    sys.exit(0)  # published before
if s.count('<p class="tts-pdf-edition" hidden>') != 1:
    sys.exit(3)  # a site built from an older intro.md
s = s.replace('<p class="tts-pdf-edition" hidden>', '<p class="tts-pdf-edition">')
s = s.replace('class="tts-pdf-link" data-href="tts-book.pdf"', 'class="tts-pdf-link" href="tts-book.pdf"')
p.write_text(s)
PY
  if [ "$rc" -eq 3 ]; then
    # nothing to link from: tests/site/test_pdf_edition.py reports the missing link
    echo "WARNING: $site/intro.html has no hidden 'tts-pdf-edition' paragraph (a site older than intro.md): not published"
    return 0
  fi
  [ "$rc" -eq 0 ] || return "$rc"
  cp "$PDF" "$site/tts-book.pdf"
  echo ">> published: $site/tts-book.pdf, linked from intro.html"
  publish_sheets "$site"
}

# The students' weekly sheets (no solutions) go to the site, linked from the teachers' guide (its hidden
# "tts-sheets" paragraph); the lecturer's sheets never do (they stay in _build/sheets and the lecturer's bundle).
publish_sheets() {
  local site="$1" page="$1/reference/teachers.html" f
  compgen -G "$ROOT/_build/sheets/week-*-student.pdf" >/dev/null || { echo ">> no student sheets in _build/sheets: not published"; return 0; }
  mkdir -p "$site/sheets"
  for f in "$ROOT"/_build/sheets/week-*-student.pdf; do cp "$f" "$site/sheets/"; done
  [ -f "$page" ] || return 0
  "$PYBIN" - "$page" <<'PY'
import re, sys
from pathlib import Path
p = Path(sys.argv[1]); s = p.read_text()
s = s.replace('<p class="tts-sheets" hidden>', '<p class="tts-sheets">')
s = re.sub(r'class="tts-sheet-link" data-href="([^"]+)"', r'class="tts-sheet-link" href="\1"', s)
p.write_text(s)
PY
  echo ">> published: $(ls "$site/sheets" | wc -l) student sheets in $site/sheets, linked from reference/teachers.html"
}

if [ "${1:-}" = "--publish" ]; then
  [ -f "$PDF" ] || { echo "error: $PDF is missing: run bash tools/build_pdf.sh first" >&2; exit 1; }
  publish
  exit 0
fi

t0=$SECONDS
bash "$ROOT/tools/setup_tex.sh"
t_tex=$((SECONDS - t0))

t1=$SECONDS
execute_chapters missing
rm -f "$PDF"
# -W: a LaTeX-builder warning fails the build, as for the site; jupyter-book then runs `make all-pdf` (latexmk)
build_book . --builder pdflatex
[ -f "$PDF" ] || { echo "error: the LaTeX run made no $PDF (see _build/latex/book.log)" >&2; exit 1; }
t_book=$((SECONDS - t1))

t2=$SECONDS
"$PYBIN" -m course sheets --pdf --pdf-dir "$ROOT/_build/sheets"
t_sheets=$((SECONDS - t2))

pages="$("$PYBIN" -c 'import subprocess,sys,re; o=subprocess.run(["pdfinfo",sys.argv[1]],capture_output=True,text=True).stdout; print(re.search(r"Pages:\s+(\d+)",o).group(1))' "$PDF" 2>/dev/null || echo '?')"
echo
echo "PDF edition: $PDF ($pages pages); sheets in $ROOT/_build/sheets"
echo "times: TeX setup ${t_tex} s, book ${t_book} s, sheets ${t_sheets} s, total $((SECONDS - t0)) s"
publish
