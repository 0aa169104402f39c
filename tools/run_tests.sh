#!/usr/bin/env bash
# Run every check of the project, as CI does (.ci/run calls this script):
#   0. setup: .venv, requirements.txt, pip install -e . (tools/_env.sh); Debian's chromium if missing
#   a. pytest tests                 library tests (tests/site excluded)
#   b. nbval gate                   chapters/*.md -> .ipynb (jupytext, in a scratch dir) -> pytest --nbval-lax
#   c. book build                   jupyter-book build -W --keep-going . (+ the student edition)
#   d. site tests                   tests/site on _build/html (+ student edition), in /usr/bin/chromium:
#                                   the pages, the student edition's leaks, the course bundle in a fresh
#                                   venv, JupyterLab through tools/lab.sh
# Every step runs even if an earlier one failed (except d, which needs c); exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

T_START=$SECONDS
declare -a SUMMARY=()
FAILED=0
record() {  # record NAME RC SECONDS
  local status="ok"; [ "$2" -eq 0 ] || { status="FAILED (exit $2)"; FAILED=1; }
  SUMMARY+=("$(printf '%-34s %-16s %5ss' "$1" "$status" "$3")")
}
banner() { echo; echo "==================== $* ===================="; }

# ---------------------------------------------------------------------------------------------
banner "0. browser: /usr/bin/chromium"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "error: /usr/bin/chromium is missing; install Debian's package: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version 2>/dev/null || true

# ---------------------------------------------------------------------------------------------
banner "a. library tests: pytest tests"
t0=$SECONDS
if find tests -name 'test_*.py' -not -path 'tests/site/*' | grep -q .; then
  rc=0; python -m pytest tests --ignore=tests/site -p no:cacheprovider -q || rc=$?
  # exit 5 = no test collected although test files exist: a collection problem, so a failure
  record "a. pytest tests" "$rc" $((SECONDS - t0))
else
  echo "WARNING: no library test file (tests/**/test_*.py outside tests/site) yet"
  record "a. pytest tests (no test files)" 1 $((SECONDS - t0))
fi

# ---------------------------------------------------------------------------------------------
# b and c each execute every chapter; they run side by side (2 cores), b's output is shown after c.
run_nbval() {  # prints its report; returns non-zero on failure
  shopt -s nullglob
  local chapters=(chapters/*.md)
  shopt -u nullglob
  if [ ${#chapters[@]} -eq 0 ]; then
    echo "WARNING: no chapters/*.md yet: nothing to check"
    return 0
  fi
  local nbdir rc=0 md
  nbdir="$(mktemp -d "${TMPDIR:-/tmp}/tts-nbval.XXXXXX")"
  for md in "${chapters[@]}"; do
    jupytext --quiet --to ipynb --output "$nbdir/$(basename "${md%.md}").ipynb" "$md" || rc=$?
  done
  # Guard: Jupytext front matter without `extension: .md` / `format_name: myst` silently turns the
  # chapter into one markdown cell, and nbval would then "pass" a notebook that runs nothing.
  python - "$nbdir" <<'PY' || rc=$?
import json, pathlib, sys
bad = []
for nb in sorted(pathlib.Path(sys.argv[1]).glob("*.ipynb")):
    cells = json.loads(nb.read_text())["cells"]
    n = sum(c["cell_type"] == "code" for c in cells)
    print(f"  {nb.name}: {n} code cells")
    if n == 0:
        bad.append(nb.name)
if bad:
    sys.exit(f"error: no code cell after jupytext conversion (check the front matter: "
             f"jupytext.text_representation.extension: .md, format_name: myst): {bad}")
PY
  if [ "$rc" -eq 0 ]; then
    # run from the scratch folder with no config file, so nothing else (_build/, tests/) is
    # collected; exit 5 (no test) would be a failure here too. Its own numba cache: the book build runs
    # the same chapters at the same time, and two processes compiling new argument types of one kernel at
    # the same moment race on its index (numba's IndexDataCacheFile.save picks the first free .N.nbc number
    # without a lock, so one index entry can name the other signature's code). The segfaults once blamed on
    # this came from sort/argsort helpers sharing a name across processes (issue 24, fixed, and
    # tests/core/test_numba_cache.py); this narrower race is why the separate cache stays.
    (cd "$nbdir" && NUMBA_CACHE_DIR="$nbdir/numba-cache" python -m pytest --nbval-lax --nbval-cell-timeout=1800 -p no:cacheprovider \
        -c /dev/null --rootdir "$nbdir" -q "$nbdir") || rc=$?
  fi
  rm -rf "$nbdir"
  return "$rc"
}

banner "b. notebooks: jupytext -> pytest --nbval-lax (in the background, report below)"
NB_LOG="$(mktemp)"; NB_RC="$(mktemp)"
t_nb=$SECONDS
( rc=0; run_nbval > "$NB_LOG" 2>&1 || rc=$?; echo "$rc" > "$NB_RC"; echo "$((SECONDS - t_nb))" >> "$NB_RC" ) &
NB_PID=$!

banner "c. book build"
t0=$SECONDS
BUILD_OK=1
rc=0; build_book . || rc=$?
[ "$rc" -eq 0 ] || BUILD_OK=0
record "c. jupyter-book build -W" "$rc" $((SECONDS - t0))

t0=$SECONDS
rc=0; bash tools/build_student.sh || rc=$?
record "c. student edition build" "$rc" $((SECONDS - t0))

wait "$NB_PID" || true
banner "b. notebooks: report"
cat "$NB_LOG"
{ read -r nb_rc; read -r nb_secs; } < "$NB_RC" || { nb_rc=1; nb_secs=0; }
record "b. nbval (chapters/*.md)" "$nb_rc" "$nb_secs"
rm -f "$NB_LOG" "$NB_RC"

# ---------------------------------------------------------------------------------------------
banner "d. real-browser test of _build/html"
t0=$SECONDS
if [ "$BUILD_OK" -eq 1 ]; then
  # every test of tests/site: the built site in Chromium, the student edition's leak scan, the course
  # bundle installed in a fresh venv, JupyterLab (tools/lab.sh) with a chapter and its live explorer
  rc=0; python -m pytest tests/site -p no:cacheprovider -q -rs --durations=5 || rc=$?
  record "d. browser, bundle, lab tests" "$rc" $((SECONDS - t0))
  echo "screenshots: $ROOT/_build/screenshots/"
else
  record "d. browser test (skipped: no build)" 1 0
fi

# ---------------------------------------------------------------------------------------------
banner "summary ($((SECONDS - T_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
