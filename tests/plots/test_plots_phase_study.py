"""Tests of the phase-study figures of tts_lib.plots.experiments (chapter 6)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import tts_lib as tts
from tts_lib.experiments import phase
from tts_lib.plots import experiments as views
from tts_lib.plots import style


@pytest.fixture(scope="module")
def study():
    return phase.phase_study(tts.PiecewiseConstant.paper(), eps_values=[0.03, 1.0], m_values=[12, 20], n_seeds=5,
                             lr=1e-4, t_first=2.0, tau_first=0.1, tau_min=0.2, t_max=10.0, records=4)


def test_phase_study_figures_draw_intervals(study):
    fig = style.figure(height=6)
    axes = fig.subplots(2, 2)
    im = views.plot_phase_study(axes[0, 0], study, outcome="covered")
    p, lo, hi = study.rate(study.covered())
    texts = [t.get_text() for t in axes[0, 0].texts]
    assert len(texts) == 4 and f"[{lo[0, 0]:.2f}, {hi[0, 0]:.2f}]" in texts[0]      # interval in every cell
    np.testing.assert_allclose(im.get_array(), p)
    views.plot_study_vs_m(axes[0, 1], study, probability=[0.1, 0.3])
    bars = [c for c in axes[0, 1].containers]
    assert len(bars) == 2                                                               # one errorbar per eps
    views.plot_coverage_vs_tolerance(axes[1, 0], study, 1, tols=[1, 2, 3])
    np.testing.assert_allclose(axes[1, 0].lines[0].get_ydata(), study.coverage_vs_tolerance(
        np.array([1, 2, 3]) * study.eta)[0, 1])
    views.plot_capture_times(axes[1, 1], study, 1, horizon=0.07)


def test_phase_study_figures_validate(study):
    fig = style.figure()
    ax = fig.subplots()
    with pytest.raises(ValueError, match="outcome"):
        views.plot_phase_study(ax, study, outcome="nope")
    with pytest.raises(ValueError, match="k"):
        views.plot_capture_times(ax, study, 5)
    with pytest.raises(ValueError, match="result"):
        views.plot_study_vs_m(ax, "not a study")


def test_plot_step_grid():
    from tts_lib.experiments import regimes

    g = regimes.step_grid(tts.PiecewiseConstant.paper(), [0.1, 1.0], [2e-5, 2e-4], [0, 1], tau_end=0.05, t_min=0.3,
                          flow_seeds=1, flow_t_long=0.6)
    fig = style.figure()
    ax = fig.subplots()
    views.plot_step_grid(ax, g)
    np.testing.assert_allclose(ax.containers[0].lines[0].get_ydata(), np.median(g.refit_error[0], axis=-1))
    with pytest.raises(ValueError, match="what"):
        views.plot_step_grid(ax, g, what="nope")
    with pytest.raises(ValueError, match="grid"):
        views.plot_step_grid(ax, "nope")


def test_equal_stepsize_figures(study):
    from tts_lib.experiments import regimes

    target = tts.PiecewiseConstant.paper()
    sweep = regimes.equal_stepsize_sweep(target, [6, 40], [0, 1, 2], eta=4e-3, lr=2e-4, t_end=0.5)
    fig = style.figure()
    ax1, ax2 = fig.subplots(1, 2)
    views.plot_equal_stepsize_coverage(ax1, sweep, probability=([6, 40], [0.0, 0.1]), reference=study,
                                       reference_eps=0.03)
    assert len(ax1.containers) == 3                                  # end, start, the reference row
    k, p, lo, hi = sweep.coverage(at_start=True)
    bars = ax1.containers[1]
    np.testing.assert_allclose(bars.lines[0].get_ydata(), p)          # the start's proportions ...
    segs = bars.lines[2][0].get_segments()
    np.testing.assert_allclose([s[:, 1] for s in segs], np.c_[lo, hi])  # ... with their Wilson intervals
    pr, plo, phi = study.rate(study.covered())
    np.testing.assert_allclose(ax1.containers[2].lines[0].get_ydata(), pr[0])
    assert ax1.get_xscale() == "log"
    views.plot_equal_stepsize_loss(ax2, sweep, 4e-3, prediction=([6, 40], [0.1, 0.2], "estimate"), cue=1)
    np.testing.assert_allclose(ax2.containers[0].lines[0].get_ydata(), np.median(sweep.final_loss, axis=1) / 4e-3)
    with pytest.raises(ValueError, match="sweep"):
        views.plot_equal_stepsize_coverage(ax1, study)
    with pytest.raises(ValueError, match="probability"):
        views.plot_equal_stepsize_coverage(ax1, sweep, probability=([6, 40], [0.1]))
    with pytest.raises(ValueError, match="l_ref"):
        views.plot_equal_stepsize_loss(ax2, sweep, 0.0)
