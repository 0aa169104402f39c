# Shared setup for tools/*.sh (sourced, not run). Needs only bash and Python >= 3.11.
# Creates .venv at the repository root if missing, installs requirements.txt and the library (-e .).
# Re-installs only when requirements.txt or pyproject.toml changed (stamp file in .venv).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1
# One BLAS thread per process (numpy's and scipy's OpenBLAS), unless the caller chose: every process here (a
# notebook kernel, a pytest worker, a Sphinx run) shares 2 cores with others, and the linear algebra of the book is
# small (least squares of a few hundred columns). Measured (issue 29): such calls took 0.33-0.41 s either way on
# an idle machine but twice the CPU with OpenBLAS's threads, and 2.3-4.2 s instead of 0.36 s while one other
# process was busy (its threads spin-wait for a core); chapter 6.3's tangent floors 6.7 s of CPU -> 0.4 s.
# The SGD ensembles' own threads (tts_lib.sgd) are not BLAS threads and keep both cores.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# NB: do not set MPLBACKEND here: in the notebooks' kernels it would replace the inline backend and
# plt.show() would output no figure. Without a display matplotlib picks Agg by itself.
# never let playwright download a browser: we use Debian's /usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

find_python() {
  # the pinned stack (requirements.txt) needs Python >= 3.11.5; prefer $PYTHON, then python3.11
  local c
  for c in "${PYTHON:-}" python3.11 python3 python python3.12; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 \
        && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 5) else 1)' 2>/dev/null \
        && "$c" -c 'import venv, ensurepip' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  echo "error: no Python >= 3.11.5 with venv found (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PY="$(find_python)"
  echo ">> creating virtualenv $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi
PYBIN="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

# The stamps below: the SHA-256 of standard input, and of the library's sources and data (a change of tts_lib clears
# the book's execution cache and compiles the numba seed again).
sha256() { "$PYBIN" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'; }
tts_lib_sha256() { find tts_lib \( -name "*.py" -o -name "*.json" \) -not -path "*/__pycache__/*" | LC_ALL=C sort | xargs cat | sha256; }

STAMP="$VENV/.tts-installed"
# The pinned wheels of requirements.txt, for tests/site/test_bundle.py only: it installs the course bundle from
# there into a fresh venv (--no-index) instead of downloading them all again. tools/run_tests.sh fills it in the
# background (fill_wheelhouse) while the first steps run; the book build does not need it.
WHEELS="$ROOT/_build/.wheelhouse"
WANT="$(cat requirements.txt pyproject.toml | sha256)"
# (a cheap check first: the stamp, and tts_lib found by the import system without importing it, i.e. without numba)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ] \
    || ! "$PYBIN" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("tts_lib") is None)' >/dev/null 2>&1; then
  echo ">> installing requirements.txt and the library (-e .)"
  t_pip=$SECONDS
  # uv (pinned in requirements.txt) downloads the pinned wheels from the package index several at a time, then
  # unpacks and byte-compiles them on every core: measured on a fresh machine (issue 29), 24-29 s for the whole of
  # requirements.txt where `pip download` alone took 44 s and the install from its wheels 25 s more. pip does it
  # all when requirements.txt has no uv. Byte-compiled at install either way: PYTHONDONTWRITEBYTECODE above means
  # no process writes a .pyc later. (The grep only hides this machine's pip notes about absent local mirrors.)
  UV_PIN="$(grep -E '^uv==' requirements.txt || true)"
  if [ -n "$UV_PIN" ]; then
    "$PYBIN" -m pip install --quiet "$UV_PIN" 2> >(grep -v 'neither a file nor a directory' >&2)
    "$VENV/bin/uv" pip install --quiet --no-config --python "$PYBIN" --compile-bytecode -r requirements.txt
    "$VENV/bin/uv" pip install --quiet --no-config --python "$PYBIN" --no-deps -e .
  else
    "$PYBIN" -m pip install --quiet -r requirements.txt 2> >(grep -v 'neither a file nor a directory' >&2)
    "$PYBIN" -m pip install --quiet --no-deps -e . 2> >(grep -v 'neither a file nor a directory' >&2)
  fi
  echo "$WANT" > "$STAMP"
  echo ">> installed in $((SECONDS - t_pip)) s"
fi

# Fill the wheelhouse (WHEELS) with the pinned wheels of requirements.txt, unless it holds them already (a
# stamp of requirements.txt). pip is CPU-bound here (50 busy core-s for 54 s of wall): tools/run_tests.sh runs it
# in the background, beside the numba seed compile, which keeps only one core busy.
fill_wheelhouse() {
  local want
  want="$(sha256 < requirements.txt)"
  if [ "$(cat "$WHEELS/.tts-filled" 2>/dev/null)" = "$want" ]; then
    echo ">> wheelhouse $WHEELS: up to date"; return 0
  fi
  local t0=$SECONDS
  "$PYBIN" -m pip download --quiet --dest "$WHEELS" -r requirements.txt \
    2> >(grep -v 'neither a file nor a directory' >&2) || return $?
  echo "$want" > "$WHEELS/.tts-filled"
  echo ">> wheelhouse $WHEELS filled in $((SECONDS - t0)) s"
}

# The site's third-party JavaScript (package.json, pinned with package-lock.json): MathJax 4, which
# _ext/offline_assets.py copies into the site. `npm ci` again only when package-lock.json changed (stamp in
# node_modules). Node.js and npm: the machine's, or Debian's packages.
if [ -f package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      echo "error: npm is missing (Debian: sudo apt-get install -y nodejs npm)" >&2; return 1
    fi
  fi
  NPM_WANT="$(sha256 < package-lock.json)"
  if [ "$(cat node_modules/.tts-installed 2>/dev/null)" != "$NPM_WANT" ]; then
    echo ">> installing the site's JavaScript (npm ci: package-lock.json)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
    echo "$NPM_WANT" > node_modules/.tts-installed
  fi
fi

# The chapters ask for the kernel "python3": ipykernel's own spec in this venv, whose argv "python"
# jupyter_client runs as this venv's interpreter (the one running jupyter-book / pytest).

# The execution cache (jupyter-cache, in $1/_build/.jupyter_cache) is keyed on each notebook's code only, so a
# change in tts_lib would otherwise leave stale outputs in the book: clear the cache whenever the library
# changed since the cache was filled. $1 = jupyter-book --path-output ("." gives _build/).
exec_cache_check() {
  local out="${1:-.}"
  local cache="$out/_build/.jupyter_cache" stamp="$out/_build/.tts_lib.sha256" lib
  lib="$(tts_lib_sha256)"
  if [ -d "$cache" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$lib" ]; then
    echo ">> tts_lib changed since the last build: clearing the execution cache"
    rm -rf "$cache"
  fi
  mkdir -p "$out/_build" && echo "$lib" > "$stamp"
}

# Seed numba's on-disk cache of each worker folder to come: tools/run_tests.sh gives every pytest-xdist worker
# (steps a and b, two each on 2 cores) its own cache folder, and each compiled the same kernels (~30 s of CPU for
# all of them). Instead one process compiles every cached kernel once (tests/core/numba_cache_worker.py all:
# the parts of the cross-process cache test, which reach every cached kernel of the library) into
# _build/.numba-cache/seed, and each worker folder that does not exist yet starts as a copy of it. A kernel
# compiled by one process and loaded by others is what the cache test checks (tests/core/test_numba_cache.py);
# a kernel the seed lacks is compiled by the worker, as before. The seed is compiled again when tts_lib changed.
# Arguments: the worker folders (e.g. _build/.numba-cache/gw0).
seed_numba_cache() {
  local seed="$ROOT/_build/.numba-cache/seed" lib d t0=$SECONDS
  lib="$(tts_lib_sha256)"
  if [ "$(cat "$seed.sha256" 2>/dev/null)" != "$lib" ]; then
    rm -rf "$seed" "$seed.sha256"
    NUMBA_CACHE_DIR="$seed" PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
      "$PYBIN" tests/core/numba_cache_worker.py all > /dev/null || return $?
    echo "$lib" > "$seed.sha256"
    echo ">> numba cache seed compiled in $((SECONDS - t0)) s"
  fi
  for d in "$@"; do
    [ -e "$d" ] || { mkdir -p "$(dirname "$d")" && cp -a "$seed" "$d"; }
  done
}

# Build the book, failing on any Sphinx warning or notebook cell error.
# $1 = jupyter-book --path-output (the site lands in $1/_build/html); "." gives _build/html.
# --all re-reads every page, so warnings of unchanged pages are reported again (an incremental
# Sphinx build would pass silently after a failed one); notebooks still come from the execution
# cache, so this costs seconds. TTS_PROGRESS=0: no progress bar in a built page (tts_lib/_progress.py).
build_book() {
  local out="${1:-.}"; shift || true
  exec_cache_check "$out"
  echo ">> jupyter-book build -W --keep-going --all --path-output $out $* ."
  local t0=$SECONDS
  TTS_PROGRESS=0 jupyter-book build -W --keep-going --all --path-output "$out" "$@" .
  echo ">> book built in $((SECONDS - t0)) s"
}

# Execute the chapters once, with nbval, on every core, and keep the outputs for the book build.
# $1 = all (the notebook gate: every page) | missing (only the pages the execution cache lacks).
# Each page (chapters/**/*.md) is converted by Jupytext (tools/chapter_notebooks.py prepare, which fails on a
# page without code cells or whose cells differ from what the build reads), then `pytest --nbval-lax` runs
# the notebooks, each in its own kernel, `-n auto --dist loadfile` (pytest-xdist: one worker per core, a
# notebook's cells in order in one worker), and tools/pytest_nbval_capture.py writes every notebook that
# passed, with its outputs; those go into _build/.jupyter_cache (tools/chapter_notebooks.py cache), where the
# Sphinx pass finds them instead of executing the pages again. A failed page is not cached: the build then
# executes it and fails on the same cell. Each worker has its own numba cache (_build/.numba-cache/gwN),
# kept between runs (TTS_NB_NUMBA_CACHE: another base folder). TTS_PAGES (space-separated .md paths) restricts
# the pages; TTS_JOBS sets the workers.
execute_chapters() {
  local mode="${1:-all}" cache="$ROOT/_build/.jupyter_cache" nbdir rc=0 skip=()
  shopt -s nullglob globstar
  local pages=(chapters/**/*.md)
  shopt -u nullglob globstar
  [ -z "${TTS_PAGES:-}" ] || read -r -a pages <<< "$TTS_PAGES"    # e.g. TTS_PAGES="chapters/07_conclusion.md"
  if [ ${#pages[@]} -eq 0 ]; then
    echo "WARNING: no chapters/*.md yet: nothing to execute"
    return 0
  fi
  exec_cache_check .
  [ "$mode" = all ] || skip=(--skip-cached "$cache")
  nbdir="$(mktemp -d "${TMPDIR:-/tmp}/tts-nbval.XXXXXX")"
  "$PYBIN" tools/chapter_notebooks.py prepare "$nbdir/nb" "${pages[@]}" "${skip[@]}" || rc=$?
  if [ "$rc" -eq 0 ] && compgen -G "$nbdir/nb/*.ipynb" >/dev/null; then
    # run from the scratch folder with no config file, so nothing else (_build/, tests/) is collected;
    # exit 5 (no test) would be a failure here too. TTS_PROGRESS=0: no progress bars in the outputs
    (cd "$nbdir/nb" && TTS_PROGRESS=0 PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}" \
      "$PYBIN" -m pytest --nbval-lax --nbval-cell-timeout=1800 -n "${TTS_JOBS:-auto}" --dist loadfile \
        -p pytest_nbval_capture --nbval-capture-dir "$nbdir/done" \
        --nbval-numba-cache "${TTS_NB_NUMBA_CACHE:-$ROOT/_build/.numba-cache}" \
        -p no:cacheprovider -c /dev/null --rootdir "$nbdir/nb" -q --durations=10 "$nbdir/nb") || rc=$?
    [ -d "$nbdir/done" ] && { "$PYBIN" tools/chapter_notebooks.py cache "$nbdir/done" --cache "$cache" || rc=$?; }
  fi
  rm -rf "$nbdir"
  return "$rc"
}
