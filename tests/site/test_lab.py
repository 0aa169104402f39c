"""The README's third command, ``bash tools/lab.sh``, opens the chapters as notebooks (issue 15).

Starts JupyterLab through that script, headless on 127.0.0.1 (a free port, no token, a scratch copy of
``chapters/`` as its root so that nothing is saved into the repository), then in Chromium:

1. opens ``chapters/02_setting.md``: Jupytext's notebook is the default viewer, so it opens as a notebook;
2. checks that jupyterlab-myst renders the chapter's MyST: theorems/definitions (``{prf:...}``),
   exercises (``{exercise-start}``), citations and equation references appear rendered, not as raw text;
3. runs the cells above the live explorer, then the explorer (ipywidgets), drags the first position
   slider and checks that the explorer's output (the loss readout and the figure) changes.

Run separately (needs Chromium, like the rest of tests/site): ``pytest tests/site/test_lab.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from sitecfg import REPO, drag

CHAPTER = "chapters/02_setting.md"
RAW_MARKERS = ("{prf:", "{exercise", "{solution", "{cite}", "{eq}", "{math}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("labroot")
    shutil.copytree(REPO / "chapters", root / "chapters")
    port = _free_port()
    env = dict(os.environ)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path_factory.mktemp("lab-user-settings"))
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path_factory.mktemp("lab-workspaces"))
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path_factory.mktemp("jupyter-runtime"))
    log = open(root / "lab.log", "w")  # noqa: SIM115 (closed at teardown)
    proc = subprocess.Popen(
        ["bash", str(REPO / "tools" / "lab.sh"), "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
         "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # the first run of tools/_env.sh may install packages
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-3000:])
                time.sleep(1)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    d = REPO / "_build" / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def notebook(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{lab}/lab/tree/{CHAPTER}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=120_000)
    # every markdown cell rendered (windowingMode "none", set by tools/lab.sh)
    # jupyterlab-myst renders the markdown cells one after the other: wait for all of them
    page.wait_for_function(
        "() => { const md = document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell');"
        " return md.length > 10 && Array.from(md).every(c => c.querySelector('.myst, .jp-RenderedMarkdown')) }",
        timeout=120_000,
    )
    page.wait_for_timeout(1000)
    yield page, errors
    context.close()


def test_chapter_opens_as_a_notebook(notebook):
    page, _ = notebook
    source = (REPO / CHAPTER).read_text(encoding="utf-8")
    n_code = source.count("```{code-cell}")
    assert page.locator(".jp-NotebookPanel .jp-CodeCell").count() == n_code
    assert page.locator(".jp-NotebookPanel .jp-MarkdownCell").count() > 10
    tab = page.locator(".lm-TabBar-tab.jp-mod-current").inner_text()
    assert "02_setting.md" in tab


def test_myst_is_rendered_not_raw(notebook, shots):
    page, errors = notebook
    rendered = page.locator(".jp-NotebookPanel .jp-MarkdownCell .jp-RenderedMarkdown, "
                            ".jp-NotebookPanel .jp-MarkdownCell .myst")
    text = "\n".join(page.locator(".jp-NotebookPanel .jp-MarkdownCell").all_inner_texts())
    raw = [m for m in RAW_MARKERS if m in text]
    assert not raw, f"MyST shown as raw text in JupyterLab: {raw}"
    assert rendered.count() == page.locator(".jp-NotebookPanel .jp-MarkdownCell").count()
    source = (REPO / CHAPTER).read_text(encoding="utf-8")
    n_prf = source.count("```{prf:")
    assert page.locator(".jp-NotebookPanel .myst-proof").count() >= n_prf > 0
    n_ex = source.count("```{exercise-start}")
    exercises = page.locator(".jp-NotebookPanel .jp-MarkdownCell", has_text="Exercise")
    assert n_ex > 0 and exercises.count() >= n_ex
    assert page.locator(".jp-NotebookPanel .katex").count() > 20  # math typeset
    page.screenshot(path=str(shots / "lab_02_setting.png"))
    assert not errors, errors


def test_first_cells_and_live_explorer_run(notebook, shots):
    page, errors = notebook
    cell = page.locator(".jp-CodeCell", has_text="explore.NetworkExplorer(").first
    cell.locator(".jp-InputPrompt").click()
    page.locator(".lm-MenuBar-item", has_text="Run").click()
    page.locator(".lm-Menu-item", has_text="Run All Above Selected Cell").click()
    above = page.evaluate(
        "c => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')).indexOf(c)",
        cell.element_handle())
    assert above >= 3
    page.wait_for_function(
        """n => { const p = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt'))
                  .slice(0, n).map(e => e.textContent);
                  return p.length === n && p.every(t => /\\[\\d+\\]/.test(t)) }""",
        arg=above, timeout=600_000)
    errs = page.locator(".jp-NotebookPanel .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ":has-text('Traceback'), .jp-NotebookPanel .jp-OutputArea-output .ansi-red-fg")
    assert errs.count() == 0, errs.first.inner_text()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    out = cell.locator(".jp-Cell-outputArea")
    out.locator(".widget-slider .noUi-handle").first.wait_for(timeout=120_000)
    readout = out.locator(".widget-html-content", has_text="L(a, u)").first
    readout.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    before = readout.inner_text()
    img_before = out.locator("img").first.get_attribute("src") if out.locator("img").count() else None
    handle = out.locator(".widget-slider .noUi-handle").first
    drag(page, handle, 80, steps=10)
    page.wait_for_function(
        "([el, old]) => el.innerText !== old", arg=[readout.element_handle(), before], timeout=60_000)
    after = readout.inner_text()
    assert after != before
    if img_before is not None:
        page.wait_for_function(
            "([o, old]) => { const i = o.querySelector('img'); return i && i.src !== old }",
            arg=[out.element_handle(), img_before], timeout=60_000)
    cell.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "lab_02_explorer.png"))
    assert not errors, errors
