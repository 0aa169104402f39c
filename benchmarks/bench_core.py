"""Speed of the exact core (not a test: run `python benchmarks/bench_core.py`).

Times, for the paper's target and m = 20 neurons with eta = 4e-3:
the exact loss and gradient (issue target: <= 50 us), the adaptive-quadrature
loss the authors' code relies on (~0.23 s measured on this machine), the Gram
matrix, a*(u), and the ideal and reduced flows over the paper's slow horizon.
Wide networks: one exact loss+gradient at m = 1000 and 10^4 (eta = 4e-3, spread-out
positions), the O(m^2) dense kernel (the path before) against the sorted one that
``tts.loss_grad`` now takes from m = 256 on.
Writes benchmarks/results/core.json.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import numpy as np
import scipy.integrate as si

import tts_lib as tts
from tts_lib._kernels import _loss_grad_dense, _loss_grad_sorted


def per_call(func, repeat: int, rounds: int = 5) -> float:
    """Best-of-``rounds`` mean time of one call, in seconds."""
    func()  # warm up (numba compilation, caches)
    best = np.inf
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(repeat):
            func()
        best = min(best, (time.perf_counter() - t0) / repeat)
    return best


def wide_loss_grad(target, eta: float = 4e-3) -> dict:
    """Seconds per exact loss+gradient at m = 1000 and 10^4: dense O(m^2) kernel vs the sorted kernel."""
    rng = np.random.default_rng(1)
    out = {}
    for m, dense_rounds in ((1000, 5), (10_000, 2)):
        u = rng.uniform(0, 1, m)
        a = rng.normal(size=m + 1)
        grad_a, grad_u = np.empty(m + 1), np.empty(m)
        args = (a, u, target.jumps, target.values, eta, grad_a, grad_u)
        out[f"wide_m{m}_dense_s"] = per_call(lambda: _loss_grad_dense(*args), 1, rounds=dense_rounds)
        out[f"wide_m{m}_sorted_s"] = per_call(lambda: _loss_grad_sorted(*args), 5)
        out[f"wide_m{m}_public_s"] = per_call(lambda: tts.loss_grad(a, u, target, eta), 5)
        out[f"wide_m{m}_speedup"] = out[f"wide_m{m}_dense_s"] / out[f"wide_m{m}_sorted_s"]
    return out


def main() -> dict:
    target = tts.PiecewiseConstant.paper()
    rng = np.random.default_rng(0)
    m, eta = 20, 4e-3
    u = np.sort(rng.uniform(0, 1, m))
    a = tts.optimal_outer(u, target, eta) + 0.1 * rng.normal(size=m + 1)

    def quad_loss():
        g = lambda x: 0.5 * (float(tts.predict(x, a, u, eta)) - float(target(x))) ** 2  # noqa: E731
        return si.quad(g, 0, 1, limit=500)[0]

    results = {
        "machine": platform.platform(),
        "m": m,
        "eta": eta,
        "loss_us": 1e6 * per_call(lambda: tts.loss(a, u, target, eta), 20000),
        "loss_grad_us": 1e6 * per_call(lambda: tts.loss_grad(a, u, target, eta), 20000),
        "loss_hessian_us": 1e6 * per_call(lambda: tts.loss_hessian(a, u, target, eta), 2000),
        "gram_us": 1e6 * per_call(lambda: tts.gram(u, eta), 2000),
        "optimal_outer_us": 1e6 * per_call(lambda: tts.optimal_outer(u, target, eta), 2000),
        "reduced_loss_grad_us": 1e6 * per_call(lambda: tts.reduced_loss_grad(u, target, eta), 2000),
        "adaptive_quad_loss_s": per_call(quad_loss, 1, rounds=3),
        "ideal_flow_paper_horizon_s": per_call(lambda: tts.ideal_flow(u, target, (0, 0.07)), 1, rounds=3),
        "reduced_flow_paper_horizon_s": per_call(lambda: tts.reduced_flow(u, target, eta, (0, 0.07)), 1, rounds=1),
    }
    quad_val, exact_val = quad_loss(), tts.loss(a, u, target, eta)
    results["adaptive_quad_abs_error"] = abs(quad_val - exact_val)
    results["speedup_exact_over_quad"] = results["adaptive_quad_loss_s"] / (1e-6 * results["loss_us"])
    results.update(wide_loss_grad(target, eta))
    return results


if __name__ == "__main__":
    res = main()
    width = max(map(len, res))
    for key, val in res.items():
        print(f"{key:<{width}}  {val:.4g}" if isinstance(val, float) else f"{key:<{width}}  {val}")
    out = Path(__file__).parent / "results" / "core.json"
    out.write_text(json.dumps(res, indent=2) + "\n")
    assert res["loss_grad_us"] <= 50.0, f"exact loss+gradient took {res['loss_grad_us']:.1f} us (> 50 us)"
    print(f"wrote {out}")
