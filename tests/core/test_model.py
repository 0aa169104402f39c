import numpy as np
import pytest
from hypothesis import given, settings

import tts_lib as tts
from conftest import networks, quad_integral, targets
from tts_lib.model import _loss_grad, _loss_grad_numpy


@settings(max_examples=25, deadline=None)
@given(networks(), targets())
def test_loss_and_gradient_match_adaptive_quadrature(net, f):
    a, u, eta = net
    residual = lambda x: float(tts.predict(x, a, u, eta) - f(x))  # noqa: E731
    ref = quad_integral(lambda x: 0.5 * residual(x) ** 2, f, u, eta)
    assert tts.loss(a, u, f, eta) == pytest.approx(ref, rel=1e-9, abs=1e-11)
    grad_a, grad_u = tts.loss_grad(a, u, f, eta)
    ref_a0 = quad_integral(residual, f, u, eta)
    assert grad_a[0] == pytest.approx(ref_a0, rel=1e-8, abs=1e-10)
    j = len(u) - 1
    ref_aj = quad_integral(lambda x: residual(x) * float(tts.sigma((x - u[j]) / eta)), f, u, eta)
    ref_uj = quad_integral(
        lambda x: -residual(x) * a[j + 1] * float(tts.sigma_prime((x - u[j]) / eta)) / eta, f, u, eta
    )
    assert grad_a[j + 1] == pytest.approx(ref_aj, rel=1e-8, abs=1e-10)
    assert grad_u[j] == pytest.approx(ref_uj, rel=1e-7, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(networks(), targets())
def test_gradient_matches_finite_differences(net, f):
    a, u, eta = net
    grad_a, grad_u = tts.loss_grad(a, u, f, eta)
    h = 1e-6 * eta
    for j in range(len(u)):
        e = np.zeros_like(u)
        e[j] = h
        fd = (tts.loss(a, u + e, f, eta) - tts.loss(a, u - e, f, eta)) / (2 * h)
        assert grad_u[j] == pytest.approx(fd, rel=1e-5, abs=1e-6)
    e = np.zeros_like(a)
    e[0] = 1e-6
    fd = (tts.loss(a + e, u, f, eta) - tts.loss(a - e, u, f, eta)) / 2e-6
    assert grad_a[0] == pytest.approx(fd, rel=1e-6, abs=1e-8)


@settings(max_examples=15, deadline=None)
@given(networks(max_m=4), targets())
def test_hessian_matches_finite_differences_of_gradient(net, f):
    a, u, eta = net
    m = len(u)
    hess = tts.loss_hessian(a, u, f, eta)
    assert np.allclose(hess, hess.T, atol=1e-9 * (1 + np.abs(hess).max()))
    assert np.allclose(hess[: m + 1, : m + 1], tts.gram(u, eta), atol=1e-12)
    h = 1e-6 * eta
    v = np.concatenate((a, u))

    def grad(w):
        return np.concatenate(tts.loss_grad(w[: m + 1], w[m + 1 :], f, eta))

    fd = np.array([(grad(v + h * e) - grad(v - h * e)) / (2 * h) for e in np.eye(2 * m + 1)])
    scale = 1 + np.abs(hess).max()
    # sigma'' jumps at the centre: a centre sitting on a node-free boundary is fine,
    # but finite differences straddling a jump of f* add O(h) noise
    assert np.max(np.abs(fd - hess)) < 1e-4 * scale


@settings(max_examples=40, deadline=None)
@given(networks(max_m=8), targets())
def test_compiled_kernel_equals_numpy_reference(net, f):
    a, u, eta = net
    l1, ga1, gu1 = _loss_grad(a, u, f, eta)
    l2, ga2, gu2 = _loss_grad_numpy(a, u, f, eta)
    # Two orders of the same sums (compiled vs NumPy): the exact loss is a sum of O((m + 2)^2) closed-form pieces
    # whose magnitudes are bounded by scale = (sum|a|)^2 + max|f*|^2, and it cancels (L can be far smaller than
    # its pieces), so a relative tolerance is not an analysis: each order is within (m + 2)^2 u scale of the true
    # sum (the standard bound n u sum|terms|), hence |l1 - l2| <= 2 (m + 2)^2 u scale; the gradients likewise,
    # with scale_g = (sum|a| + max|f*|)(1 + max|a| / eta) (sigma'/eta factors). Measured over 3,000 random cases:
    # at most 3 u scale, against the bound's >= 18 u scale. With gradual underflow each operation may also err by
    # an absolute half-spacing of the subnormals, so the bound adds 2 (m + 2)^2 times the smallest subnormal (a
    # target of 4.9e-159 gives L ~ 1e-317, whose two orders differed by one subnormal, 5e-324: CI, hypothesis).
    m, unit, tiny = u.size, np.finfo(float).eps / 2, np.finfo(float).smallest_subnormal
    scale = np.abs(a).sum() ** 2 + np.max(np.abs(f.values)) ** 2
    scale_g = (np.abs(a).sum() + np.max(np.abs(f.values))) * (1 + np.abs(a).max() / eta)
    bound = 2 * (m + 2) ** 2 * unit
    floor = 2 * (m + 2) ** 2 * tiny
    assert abs(l1 - l2) <= bound * scale + floor
    assert np.all(np.abs(ga1 - ga2) <= bound * scale_g + floor)
    assert np.all(np.abs(gu1 - gu2) <= bound * scale_g + floor)


def test_predict_shapes_and_values(paper_target):
    u = np.array([0.3, 0.6])
    a = np.array([1.0, 2.0, -1.0])
    x = np.array([[0.0, 0.3], [0.45, 1.0]])
    out = tts.predict(x, a, u, 0.01)
    assert out.shape == (2, 2)
    assert np.allclose(out, [[1.0, 2.0], [3.0, 2.0]])
    # order of the neurons does not matter
    assert np.allclose(tts.predict(x, a[[0, 2, 1]], u[::-1], 0.01), out)


def test_zero_loss_when_network_equals_target():
    f = tts.PiecewiseConstant([0.5], [1.0, 3.0])
    # a neuron centred on the jump with a tiny window: loss is O(eta)
    for eta in (1e-2, 1e-3):
        val = tts.loss([1.0, 2.0], [0.5], f, eta)
        # exact value: (1/2) * 4 * eta * int_{-1/2}^{1/2} (sigma - H)^2 = 4 * eta * 2 * int_0^{1/2} 16 t^6 dt
        assert val == pytest.approx(0.5 * 4 * eta * 2 * 16 * 0.5**7 / 7, rel=1e-12)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(a=[0, 1], u=[0.5, 0.6]), "len(u) + 1"),
        (dict(a=[0, np.nan], u=[0.5]), "finite"),
        (dict(a=[0, 1], u=[np.inf]), "finite"),
        (dict(a=[0, 1], u=[]), "at least 1"),
        (dict(eta=0.0), "positive"),
        (dict(eta=-1.0), "positive"),
        (dict(eta=np.nan), "finite"),
        (dict(eta="0.1"), "real number"),
        (dict(target=lambda x: x), "PiecewiseConstant"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, word, paper_target):
    args = dict(a=[0.0, 1.0], u=[0.5], target=paper_target, eta=0.01)
    args.update(kwargs)
    for func in (tts.loss, tts.loss_grad, tts.loss_hessian):
        with pytest.raises(ValueError) as info:
            func(args["a"], args["u"], args["target"], args["eta"])
        assert word in str(info.value)
        name = next(iter(kwargs))
        assert name in str(info.value)
    with pytest.raises(ValueError, match="x"):
        tts.predict([0.1, np.nan], [0.0, 1.0], [0.5], 0.01)
