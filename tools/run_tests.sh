#!/usr/bin/env bash
# Run every check of the project, as CI does (.ci/run calls this script):
#   0. setup: .venv, requirements.txt, -e . (tools/_env.sh, uv); Debian's chromium if missing; the wheelhouse of
#      d's bundle test downloaded in the background (tools/_env.sh fill_wheelhouse)
#   a. pytest tests                 library tests (tests/site excluded), one worker per core (pytest-xdist
#                                   -n auto --dist loadfile: a module's tests, and its module-scoped fixtures,
#                                   on one worker; tests/conftest.py gives each worker its own numba cache, and
#                                   puts the longest modules first: --no-loadscope-reorder keeps that order);
#                                   in the background beside b and c (TTS_CI_OVERLAP=0: before them)
#   b. nbval gate                   chapters/**/*.md -> .ipynb (jupytext, in a scratch dir) -> pytest --nbval-lax,
#                                   one notebook per core (pytest-xdist); the executed notebooks go into the
#                                   book's execution cache (tools/_env.sh execute_chapters)
#   c. book build                   jupyter-book build -W --keep-going . and the student edition, side by side
#                                   (one core each) when b passed, reading the outputs of b: every chapter is
#                                   executed once
#   d. site tests                   tests/site on _build/html (+ student edition), in /usr/bin/chromium:
#                                   the pages, the student edition's leaks, the course bundle in a fresh
#                                   venv, JupyterLab through tools/lab.sh; one worker per core (-n auto
#                                   --dist loadfile: a module's shared pages stay on one worker)
# Every step runs even if an earlier one failed (except d, which needs c); exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

T_START=$SECONDS
declare -a SUMMARY=()
FAILED=0
# CPU seconds (user + system) of every child process reaped so far, from bash's `times` (its second line: the
# children; a process is counted once its parent waited for it, so a step's workers and kernels count in the step
# that ends them). Each step's line gives its CPU seconds beside its wall seconds. Chromium's processes escape this
# count (in d the tree counted 386 CPU s while the machine was busy for 988 core-s): benchmarks/ci_profile.py
# samples the whole machine every second instead.
CPU_FILE="$(mktemp)"
A_PID=""   # step a's background job (TTS_CI_OVERLAP=1)
W_PID=""   # the wheelhouse's background download
kill_tree() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done; kill -TERM "$1" 2>/dev/null || true; }
# on exit, and on Ctrl-C (a background job of a script ignores SIGINT): no library test left running
trap 'rm -f "$CPU_FILE"; [ -z "$A_PID" ] || kill_tree "$A_PID"; [ -z "$W_PID" ] || kill_tree "$W_PID"' EXIT
trap 'exit 130' INT TERM
times_cpu() {  # the children's CPU seconds in a file written by `times` (its second line: user and system)
  tail -n 1 "$1" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } printf "%.0f", t }'
}
children_cpu() {  # sets CPU_NOW; `times` runs in this shell (in a pipe or $(...) it would run in a subshell,
  times > "$CPU_FILE"  # which has no children of its own)
  CPU_NOW=$(times_cpu "$CPU_FILE")
}
children_cpu; CPU_LAST=$CPU_NOW
# A background step writes its own CPU (`times` at its end) to a file listed here; bash reaps it whenever it
# ends, so its CPU shows in whichever step is running then: that step's figure has it taken out again.
BG_TIMES=()
start_bg() {  # start_bg LOG CMD...: CMD in the background, its output in LOG, its CPU (`times`) in LOG.times at its end
  local log=$1; shift
  rm -f "$log.times"
  (rc=0; "$@" > "$log" 2>&1 || rc=$?; times > "$log.times"; exit "$rc") &
  BG_TIMES+=("$log.times")
}
record() {  # record NAME RC SECONDS [CPU: a background step's own figure]
  local status="ok" delta f keep=(); [ "$2" -eq 0 ] || { status="FAILED (exit $2)"; FAILED=1; }
  children_cpu
  delta=$((CPU_NOW - CPU_LAST))
  for f in "${BG_TIMES[@]}"; do
    if [ -s "$f" ]; then delta=$((delta - $(times_cpu "$f"))); else keep+=("$f"); fi
  done
  BG_TIMES=("${keep[@]}")
  SUMMARY+=("$(printf '%-34s %-16s %5ss  (CPU %5ss)' "$1" "$status" "$3" "${4:-$delta}")")
  CPU_LAST=$CPU_NOW
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
# The wheelhouse of d's course-bundle test (tools/_env.sh fill_wheelhouse: pip download of requirements.txt), in
# the background from here to d: it takes the core that the numba seed compile below leaves free.
banner "0. wheelhouse for d's bundle test, in the background (log: _build/logs/wheelhouse.log)"
mkdir -p "$ROOT/_build/logs"
start_bg "$ROOT/_build/logs/wheelhouse.log" fill_wheelhouse
W_PID=$!

# ---------------------------------------------------------------------------------------------
# One process compiles every cached numba kernel once; the cache folder of each worker of a and b starts as a copy
# (tools/_env.sh seed_numba_cache; without it each of the four workers compiled them itself).
banner "0. numba cache: one compile for the workers of a and b"
t0=$SECONDS
NB_BASE="$ROOT/_build/.numba-cache"
NB_WORKERS=()
for ((i = 0; i < $([ "${TTS_JOBS:-auto}" = auto ] && nproc || echo "$TTS_JOBS"); i++)); do
  NB_WORKERS+=("$NB_BASE/gw$i" "$NB_BASE/notebooks/gw$i")
done
rc=0; seed_numba_cache "${NB_WORKERS[@]}" || rc=$?
record "0. numba cache seed" "$rc" $((SECONDS - t0))

# ---------------------------------------------------------------------------------------------
# TTS_CI_OVERLAP=1 (the default): a runs in the background, beside b and c, and its log is printed when it ends
# (before d). Each step alone keeps the 2 cores busy most of the time (benchmarks/ci_profile.py), but not all of it:
# a waits on subprocesses, clusters and kernels, b's last notebooks run one at a time, c is two one-core Sphinx
# passes. Side by side they fill each other's gaps: 611 s against 808 s one after the other. Then b's kernels use their own numba caches
# (TTS_NB_NUMBA_CACHE: two processes never compile into one cache at once) and a does not see the student
# edition that c is writing (TTS_STUDENT_DIR: tests/course/test_key_absent.py skips it, as it always did when a
# ran first; tests/site scans the finished edition). TTS_CI_OVERLAP=0: one step after the other.
A_LOG="$ROOT/_build/logs/library-tests.log"
run_library_tests() {
  python -m pytest tests --ignore=tests/site -p no:cacheprovider -q -n "${TTS_JOBS:-auto}" --dist loadfile \
    --no-loadscope-reorder --durations=10
}
if ! find tests -name 'test_*.py' -not -path 'tests/site/*' | grep -q .; then
  banner "a. library tests: pytest tests"
  echo "WARNING: no library test file (tests/**/test_*.py outside tests/site) yet"
  record "a. pytest tests (no test files)" 1 0
elif [ "${TTS_CI_OVERLAP:-1}" = "1" ]; then
  banner "a. library tests: pytest tests, in the background beside b and c (log: _build/logs/library-tests.log)"
  mkdir -p "$ROOT/_build/logs"
  T_A0=$SECONDS
  TTS_STUDENT_DIR="$ROOT/_build/.no-student-edition-during-a" start_bg "$A_LOG" run_library_tests
  A_PID=$!
  export TTS_NB_NUMBA_CACHE="$ROOT/_build/.numba-cache/notebooks"
else
  banner "a. library tests: pytest tests"
  t0=$SECONDS
  rc=0; run_library_tests || rc=$?
  # exit 5 = no test collected although test files exist: a collection problem, so a failure
  record "a. pytest tests" "$rc" $((SECONDS - t0))
fi

# ---------------------------------------------------------------------------------------------
# b executes every chapter once (nbval, one kernel per core); c reads b's outputs from the execution cache
# instead of executing the chapters again (a page that failed in b is executed, and fails, in c too).
banner "b. notebooks: jupytext -> pytest --nbval-lax -n auto (outputs kept for the build)"
t0=$SECONDS
rc=0; execute_chapters all || rc=$?
NBVAL_OK=$((rc == 0))
record "b. nbval (chapters/*.md)" "$rc" $((SECONDS - t0))

# The two editions are two Sphinx runs of one core each: side by side when every page is in the execution cache
# (b passed: nothing left to execute, so the two never write the cache at once), one after the other otherwise.
banner "c. book build (and the student edition$([ "$NBVAL_OK" -eq 1 ] && echo ', side by side'))"
t0=$SECONDS
BUILD_OK=1
if [ "$NBVAL_OK" -eq 1 ]; then
  mkdir -p _build/logs
  start_bg _build/logs/student.log bash tools/build_student.sh
  STUDENT_PID=$!
fi
rc=0; build_book . || rc=$?
[ "$rc" -eq 0 ] || BUILD_OK=0
record "c. jupyter-book build -W" "$rc" $((SECONDS - t0))

if [ "$NBVAL_OK" -eq 1 ]; then
  rc=0; wait "$STUDENT_PID" || rc=$?
  echo ">> student edition (log: _build/logs/student.log):"; tail -n 5 _build/logs/student.log
  [ "$rc" -eq 0 ] || tail -n 60 _build/logs/student.log
  # tools/build_student.sh marks the main site's student link as live when the main site exists; it may have
  # finished before this build created _build/html/_static
  if [ "$rc" -eq 0 ] && [ -d _build/html/_static ]; then echo '{"built": true}' > _build/html/_static/student_edition.json; fi
  record "c. student edition build (parallel)" "$rc" $((SECONDS - t0)) "$(times_cpu _build/logs/student.log.times 2>/dev/null || echo '?')"
else
  t0=$SECONDS
  rc=0; bash tools/build_student.sh || rc=$?
  record "c. student edition build" "$rc" $((SECONDS - t0))
fi

# ---- PDF edition (issues 27/28; tools/build_pdf.sh owns the logic) ---- TTS_PDF=0 skips it -------------
banner "c. PDF edition and weekly sheets: tools/build_pdf.sh"
t0=$SECONDS
if [ "${TTS_PDF:-1}" = "0" ]; then
  echo "SKIPPED (TTS_PDF=0): no TeX install, no PDF; tests/site/test_pdf_edition.py is skipped too"
  record "c. PDF edition (SKIPPED: TTS_PDF=0)" 0 0
else
  rc=0; bash tools/build_pdf.sh || rc=$?
  record "c. PDF edition (TeX + LaTeX)" "$rc" $((SECONDS - t0))
fi
# ---- end of the PDF edition block -----------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
if [ -n "$A_PID" ]; then
  banner "a. library tests (ran beside b and c): waiting for them, then their log"
  rc=0; wait "$A_PID" || rc=$?
  A_PID=""
  cat "$A_LOG"
  # exit 5 = no test collected although test files exist: a collection problem, so a failure
  record "a. pytest tests (beside b and c)" "$rc" $((SECONDS - T_A0)) "$(times_cpu "$A_LOG.times" 2>/dev/null || echo '?')"
fi

# ---------------------------------------------------------------------------------------------
t0=$SECONDS
rc=0; wait "$W_PID" || rc=$?
W_PID=""
cat "$ROOT/_build/logs/wheelhouse.log"
record "0. wheelhouse (background, waited)" "$rc" $((SECONDS - t0)) "$(times_cpu "$ROOT/_build/logs/wheelhouse.log.times" 2>/dev/null || echo '?')"

banner "d. real-browser test of _build/html"
t0=$SECONDS
if [ "$BUILD_OK" -eq 1 ]; then
  # every test of tests/site: the built site in Chromium, the student edition's leak scan, the course
  # bundle installed in a fresh venv, JupyterLab (tools/lab.sh) with a chapter and its live explorer
  # --no-loadscope-reorder: the modules in tests/site/conftest.py's SITE_ORDER (the fresh venv first, the pool of
  # shared page loads last), not by their number of tests
  rc=0; python -m pytest tests/site -p no:cacheprovider -q -rs -n "${TTS_JOBS:-auto}" --dist loadfile \
    --no-loadscope-reorder --durations=15 || rc=$?
  record "d. browser, bundle, lab tests" "$rc" $((SECONDS - t0))
  echo "screenshots: $ROOT/_build/screenshots/"
else
  record "d. browser test (skipped: no build)" 1 0
fi

# ---------------------------------------------------------------------------------------------
banner "summary ($((SECONDS - T_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
