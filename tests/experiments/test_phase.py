"""Tests of tts_lib.phase (phase diagram of SGD success over (eps, m))."""

import numpy as np
import pytest

import tts_lib as tts
from tts_lib.experiments import phase
from tts_lib.initialisation import sample_positions, two_per_piece


def test_jump_gaps_single_and_stacked(paper_target):
    u = np.array([0.2, 0.36, 0.9])
    g = phase.jump_gaps(u, paper_target)
    np.testing.assert_allclose(g, [0.0, 0.01, 0.14, 0.25, 0.1])
    assert phase.max_jump_gap(u, paper_target) == pytest.approx(0.25)
    stack = np.stack([u, u + 0.01])
    assert phase.jump_gaps(stack, paper_target).shape == (2, 5)
    np.testing.assert_allclose(phase.max_jump_gap(stack, paper_target), [0.25, 0.26])


def test_jump_gaps_rejects_bad_input(paper_target):
    with pytest.raises(ValueError, match="u"):
        phase.jump_gaps([0.1, np.nan], paper_target)
    with pytest.raises(ValueError, match="target"):
        phase.jump_gaps([0.1], "not a target")


def test_steps_for():
    assert phase.steps_for(0.01, 2e-5, 0.5, 20.0) == 2_500_000  # slow time dominates
    assert phase.steps_for(1.0, 2e-5, 0.5, 20.0) == 1_000_000  # fast time dominates
    for name, args in [("eps", (0, 1, 1, 1)), ("lr", (1, -1, 1, 1)), ("tau_end", (1, 1, 0, 1)), ("t_min", (1, 1, 1, -1))]:
        with pytest.raises(ValueError, match=name):
            phase.steps_for(*args)


def test_phase_diagram_small_grid(paper_target):
    # default workers (threads): the engine is bitwise deterministic, so threaded runs repeat exactly
    kw = dict(eps_values=[0.01, 1.0], m_values=[12, 14], seeds=[0, 1, 2], lr=2e-4, tau_end=0.05, t_min=2.0)
    pd = phase.phase_diagram(paper_target, **kw)
    assert pd.gap.shape == pd.final_loss.shape == (2, 2, 3)
    assert pd.success_rate.shape == (2, 2)
    np.testing.assert_array_equal(pd.steps, [25_000, 10_000])
    # the recorded condition is the one of the seeds' initial positions
    for k, m in enumerate([12, 14]):
        for j, s in enumerate([0, 1, 2]):
            assert pd.condition[k, j] == two_per_piece(sample_positions(m, s), paper_target)
    np.testing.assert_array_equal(pd.success, pd.gap <= 2 * pd.eta)
    assert np.all(pd.final_loss > 0)
    assert pd.total_steps == (25_000 + 10_000) * 2 * 3
    # deterministic
    pd2 = phase.phase_diagram(paper_target, **kw)
    np.testing.assert_array_equal(pd.gap, pd2.gap)
    np.testing.assert_array_equal(pd.final_loss, pd2.final_loss)
    # ... and equal to the single-threaded runs, bit for bit
    pd1 = phase.phase_diagram(paper_target, workers=1, **kw)
    np.testing.assert_array_equal(pd.final_loss, pd1.final_loss)


def test_two_timescale_run_succeeds_from_a_good_init(paper_target):
    # seed 2 meets the condition for m = 20 (checked below); small eps covers every jump
    assert two_per_piece(sample_positions(20, 2), paper_target)
    pd = phase.phase_diagram(paper_target, eps_values=[0.01], m_values=[20], seeds=[2], tau_end=0.4)
    assert pd.success[0, 0, 0]
    assert pd.final_loss[0, 0, 0] < 0.05


@pytest.mark.parametrize(
    "kw,name",
    [
        (dict(eps_values=[-1.0]), "eps_values"),
        (dict(m_values=[0]), "m_values"),
        (dict(m_values=[2.5]), "m_values"),
        (dict(seeds=[-1]), "seeds"),
        (dict(seeds=[]), "seeds"),
        (dict(tol=-1.0), "tol"),
        (dict(eta=0.0), "eta"),
        (dict(tau_end=0.0), "tau_end"),
    ],
)
def test_phase_diagram_bad_arguments(paper_target, kw, name):
    base = dict(eps_values=[1.0], m_values=[4], seeds=[0], lr=1e-3, tau_end=1e-3, t_min=0.01)
    base.update(kw)
    with pytest.raises(ValueError, match=name):
        phase.phase_diagram(paper_target, **base)


def test_condition_probability_one_jump():
    # one jump at 1/2: P(>= 2 neurons on each side) = 1 - 2 (1 + m) 2^-m for m >= 4
    target = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    for m in (4, 6):
        p, method = phase.condition_probability(target, m, n_samples=40000)
        exact = 1 - 2 * (1 + m) * 0.5**m
        tol = 1e-9 if method == "exact" else 4 * np.sqrt(exact * (1 - exact) / 40000)
        assert abs(p - exact) <= tol
    with pytest.raises(ValueError, match="m"):
        phase.condition_probability(target, 0)
