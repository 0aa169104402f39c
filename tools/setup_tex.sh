#!/usr/bin/env bash
# Install the TeX Live subset that the PDF editions need (tools/build_pdf.sh calls this), from Debian's packages.
#   texlive-latex-recommended, -latex-extra, -fonts-recommended: the LaTeX packages Sphinx's LaTeX writer and
#       sphinx-jupyterbook-latex load (fncychap, tabulary, framed, wrapfig, capt-of, needspace, titlesec, ...)
#   texlive-xetex + fonts-freefont-otf: the book is built with xelatex (Unicode text: Greek letters, stars,
#       arrows, minus signs in outputs); FreeSerif/FreeSans/FreeMono are Sphinx's default fonts under xelatex
#   latexmk: drives the LaTeX runs (references, table of contents)
#   poppler-utils: pdfinfo/pdftotext/pdftoppm, with which the tests read the PDFs
# --no-install-recommends keeps it at ~28 packages (no documentation, no Java runtime).
# Idempotent: does nothing when every tool is already there (no pipe in the check: under pipefail a `| grep -q`
# that stops reading early fails the pipeline, and the install would run every time). Needs root (or sudo) for apt-get.
set -euo pipefail

PACKAGES=(texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex
          fonts-freefont-otf latexmk poppler-utils)

have_all() {
  command -v xelatex >/dev/null 2>&1 && command -v latexmk >/dev/null 2>&1 \
    && kpsewhich fncychap.sty >/dev/null 2>&1 && kpsewhich tabulary.sty >/dev/null 2>&1 \
    && [ -n "$(fc-list FreeSerif family 2>/dev/null)" ] && command -v pdftotext >/dev/null 2>&1
}

if have_all; then
  echo "TeX: already installed ($(xelatex --version | head -1))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: TeX Live is missing and this is not root; install: apt-get install --no-install-recommends ${PACKAGES[*]} (or skip the PDF: TTS_PDF=0)" >&2
    exit 1
  fi
fi
t0=$SECONDS
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
echo "TeX: installed ${PACKAGES[*]} in $((SECONDS - t0)) s ($(xelatex --version | head -1))"
