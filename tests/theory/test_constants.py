"""Tests of tts_lib.theory.constants and tts_lib.theory.approach: chapter 4's convergence theorem.

The lemmas are checked on configurations of the bootstrap region N against the core's exact quantities
(optimal outer weights, Gram matrix, reduced and ideal gradients, exact loss gradients); the theorem's conclusion
is checked on the full two-timescale flow at eta = eta0 and eps = eps0(eta0) for several random starts."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import tts_lib as tts
from tts_lib import initialisation
from tts_lib.theory import approach, constants, jump_pair, marked_windows

TOY = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
U_TOY = np.array([0.1, 0.22, 0.42, 0.5, 0.66, 0.8])


def _starts(n, m=6, target=TOY, eta_min=2e-7):
    """The first n two-per-piece starts (seeds 0, 1, ...) whose eta0 is at least eta_min (so that the flow
    at eta0 stays inside the widths the core supports and integrates in seconds)."""
    out = []
    seed = 0
    while len(out) < n:
        u = np.asarray(initialisation.sample_positions(m, seed, target, require_two_per_piece=True))
        if constants.theorem_constants(u, target)["eta0"] >= eta_min:
            out.append(u)
        seed += 1
    return out


def test_eta0_meets_the_conditions_of_the_proof():
    for u in _starts(4) + [U_TOY]:
        c = constants.theorem_constants(u, TOY)
        eta, nu = c["eta0"], c["nu"]
        assert eta <= nu / 30 * (1 + 1e-12)
        assert c["eps_eta"](eta) <= c["delta_f"] ** 2 / 16 * (1 + 1e-12)
        assert c["T"] * c["eps_eta"](eta) <= nu / 32 * (1 + 1e-12)
        # the two error terms of the proof add up to at most eps_eta: 125/18 M^2 eta/nu + 225/2 (M eta/nu)^2
        assert 125 / 18 * c["M"] ** 2 * eta / nu + 112.5 * (c["M"] * eta / nu) ** 2 <= c["eps_eta"](eta)
        eps = c["eps0"](eta)
        f = c["fast"](eta)
        assert eps * f["B"] / c["mu"] <= 0.5 * min(1.0, f["e_eta"]) * (1 + 1e-12)
        assert eps * f["L_a"] * (c["e0_bar"] + f["B"] * c["T"]) / c["mu"] <= eta / 2 * (1 + 1e-12)
        assert np.exp(-c["mu"] * c["T"] / eps) * c["e0_bar"] <= f["e_eta"] / 2 * (1 + 1e-9)


def _region_point(rng, c, u0, eta, in_band):
    """A configuration of the bootstrap region N: others within nu/8 of their start, flanking neurons at most
    nu/8 farther from their jump, far neurons >= Delta d_i/2 away, near neurons either >= eta away with
    far - near >= Delta d_i/2, or within 3 eta of their jump (in_band[i])."""
    nu = c["nu"]
    u = u0 + rng.uniform(-1, 1, u0.size) * nu / 8
    for i, v in enumerate(TOY.jumps):
        jn, jf = c["near_index"][i], c["far_index"][i]
        side_n, side_f = np.sign(u0[jn] - v), np.sign(u0[jf] - v)
        d_far = rng.uniform(c["delta_d_i"][i] / 2, c["far"][i] + nu / 8)
        u[jf] = v + side_f * d_far
        if in_band[i]:
            u[jn] = v + rng.uniform(-3, 3) * eta
        else:
            hi = min(c["near"][i] + nu / 8, d_far - c["delta_d_i"][i] / 2)
            u[jn] = v + side_n * rng.uniform(eta, max(hi, eta))
    return u


def _reference_velocity(u, c, in_band):
    """The proof's reference: the pair ODE for a flanking pair before entry, 0 for everything else."""
    ref = np.zeros(u.size)
    for i, v in enumerate(TOY.jumps):
        if in_band[i]:
            continue
        jl, jr = sorted([c["near_index"][i], c["far_index"][i]], key=lambda j: u[j])
        ddl, ddr = jump_pair.pair_velocity(v - u[jl], u[jr] - v, TOY.heights[i])
        ref[jl], ref[jr] = -ddl, ddr
    return ref


def test_region_lemma_on_random_configurations():
    """In N: windows marked-separated, I_min >= 2 nu / 5, lambda_min(G) >= mu, |a*| <= A; every neuron but the
    band neurons moves at its reference velocity up to eps_eta; a band neuron at eta < |y| <= 3 eta moves to its
    jump at speed >= Delta^2/8 - eps_eta; and the loss-gap lemma's bound at |y| <= 3 eta / 2."""
    rng = np.random.default_rng(5)
    n_band_checked = 0
    for u0 in _starts(3) + [U_TOY]:
        c = constants.theorem_constants(u0, TOY)
        for eta in (c["eta0"], c["eta0"] / 10):
            for _ in range(15):
                in_band = rng.random(2) < 0.6
                u = _region_point(rng, c, u0, eta, in_band)
                assert marked_windows.marked_separated(u, TOY, eta)
                assert np.diff(np.r_[0, np.sort(u), 1]).min() >= 2 * c["nu"] / 5
                assert np.linalg.eigvalsh(tts.gram(u, eta))[0] >= c["mu"]
                assert np.linalg.norm(tts.optimal_outer(u, TOY, eta)) <= c["A"]
                vel = -tts.reduced_loss_grad(u, TOY, eta)
                dev = np.abs(vel - _reference_velocity(u, c, in_band))
                band_idx = [c["near_index"][i] for i in range(2) if in_band[i]]
                keep = np.setdiff1d(np.arange(u.size), band_idx)
                assert np.all(dev[keep] <= c["eps_eta"](eta))
                for i in np.nonzero(in_band)[0]:
                    jn = c["near_index"][i]
                    if abs(u[jn] - TOY.jumps[i]) > eta:
                        speed = approach.band_speed(vel, u, TOY, jn, i)
                        assert speed >= TOY.heights[i] ** 2 / 8 - c["eps_eta"](eta)
                        n_band_checked += 1
                if np.all(in_band) and np.all(np.abs(u[c["near_index"]] - TOY.jumps) <= 1.5 * eta):
                    bound = 6 * c["M"] ** 2 * u.size * eta + 0.75 * np.sum(TOY.heights**2) * eta
                    assert tts.reduced_loss(u, TOY, eta) <= bound
    assert n_band_checked > 10


def test_fast_variable_constants():
    """J bounds the derivative of a*, B_u the position gradient on the ball |a| <= R, L_a its Lipschitz
    constant in a: against finite differences and the core's exact gradients."""
    rng = np.random.default_rng(8)
    for u0 in _starts(2) + [U_TOY]:
        c = constants.theorem_constants(u0, TOY)
        eta = c["eta0"]
        f = c["fast"](eta)
        for _ in range(6):
            u = _region_point(rng, c, u0, eta, rng.random(2) < 0.5)
            h = 1e-3 * eta
            da = np.array([(tts.optimal_outer(u + h * e, TOY, eta) - tts.optimal_outer(u - h * e, TOY, eta)) / (2 * h)
                           for e in np.eye(u.size)]).T
            assert np.linalg.norm(da, 2) <= f["J"]
            a_star = tts.optimal_outer(u, TOY, eta)
            for _ in range(4):
                d = rng.normal(size=u.size + 1)
                a = a_star + d / np.linalg.norm(d) * rng.uniform(0, c["e0_bar"] + 1)
                assert np.linalg.norm(a) <= f["R"]
                g = tts.loss_grad(a, u, TOY, eta)[1]
                assert np.linalg.norm(g) <= f["B_u"]
                g_star = tts.loss_grad(a_star, u, TOY, eta)[1]
                assert np.linalg.norm(g - g_star) <= f["L_a"] * np.linalg.norm(a - a_star)


def _slow_time_flow(u0, target, eta, eps, tau_end):
    """The two-timescale flow in the slow time tau = eps t (BDF with the exact Hessian)."""
    m = u0.size
    scale = np.concatenate((np.full(m + 1, 1 / eps), np.ones(m)))

    def rhs(_t, y):
        ga, gu = tts.loss_grad(y[: m + 1], y[m + 1:], target, eta)
        return -scale * np.concatenate((ga, gu))

    def jac(_t, y):
        return -scale[:, None] * tts.loss_hessian(y[: m + 1], y[m + 1:], target, eta)

    tau = np.linspace(0, tau_end, 401)
    sol = solve_ivp(rhs, (0, tau_end), np.concatenate((np.zeros(m + 1), u0)), method="BDF", jac=jac,
                    rtol=1e-7, atol=1e-10, t_eval=tau)
    assert sol.status == 0, sol.message
    return sol.t, sol.y[: m + 1].T, sol.y[m + 1:].T


def test_conclusion_at_eta0_and_eps0():
    """The theorem on the full flow at its own eta0 and eps0(eta0): every near neuron within eta of its jump by
    16 d_i / Delta_i^2 and within 3 eta / 2 afterwards, the region's bounds (drift <= nu/16, far neurons
    >= 13 Delta d_i / 16 away, far - near >= 7 Delta d_i / 8 before entry), e(T) <= e_eta, and L(T) <= the loss bound."""
    for u0 in _starts(3) + [U_TOY]:
        c = constants.theorem_constants(u0, TOY)
        eta = c["eta0"]
        eps = c["eps0"](eta)
        tau, a, u = _slow_time_flow(u0, TOY, eta, eps, c["T"])
        inv = approach.trajectory_invariants(u, tau, u0, TOY, eta)
        assert np.all(inv["entry"] <= 16 * c["near"] / TOY.heights**2 + tau[1])
        assert np.all(inv["band"] <= 1.5)
        assert inv["drift"] <= c["nu"] / 16
        assert np.all(inv["far"] >= 13 / 16) and np.all(inv["pre_gap"] >= 7 / 8)
        e_end = np.linalg.norm(a[-1] - tts.optimal_outer(u[-1], TOY, eta))
        assert e_end <= c["fast"](eta)["e_eta"]
        loss_end = tts.loss(a[-1], u[-1], TOY, eta)
        assert loss_end <= c["loss_bound"](eta)
        assert tts.loss(a[0], u[0], TOY, eta) > 100 * c["loss_bound"](eta)    # the check is not vacuous


def test_the_two_starts_of_the_chapter():
    """The numbers the chapter prints: the authors' seed-42 start on the paper's target (its smallest gap is two
    neurons 2.4e-5 apart in one piece, which sets eta0), and the chapter's toy start."""
    paper = tts.PiecewiseConstant.paper()
    u42 = np.sort(np.random.RandomState(42).rand(20))
    c42 = constants.theorem_constants(u42, paper)
    gaps = np.diff(u42)
    assert c42["delta_u"] == pytest.approx(gaps.min(), rel=1e-12) and c42["nu"] == c42["delta_u"] < c42["delta_d"]
    assert c42["eta0"] == pytest.approx(c42["nu"] ** 2 / (352 * 25 * c42["T"]), rel=1e-12)
    ct = constants.theorem_constants(U_TOY, TOY)
    assert ct["delta_u"] == pytest.approx(0.08) and ct["delta_d"] == pytest.approx(0.04) and ct["T"] == pytest.approx(0.96)
    assert 0 < c42["eps0"](c42["eta0"]) < ct["eps0"](ct["eta0"]) < ct["eta0"]


def test_bad_inputs():
    with pytest.raises(ValueError, match="two neurons"):
        constants.theorem_constants([0.1, 0.5, 0.7, 0.9], TOY)
    with pytest.raises(ValueError, match="not generic"):
        constants.theorem_constants([0.05, 0.2, 0.4, 0.5, 0.7, 0.9], TOY)
    with pytest.raises(ValueError, match="at least one jump"):
        constants.theorem_constants([0.2, 0.4], tts.PiecewiseConstant([], [1.0]))
    with pytest.raises(ValueError, match="u_path"):
        approach.trajectory_invariants(np.zeros((3, 5)), [0, 1, 2], U_TOY, TOY, 1e-3)


def test_trajectory_invariants_on_a_constructed_path():
    """A path built by hand: the near neuron of jump 0.3 (at 0.22) walks to 0.3 - eta/2 by tau = 0.5 and then to
    0.3 + eta; a non-flanking neuron drifts by 0.01; the far neuron of jump 0.6 moves 0.02 away from it."""
    eta = 1e-3
    tau = np.linspace(0, 1, 101)
    u = np.tile(U_TOY, (101, 1))
    u[:, 1] = np.where(tau <= 0.5, 0.22 + (0.3 - eta / 2 - 0.22) * tau / 0.5, 0.3 - eta / 2 + 3 * eta / 2 * (tau - 0.5) / 0.5)
    u[:, 0] = 0.1 + 0.01 * tau
    u[:, 3] = 0.5 - 0.02 * tau
    inv = approach.trajectory_invariants(u, tau, U_TOY, TOY, eta)
    first = np.nonzero(np.abs(u[:, 1] - 0.3) <= eta)[0][0]
    assert inv["entry"][0] == tau[first] and np.isnan(inv["entry"][1])
    assert inv["band"][0] == pytest.approx(1.0) and np.isnan(inv["band"][1])
    assert inv["drift"] == pytest.approx(0.02)
    assert inv["far"][0] == pytest.approx(0.12 / 0.04) and inv["far"][1] == pytest.approx(0.1 / 0.04)
    assert inv["pre_gap"][0] == pytest.approx(1.0)             # the smallest before entry: at the start
    assert inv["pre_gap"][1] == pytest.approx(1.0)
