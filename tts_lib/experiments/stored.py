r"""Stored study data (``tts_lib/experiments/data/*.json``): written with a checksum, validated on load.

The scripts of ``benchmarks/`` compute chapter 6's long studies once and save them with :func:`write`, which
adds ``"sha256"``: the SHA-256 of the data's canonical JSON (keys sorted, no spaces, floats in Python's
shortest round-trip form, the ``"sha256"`` field itself left out), so the digest is the same on every
machine. The loaders read them with :func:`read`, which checks, in this order,

1. the file is JSON and its top level an object;
2. the schema and the ranges (:func:`check`): each field present, of the right kind and shape, inside its
   range (gaps, losses, times :math:`\ge 0`; :math:`\eta, h > 0`; the grids of :math:`\varepsilon` and
   :math:`m` strictly increasing, ...);
3. the checksum: an edit that stays inside the ranges (a gap changed, two values swapped) is still found.

Every error is a :class:`StoredDataError` (a ``ValueError``) naming the file and the field, never a bare
``KeyError``. A deliberate change of the data means re-running the script that produces it.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np

__all__ = ["StoredDataError", "checksum", "write", "read", "check", "Field"]

#: The folder of the data files shipped with the package.
DATA_DIR = Path(__file__).resolve().parent / "data"
#: The field holding the checksum.
CHECKSUM_FIELD = "sha256"


class StoredDataError(ValueError):
    """A stored data file is damaged, edited or of the wrong form (the message names the file and the field)."""


def _canonical(data: dict) -> bytes:
    body = {k: v for k, v in data.items() if k != CHECKSUM_FIELD}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def checksum(data: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of ``data`` without its ``"sha256"`` field."""
    return hashlib.sha256(_canonical(data)).hexdigest()


def write(path, data: dict, indent=None) -> str:
    """Write ``data`` as JSON to ``path`` with its checksum (returned); for the scripts of ``benchmarks/``."""
    body = {k: v for k, v in data.items() if k != CHECKSUM_FIELD}
    # through JSON once, so that the digest is of exactly what a reader will parse (tuples -> lists, ...)
    body = json.loads(json.dumps(body, allow_nan=False))
    digest = checksum(body)
    Path(path).write_text(json.dumps({**body, CHECKSUM_FIELD: digest}, indent=indent) + "\n")
    return digest


class Field:
    """The expected form of one field.

    ``kind``: ``"number"``, ``"int"``, ``"bool"``; ``ndim``: 0 for a scalar, else the nesting depth of the
    (rectangular unless ``ragged``) array; ``low``/``high``: inclusive range (``strict_low``: ``> low``);
    ``increasing``: a strictly increasing 1-D grid; ``allow``: extra values allowed outside the range
    (e.g. ``-1`` standing for "never"); ``shape``: the expected shape, with names of other fields' lengths
    (``"eps"`` = ``len(eps)``) or integers."""

    def __init__(self, kind="number", ndim=0, low=None, high=None, strict_low=False, increasing=False,
                 allow=(), shape=None, ragged=False):
        self.kind, self.ndim, self.low, self.high = kind, ndim, low, high
        self.strict_low, self.increasing, self.allow = strict_low, increasing, tuple(allow)
        self.shape, self.ragged = shape, ragged


def _fail(path, field, msg):
    raise StoredDataError(f"{Path(path).name}: field {field!r} {msg} (file {path}; the data of this file come "
                          f"from a script of benchmarks/: re-run it rather than editing the file)")


def _flatten(value, depth, path, field):
    """All leaves of a nested list ``depth`` deep (checks the nesting)."""
    if depth == 0:
        if isinstance(value, (list, dict)):
            _fail(path, field, f"has a list where a value is expected")
        return [value]
    if not isinstance(value, list):
        _fail(path, field, f"must be a list nested {depth} deep, found {type(value).__name__}")
    out = []
    for v in value:
        out += _flatten(v, depth - 1, path, field)
    return out


def _check_field(path, name, value, spec: Field, lengths: dict):
    leaves = _flatten(value, spec.ndim, path, name)
    for v in leaves:
        if spec.kind == "bool":
            if not isinstance(v, bool):
                _fail(path, name, f"must hold true/false values, found {v!r}")
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            _fail(path, name, f"must hold numbers, found {v!r}")
        if spec.kind == "int" and not (isinstance(v, int) or float(v).is_integer()):
            _fail(path, name, f"must hold integers, found {v!r}")
        if not math.isfinite(v):
            _fail(path, name, f"must be finite, found {v!r}")
        if v in spec.allow:
            continue
        if spec.low is not None and (v <= spec.low if spec.strict_low else v < spec.low):
            _fail(path, name, f"must be {'>' if spec.strict_low else '>='} {spec.low}, found {v!r}")
        if spec.high is not None and v > spec.high:
            _fail(path, name, f"must be <= {spec.high}, found {v!r}")
    if spec.ndim and not spec.ragged:
        try:
            shape = np.asarray(value, dtype=object if spec.kind == "bool" else float).shape
        except ValueError:
            _fail(path, name, "is not a rectangular array")
        if len(shape) != spec.ndim:
            _fail(path, name, f"is not a rectangular array of {spec.ndim} dimension(s)")
        if spec.shape is not None:
            want = tuple(lengths[s] if isinstance(s, str) else s for s in spec.shape)
            if shape != want:
                _fail(path, name, f"has shape {shape}, expected {want} (from {spec.shape})")
    if spec.increasing and not all(b > a for a, b in zip(leaves, leaves[1:])):
        _fail(path, name, f"must be strictly increasing, found {value!r}")
    if spec.ndim == 1:
        lengths[name.rsplit(".", 1)[-1]] = len(value)


def check(path, data, schema: dict, where=""):
    """Check ``data`` (a parsed JSON object) against ``schema`` (field name -> :class:`Field`, or a nested
    schema dict for an object field); raises :class:`StoredDataError` naming ``path`` and the field."""
    if not isinstance(data, dict):
        raise StoredDataError(f"{Path(path).name}: {where or 'the top level'} must be a JSON object, found "
                              f"{type(data).__name__} (file {path})")
    lengths = {}
    for name, spec in schema.items():
        full = f"{where}.{name}" if where else name
        if name not in data:
            _fail(path, full, "is missing")
        if isinstance(spec, dict):
            check(path, data[name], spec, full)
        elif callable(spec) and not isinstance(spec, Field):
            spec(path, full, data[name], data)
        else:
            _check_field(path, full, data[name], spec, lengths)
    return data


def _parse(path: Path, script: str):
    """The JSON in ``path``; a missing file or bad JSON is reported naming the file and ``script``."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `python {script}` to compute it")
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise StoredDataError(f"{path.name}: not valid JSON ({err}); file {path}: re-run `python {script}`") from None


def read(path, schema: dict, script: str) -> dict:
    """Parse ``path``, check it against ``schema`` and verify its checksum; ``script`` (the ``benchmarks/``
    script that writes the file) is named in the messages. Returns the data without the checksum field."""
    path = Path(path)
    data = _parse(path, script)
    check(path, data, schema)
    stored = data.get(CHECKSUM_FIELD)
    if not isinstance(stored, str):
        raise StoredDataError(f"{path.name}: field {CHECKSUM_FIELD!r} is missing (file {path}): files are written "
                              f"with their checksum by `python {script}`")
    if checksum(data) != stored:
        raise StoredDataError(f"{path.name}: the data do not match field {CHECKSUM_FIELD!r} (file {path}): the file "
                              f"was edited or damaged after `python {script}` wrote it; re-run that script")
    return {k: v for k, v in data.items() if k != CHECKSUM_FIELD}


# --- the schemas of the files shipped with the package ------------------------------------------------------
_POS = dict(low=0.0, strict_low=True)


def _checkpoints(path, name, value, data):
    if not isinstance(value, dict):
        _fail(path, name, f"must be an object, found {type(value).__name__}")
    E, M, S = len(data["eps"]), len(data["m"]), data["n_seeds"]
    for key, rows in value.items():
        parts = key.split(",")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not (int(parts[0]) < E and int(parts[1]) < M):
            _fail(path, f"{name}[{key!r}]", f"key must be 'i,k' with i < {E}, k < {M}")
        _check_field(path, f"{name}[{key!r}]", rows, Field(ndim=2, low=0.0, shape=(len(rows), 4)), {})
        rows = np.asarray(rows)
        if np.any(rows[:, 1:3] > S):
            _fail(path, f"{name}[{key!r}]", f"counts runs beyond n_seeds = {S}")
        if np.any(np.diff(rows[:, 0]) <= 0):
            _fail(path, f"{name}[{key!r}]", "times must be strictly increasing")


PHASE_STUDY = {
    "eps": Field(ndim=1, increasing=True, **_POS),
    "m": Field("int", ndim=1, low=1, increasing=True),
    "n_seeds": Field("int", low=1),
    "gap": Field(ndim=3, low=0.0),
    "final_loss": Field(ndim=3, low=0.0),
    "refit_loss": Field(ndim=3, low=0.0),
    "t_cap": Field(ndim=3, low=0.0, allow=(-1.0,)),  # -1: never captured
    "condition": Field("bool", ndim=2),
    "shared": Field("bool", ndim=2),
    "horizon": Field(ndim=2, shape=("eps", "m"), **_POS),
    "stable": Field("bool", ndim=2, shape=("eps", "m")),
    "checkpoints": _checkpoints,
    "l_tts": Field(**_POS), "eta": Field(**_POS), "lr": Field(**_POS), "tol": Field(**_POS),
    "loss_factor": Field(**_POS), "noise": Field(low=0.0), "total_steps": Field("int", low=0),
    "wall_time": Field(low=0.0),
}


def _study_shapes(path, data):
    E, M, S = len(data["eps"]), len(data["m"]), data["n_seeds"]
    for name in ("gap", "final_loss", "refit_loss", "t_cap"):
        if np.shape(data[name]) != (E, M, S):
            _fail(path, name, f"has shape {np.shape(data[name])}, expected (len(eps), len(m), n_seeds) = {(E, M, S)}")
    for name in ("condition", "shared"):
        if np.shape(data[name]) != (M, S):
            _fail(path, name, f"has shape {np.shape(data[name])}, expected (len(m), n_seeds) = {(M, S)}")
    covered = np.asarray(data["gap"]) <= data["tol"]
    captured = np.asarray(data["t_cap"]) >= 0
    if not np.array_equal(covered, captured):
        i = tuple(int(v) for v in np.argwhere(covered != captured)[0])
        _fail(path, f"t_cap{list(i)}", f"disagrees with gap{list(i)} = {np.asarray(data['gap'])[i]:g} and tol = "
                                        f"{data['tol']:g}: a capture time must exist exactly for the covered runs")
    if np.any(np.asarray(data["refit_loss"]) > np.asarray(data["final_loss"]) * (1 + 1e-9) + 1e-15):
        _fail(path, "refit_loss", "exceeds final_loss (refitting the outer weights never does worse)")


def _sweep():
    return {
        "m": Field("int", ndim=1, low=1, increasing=True),
        "seeds": Field("int", ndim=1, low=0, increasing=True),
        "final_loss": Field(ndim=2, low=0.0, shape=("m", "seeds")),
        "gap": Field(ndim=2, low=0.0, shape=("m", "seeds")),
        "initial_gap": Field(ndim=2, low=0.0, shape=("m", "seeds")),
        "eps": Field(**_POS), "lr": Field(**_POS), "steps": Field("int", low=1), "eta": Field(**_POS),
        "wall_time": Field(low=0.0),
    }


EQUAL_STEPSIZE = {part: _sweep() for part in ("widths", "threshold", "small_step")}

LAZY_FLOOR = {
    "m": Field("int", ndim=1, low=1, increasing=True),
    "m_tangent": Field("int", ndim=1, low=1, increasing=True),
    "seeds": lambda path, name, value, data: None,  # checked with the losses below
    "eta": Field(**_POS),
    "random_feature": Field(ndim=2, low=0.0, ragged=True),
    "tangent": Field(ndim=2, low=0.0, ragged=True),
}


def _lazy_shapes(path, data):
    seeds = data["seeds"]
    if not isinstance(seeds, dict):
        _fail(path, "seeds", "must be an object {m: number of seeds}")
    for key in ("random_feature", "tangent"):
        ms = data["m"] if key == "random_feature" else data["m_tangent"]
        if len(data[key]) != len(ms):
            _fail(path, key, f"has {len(data[key])} rows, expected one per m ({len(ms)})")
        for m, row in zip(ms, data[key]):
            n = seeds.get(str(m))
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                _fail(path, f"seeds[{str(m)!r}]", f"must be a positive integer, found {n!r}")
            if len(row) != n:
                _fail(path, f"{key}[m={m}]", f"has {len(row)} values, expected seeds[{str(m)!r}] = {n}")
    for k, (t, r) in enumerate(zip(data["tangent"], data["random_feature"])):
        if any(a > b * (1 + 1e-9) for a, b in zip(t, r)):
            _fail(path, f"tangent[{k}]", "exceeds random_feature (the tangent floor is the lower one)")


def _step_grid_shapes(path, data):
    for name, g in data.items():
        n_lr, n_s = len(g["lr"]), len(g["seeds"])
        for key in ("error", "found"):
            if np.asarray(g[key], dtype=float).shape != (n_lr, n_s):
                _fail(path, f"{name}.{key}", f"must have one row per step ({n_lr}) and one value per seed ({n_s})")
        for key in ("tt_error", "tt_found"):
            if len(g[key]) != n_s:
                _fail(path, f"{name}.{key}", f"must have one value per seed ({n_s})")


_GRID_ONE = {"lr": Field(ndim=1, **_POS), "seeds": Field("int", ndim=1, low=0), "epochs": Field("int", low=1),
             "error": Field(ndim=2, low=0.0), "found": Field(ndim=2, low=0.0, high=1.0),
             "tt_error": Field(ndim=1, low=0.0), "tt_found": Field(ndim=1, low=0.0, high=1.0),
             "wall_time": Field(low=0.0)}
#: ``appendix_step_grid.json``: per appendix experiment, the standard regime on a step grid at equal budget.
STEP_GRID = {"relu": _GRID_ONE, "additive-2d": _GRID_ONE}
#: ``appendix_10d.json``: the additive model in dimension 10, both regimes, per seed.
APPENDIX_10D = {"seeds": Field("int", ndim=1, low=0), "n_samples": Field("int", low=1),
                "standard_epochs": Field("int", low=1), "two_timescale_epochs": Field("int", low=1),
                "error_standard": Field(ndim=1, low=0.0, shape=("seeds",)),
                "error_two_timescale": Field(ndim=1, low=0.0, shape=("seeds",)),
                "found_standard": Field(ndim=1, low=0.0, high=1.0, shape=("seeds",)),
                "found_two_timescale": Field(ndim=1, low=0.0, high=1.0, shape=("seeds",)),
                "wall_time": Field(low=0.0)}


def _eps_grid_shapes(path, data):
    E, P, S = len(data["eps"]), len(data["position_step"]), len(data["seeds"])
    F = np.asarray(data["flow_error"], dtype=float).shape[-1] if E else 0
    want = {"lr": (E, P), "steps": (E, P), "t_end": (E, P), "error": (E, P, S), "refit_error": (E, P, S),
            "gap": (E, P, S), "flow_error": (E, F), "flow_gap": (E, F), "flow_error_long": (E, F),
            "flow_gap_long": (E, F)}
    for key, shape in want.items():
        if np.asarray(data[key], dtype=float).shape != shape:
            _fail(path, key, f"has shape {np.asarray(data[key], dtype=float).shape}, expected {shape}")
    if F > S:
        _fail(path, "flow_error", f"has {F} flow starts, more than the {S} seeds")


#: ``eps_step_grid.json``: section 5.3's (eps, h) grid (``regimes.step_grid``).
EPS_STEP_GRID = {"eps": Field(ndim=1, increasing=True, **_POS), "position_step": Field(ndim=1, increasing=True, **_POS),
                 "seeds": Field("int", ndim=1, low=0), "lr": Field(ndim=2, **_POS), "steps": Field("int", ndim=2, low=1),
                 "t_end": Field(ndim=2, **_POS), "error": Field(ndim=3, low=0.0), "refit_error": Field(ndim=3, low=0.0),
                 "gap": Field(ndim=3, low=0.0), "flow_error": Field(ndim=2, low=0.0), "flow_gap": Field(ndim=2, low=0.0),
                 "flow_error_long": Field(ndim=2, low=0.0), "flow_gap_long": Field(ndim=2, low=0.0),
                 "flow_t_long": Field(**_POS), "eta": Field(**_POS), "tau_end": Field(**_POS), "t_min": Field(low=0.0),
                 "noise": Field(low=0.0), "wall_time": Field(low=0.0)}


def load_eps_step_grid_data(path=None) -> dict:
    """The checked data of ``eps_step_grid.json`` (``benchmarks/eps_step_grid.py``)."""
    path = DATA_DIR / "eps_step_grid.json" if path is None else Path(path)
    data = read(path, EPS_STEP_GRID, "benchmarks/eps_step_grid.py")
    _eps_grid_shapes(path, data)
    return data


def load_step_grid_data(path=None) -> dict:
    """The checked data of ``appendix_step_grid.json`` (``benchmarks/appendix_step_grid.py``)."""
    path = DATA_DIR / "appendix_step_grid.json" if path is None else Path(path)
    data = read(path, STEP_GRID, "benchmarks/appendix_step_grid.py")
    _step_grid_shapes(path, data)
    return data


def load_appendix_10d_data(path=None) -> dict:
    """The checked data of ``appendix_10d.json`` (``benchmarks/appendix_10d.py``)."""
    path = DATA_DIR / "appendix_10d.json" if path is None else Path(path)
    return read(path, APPENDIX_10D, "benchmarks/appendix_10d.py")


def load_phase_study_data(path) -> dict:
    """The checked data of ``phase_study.json`` (``benchmarks/phase_study.py``)."""
    data = read(path, PHASE_STUDY, "benchmarks/phase_study.py")
    _study_shapes(path, data)
    return data


def load_equal_stepsize_data(path) -> dict:
    """The checked data of ``equal_stepsize_widths.json`` (``benchmarks/equal_stepsize_widths.py``): the parts
    present (each part is checked; parts may be missing, the loader reports those)."""
    script = "benchmarks/equal_stepsize_widths.py"
    raw = _parse(Path(path), script)
    present = {p: s for p, s in EQUAL_STEPSIZE.items() if isinstance(raw, dict) and p in raw}
    return read(path, present, script)


def load_lazy_floor_data(path=None) -> dict:
    """The checked data of ``lazy_floor.json`` (``benchmarks/lazy_floor.py``; default: the shipped file)."""
    path = DATA_DIR / "lazy_floor.json" if path is None else Path(path)
    data = read(path, LAZY_FLOOR, "benchmarks/lazy_floor.py")
    _lazy_shapes(path, data)
    return data


#: ``eps_sweep.json``: the eps sweep at the paper's parameters (``benchmarks/eps_sweep.py``), run by run.
EPS_SWEEP = {"eps": Field(ndim=1, **_POS), "seed": Field("int", low=0), "repeats": Field("int", low=1),
             "m": Field("int", low=1), "run_seed": Field("int", ndim=2, low=0),
             "u0": Field(ndim=3, low=0.0, high=1.0), "u_final": Field(ndim=3),
             "error": Field(ndim=2, low=0.0), "wall_times": Field(ndim=1, low=0.0, shape=("eps",)),
             "wall_time": Field(low=0.0)}


def load_eps_sweep_data(path=None) -> dict:
    """The checked data of ``eps_sweep.json`` (``benchmarks/eps_sweep.py``)."""
    path = DATA_DIR / "eps_sweep.json" if path is None else Path(path)
    data = read(path, EPS_SWEEP, "benchmarks/eps_sweep.py")
    want = (len(data["eps"]), data["repeats"], data["m"])
    for key in ("u0", "u_final", "run_seed", "error"):
        shape = want if key in ("u0", "u_final") else want[:2]
        if np.asarray(data[key], dtype=float).shape != shape:
            _fail(path, key, f"must have the shape {shape} (eps, repeats{', m' if len(shape) == 3 else ''})")
    return data


EQUAL_STEPSIZE_ORPHANS = {"seeds": Field("int", ndim=1, low=0, increasing=True), "split": Field(**_POS),
                          "rows": Field(ndim=2, low=0.0)}


def load_equal_stepsize_orphans_data(path=None) -> dict:
    """The checked data of ``equal_stepsize_orphans.json`` (``benchmarks/equal_stepsize_orphans.py``): for every
    jump left uncovered at t = 20 by an equal-stepsize run, ``[seed, jump, distance at t = 20, at t = 220]``
    (distances over eta)."""
    path = DATA_DIR / "equal_stepsize_orphans.json" if path is None else Path(path)
    data = read(path, EQUAL_STEPSIZE_ORPHANS, "benchmarks/equal_stepsize_orphans.py")
    seeds = set(data["seeds"])
    if any(len(r) != 4 or int(r[0]) not in seeds or not 0 <= int(r[1]) < 5 for r in data["rows"]):
        _fail(path, "rows", "must hold [seed, jump, before, after] rows with a seed from 'seeds' and a jump 0..4")
    return data
