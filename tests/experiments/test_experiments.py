"""Tests of tts_lib.experiments and the command line."""

import json
import subprocess
import sys

import numpy as np
import pytest

from tts_lib import PiecewiseConstant
from tts_lib.plots.experiments import figures
from tts_lib.experiments import (
    CONFIGS,
    QUICK_CONFIGS,
    config,
    jump_summary,
    run,
    run_appendix,
)

T = PiecewiseConstant.paper()


def test_paper_parameters():
    tt = CONFIGS["two-timescale"]
    assert tt.lr == 2e-5 and tt.eps == 2e-5 and tt.steps == 175_000_000 and tt.m == 20 and tt.eta == 4e-3
    assert tt.tau == pytest.approx(0.07) and tt.n_records == 100
    eq = CONFIGS["equal-stepsizes"]
    assert eq.eps == 1.0 and eq.steps == 1_000_000
    sw = CONFIGS["eps-sweep"]
    assert [sw.steps(e) for e in (1.0, 0.1, 0.01)] == [300_000, 3_000_000, 30_000_000] and sw.repeats == 20
    a2, a10, relu = CONFIGS["additive-2d"], CONFIGS["additive-10d"], CONFIGS["relu"]
    assert (a2.d, a2.n_samples, a10.d, a10.n_samples) == (2, 1000, 10, 10_000)
    for c in (a2, a10, relu):
        assert c.standard == (1.0, 1.0, 300) and c.two_timescale == (1.0, 0.01, 5000) and c.repeats == 20
    # quick two-timescale keeps the same slow time
    assert QUICK_CONFIGS["two-timescale"].tau == pytest.approx(tt.tau)
    assert set(QUICK_CONFIGS) == set(CONFIGS)


def test_config_lookup():
    assert config("relu").model == "relu"
    with pytest.raises(ValueError, match="name"):
        config("nope")


def test_jump_summary():
    eta = 0.01
    u = [0.2 + 1.5 * eta, 0.36, 0.5, 0.9]
    s = jump_summary(u, T, eta)
    assert s["covered"] == [True, True, True, False, False]
    assert s["n_covered"] == 3
    np.testing.assert_allclose(s["distance"], [1.5 * eta, 0.01, 0.0, 0.15, 0.1], atol=1e-12)
    assert s["nearest_neuron"] == [0, 1, 2, 2, 3]
    assert jump_summary(u, T, eta, radius=1.0)["covered"][0] is False
    json.dumps(s)
    with pytest.raises(ValueError, match="eta"):
        jump_summary(u, T, 0.0)
    with pytest.raises(ValueError, match="radius"):
        jump_summary(u, T, eta, radius=-1)


def test_two_timescale_quick_reproduces_and_check_can_fail():
    res = run("two-timescale", quick=True, seed=0)
    assert res.main.steps.size == 101 and res.ideal.u.shape == res.main.u_history.shape
    msgs = res.check()
    assert any("covers all" in m for m in msgs)
    summary = res.summary()
    json.dumps(summary)
    assert summary["steps"] == 1_750_000 and len(summary["jumps"][0]["covered"]) == 5
    # move one SGD neuron far from the jump it covered: the check must fail
    j = res.jumps()["nearest_neuron"][res.captured_by_ideal()[0]]
    res.main.u[j] += 0.1
    res.main.u_history[-1, j] += 0.1
    with pytest.raises(AssertionError):
        res.check()


def test_equal_stepsizes_quick():
    res = run("equal-stepsizes", quick=True, seed=0)
    assert len(res.runs) == 5 and res.ideal is None
    assert res.summary()["runs_with_uncovered_jump"] >= 3
    res.check()


def test_eps_sweep_quick_and_check_can_fail():
    res = run("eps-sweep", quick=True, seed=0)
    assert set(res.errors) == {1.0, 0.1} and all(e.shape == (6,) for e in res.errors.values())
    res.check()
    res.errors[0.1] = res.errors[1.0] * 2
    with pytest.raises(AssertionError):
        res.check()


def test_appendix_quick_and_figures():
    res = run("relu", quick=True, seed=0)
    res.check()
    s = res.summary()
    assert len(s["final_error"]["standard"]) == 3
    figs = figures(res)
    assert set(figs) == {"boxplot", "positions"}
    # swap the regimes: the check must fail
    res.standard, res.two_timescale = res.two_timescale, res.standard
    with pytest.raises(AssertionError):
        res.check()
    with pytest.raises(ValueError, match="cfg"):
        run_appendix("relu")


def test_cli_end_to_end(tmp_path):
    out = tmp_path / "repro"
    proc = subprocess.run(
        [sys.executable, "-m", "tts_lib", "reproduce", "two-timescale", "--quick", "--out", str(out), "--seed", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    d = out / "two-timescale"
    summary = json.loads((d / "summary.json").read_text())
    assert summary["check"] == "passed" and summary["quick"] is True and summary["seeds"] == [1]
    assert summary["steps"] == 1_750_000 and "wall_time_s" in summary and "final_loss" in summary
    assert {"distance", "covered"} <= set(summary["jumps"][0])
    for name in summary["figures"]:
        assert (d / name).stat().st_size > 1000
    assert "SGD covers" in proc.stderr


def test_cli_rejects_bad_name(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tts_lib", "reproduce", "nope", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "invalid choice" in proc.stderr
