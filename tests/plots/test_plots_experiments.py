"""Tests of tts_lib.plots.experiments (figures and animations of the experiments)."""

import matplotlib

matplotlib.use("Agg")

import pytest

from tts_lib.plots import experiments as views
from tts_lib import experiments















@pytest.fixture(scope="module")
def quick_two_seeds():
    # the paper's slow time tau = 0.07 with 100x fewer steps (lr and eps both x10)
    cfg = experiments.SGDConfig("quick", eps=2e-4, t_max=0.035, h_paper=1e-4, repeats=2, n_records=50)
    return experiments.run_sgd_vs_ideal(cfg, seed=0)


def test_plots(quick_two_seeds):
    import matplotlib.pyplot as plt

    first = experiments.per_seed(quick_two_seeds)[0]
    fig = views.plot_snapshots(first, [0.0, 0.03, 0.07], ncols=2)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 3
    fig, anim = views.training_animation(first, frames=5)
    html = anim.to_jshtml()
    plt.close(fig)
    assert "<script" in html
    assert experiments.snapshot_index(first, 0.07) == first.main.steps.size - 1
    ax = views.plot_uncovered(first, 0)
    assert len(ax.patches) == 0  # every jump covered: nothing marked
    plt.close("all")
    with pytest.raises(ValueError, match="i"):
        views.plot_uncovered(first, 3)
