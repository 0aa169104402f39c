"""Tests of tts_lib.plots.theory (the figures of chapters 3 and 4)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tts_lib as tts  # noqa: E402
from tts_lib.plots import theory as plots  # noqa: E402
from tts_lib.theory import slow_fast_tracking as sft  # noqa: E402

TARGET = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
U0 = np.array([0.1, 0.2, 0.4, 0.5, 0.7, 0.8])


def test_plots():
    fig, (ax0, ax1) = plt.subplots(1, 2)
    plots.plot_pair_spacing(ax0, 0.02, 0.02 * np.logspace(-2, 0.4, 8))
    res = sft.TrackingResult(np.array([1e-4, 1e-3]), np.array([2e-6, 2e-5]), np.zeros(2), np.zeros((2, 1)), [])
    plots.plot_tracking(ax1, res)
    assert ax0.get_xscale() == "log" and ax1.get_yscale() == "log"
    assert ax0.get_legend() is not None and ax1.get_legend() is not None
    fig.canvas.draw()  # renders the mathtext labels (a bad TeX string raises here)
    plt.close(fig)
    with pytest.raises(ValueError, match="result"):
        plots.plot_tracking(ax1, None)


def test_plot_three_levels():
    taus = np.linspace(0, 0.02, 5)
    red = tts.reduced_flow(U0, TARGET, 0.02, (0, 0.02), tau_eval=taus)
    ideal = tts.ideal_flow(U0, TARGET, (0, 0.02), tau_eval=taus)
    fig, ax = plt.subplots()
    plots.plot_three_levels(ax, TARGET, reduced=red, ideal=ideal)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 3 and any("ideal" in t for t in labels) and any("jumps" in t for t in labels)
    fig.canvas.draw()
    plt.close(fig)
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_three_levels(ax, TARGET)
    with pytest.raises(ValueError, match="target"):
        plots.plot_three_levels(ax, None, reduced=red)


def test_phase_portrait_draws():
    fig, ax = plt.subplots()
    plots.plot_phase_portrait(ax, 2.0, d_max=0.2)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert len(ax.get_lines()) >= 5
    plt.close(fig)
