"""The exact-loss kernels are compiled once per process, whatever layout the caller's arrays have.

numba compiles a kernel again for every array layout ('C' or 'A') and read-only flag it is called with; each
specialisation of the exact-loss kernels costs seconds of compilation in a fresh numba cache (every chapter's
kernel in CI). ``model._kernel_array`` gives the kernels one form. Run in a subprocess: other tests call the
kernels directly with arrays of their own.
"""

import subprocess
import sys

CODE = r"""
import numpy as np
import tts_lib as tts
from tts_lib._kernels import gram_b_kernel, loss_grad_kernel

paper = tts.PiecewiseConstant.paper()
jumps = np.array([0.3, 0.6]); values = np.array([0.0, 2.0, 1.0])     # writable arrays
other = tts.PiecewiseConstant(jumps, values)
state = np.linspace(0.05, 0.95, 3 * 7 + 1)                            # a flow-like state vector
a, u = state[:8], state[8:15]                                         # contiguous slices
a_s, u_s = state[::3][:8], state[1::3][:7]                            # strided ('A' layout)
ro = u.copy(); ro.flags.writeable = False
for target in (paper, other):
    for aa, uu in ((a, u), (a_s, u_s), (a.copy(), ro)):
        tts.loss(aa, uu, target, 0.01)
        tts.loss_grad(aa, uu, target, 0.01)
        tts.gram(uu, 0.01)
        tts.optimal_outer(uu, target, 0.01)
u0 = np.array([0.1, 0.25, 0.5, 0.7])
tts.gradient_flow(np.zeros(5), u0, paper, 0.05, 1.0, (0.0, 0.5))     # slices of the ODE state
tts.reduced_flow(u0, other, 0.05, (0.0, 0.5))
print(len(loss_grad_kernel.signatures), len(gram_b_kernel.signatures))
"""


def test_one_specialisation_per_kernel():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "1"], out
