"""Tests of the figures of the authors' quantities (tts_lib.plots.experiments, issue 13)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from tts_lib import experiments
from tts_lib.plots import experiments as views


@pytest.fixture(scope="module")
def seed42():
    return experiments.run("authors-seed-42", quick=True, seed=0)


def test_authors_loss_panel_plots_twice_the_loss_against_steps(seed42):
    res = seed42.two_timescale
    fig = views.plot_losses_authors(res)
    ax_book, ax_auth = fig.axes
    sgd_book, sgd_auth = ax_book.get_lines()[0], ax_auth.get_lines()[0]
    np.testing.assert_allclose(sgd_book.get_xdata(), res.main.tau)
    np.testing.assert_allclose(sgd_auth.get_xdata(), res.main.steps)
    np.testing.assert_allclose(sgd_auth.get_ydata(), 2 * res.main.loss_history)
    assert "L_2$ error" in ax_auth.get_ylabel() and "step" in ax_auth.get_xlabel()
    with pytest.raises(ValueError, match="result"):
        views.plot_losses_authors("nope")


def test_figures_of_authors_seed_and_sweep(seed42):
    figs = views.figures(seed42)
    assert {"two-timescale-positions", "two-timescale-loss-authors", "equal-stepsizes-positions"} <= set(figs)
    sw = experiments.run_eps_sweep(experiments.SweepConfig("tiny", eps_values=(1.0, 0.1), repeats=3, t_max=0.3))
    figs = views.figures(sw)
    assert set(figs) == {"boxplot", "boxplot-authors"}
    ax_book, ax_auth = figs["boxplot-authors"].axes
    # the dots of each box are the runs' values: sqrt(2L) on the left, 2L on the right
    np.testing.assert_allclose(sorted(ax_auth.get_lines()[-1].get_ydata()), sorted(sw.errors[0.1] ** 2))
    np.testing.assert_allclose(sorted(ax_book.get_lines()[-1].get_ydata()), sorted(sw.errors[0.1]))
    with pytest.raises(ValueError, match="result"):
        views.plot_sweep_boxes(seed42)
