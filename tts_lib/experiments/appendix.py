r"""The paper's appendix models: an additive model in dimension :math:`d` and a ReLU network.

Both are trained by full-batch gradient descent on the **authors' objective**

.. math::

    J(\theta) = \frac{\|f(X; \theta) - y\|_2}{n}
              = \frac1n \Big(\sum_{i=1}^n (f(x_i; \theta) - y_i)^2\Big)^{1/2},

the Euclidean norm of the residual vector divided by the number of samples (not its square: this is
what their code computes, and we keep it so that their step sizes mean the same thing). Its gradient is

.. math::

    \nabla_\theta J = \frac{1}{n\,\|r\|} \sum_i r_i\, \nabla_\theta f(x_i; \theta), \qquad r = f(X) - y,

a *normalised* gradient: every coordinate is bounded by :math:`1/\sqrt n` times the size of the feature.
Each step is :math:`a \leftarrow a - h_a \nabla_a J`, :math:`u \leftarrow u - h_u \nabla_u J`; the
standard regime has :math:`h_a = h_u = 1` for 300 epochs, the two-timescale regime
:math:`h_a = 1`, :math:`h_u = 0.01` for 5000 epochs.

Additive model (:math:`x \in [0, 1]^d`, ``p`` neurons per coordinate, neuron :math:`j` acting on
coordinate :math:`k(j) = \lfloor j / p \rfloor`):

.. math::

    f(x; a, u) = a_0 + \sum_{j=1}^{dp} a_j\, \sigma_\eta(x_{k(j)} - u_j), \qquad
    f^*(x) = \sum_{k=1}^d \sum_{t \in \{0.3, 0.5, 0.7\}} \mathbb 1[x_k > t].

ReLU model (:math:`x \in [0, 1]`): :math:`f(x; a, u) = a_0 + \sum_j a_j (x - u_j)_+` and the teacher
:math:`g(x) = (x - 0.3)_+ - 2 (x - 0.5)_+ + 3 (x - 0.7)_+`.

Initialisation (both): :math:`a_j \sim 3\,U[0, 1]`, :math:`u_j \sim U[0, 1]`, bias :math:`a_0 = 0`;
data :math:`x_i \sim U[0, 1]^d` i.i.d., labels without noise.

**The bias.** The authors' models (``mynn`` in their notebooks) have outer weights and positions only:
no bias. By default (``bias=False``) :math:`a_0` stays at 0, so the model *is* theirs; ``bias=True``
trains :math:`a_0` with step :math:`h_a` as well (the book's earlier variant). Other differences from their
notebooks, kept deliberately: float64 instead of PyTorch's float32 (``train_relu(dtype=np.float32)`` runs the
ReLU model in float32 to measure it), and the final error is :math:`J` after the last epoch (theirs is the
value computed at the start of the last epoch, one step earlier). The ReLU model uses ``n = 1000``
samples and 10 neurons, matching the 1000 samples per 2 coordinates of the additive ``d = 2`` case.

Speed: the additive model never forms the dense :math:`n \times dp` feature matrix. For each
coordinate the samples are sorted once; then :math:`\sigma_\eta(x_k - u_j)` is 1 on a suffix of the
sorted samples (a running sum) and strictly between 0 and 1 only on the :math:`\approx n\eta`
samples of the window :math:`|x_k - u_j| < \eta/2`, so an epoch costs :math:`O(nd)`
rather than :math:`O(n d^2 p)`; the whole descent runs compiled (:mod:`tts_lib._additive_kernel`). A dense version (:func:`additive_objective_grad` with
``dense=True``) is kept as a check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import _additive_kernel
from .. import _validate
from ..activation import _sigma, _sigma_prime
from ..seeds import generator

__all__ = [
    "ADDITIVE_THRESHOLDS",
    "RELU_TEACHER_U",
    "RELU_TEACHER_A",
    "additive_target",
    "additive_predict",
    "additive_objective_grad",
    "relu_teacher",
    "relu_predict",
    "relu_objective_grad",
    "GDRun",
    "train_additive",
    "train_relu",
    "thresholds_found",
]

ADDITIVE_THRESHOLDS = (0.3, 0.5, 0.7)
RELU_TEACHER_U = (0.3, 0.5, 0.7)
RELU_TEACHER_A = (1.0, -2.0, 3.0)


# --- additive model ----------------------------------------------------------------------------
def _samples(name, X, d=None):
    X = _validate.points(name, X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_samples, d), got shape {X.shape}")
    if d is not None and X.shape[1] != d:
        raise ValueError(f"{name} must have {d} columns, got {X.shape[1]}")
    return X


def additive_target(X) -> np.ndarray:
    r""":math:`f^*(x) = \sum_k \sum_{t \in \{0.3, 0.5, 0.7\}} \mathbb 1[x_k > t]` for each row of ``X``."""
    X = _samples("X", X)
    return sum((X > t).sum(axis=1) for t in ADDITIVE_THRESHOLDS).astype(float)


def _check_additive(a, u, X, p, eta):
    u = _validate.vector("u", u, min_length=1)
    a = _validate.vector("a", a, length=u.shape[0] + 1)
    p = _validate.integer("p", p, minimum=1)
    if u.shape[0] % p:
        raise ValueError(f"p must divide len(u) = {u.shape[0]}, got {p}")
    X = _samples("X", X, u.shape[0] // p)
    eta = _validate.positive("eta", eta)
    return a, u, X, p, eta


def _additive_dense_features(X, u, p, eta):
    coord = np.arange(u.shape[0]) // p
    z = (X[:, coord] - u[None, :]) / eta
    return z


def additive_predict(X, a, u, p, eta) -> np.ndarray:
    r""":math:`f(x) = a_0 + \sum_j a_j \sigma_\eta(x_{k(j)} - u_j)`, :math:`k(j) = \lfloor j/p \rfloor`, per row of ``X``."""
    a, u, X, p, eta = _check_additive(a, u, X, p, eta)
    return a[0] + _sigma(_additive_dense_features(X, u, p, eta)) @ a[1:]


def _sorted_columns(X):
    """Per coordinate: the sort permutation of the samples and the sorted values, both (d, n)."""
    order = np.ascontiguousarray(np.argsort(X, axis=0, kind="stable").T)
    xs = np.ascontiguousarray(np.take_along_axis(X.T, order, axis=1))
    return xs, order


def _additive_sorted_objective_grad(a, u, X, y, p, eta):
    xs, order = _sorted_columns(X)
    grad_a = np.empty_like(a)
    grad_u = np.empty_like(u)
    J = _additive_kernel.objective_grad(a, u, xs, order, y, p, eta, np.empty(y.shape[0]), grad_a, grad_u)
    return float(J), grad_a, grad_u


def _normalised(r):
    """``J = ||r|| / n`` and the factor ``c = 1 / (n ||r||)`` of its gradient (0 when r = 0)."""
    n = r.shape[0]
    norm = float(np.sqrt(r @ r))
    return norm / n, (0.0 if norm == 0.0 else 1.0 / (n * norm))


def _additive_dense_objective_grad(a, u, X, y, p, eta):
    z = _additive_dense_features(X, u, p, eta)
    phi = _sigma(z)
    r = a[0] + phi @ a[1:] - y
    J, c = _normalised(r)
    grad_a = c * np.concatenate(([r.sum()], r @ phi))
    grad_u = -c * (a[1:] / eta) * (r @ _sigma_prime(z))
    return J, grad_a, grad_u


def additive_objective_grad(a, u, X, y, p, eta, *, dense=False):
    r"""Objective :math:`J = \|f(X) - y\|/n` of the additive model and its exact gradient.

    :math:`\partial_{a_0} J = c \sum_i r_i`,
    :math:`\partial_{a_j} J = c \sum_i r_i \sigma_\eta(x_{i,k(j)} - u_j)`,
    :math:`\partial_{u_j} J = -c \frac{a_j}{\eta} \sum_i r_i \sigma'\big((x_{i,k(j)} - u_j)/\eta\big)`,
    with :math:`c = 1/(n\|r\|)` (the gradient is set to 0 when :math:`r = 0`).

    Returns ``(J, grad_a, grad_u)``. ``dense=True`` forms the full feature matrix (slow; a check).
    """
    a, u, X, p, eta = _check_additive(a, u, X, p, eta)
    y = _validate.vector("y", y, length=X.shape[0])
    if dense:
        return _additive_dense_objective_grad(a, u, X, y, p, eta)
    return _additive_sorted_objective_grad(a, u, X, y, p, eta)


# --- ReLU model ----------------------------------------------------------------------------------
def relu_teacher(x) -> np.ndarray:
    r"""Teacher :math:`g(x) = \sum_j a^*_j (x - u^*_j)_+` with :math:`u^* = (0.3, 0.5, 0.7)`, :math:`a^* = (1, -2, 3)`."""
    x = _validate.points("x", x)
    return np.maximum(x[..., None] - np.array(RELU_TEACHER_U), 0.0) @ np.array(RELU_TEACHER_A)


def relu_predict(x, a, u) -> np.ndarray:
    r"""Student :math:`f(x) = a_0 + \sum_j a_j (x - u_j)_+`."""
    a, u = _validate.network(a, u)
    x = _validate.points("x", x)
    return a[0] + np.maximum(x[..., None] - u, 0.0) @ a[1:]


def _relu_objective_grad(a, u, x, y):
    diff = x[:, None] - u[None, :]
    phi = np.maximum(diff, 0.0)
    r = a[0] + phi @ a[1:] - y
    J, c = _normalised(r)
    grad_a = c * np.concatenate(([r.sum()], r @ phi))
    grad_u = -c * a[1:] * (r @ (diff > 0.0))
    return J, grad_a, grad_u


def relu_objective_grad(a, u, x, y):
    r"""Objective :math:`J = \|f(x) - y\|/n` of the ReLU student and its gradient.

    :math:`\partial_{a_0} J = c\sum_i r_i`, :math:`\partial_{a_j} J = c \sum_i r_i (x_i - u_j)_+`,
    :math:`\partial_{u_j} J = -c\, a_j \sum_i r_i \mathbb 1[x_i > u_j]`, :math:`c = 1/(n\|r\|)`.
    Returns ``(J, grad_a, grad_u)``.
    """
    a, u = _validate.network(a, u)
    x = _validate.vector("x", x, min_length=1)
    y = _validate.vector("y", y, length=x.shape[0])
    return _relu_objective_grad(a, u, x, y)


# --- training --------------------------------------------------------------------------------------
@dataclass
class GDRun:
    r"""One full-batch GD run on :math:`J = \|f(X) - y\|/n`.

    Attributes
    ----------
    a0, u0 : initial parameters; a, u : final parameters (``a[0]`` the bias).
    error_history : ndarray
        :math:`J` before each epoch and after the last (length ``epochs + 1``).
    final_error : float
        :math:`J` after the last epoch.
    lr_a, lr_u, epochs, seed, wall_time : the run's parameters and its duration (s).
    bias : bool
        Whether the bias :math:`a_0` was trained (``False``: the authors' model, :math:`a_0 = 0`).
    """

    a0: np.ndarray
    u0: np.ndarray
    a: np.ndarray
    u: np.ndarray
    error_history: np.ndarray
    final_error: float
    lr_a: float
    lr_u: float
    epochs: int
    seed: int
    wall_time: float
    bias: bool = False


def _gd(objective_grad, a, u, lr_a, lr_u, epochs, bias=True):
    a = a.copy()
    u = u.copy()
    hist = np.empty(epochs + 1)
    for e in range(epochs):
        J, ga, gu = objective_grad(a, u)
        hist[e] = J
        if not bias:
            ga[0] = 0.0
        a -= lr_a * ga
        u -= lr_u * gu
    hist[epochs] = objective_grad(a, u)[0]
    if not np.all(np.isfinite(hist)):
        from ..errors import DivergenceError

        bad = int(np.argmax(~np.isfinite(hist)))
        raise DivergenceError("J", bad, float(hist[bad]), hint=f"lr_a={lr_a:g}, lr_u={lr_u:g}")
    return a, u, hist


def _check_training(lr_a, lr_u, epochs, seed, bias=False):
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be a bool, got {bias!r}")
    return (
        _validate.positive("lr_a", lr_a),
        _validate.positive("lr_u", lr_u, allow_zero=True),
        _validate.integer("epochs", epochs, minimum=0),
        _validate.integer("seed", seed, minimum=0),
    )


def train_additive(d, *, n_samples, lr_a, lr_u, epochs, seed, p=10, eta=0.01, bias=False, dense=False,
                   dtype=np.float64) -> GDRun:
    r"""Full-batch GD on the additive model: :math:`a \leftarrow a - h_a\nabla_a J`, :math:`u \leftarrow u - h_u \nabla_u J`.

    Data :math:`x_i \sim U[0,1]^d`, :math:`y_i = f^*(x_i)`; initialisation :math:`a_0 = 0`,
    :math:`a_j \sim 3U[0,1]`, :math:`u_j \sim U[0,1]`, all from ``numpy.random.default_rng(seed)``
    (data first, then ``a``, then ``u``). ``bias=False`` (default, the authors' model) keeps
    :math:`a_0 = 0`; ``bias=True`` trains it. ``dense=True`` runs the same descent with the dense NumPy
    gradient (:func:`additive_objective_grad` ``dense=True``) instead of the compiled sorted sweep: the
    same algorithm, rounded differently (a check of how much per-seed results depend on rounding).
    ``dtype=np.float32`` (with ``dense=True`` only) keeps the data and the parameters in single precision and
    computes the objective against float64 labels, as the authors' additive models do (float32 ``mynn``, a
    ``.double()`` target): the residual and the gradient are formed in double, each update is rounded to single.
    """
    if not isinstance(dense, (bool, np.bool_)):
        raise TypeError(f"dense must be a bool, got {dense!r}")
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
    if dtype is np.float32 and not dense:
        raise ValueError("dtype=numpy.float32 needs dense=True (the compiled sweep runs in double precision)")
    d = _validate.integer("d", d, minimum=1)
    n = _validate.integer("n_samples", n_samples, minimum=1)
    p = _validate.integer("p", p, minimum=1)
    eta = _validate.positive("eta", eta)
    lr_a, lr_u, epochs, seed = _check_training(lr_a, lr_u, epochs, seed, bias)
    t0 = time.perf_counter()
    rng = generator(seed)
    X = rng.uniform(size=(n, d))
    y = additive_target(X)
    a0 = np.concatenate(([0.0], 3.0 * rng.uniform(size=d * p)))
    u0 = rng.uniform(size=d * p)
    if dense:
        Xd = X.astype(dtype)
        a, u, hist = _gd(lambda a, u: _additive_dense_objective_grad(a, u, Xd, y, p, eta), a0.astype(dtype),
                         u0.astype(dtype), lr_a, lr_u, epochs, bias)
        return GDRun(a0, u0, a, u, hist, float(hist[-1]), lr_a, lr_u, epochs, seed, time.perf_counter() - t0,
                     bool(bias))
    xs, order = _sorted_columns(X)
    a, u = a0.copy(), u0.copy()
    hist = np.empty(epochs + 1)
    done = _additive_kernel.gradient_descent(a, u, xs, order, y, p, eta, lr_a, lr_u, epochs, hist, bool(bias))
    if done < epochs or not np.isfinite(hist[-1]):
        from ..errors import DivergenceError

        raise DivergenceError("J", done, float(hist[done]), hint=f"lr_a={lr_a:g}, lr_u={lr_u:g}")
    return GDRun(a0, u0, a, u, hist, float(hist[-1]), lr_a, lr_u, epochs, seed, time.perf_counter() - t0,
                 bool(bias))


def train_relu(*, n_samples=1000, m=10, lr_a, lr_u, epochs, seed, bias=False, dtype=np.float64) -> GDRun:
    r"""Full-batch GD on the ReLU student :math:`f(x) = a_0 + \sum_j a_j (x - u_j)_+` against the teacher.

    Data :math:`x_i \sim U[0,1]`, :math:`y_i = g(x_i)`; initialisation :math:`a_0 = 0`,
    :math:`a_j \sim 3U[0,1]`, :math:`u_j \sim U[0,1]` (same order of draws as :func:`train_additive`).
    ``bias=False`` (default, the authors' ``mynn``) keeps :math:`a_0 = 0`; ``bias=True`` trains it.
    ``dtype=np.float32`` runs the descent in single precision, as the authors' PyTorch code does (same
    draws, rounded to float32).
    """
    n = _validate.integer("n_samples", n_samples, minimum=1)
    m = _validate.integer("m", m, minimum=1)
    lr_a, lr_u, epochs, seed = _check_training(lr_a, lr_u, epochs, seed, bias)
    if dtype not in (np.float64, np.float32):
        raise ValueError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
    t0 = time.perf_counter()
    rng = generator(seed)
    x = rng.uniform(size=n)
    y = relu_teacher(x)
    a0 = np.concatenate(([0.0], 3.0 * rng.uniform(size=m)))
    u0 = rng.uniform(size=m)
    x, y = x.astype(dtype), y.astype(dtype)
    a, u, hist = _gd(lambda a, u: _relu_objective_grad(a, u, x, y), a0.astype(dtype), u0.astype(dtype),
                     dtype(lr_a), dtype(lr_u), epochs, bias)
    return GDRun(a0, u0, a.astype(float), u.astype(float), hist, float(hist[-1]), lr_a, lr_u, epochs, seed,
                 time.perf_counter() - t0, bool(bias))



def thresholds_found(u, model, d=1, *, radius=0.02) -> float:
    """Fraction of the thresholds (``model = "additive"``: 0.3, 0.5, 0.7 on each of the ``d`` coordinates; ``"relu"``:
    the teacher's kinks) with a neuron of their coordinate within ``radius`` (neuron ``j`` acts on coordinate
    ``j // p``, ``u`` without the bias)."""
    if model not in ("additive", "relu"):
        raise ValueError(f"model must be 'additive' or 'relu', got {model!r}")
    d = _validate.integer("d", d, minimum=1)
    thr = np.array(ADDITIVE_THRESHOLDS if model == "additive" else RELU_TEACHER_U)
    u = np.asarray(u, dtype=float).reshape(d, -1)
    return float(np.mean(np.abs(u[:, :, None] - thr).min(axis=1) <= radius))
