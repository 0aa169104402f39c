#!/usr/bin/env bash
# Build the book: creates .venv if needed, installs requirements.txt + the library, executes the chapters
# that the execution cache lacks (nbval, one notebook per core: tools/_env.sh execute_chapters), then
# `jupyter-book build -W --keep-going .`, which reads their outputs from the cache; any Sphinx warning or
# notebook cell error fails the build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
t0=$SECONDS
execute_chapters missing
build_book .
echo
echo "The site is in $ROOT/_build/html  (open $ROOT/_build/html/index.html; it works offline; $((SECONDS - t0)) s)"
