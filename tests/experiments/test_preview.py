import numpy as np
import pytest

import tts_lib as tts
from tts_lib.experiments import preview
from tts_lib.plots.experiments import preview_animation

TARGET = tts.PiecewiseConstant.paper()


def test_covered_jumps():
    u = np.array([0.2005, 0.36, 0.5, 0.9])
    got = preview.covered_jumps(u, TARGET, 0.008)
    assert got.tolist() == [True, False, True, False, False]
    with pytest.raises(ValueError, match="tol"):
        preview.covered_jumps(u, TARGET, 0.0)


def test_run_preview_small_and_animation():
    runs = preview.run_preview(steps=20_000, equal_steps=2_000, frames=4)
    assert len(runs.two_timescale.steps) == 5 and len(runs.equal.steps) == 5
    assert runs.two_timescale.eps == 2e-5 and runs.equal.eps == 1.0
    assert np.array_equal(runs.two_timescale.u_history[0], runs.u0)
    assert np.array_equal(runs.equal.u_history[0], runs.u0)
    assert tts.initialisation.two_per_piece(runs.u0, TARGET)
    assert runs.covered("equal").shape == (5,)
    with pytest.raises(ValueError, match="which"):
        runs.covered("other")
    html = preview_animation(runs).to_jshtml()
    assert "Animation" in html or "anim" in html
    with pytest.raises(ValueError, match="runs"):
        preview_animation(None)
