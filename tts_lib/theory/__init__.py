r"""The objects of the convergence proof (chapters 3 and 4), built on the core.

One module a step of the argument:

* :mod:`~tts_lib.theory.jump_pair` — two neurons flanking one jump: the pair ODE, its invariant
  :math:`d_L^3 - d_R^3`, the arrival time and its bound :math:`\tau \le 8d/\Delta^2`;
* :mod:`~tts_lib.theory.flanking` — every jump's flanking pair in a configuration, and the interval loss
  :math:`\Delta^2 d_L d_R / (2(d_L + d_R))`;
* :mod:`~tts_lib.theory.plateaus` — the finite-:math:`\eta` network as plateaus between windows
  (the constant :math:`\beta = 5/56`);
* :mod:`~tts_lib.theory.marked_windows` — the same plateau identity when some windows hold a jump;
* :mod:`~tts_lib.theory.constants` — the convergence theorem's constants :math:`\eta_0`, :math:`\varepsilon_0(\eta)`
  evaluated from a start;
* :mod:`~tts_lib.theory.approach` — the approach to the jumps and the trapping band, measured along a path;
* :mod:`~tts_lib.theory.spacing` — strong convexity of the fast problem from the neurons' spacing;
* :mod:`~tts_lib.theory.tracking` and :mod:`~tts_lib.theory.slow_fast_tracking` — Tikhonov tracking of the
  slow manifold :math:`a = a^*(u)`;
* :mod:`~tts_lib.theory.last_phase` — the loss left at a captured jump (the constants :math:`\kappa_1`, :math:`\kappa_2`);
* :mod:`~tts_lib.theory.probability` — the exact probability that every piece holds two neurons.

Imports go down only: this layer uses the core (:mod:`tts_lib`), never ``experiments`` or ``plots``.
"""

from . import (approach, constants, flanking, jump_pair, last_phase, marked_windows, plateaus, probability,
               slow_fast_tracking, spacing, tracking)
from .probability import two_per_piece_probability

__all__ = ["approach", "constants", "flanking", "jump_pair", "last_phase", "marked_windows", "plateaus", "probability",
           "slow_fast_tracking", "spacing", "tracking", "two_per_piece_probability"]
