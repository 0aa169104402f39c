#!/usr/bin/env bash
# Build the student edition: same book with every sphinx-exercise solution removed,
# into _build/student/html. The executed notebooks are shared with the main build's cache.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
TMPCFG="$(mktemp -d)"
trap 'rm -rf "$TMPCFG"' EXIT
"$PYBIN" - "$ROOT/_config.yml" "$TMPCFG/_config.yml" "$ROOT/_build/.jupyter_cache" "$ROOT/_toc.yml" "$TMPCFG/_toc.yml" <<'PY'
import os, sys, yaml
src, dst, cache, toc_src, toc_dst = sys.argv[1:6]
root = os.path.dirname(os.path.abspath(src))
cfg = yaml.safe_load(open(src))
# paths in the config are relative to the config file: make them absolute for the copy
local = (cfg.get("sphinx") or {}).get("local_extensions") or {}
for name, path in local.items():
    local[name] = os.path.join(root, path)
cfg.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
cfg["title"] = cfg.get("title", "") + " (student edition)"
# share the execution cache with the main build, so notebooks are not executed twice
cfg.setdefault("execute", {})["cache"] = cache
open(dst, "w").write(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
# the guide for teachers (weekly sets, rubrics, grading) is not part of the student edition
toc = yaml.safe_load(open(toc_src))
for part in toc.get("parts", []):
    part["chapters"] = [c for c in part.get("chapters", []) if c.get("file") != "reference/teachers"]
open(toc_dst, "w").write(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))
PY
# jupyter-book writes to <path-output>/_build/html; the site is then moved to _build/student/html
build_book _build/student --config "$TMPCFG/_config.yml" --toc "$TMPCFG/_toc.yml"
rm -rf _build/student/html
mv _build/student/_build/html _build/student/html
# the main site links the student edition (published under student/, see ci.yml) once it exists (_static/student_link.js)
if [ -d "$ROOT/_build/html/_static" ]; then echo '{"built": true}' > "$ROOT/_build/html/_static/student_edition.json"; fi
echo
echo "The student edition is in $ROOT/_build/student/html"
