#!/usr/bin/env bash
# Build the book: creates .venv if needed, installs requirements.txt + the library, then
# `jupyter-book build -W --keep-going .`; any Sphinx warning or notebook cell error fails the build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
build_book .
echo
echo "The site is in $ROOT/_build/html  (open $ROOT/_build/html/index.html; it works offline)"
