"""tts_lib: the two-timescale model of Marion & Berthier (NeurIPS 2023), exact and fast.

Conventions (everywhere): input x ~ U[0, 1]; a piecewise-constant, right-continuous
target; the cubic smoothed Heaviside of width eta; ``a[0]`` is the bias; the loss carries
the factor 1/2.

This top level is the **core**: the target, the activation, the model and its exact loss and gradients,
the slow/fast quantities, the ideal dynamics, the flows, SGD and the initialisation. Above it, in layers
whose imports only go down: :mod:`tts_lib.theory` (the objects of the proof), :mod:`tts_lib.experiments`
(the paper's experiments and the book's studies) and :mod:`tts_lib.plots` (every figure). See
``ARCHITECTURE.md``.
"""

from ._version import __version__
from .activation import sigma, sigma_prime, sigma_second
from .errors import ArgumentTypeError, DivergenceError
from .flows import FlowResult, ReducedFlowResult, gradient_flow, reduced_flow
from .ideal import IdealFlowResult, ideal_flow, ideal_loss, ideal_velocity
from .initialisation import sample_positions, two_per_piece
from .model import loss, loss_grad, loss_hessian, predict
from .sgd import SGDEnsembleResult, SGDResult, sgd, sgd_ensemble, sgd_samples
from .slow_fast import gram, optimal_outer, reduced_loss, reduced_loss_grad, target_features
from .target import PiecewiseConstant

__all__ = [
    "__version__",
    "ArgumentTypeError",
    "DivergenceError",
    "PiecewiseConstant",
    "sigma",
    "sigma_prime",
    "sigma_second",
    "predict",
    "loss",
    "loss_grad",
    "loss_hessian",
    "gram",
    "target_features",
    "optimal_outer",
    "reduced_loss",
    "reduced_loss_grad",
    "ideal_loss",
    "ideal_velocity",
    "ideal_flow",
    "IdealFlowResult",
    "gradient_flow",
    "FlowResult",
    "reduced_flow",
    "ReducedFlowResult",
    "sgd",
    "sgd_ensemble",
    "sgd_samples",
    "SGDResult",
    "SGDEnsembleResult",
    "two_per_piece",
    "sample_positions",
]
