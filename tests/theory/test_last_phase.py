"""Tests of tts_lib.theory.last_phase (the O(eta) floor of the loss near a jump).

The independent reference is an exact rational evaluation (fractions.Fraction): the features are
polynomials between the breakpoints, so the Gram matrix, the right-hand side and the minimal loss
1/2 (|y|^2 - b^T G^-1 b) are rationals computed without rounding.

Tolerances. The library evaluates the loss in a basis whose condition number stays O(1) as a pair merges,
on ~50 quadrature nodes: its relative rounding error is ~1e-14, so 1e-12 (relative) is a safe margin. The
searches behind kappa stop when the (projected) gradient is below 1e-9; near the minimum the loss curves
by at least mu ~ 0.02 (its gap term is ~0.012 delta^2), so the value found exceeds the minimum by at most
|g|^2 / (2 mu) ~ 1e-16: the lower-bound checks allow 1e-12.
"""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import minimize, minimize_scalar

import tts_lib as tts
from tts_lib.theory import last_phase

# --- exact rational reference ---------------------------------------------------------------------------------


def _padd(p, q):
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)]


def _pmul(p, q):
    out = [F(0)] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def _pint(p, a, b):
    return sum(c * (b ** (k + 1) - a ** (k + 1)) / (k + 1) for k, c in enumerate(p))


def _sigma_piece(s, mid, derivative=False):
    """The polynomial (in z) equal to sigma(z - s) (or sigma'(z - s)) around z = mid."""
    t = mid - s
    left = [F(1, 2) - s, F(1)]  # z - s + 1/2
    right = [s + F(1, 2), F(-1)]  # s + 1/2 - z
    if t <= -F(1, 2) or t >= F(1, 2):
        return [F(0)] if (derivative or t <= -F(1, 2)) else [F(1)]
    if derivative:
        base = left if t <= 0 else right
        return [12 * c for c in _pmul(base, base)]
    if t <= 0:
        return [4 * c for c in _pmul(left, _pmul(left, left))]
    return _padd([F(1)], [-4 * c for c in _pmul(right, _pmul(right, right))])


def exact_fit_loss(shifts, merged=False):
    """min_c 1/2 int_{-1}^{1} (c0 + sum c_i phi_i - 1[z >= 0])^2, exactly, for rational shifts."""
    shifts = [F(s) for s in shifts]
    bps = {F(-1), F(0), F(1)}
    for s in shifts:
        bps |= {s - F(1, 2), s, s + F(1, 2)}
    bps = sorted(min(max(b, F(-1)), F(1)) for b in bps)
    n = 1 + len(shifts) + (1 if merged else 0)
    g = [[F(0)] * n for _ in range(n)]
    b = [F(0)] * n
    for lo, hi in zip(bps[:-1], bps[1:]):
        if hi <= lo:
            continue
        mid = (lo + hi) / 2
        feats = [[F(1)]] + [_sigma_piece(s, mid) for s in shifts]
        if merged:
            feats.append(_sigma_piece(shifts[0], mid, derivative=True))
        y = F(1) if mid > 0 else F(0)
        for i in range(n):
            b[i] += y * _pint(feats[i], lo, hi)
            for j in range(n):
                g[i][j] += _pint(_pmul(feats[i], feats[j]), lo, hi)
    # solve g x = b (Gauss-Jordan, exact)
    aug = [row[:] + [b[i]] for i, row in enumerate(g)]
    for col in range(n):
        piv = next(r for r in range(col, n) if aug[r][col] != 0)
        aug[col], aug[piv] = aug[piv], aug[col]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col] / aug[col][col]
                aug[r] = [x - f * y for x, y in zip(aug[r], aug[col])]
    x = [aug[i][n] / aug[i][i] for i in range(n)]
    return (F(1) - sum(xi * bi for xi, bi in zip(x, b))) / 2  # |y|^2 = int_0^1 1 = 1


# --- kappa_1: closed form -------------------------------------------------------------------------------------


def test_kappa1_closed_form():
    assert exact_fit_loss([0]) == F(25, 1472) == last_phase.KAPPA_1
    assert last_phase.kappa(1) == float(F(25, 1472))
    search = last_phase.kappa_search(1)
    assert search.success and all(r.success for r in search.results)
    assert search.value == pytest.approx(25 / 1472, rel=1e-12)
    assert abs(search.argmin[0]) < 1e-6
    # the numeric minimum is the closed form, not below it: a few exact values near s = 0
    for s in (F(1, 1000), F(-1, 1000), F(1, 10), F(-3, 10)):
        assert exact_fit_loss([s]) > F(25, 1472)


# --- kappa_2: bounded search in the (s, delta) box ------------------------------------------------------------


def test_kappa2_search_converges_to_the_merged_limit():
    search = last_phase.kappa_search(2)
    assert search.success and all(r.success for r in search.results)
    assert last_phase.kappa(2) == search.value
    assert search.value <= search.grid_min
    s, delta = search.argmin
    assert delta < 1e-6 and abs(abs(s) - 0.10847) < 1e-4  # two merging neurons, centred off the jump
    merged = minimize_scalar(lambda c: last_phase.pair_fit_loss(c, 0.0), bounds=(0.0, 0.3), method="bounded",
                             options={"xatol": 1e-10})
    assert merged.success
    assert search.value == pytest.approx(merged.fun, rel=1e-12)
    assert search.value == pytest.approx(0.0137812120, rel=1e-9)
    assert 0 < search.value < last_phase.kappa(1) < 1 / 56
    # the exact value of the merged basis at the minimiser agrees
    assert float(exact_fit_loss([merged.x], merged=True)) == pytest.approx(merged.fun, rel=1e-12)


@pytest.mark.parametrize("start", [(0.0, 0.3), (-0.3, 0.1), (0.05, 0.15), (-1.0, 1.0), (0.4, 1.2), (-0.5, -0.45)])
def test_no_distinct_pair_beats_kappa2(start):
    """Bound-constrained local searches over (s1, s2) from distinct starts: each converges, none goes below."""
    res = minimize(lambda p: last_phase.step_fit_loss(p), np.array(start), method="L-BFGS-B", jac="3-point",
                   bounds=[(-1.5, 1.5)] * 2, options={"ftol": 1e-15, "gtol": 1e-9})
    assert res.success
    assert res.fun >= last_phase.kappa(2) - 1e-12


def test_issue_point_is_evaluated_exactly():
    """The nearly merged pair at which the old lstsq basis returned 1.3e-5 below kappa_2."""
    s1 = 0.1084653
    for gap in (3e-12, 1e-9, 1e-6, 1e-3, 0.2):
        s2 = s1 + gap
        exact = float(exact_fit_loss([s1, s2]))
        assert last_phase.step_fit_loss([s1, s2]) == pytest.approx(exact, rel=1e-12)
        assert last_phase.step_fit_loss([s2, s1]) == pytest.approx(exact, rel=1e-12)
        assert exact >= last_phase.kappa(2) - 1e-12


@pytest.mark.parametrize("s1, s2", [(-0.7, 0.2), (0.0, 0.5), (-1.2, 1.3), (0.3, 0.3 + 2**-30), (1.4, 1.45)])
def test_pair_loss_against_exact_rationals(s1, s2):
    assert last_phase.step_fit_loss([s1, s2]) == pytest.approx(float(exact_fit_loss([s1, s2])), rel=1e-12)


@pytest.mark.parametrize("s", [-0.6, -0.1, 0.0, 0.10847, 0.45])
def test_merged_basis_and_continuity(s):
    merged = last_phase.step_fit_loss([s], merged=True)
    assert merged == last_phase.pair_fit_loss(s, 0.0)
    assert merged == pytest.approx(float(exact_fit_loss([s], merged=True)), rel=1e-12)
    # the pair loss is even in the gap, so it approaches the merged value as O(gap^2)
    for gap in (1e-15, 1e-12, 1e-9):
        assert abs(last_phase.pair_fit_loss(s, gap) - merged) <= 1e-12


def test_step_fit_loss_against_quadrature():
    s = 0.13
    z = np.linspace(-1, 1, 400_001)
    x = np.stack([np.ones_like(z), tts.sigma(z - s)], 1)
    y = (z >= 0).astype(float)
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    r = x @ coef - y
    val = 0.5 * np.trapezoid(r * r, z)
    assert last_phase.step_fit_loss([s]) == pytest.approx(val, rel=1e-4)
    assert last_phase.step_fit_loss([s]) == pytest.approx(float(exact_fit_loss([s])), rel=1e-12)
    # far away window: constant fit, value 1/4
    assert last_phase.step_fit_loss([3.0]) == pytest.approx(0.25, rel=1e-12)
    assert last_phase.step_fit_loss([3.0, 1e90]) == pytest.approx(0.25, rel=1e-12)


_near = st.sampled_from([0.0, 1e-15, 3e-12, 1e-9, 1e-6]) | st.floats(0.0, 3.0)


@settings(max_examples=40, deadline=None)
@given(st.floats(-1.5, 1.5), _near)
def test_kappa_is_a_lower_bound(s1, gap):
    """Including nearly equal shifts: the pair basis stays well conditioned as they merge."""
    assert last_phase.step_fit_loss([s1]) >= last_phase.kappa(1) - 1e-12
    assert last_phase.step_fit_loss([s1, s1 + gap]) >= last_phase.kappa(2) - 1e-12
    assert last_phase.pair_fit_loss(s1, gap) >= last_phase.kappa(2) - 1e-12


def test_captured_loss_exact():
    assert quad(lambda z: (tts.sigma(z) - (z >= 0)) ** 2, -0.5, 0.5, points=[0.0])[0] == pytest.approx(1 / 28)
    f = tts.PiecewiseConstant.paper()
    eta = 0.01
    a = np.concatenate(([f.values[0]], f.heights))
    assert tts.loss(a, f.jumps, f, eta) == pytest.approx(last_phase.captured_loss(f, eta), rel=1e-12)
    assert tts.reduced_loss(f.jumps, f, eta) <= last_phase.captured_loss(f, eta) + 1e-15


def test_lower_bound_on_a_real_network():
    f = tts.PiecewiseConstant([0.5], [0.0, 2.0])
    eta = 0.01
    rng = np.random.default_rng(1)
    for _ in range(20):
        u = np.array([0.2, 0.5 + rng.uniform(-1, 1) * eta, 0.8])
        assert tts.reduced_loss(u, f, eta) >= last_phase.jump_loss_lower_bound(2.0, eta) - 1e-14


def test_validation():
    with pytest.raises(ValueError, match="n_near"):
        last_phase.kappa(3)
    with pytest.raises(ValueError, match="shifts"):
        last_phase.step_fit_loss([0.0, 0.1], merged=True)
    with pytest.raises(ValueError, match="shifts"):
        last_phase.step_fit_loss([0.0, 0.1, 0.2])
    with pytest.raises(ValueError, match="gap"):
        last_phase.pair_fit_loss(0.0, -1e-3)
    with pytest.raises(ValueError, match="eta"):
        last_phase.jump_loss_lower_bound(1.0, 0.0)


# --- the restricted fit behind kappa_2 > 0 near the edge of the cube ------------------------------------------


def _restricted_by_quad(shifts, lo, hi):
    """Independent reference: normal equations assembled with scipy.integrate.quad, then the residual."""
    feats = [lambda z: 1.0] + [lambda z, s=s: float(tts.sigma(z - s)) for s in shifts]
    pts = sorted({lo, hi} | {min(hi, max(lo, p)) for s in shifts for p in (s - 0.5, s, s + 0.5)} | ({0.0} if lo < 0 < hi else set()))
    integ = lambda g: sum(quad(g, a, b, epsabs=1e-14, epsrel=1e-12)[0] for a, b in zip(pts[:-1], pts[1:]) if b > a)
    gram = np.array([[integ(lambda z, f=f, g=g: f(z) * g(z)) for g in feats] for f in feats])
    rhs = np.array([integ(lambda z, f=f: f(z) * (z >= 0)) for f in feats])
    coef = np.linalg.lstsq(gram, rhs, rcond=1e-12)[0]
    return 0.5 * (integ(lambda z: float(z >= 0)) - rhs @ coef)


@pytest.mark.parametrize("shifts,lo,hi", [([], -1.0, 1.0), ([0.2], -1.0, 0.95), ([-0.3, 0.4], -0.9, 0.99),
                                          ([1.2], -1.0, 1.0), ([0.05, 0.06], -1.0, 0.5)])
def test_restricted_fit_loss_against_quadrature(shifts, lo, hi):
    assert last_phase.restricted_fit_loss(shifts, lo, hi) == pytest.approx(_restricted_by_quad(shifts, lo, hi), rel=1e-8, abs=1e-12)


def test_restricted_fit_loss_constant_only_closed_form():
    # the best constant on [lo, hi] against the step: 1/2 hi (-lo) / (hi - lo)
    for lo, hi in [(-1.0, 1.0), (-1.0, 0.9), (-0.4, 0.7)]:
        assert last_phase.restricted_fit_loss([], lo, hi) == pytest.approx(0.5 * hi * (-lo) / (hi - lo), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(-1.4, 1.4), st.floats(1e-6, 0.05), st.floats(0.0, 0.2))
def test_shifts_near_the_edge_cost_at_least_the_restricted_fit(theta, gap_to_edge, spread):
    # the inequality of the proof of kappa_2 > 0: a neuron whose window meets [-1, 1] only in [1 - delta, 1] is
    # constant on [-1, 1 - delta], so the fit on [-1, 1] is at least the fit without it on [-1, 1 - delta]
    s_edge = 1.5 - gap_to_edge                    # its window [s - 1/2, s + 1/2] meets [-1, 1] in [1 - gap, 1]
    f_two = last_phase.step_fit_loss([theta, s_edge])
    assert f_two >= last_phase.restricted_fit_loss([theta], -1.0, 1.0 - gap_to_edge) * (1 - 1e-12)
    # a merging pair at the edge: both features constant on [-1, 1 - delta - spread]
    f_pair = last_phase.step_fit_loss([s_edge - spread, s_edge])
    assert f_pair >= last_phase.restricted_fit_loss([], -1.0, 1.0 - gap_to_edge - spread) * (1 - 1e-12)


def test_restricted_fit_loss_bad_inputs():
    with pytest.raises(ValueError, match="lo and hi"):
        last_phase.restricted_fit_loss([0.1], 0.5, 0.2)
    with pytest.raises(ValueError, match="lo and hi"):
        last_phase.restricted_fit_loss([0.1], -1.5, 0.2)
    with pytest.raises(ValueError, match="shifts"):
        last_phase.restricted_fit_loss([0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="shifts"):
        last_phase.restricted_fit_loss([np.nan])
