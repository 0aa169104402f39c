"""tts_lib: the two-timescale model of Marion & Berthier (NeurIPS 2023), exact and fast.

Conventions (everywhere): input x ~ U[0, 1]; a piecewise-constant, right-continuous
target; the cubic smoothed Heaviside of width eta; ``a[0]`` is the bias; the loss carries
the factor 1/2.
"""

from .activation import sigma, sigma_prime, sigma_second
from .errors import DivergenceError
from .flows import FlowResult, ReducedFlowResult, gradient_flow, reduced_flow
from .ideal import IdealFlowResult, ideal_flow, ideal_loss, ideal_velocity
from .initialisation import sample_positions, two_per_piece
from .model import loss, loss_grad, loss_hessian, predict
from .probability import two_per_piece_probability
from .sgd import SGDEnsembleResult, SGDResult, sgd, sgd_ensemble
from .slow_fast import gram, optimal_outer, reduced_loss, reduced_loss_grad, target_features
from .target import PiecewiseConstant

__all__ = [
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
    "SGDResult",
    "SGDEnsembleResult",
    "two_per_piece",
    "sample_positions",
    "two_per_piece_probability",
]
