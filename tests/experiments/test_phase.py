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


# --- the phase study (independent seeds, intervals, loss criterion, adaptive horizon) ---------------------
def test_wilson_interval_against_scipy():
    from scipy.stats import binomtest

    for k, n in [(0, 12), (10, 12), (12, 12), (37, 100), (1, 1)]:
        ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        lo, hi = phase.wilson_interval(k, n)
        assert lo == pytest.approx(ci.low, abs=1e-12) and hi == pytest.approx(ci.high, abs=1e-12)
    # the example: 10 of 12 seeds is compatible with anything from about 1/2 to nearly 1
    lo, hi = phase.wilson_interval(10, 12)
    assert round(lo, 2) == 0.55 and round(hi, 2) == 0.95
    # vectorised, and symmetric under k -> n - k
    lo, hi = phase.wilson_interval(np.array([3, 7]), 10)
    np.testing.assert_allclose(lo[0], 1 - hi[1])
    for k, n in [(-1, 10), (11, 10), (1, 0)]:
        with pytest.raises(ValueError):
            phase.wilson_interval(k, n)


def test_independent_positions_share_nothing_across_widths():
    u12, u20 = phase.independent_positions(12, 3), phase.independent_positions(20, 3)
    assert u12.shape == (12,) and np.all(np.diff(u12) >= 0) and np.all((u12 >= 0) & (u12 <= 1))
    np.testing.assert_array_equal(u12, phase.independent_positions(12, 3))      # deterministic
    assert not np.any(np.isin(u12, u20))                                         # not nested
    # the library's sample_positions *is* nested, which is what the study avoids
    np.testing.assert_array_equal(np.sort(np.random.default_rng(3).uniform(size=20)[:12]), sample_positions(12, 3))
    with pytest.raises(ValueError, match="m"):
        phase.independent_positions(0, 1)


def test_shared_interval(paper_target):
    # jumps 0.2, 0.35, 0.5, 0.65, 0.8: no neuron between 0.35 and 0.5
    assert phase.shared_interval([0.1, 0.3, 0.6, 0.7, 0.9], paper_target)
    assert not phase.shared_interval([0.1, 0.3, 0.4, 0.6, 0.7, 0.9], paper_target)
    assert phase.shared_interval([0.9], paper_target)


def test_phase_study_small(paper_target):
    kw = dict(eps_values=[0.03, 1.0], m_values=[12, 20], n_seeds=6, lr=1e-4, t_first=2.0, tau_first=0.1,
              tau_min=0.3, t_max=20.0, records=4)
    st = phase.phase_study(paper_target, **kw)
    st.check()
    assert st.gap.shape == st.final_loss.shape == st.t_cap.shape == (2, 2, 6)
    assert st.l_tts == pytest.approx(4e-3)                       # eta * sum(D^2) / 56 = eta for this target
    # the last checkpoint is the final outcome
    for (i, k), cp in st.checkpoints.items():
        assert cp[-1, 0] == pytest.approx(st.horizon[i, k])
        assert cp[-1, 1] == st.covered()[i, k].sum() and cp[-1, 2] == st.loss_ok()[i, k].sum()
        # a cell stops early only if its outcome changed by at most one run (and its median loss by 10 %), after tau_min
        if st.stable[i, k]:
            assert np.all(np.abs(cp[-1, 1:3] - cp[-2, 1:3]) <= 1) and abs(cp[-1, 3] / cp[-2, 3] - 1) <= 0.1
            assert st.eps[i] * st.horizon[i, k] >= 0.3 - 1e-9
        else:
            assert st.horizon[i, k] == pytest.approx(20.0)
    # the condition and the shared interval are those of the independent initialisations
    for k, m in enumerate([12, 20]):
        for s in range(6):
            u = phase.independent_positions(m, s)
            assert st.condition[k, s] == two_per_piece(u, paper_target)
            assert st.shared[k, s] == phase.shared_interval(u, paper_target)
    np.testing.assert_array_equal(st.success, st.covered() & (st.final_loss <= 2 * st.l_tts))
    p, lo, hi = st.rate(st.covered())
    assert np.all((lo <= p) & (p <= hi))
    assert st.coverage_vs_tolerance([1e-9, 10.0]).shape == (2, 2, 2)
    assert np.all(st.coverage_vs_tolerance([10.0])[..., 0] == 1.0)   # every jump is within 10 of a neuron
    # deterministic, and the JSON round trip keeps everything
    st2 = phase.phase_study(paper_target, **kw)
    np.testing.assert_array_equal(st.final_loss, st2.final_loss)
    import json

    back = phase.PhaseStudy.from_dict(json.loads(json.dumps(st.to_dict())))
    back.check()
    np.testing.assert_array_equal(back.gap, st.gap)
    np.testing.assert_array_equal(np.isnan(back.t_cap), np.isnan(st.t_cap))
    assert back.summary() == st.summary()


@pytest.mark.parametrize("kw,name", [(dict(n_seeds=0), "n_seeds"), (dict(growth=1.0), "growth"),
                                     (dict(loss_factor=0.0), "loss_factor"), (dict(t_max=-1.0), "t_max")])
def test_phase_study_bad_arguments(paper_target, kw, name):
    base = dict(eps_values=[1.0], m_values=[12], n_seeds=2)
    base.update(kw)
    with pytest.raises(ValueError, match=name):
        phase.phase_study(paper_target, **base)
