"""Stored study data (tts_lib/experiments/stored.py): the shipped files load and carry a valid checksum; edited
values (in range or not), damaged structure and bad JSON are refused with an error naming the file and the field."""

import copy
import json
import re

import pytest

from tts_lib.experiments import phase, regimes, stored

FILES = {  # file -> loader of a path
    "phase_study.json": phase.load_study,
    "equal_stepsize_widths.json": lambda p: regimes.load_equal_stepsize_sweep("widths", p),
    "lazy_floor.json": stored.load_lazy_floor_data,
    "appendix_step_grid.json": stored.load_step_grid_data,
    "appendix_10d.json": stored.load_appendix_10d_data,
    "eps_step_grid.json": regimes.load_step_grid,
    "eps_sweep.json": stored.load_eps_sweep_data,
    "equal_stepsize_orphans.json": stored.load_equal_stepsize_orphans_data,
}


def _data(name):
    return json.loads((stored.DATA_DIR / name).read_text())


@pytest.mark.parametrize("name", list(FILES))
def test_shipped_files_load_and_their_checksum_is_that_of_their_data(name):
    data = _data(name)
    assert data["sha256"] == stored.checksum(data)
    FILES[name](stored.DATA_DIR / name)


def _set(path):
    def edit(d):
        *keys, last = path
        for k in keys:
            d = d[k]
        d[last] = edit.value(d[last])
    return edit


def _edit(path, value):
    e = _set(path)
    e.value = value if callable(value) else (lambda _old: value)
    return e


def _swap_first_two(seq):
    return [seq[1], seq[0], *seq[2:]]


# (file, what, edit, field named in the error, rewrite the checksum?) -- with the checksum rewritten, an edit
# must be refused by the schema and range checks alone; without, the checksum alone would suffice
CASES = [
    ("phase_study.json", "negative gap", _edit(("gap", 0, 0, 0), -0.1), "gap", True),
    ("phase_study.json", "negative eta", _edit(("eta",), -0.004), "eta", True),
    ("phase_study.json", "reordered eps", _edit(("eps",), _swap_first_two), "eps", True),
    ("phase_study.json", "flipped coverage", _edit(("gap", 0, 0, 0), 0.5), "t_cap[0, 0, 0]", True),
    ("phase_study.json", "a count beyond n_seeds", _edit(("checkpoints", "0,0", 0, 1), 1000), "checkpoints", True),
    ("phase_study.json", "in-range edit of a loss", _edit(("final_loss", 1, 1, 1), lambda v: v * 1.01), "sha256", False),
    ("phase_study.json", "missing field", lambda d: d.pop("refit_loss"), "refit_loss", True),
    ("phase_study.json", "wrong kind", _edit(("m",), "12,20,28"), "m", True),
    ("phase_study.json", "wrong shape", _edit(("final_loss", 0), lambda rows: rows[:-1]), "final_loss", True),
    ("equal_stepsize_widths.json", "negative gap", _edit(("widths", "gap", 2, 3), -1e-3), "widths.gap", True),
    ("equal_stepsize_widths.json", "negative lr", _edit(("widths", "lr"), -2e-5), "widths.lr", True),
    ("equal_stepsize_widths.json", "reordered m", _edit(("widths", "m"), _swap_first_two), "widths.m", True),
    ("equal_stepsize_widths.json", "NaN loss", _edit(("widths", "final_loss", 0, 0), float("nan")), "widths.final_loss", False),
    ("equal_stepsize_widths.json", "missing field", lambda d: d["widths"].pop("seeds"), "widths.seeds", True),
    ("equal_stepsize_widths.json", "in-range edit", _edit(("widths", "gap", 0, 0), lambda v: v / 2), "sha256", False),
    ("lazy_floor.json", "negative eta", _edit(("eta",), -0.004), "eta", True),
    ("lazy_floor.json", "reordered m", _edit(("m",), _swap_first_two), "m", True),
    ("lazy_floor.json", "tangent above random features", _edit(("tangent", 0, 0), 10.0), "tangent[0]", True),
    ("lazy_floor.json", "a seed dropped", _edit(("random_feature", 0), lambda r: r[:-1]), "random_feature[m=160]", True),
    ("lazy_floor.json", "in-range edit", _edit(("random_feature", 4, 0), lambda v: v * 0.9), "sha256", False),
    ("equal_stepsize_orphans.json", "negative distance", _edit(("rows", 0, 2), -1.0), "rows", True),
    ("equal_stepsize_orphans.json", "unknown seed", _edit(("rows", 0, 0), 9999), "rows", True),
    ("equal_stepsize_orphans.json", "in-range edit", _edit(("rows", 0, 3), lambda v: v * 0.9), "sha256", False),
    ("appendix_step_grid.json", "negative error", _edit(("relu", "error", 0, 0), -1.0), "relu.error", True),
    ("appendix_step_grid.json", "found above 1", _edit(("additive-2d", "found", 1, 1), 1.5), "additive-2d.found", True),
    ("appendix_step_grid.json", "a seed dropped", _edit(("relu", "error", 2), lambda r: r[:-1]), "relu.error", True),
    ("appendix_step_grid.json", "in-range edit", _edit(("relu", "tt_error", 0), lambda v: v * 0.9), "sha256", False),
    ("appendix_10d.json", "negative error", _edit(("error_standard", 0), -1.0), "error_standard", True),
    ("appendix_10d.json", "a seed dropped", _edit(("found_standard",), lambda r: r[:-1]), "found_standard", True),
    ("appendix_10d.json", "in-range edit", _edit(("error_two_timescale", 3), lambda v: v * 0.9), "sha256", False),
    ("eps_sweep.json", "negative error", _edit(("error", 0, 0), -1.0), "error", True),
    ("eps_sweep.json", "a run dropped", _edit(("u_final", 1), lambda r: r[:-1]), "u_final", True),
    ("eps_sweep.json", "in-range edit", _edit(("error", 2, 3), lambda v: v * 0.9), "sha256", False),
    ("eps_step_grid.json", "negative gap", _edit(("gap", 0, 0, 0), -1e-3), "gap", True),
    ("eps_step_grid.json", "reordered eps", _edit(("eps",), _swap_first_two), "eps", True),
    ("eps_step_grid.json", "a seed dropped", _edit(("error", 1, 1), lambda r: r[:-1]), "error", True),
    ("eps_step_grid.json", "a flow start dropped", _edit(("flow_gap",), lambda r: [x[:-1] for x in r]), "flow_gap", True),
    ("eps_step_grid.json", "in-range edit", _edit(("refit_error", 2, 2, 5), lambda v: v * 0.9), "sha256", False),
]


@pytest.mark.parametrize("name, what, edit, field, rehash", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_edited_or_damaged_data_is_refused_naming_file_and_field(tmp_path, name, what, edit, field, rehash):
    data = copy.deepcopy(_data(name))
    edit(data)
    path = tmp_path / name
    if rehash:  # as if the editor also recomputed the checksum: the checks of form and range must catch it
        data["sha256"] = stored.checksum(data)
    path.write_text(json.dumps(data))
    with pytest.raises(stored.StoredDataError) as info:
        FILES[name](path)
    msg = str(info.value)
    assert msg.startswith(f"{name}:") and str(path) in msg, msg
    assert re.search("field [\'\"]" + re.escape(field), msg), msg


@pytest.mark.parametrize("name", list(FILES))
def test_no_checksum_bad_json_and_wrong_top_level(tmp_path, name):
    data = _data(name)
    data.pop("sha256")
    path = tmp_path / name
    path.write_text(json.dumps(data))
    with pytest.raises(stored.StoredDataError, match=f"{name}: field 'sha256' is missing"):
        FILES[name](path)
    path.write_text(json.dumps(data)[:-10])
    with pytest.raises(stored.StoredDataError, match=f"{name}: not valid JSON"):
        FILES[name](path)
    path.write_text("[1, 2]")
    with pytest.raises(stored.StoredDataError, match=name):
        FILES[name](path)
    with pytest.raises(FileNotFoundError, match="benchmarks/"):
        FILES[name](tmp_path / "missing.json")


def test_write_then_read_round_trip(tmp_path):
    data = _data("lazy_floor.json")
    digest = stored.write(tmp_path / "x.json", data, indent=1)
    assert digest == data["sha256"]  # the digest does not depend on the formatting
    assert stored.load_lazy_floor_data(tmp_path / "x.json") == {k: v for k, v in data.items() if k != "sha256"}
