r"""Grade submitted notebooks against a term's answer key, on the lecturer's side.

The key (``key.json``, written by ``python -m course make``) holds, for every graded exercise, the variable each
part's answer must be stored in, the expected value of the term's *variant*, its tolerance, its marks and the
known mistakes. The key is read by this process only: the student's notebook runs in its own Jupyter kernel,
and after its cells a hidden extraction cell reports the student's variables (as plain numbers) back to the
grader, which compares them with the key here, outside the kernel. So nothing a notebook does inside its
kernel (writing a record file, calling ``check`` or a decoder, monkey-patching anything) can raise its score:
only numbers that match the variant's answers score, and those appear nowhere in the student's material.

Robustness: every cell runs with its own timeout (``timeout``); an exception is recorded (cell number,
exception name, message) and the next cells still run; a cell that hangs is interrupted, and a kernel that
dies (``os._exit``, a segfault) or ignores the interrupt is restarted and the cells before the failing one
are replayed without it, so later cells still run. A file that is not a notebook gets a result saying so.
:func:`grade_many` grades a batch in threads and always returns one result per notebook; nothing is passed
through ``os.environ``.

Marks per part: full marks when correct, half when *close* (within 3 times a relative tolerance: a rounding slip),
none otherwise; a known mistake scores nothing and is named in the feedback.
"""

from __future__ import annotations

import copy
import json
import math
import os
import secrets
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CLOSE_FACTOR = 3.0

_EXTRACT = r'''
def __tts_extract(names, marker):
    import json as _json, math as _math, numbers as _numbers
    g = globals()
    out = {}
    for n in names:
        if n not in g:
            out[n] = {"error": "not defined"}
            continue
        v = g[n]
        try:
            if hasattr(v, "shape") and hasattr(v, "item") and getattr(v, "size", 2) == 1:
                v = v.item()
        except Exception:
            pass
        if isinstance(v, bool) or not isinstance(v, _numbers.Real):
            out[n] = {"error": f"not a number ({type(v).__name__})"}
            continue
        try:
            x = float(v)
        except Exception as e:
            out[n] = {"error": f"not a float ({type(e).__name__})"}
            continue
        out[n] = {"value": x} if _math.isfinite(x) else {"error": "not finite"}
    print(marker + _json.dumps(out))
__tts_extract(NAMES, MARKER)
'''


def load_key(path) -> dict:
    """Read a key written by ``python -m course make``; a clear error when it is not one."""
    path = Path(path)
    try:
        key = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise ValueError(f"key {str(path)!r} cannot be read as JSON: {err}") from None
    if not isinstance(key, dict) or not isinstance(key.get("exercises"), dict):
        raise ValueError(f"key {str(path)!r} has no 'exercises' table: is it a key written by python -m course make?")
    return key


def select(key: dict, week: int | None = None) -> dict:
    """The key's exercises of week ``week`` (all when ``None``)."""
    ex = {lab: e for lab, e in key["exercises"].items() if week is None or e["week"] == week}
    if not ex:
        weeks = sorted({e["week"] for e in key["exercises"].values()})
        raise ValueError(f"week {week} has no graded exercise in this key; weeks: {weeks}")
    return ex


def _within(x, y, kind, tol, factor=1.0):
    scale = tol if kind == "abs" else tol * abs(y)
    return abs(x - y) <= factor * scale


def judge(part: dict, found: dict) -> dict:
    """Verdict and marks for one part given what the kernel reported for its variable."""
    marks = part["marks"]
    if "value" not in found:
        return {"verdict": "missing", "marks": 0.0, "max": marks, "feedback": f"{part['variable']}: {found.get('error', 'missing')}"}
    x, y, kind, tol = found["value"], part["value"], part["kind"], part["tol"]
    if _within(x, y, kind, tol):
        return {"verdict": "correct", "marks": float(marks), "max": marks, "feedback": "correct"}
    for value, hint in part.get("hints", []):
        if _within(x, value, kind, max(tol, 1e-12)):
            return {"verdict": "known mistake", "marks": 0.0, "max": marks, "feedback": hint}
    if kind == "rel" and tol > 0 and _within(x, y, kind, tol, CLOSE_FACTOR):  # a rounding slip is relative
        return {"verdict": "close", "marks": marks / 2, "max": marks, "feedback": "close: a rounding slip"}
    return {"verdict": "not yet", "marks": 0.0, "max": marks, "feedback": "not yet"}


def _error_of(cell) -> tuple[str, str] | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", "Error"), str(out.get("evalue", ""))[:300]
    return None


def _kernel_env(workdir: str) -> dict:
    """A small environment for the student's kernel: nothing of the grader's own (no key path, no secrets)."""
    keep = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "NUMBA_CACHE_DIR", "VIRTUAL_ENV", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["HOME"] = workdir
    env["MPLBACKEND"] = "Agg"
    return env


def _execute(nb, workdir: str, timeout: float, budget: float, names: list[str], kernel_name: str):
    """Run the cells of ``nb`` (a copy is modified), then the extraction; returns (found, errors)."""
    import nbformat
    from nbclient import NotebookClient

    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    skip: set[int] = set()
    errors: dict[int, dict] = {}
    deadline = time.monotonic() + budget
    marker = f"__TTS_GRADE_{secrets.token_hex(8)}__"
    extract = nbformat.v4.new_code_cell(_EXTRACT.replace("NAMES", repr(names)).replace("MARKER", repr(marker)))
    for _attempt in range(len(code) + 1):
        work = copy.deepcopy(nb)
        client = NotebookClient(work, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                                interrupt_on_timeout=True, startup_timeout=120,
                                error_on_timeout={"ename": "CellTimeoutError",
                                                  "evalue": f"the cell ran longer than {timeout:g} s and was interrupted",
                                                  "traceback": []},
                                resources={"metadata": {"path": workdir}})
        restart = False
        failed: dict[int, tuple[str, str]] = {}

        def on_error(cell, cell_index, execute_reply, failed=failed):  # the reply's status, not the outputs,
            content = execute_reply.get("content", {})            # which a notebook can silence
            failed[cell_index] = (str(content.get("ename", "Error")), str(content.get("evalue", ""))[:300])

        client.on_cell_error = on_error
        try:
            with client.setup_kernel(env=_kernel_env(workdir), cwd=workdir):
                for i in code:
                    if i in skip:
                        continue
                    if time.monotonic() > deadline:
                        errors.setdefault(i, {"cell": i, "exception": "BudgetExceeded",
                                              "message": f"the notebook's time budget ({budget:g} s) ran out before this cell"})
                        skip.add(i)
                        continue
                    try:
                        client.execute_cell(work.cells[i], i)
                    except Exception as err:  # DeadKernelError, a timeout the interrupt could not end, ...
                        errors[i] = {"cell": i, "exception": type(err).__name__,
                                     "message": (str(err).strip().splitlines() or ["the kernel stopped"])[0][:300]}
                        skip.add(i)
                        restart = True
                        break
                    err = failed.get(i) or _error_of(work.cells[i])
                    if err is not None:
                        errors[i] = {"cell": i, "exception": err[0], "message": err[1]}
                        if err[0] == "CellTimeoutError":
                            skip.add(i)  # not replayed: it would only hang again
                            if not _responsive(client, max(2.0, min(10.0, timeout))):
                                restart = True
                                break
                if not restart:
                    work.cells.append(extract)
                    client.execute_cell(extract, len(work.cells) - 1)
                    for out in extract.get("outputs", []):
                        text = out.get("text", "") if out.get("output_type") == "stream" else ""
                        for line in text.splitlines():
                            if line.startswith(marker):
                                return json.loads(line[len(marker):]), sorted(errors.values(), key=lambda e: e["cell"])
                    return {}, sorted(errors.values(), key=lambda e: e["cell"]) + [
                        {"cell": None, "exception": "ExtractionFailed", "message": "the answers could not be read"}]
        except Exception as err:  # the kernel died during set-up, shutdown or extraction
            if not restart:
                errors[len(nb.cells)] = {"cell": None, "exception": type(err).__name__,
                                         "message": (str(err).strip().splitlines() or [""])[0][:300]}
                return {}, sorted(errors.values(), key=lambda e: (e["cell"] is None, e["cell"] or 0))
        extract.outputs = []
    return {}, sorted(errors.values(), key=lambda e: e["cell"])


def _responsive(client, wait: float = 10.0) -> bool:
    """Does the kernel answer a trivial request after an interrupted cell?"""
    import nbformat

    probe = nbformat.v4.new_code_cell("pass")
    old = client.timeout, client.interrupt_on_timeout, client.error_on_timeout, client.on_cell_error
    client.timeout, client.interrupt_on_timeout, client.error_on_timeout, client.on_cell_error = wait, False, None, None
    client.nb.cells.append(probe)
    try:
        client.execute_cell(probe, len(client.nb.cells) - 1)
        return _error_of(probe) is None
    except Exception:
        return False
    finally:
        client.timeout, client.interrupt_on_timeout, client.error_on_timeout, client.on_cell_error = old
        client.nb.cells.remove(probe)


def grade(notebook, key: dict, *, week: int | None = None, timeout: float = 120.0, budget: float | None = None,
          kernel_name: str = "python3", data_files=()) -> dict:
    """Grade one notebook against ``key`` (a dict from :func:`load_key`); never raises for a bad submission.

    Returns ``{"notebook", "status", "score", "max", "exercises": {label: {part: verdict...}}, "errors",
    "seconds"}``; ``status`` is ``"graded"`` or ``"unreadable"`` (not a notebook: score 0, the reason in
    ``errors``). ``timeout`` is per cell (seconds); ``budget`` bounds the whole notebook (default 10 x timeout).
    The notebook runs in an empty scratch folder (plus ``data_files``), never in its own folder.
    """
    import nbformat

    if timeout <= 0 or not math.isfinite(timeout):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    exercises = select(key, week)
    names = sorted({p["variable"] for e in exercises.values() for p in e["parts"].values()})
    total_max = sum(p["marks"] for e in exercises.values() for p in e["parts"].values())
    path = Path(notebook)
    started = time.monotonic()
    result = {"notebook": str(path), "week": week, "status": "graded", "score": 0.0, "max": total_max,
              "exercises": {}, "errors": []}
    try:
        nb = nbformat.read(path, as_version=4)
        nb.cells  # noqa: B018  (a JSON file without cells is not a notebook)
    except Exception as err:
        result["status"] = "unreadable"
        result["errors"] = [{"cell": None, "exception": type(err).__name__,
                             "message": f"not a readable .ipynb notebook: {str(err).splitlines()[0][:200] if str(err) else ''}"}]
        found = {}
    else:
        with tempfile.TemporaryDirectory(prefix="tts-grade-") as tmp:
            # an empty scratch folder, not the submission's folder (which may hold other students' work or the
            # key); ``data_files`` are copied in when the exercises need some
            for extra in data_files:
                shutil.copy2(extra, tmp)
            found, errors = _execute(nb, tmp, timeout, budget or 10 * timeout, names, kernel_name)
        result["errors"] = errors
    for label, ex in exercises.items():
        result["exercises"][label] = {part: judge(p, found.get(p["variable"], {"error": "not defined"}))
                                      for part, p in ex["parts"].items()}
    result["score"] = sum(v["marks"] for ex in result["exercises"].values() for v in ex.values())
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def grade_many(notebooks, key: dict, *, week: int | None = None, timeout: float = 120.0, workers: int = 2,
               **kwargs) -> list[dict]:
    """Grade every notebook (in ``workers`` threads); one result per notebook, in the order given."""
    select(key, week)  # a bad week is the caller's error, before any work

    def one(nb):
        try:
            return grade(nb, key, week=week, timeout=timeout, **kwargs)
        except Exception as err:  # last resort: a batch never aborts
            return {"notebook": str(nb), "week": week, "status": "failed", "score": 0.0, "exercises": {},
                    "errors": [{"cell": None, "exception": type(err).__name__, "message": str(err)[:300]}]}

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, notebooks))


def gradebook_csv(results: list[dict]) -> str:
    """One row per notebook (score, maximum, status, marks per exercise part): a CSV a gradebook imports."""
    import csv
    import io

    cols = sorted({f"{lab}/{part}" for r in results for lab, ex in r["exercises"].items() for part in ex})
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["notebook", "score", "max", "status", "errors", *cols])
    for r in results:
        marks = {f"{lab}/{part}": v["marks"] for lab, ex in r["exercises"].items() for part, v in ex.items()}
        w.writerow([r["notebook"], r["score"], r.get("max", ""), r["status"], len(r["errors"]),
                    *[marks.get(c, "") for c in cols]])
    return buf.getvalue()
