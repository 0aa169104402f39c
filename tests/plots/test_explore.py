import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tts_lib as tts  # noqa: E402
from tts_lib.plots import explore  # noqa: E402

TARGET = tts.PiecewiseConstant.paper()
U = np.array([0.1, 0.3, 0.45, 0.7, 0.9])


def test_plot_network_marks_everything():
    fig, ax = plt.subplots()
    a = tts.optimal_outer(U, TARGET, 0.02)
    explore.plot_network(ax, TARGET, a, U, 0.02)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("target" in t for t in labels) and any("neurons" in t for t in labels)
    assert any("jumps" in t for t in labels)
    assert f"{tts.loss(a, U, TARGET, 0.02):.4f}" in ax.get_title()
    neurons = ax.get_lines()[-1]
    assert np.allclose(neurons.get_xdata(), U)
    plt.close(fig)


def test_position_sweep_is_reduced_loss():
    pos, vals = explore.position_sweep(TARGET, U, 0.02, 2, [0.2, 0.5])
    w = U.copy()
    w[2] = 0.5
    assert vals[1] == pytest.approx(tts.reduced_loss(w, TARGET, 0.02), rel=1e-12)
    assert np.array_equal(U, [0.1, 0.3, 0.45, 0.7, 0.9])  # input not modified
    with pytest.raises(ValueError, match="j"):
        explore.position_sweep(TARGET, U, 0.02, 5, [0.2])


def test_sweep_animation_frames():
    anim = explore.sweep_animation(TARGET, U, 0.02, 2, np.linspace(0.1, 0.9, 3))
    html = anim.to_jshtml()
    assert "<img" in html or "frames" in html.lower()
    assert html.count("data:image/png;base64") >= 3 or "frames[2]" in html


def test_explorer_updates_and_tracks_optimal_weights():
    pytest.importorskip("ipywidgets")
    ex = explore.NetworkExplorer(TARGET, U, eta=0.02)
    v0 = ex.values()
    assert v0["loss"] == pytest.approx(v0["reduced_loss"], rel=1e-10)  # a = a*(u) at start
    ex.u_sliders[0].value = 0.25
    assert np.allclose(ex.a, tts.optimal_outer(ex.u, TARGET, 0.02), atol=1e-9)
    assert "reduced loss" in ex.readout.value
    ex.optimal.value = False
    ex.a_sliders[1].value = 0.0
    v = ex.values()
    assert v["a"][1] == 0.0
    assert v["loss"] > v["reduced_loss"]
    assert all(not s.disabled for s in ex.a_sliders)


def test_explorer_validation():
    pytest.importorskip("ipywidgets")
    with pytest.raises(ValueError, match="eta"):
        explore.NetworkExplorer(TARGET, U, eta=1.0)
    with pytest.raises(ValueError, match="u"):
        explore.NetworkExplorer(TARGET, np.linspace(0, 1, 20))
    with pytest.raises(ValueError, match="a"):
        explore.NetworkExplorer(TARGET, U, a=np.zeros(3))


def test_plot_target_marks_constants():
    fig, ax = plt.subplots()
    explore.plot_target(ax, TARGET)
    text = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "0.15" in text and "= 2" in text and "= 5" in text
    plt.close(fig)


def test_plot_activation_curves():
    fig, axes = plt.subplots(1, 3)
    explore.plot_activation(axes, etas=(0.1, 0.2))
    # sigma_eta' peaks at 3/eta
    ys = [line.get_ydata() for line in axes[1].get_lines() if line.get_label().startswith("$\\eta")]
    assert np.isclose(max(ys[0]), 30.0, rtol=1e-3) and np.isclose(max(ys[1]), 15.0, rtol=1e-3)
    with pytest.raises(ValueError, match="axes"):
        explore.plot_activation(axes[:2])
    with pytest.raises(ValueError, match="etas"):
        explore.plot_activation(axes, etas=(0.1, -0.1))
    plt.close(fig)


def test_plot_sgd_vs_flow():
    small = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
    u0, a0 = np.array([0.1, 0.22, 0.4, 0.5, 0.65, 0.8]), np.zeros(7)
    run = tts.sgd(a0, u0, small, eta=0.02, lr=1e-3, eps=0.01, steps=2000, seed=0, record_every=500)
    ref = tts.gradient_flow(a0, u0, small, 0.02, 0.01, (0, 2.0), t_eval=run.t, method="LSODA")
    fig, axes = plt.subplots(1, 2)
    explore.plot_sgd_vs_flow(axes, small, run, ref)
    assert axes[1].get_yscale() == "log" and axes[0].get_legend() is not None
    fig.canvas.draw()
    plt.close(fig)
    with pytest.raises(ValueError, match="axes"):
        explore.plot_sgd_vs_flow(axes[:1], small, run, ref)
    no_rec = tts.sgd(a0, u0, small, eta=0.02, lr=1e-3, eps=0.01, steps=10, seed=0)
    with pytest.raises(ValueError, match="record_every"):
        explore.plot_sgd_vs_flow(axes, small, no_rec, ref)


def test_profile_loss_matches_exact_loss_and_validates():
    a = np.array([1.0, 2.0, -1.0, 0.5, 3.0, -2.0])
    # Quadrature vs the closed form: between breakpoints the integrand is a polynomial of degree <= 6, which
    # Gauss-Kronrod integrates exactly, so only rounding is left: each piece's ~21-node sum is within ~30 u of
    # max|integrand| times its length, and the lengths add to 1: |error| <= 64 u max|f - f*|^2, with
    # max|f - f*| <= sum|a| + max|f*| (here 9.5 + 2: 9e-13). The closed form's own rounding is far smaller.
    bound = 64 * np.finfo(float).eps / 2 * (np.abs(a).sum() + np.abs(TARGET.values).max()) ** 2
    assert explore.profile_loss(tts.sigma, a, U, TARGET, 0.02) == pytest.approx(tts.loss(a, U, TARGET, 0.02), abs=bound)
    # ramp, one neuron on a unit jump: misfit (z + 1/2 - 1[z >= 0]) on the window, L = eta / 24
    one = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    ramp = lambda z: np.clip(z + 0.5, 0.0, 1.0)  # noqa: E731
    assert explore.profile_loss(ramp, [0.0, 1.0], [0.5], one, 0.1) == pytest.approx(0.1 / 24, rel=1e-10)
    with pytest.raises(ValueError, match="profile"):
        explore.profile_loss(None, [0.0, 1.0], [0.5], one, 0.1)


def test_position_derivatives_ramp_kink_and_cubic_smooth():
    one = tts.PiecewiseConstant([0.5], [0.0, 1.0])
    ramp = lambda z: np.clip(z + 0.5, 0.0, 1.0)  # noqa: E731
    # the window's left edge u - eta/2 crosses the jump at u = 0.55: the ramp's second derivative
    # drops by a_1 * Delta / eta = 10, its first derivative and the cubic's second derivative are continuous
    (g1, h1), (g2, h2) = (explore.position_derivatives(ramp, [0.0, 1.0], [u], 0, one, 0.1) for u in (0.5498, 0.5502))
    assert abs(g1 - g2) < 3e-3 and h1 - h2 == pytest.approx(10.0, abs=1e-3)
    (c1, k1), (c2, k2) = (explore.position_derivatives(tts.sigma, [0.0, 1.0], [u], 0, one, 0.1) for u in (0.5498, 0.5502))
    assert abs(k1 - k2) < 1e-2
    # against the exact gradient of the cubic
    assert c1 == pytest.approx(tts.loss_grad([0.0, 1.0], [0.5498], one, 0.1)[1][0], abs=1e-7)
    with pytest.raises(ValueError, match="j"):
        explore.position_derivatives(ramp, [0.0, 1.0], [0.5], 1, one, 0.1)
