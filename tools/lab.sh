#!/usr/bin/env bash
# Open the book as notebooks: JupyterLab on the chapters, each chapter (a Jupytext MyST .md file) opening
# as a notebook, with jupyterlab-myst rendering its theorems, exercises, citations and equation references.
#   bash tools/lab.sh                           # JupyterLab in the repository, on chapters/
#   bash tools/lab.sh chapters/02_setting.md    # straight into one chapter
# Any other argument goes to `jupyter lab` (e.g. --no-browser --port 8889).
# Sets up .venv like the other scripts (tools/_env.sh), then writes this venv's JupyterLab defaults
# (settings overrides in .venv, nothing in your home folder): Jupytext's notebook is the default viewer for
# Markdown files, every cell is rendered (no windowing), and JupyterLab fetches no news (works offline).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
SETTINGS="$VENV/share/jupyter/lab/settings"
mkdir -p "$SETTINGS"
cat > "$SETTINGS/overrides.json" <<'JSON'
{
  "@jupyterlab/docmanager-extension:plugin": {
    "defaultViewers": {
      "markdown": "Jupytext Notebook",
      "myst": "Jupytext Notebook"
    }
  },
  "@jupyterlab/notebook-extension:tracker": {
    "windowingMode": "none"
  },
  "@jupyterlab/apputils-extension:notification": {
    "checkForUpdates": false,
    "fetchNews": "false"
  }
}
JSON
if [ "$#" -eq 0 ]; then set -- chapters; fi
# as root (containers, CI) JupyterLab refuses to start without --allow-root
if [ "$(id -u)" -eq 0 ]; then set -- --allow-root "$@"; fi
exec jupyter lab "$@"
