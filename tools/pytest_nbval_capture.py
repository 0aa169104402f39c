"""pytest plugin: keep what nbval executed, so that the book build does not execute the chapters again.

    pytest --nbval-lax -p pytest_nbval_capture --nbval-capture-dir DIR NB.ipynb ...   (tools/ on sys.path)

nbval runs each code cell of a notebook in one kernel and checks that it raises nothing (``--nbval-lax``). This
plugin records each cell's outputs as nbval received them from the kernel (before nbval merges the streams
for its own comparison) and, once every cell of a notebook has passed, writes the executed notebook (outputs,
execution counts, the kernel's ``language_info``, the wall time) to ``DIR/<same name>.ipynb``. A notebook
with a failed, skipped or timed-out cell is not written. ``tools/cache_notebooks.py`` then puts the written
notebooks into the book's execution cache, where the Sphinx pass finds them. Works under pytest-xdist
(``-n 2 --dist loadfile``: every cell of a notebook runs in the same worker, in order).
"""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import nbformat
import pytest

_captured: list | None = None          # outputs of the cell being run, as nbval received them


def pytest_addoption(parser):
    parser.addoption("--nbval-capture-dir", default=None,
                     help="write each notebook that passed, with its outputs, to this folder")
    parser.addoption("--nbval-numba-cache", default=None,
                     help="NUMBA_CACHE_DIR of the kernels: this folder + '/' + the xdist worker's name")


def pytest_configure(config):
    base = config.getoption("--nbval-numba-cache")
    if base:
        # one numba cache per worker process: two kernels compiling into one cache at the same time can
        # leave an index that names another signature's code (a segfault in a later run); the kernels
        # inherit this process's environment
        os.environ["NUMBA_CACHE_DIR"] = os.path.join(base, os.environ.get("PYTEST_XDIST_WORKER", "main"))
    if not config.getoption("--nbval-capture-dir"):
        return
    import nbval.plugin as nbp

    original = nbp.coalesce_streams

    def coalesce_streams(outputs):
        # nbval calls this first on the outputs it just received (then, when it compares, on the
        # reference's): keep that first list in kernel order, before streams are merged
        global _captured
        if _captured is not None and not _captured:
            _captured.extend(copy.deepcopy(list(outputs)))
        return original(outputs)

    nbp.coalesce_streams = coalesce_streams


def _is_cell(item):
    return type(item).__name__ == "IPyNbCell"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    global _captured
    if not (_is_cell(item) and item.config.getoption("--nbval-capture-dir")):
        yield
        return
    nb_item = item.parent
    if not hasattr(nb_item, "_capture_t0"):
        nb_item._capture_t0 = time.perf_counter()
        nb_item._capture_ok = True
        nb_item._capture_count = 0
        try:
            reply = nb_item.kernel.kc.kernel_info(reply=True, timeout=60)
            nb_item._capture_language_info = reply["content"].get("language_info")
        except Exception:                                    # noqa: BLE001 (only metadata)
            nb_item._capture_language_info = None
    _captured = []
    outcome = yield
    outputs, _captured = _captured, None
    if outcome.excinfo is not None:
        nb_item._capture_ok = False
        return
    nb_item._capture_count += 1
    item.cell.outputs = [nbformat.from_dict(o) for o in outputs]
    item.cell.execution_count = nb_item._capture_count
    for o in item.cell.outputs:
        if o.get("output_type") == "execute_result":
            o["execution_count"] = nb_item._capture_count


def pytest_runtest_logreport(report):
    # a failed setup (an earlier timeout marks the rest xfail) or a skipped cell: the notebook is incomplete
    if report.when == "setup" and not report.passed:
        _incomplete.add(report.nodeid.split("::")[0])


_incomplete: set = set()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    out_dir = item.config.getoption("--nbval-capture-dir")
    if not (out_dir and _is_cell(item)):
        return
    nb_item = item.parent
    if nextitem is not None and nextitem.parent is nb_item:
        return                                               # not the notebook's last cell yet
    ran = getattr(nb_item, "_capture_count", 0)
    n_code = sum(c.cell_type == "code" for c in nb_item.nb.cells)
    if not getattr(nb_item, "_capture_ok", False) or ran != n_code or item.nodeid.split("::")[0] in _incomplete:
        return
    nb = nb_item.nb
    if nb_item._capture_language_info:
        nb.metadata["language_info"] = nb_item._capture_language_info
    nb.metadata.setdefault("tts_capture", {})["execution_seconds"] = time.perf_counter() - nb_item._capture_t0
    dest = Path(out_dir) / Path(str(nb_item.fspath)).name
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(dest))
