"""Benchmark of the SGD engine and of the reproduction runs (not a test).

    .venv/bin/python benchmarks/bench_sgd.py [--no-appendix]
    .venv/bin/python benchmarks/bench_sgd.py --scaling [--dask]     (engines against m; sweep on Dask)

With ``--scaling``: ns/step of the dense and the sparse engine at m = 20, 100, 1000, 10^4 (paper's eta, lr,
eps; CPU time of the compiled loop, best of 3, all in one run), the ratio cost(m = 1000, sparse) /
cost(m = 20, auto engine) (and over the sparse engine at m = 20), the same at eps = 1 once the neurons
have gathered at the jumps (m = 20, 1000, 10^4), and with ``--dask`` the wall time of
one ensemble (8 runs) on a Dask LocalCluster of 1 and of 2 worker processes, checked bit-identical to
local threads; writes benchmarks/results/sgd_scaling.json.

Without it, prints a table and writes benchmarks/results/sgd.json:
- per-step time of ``tts_lib.sgd`` at the paper's two-timescale configuration
  (m = 20, eta = 4e-3, lr = 2e-5, eps = 2e-5), best of 3 runs of 2e7 steps;
- per-step time of a plain per-sample NumPy loop of the same algorithm (2e4 steps), timed in the same
  run, and the ratio;
- the full two-timescale run (1.75e8 steps), the eps sweep (60 runs) and the appendix experiments.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

import tts_lib
from tts_lib import PiecewiseConstant
from tts_lib.activation import _sigma, _sigma_prime
from tts_lib.experiments import CONFIGS, run_appendix, run_eps_sweep
from tts_lib.initialisation import sample_positions
from tts_lib.sgd import sgd

ETA, LR, EPS, M = 4e-3, 2e-5, 2e-5, 20


def numpy_loop(a, u, target, eta, lr, eps, steps, noise=1.0, seed=0):
    """The same online SGD, one sample at a time, in plain NumPy (vectorised over the neurons)."""
    a, u = a.copy(), u.copy()
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        x = rng.uniform()
        y = target(x) + noise * rng.uniform(-1.0, 1.0)
        z = (x - u) / eta
        s, sp = _sigma(z), _sigma_prime(z)
        r = a[0] + s @ a[1:] - y
        grad_u = -r * a[1:] * sp / eta
        a[0] -= lr * r
        a[1:] -= lr * r * s
        u -= eps * lr * grad_u
    return a, u


def numpy_loop_public_api(a, u, target, eta, lr, eps, steps, noise=1.0, seed=0):
    """The same loop written with the public, argument-checking functions (tts_lib.sigma, ...),
    as a user of the library would write it."""
    a, u = a.copy(), u.copy()
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        x = rng.uniform()
        y = float(target(x)) + noise * rng.uniform(-1.0, 1.0)
        s = tts_lib.sigma((x - u) / eta)
        sp = tts_lib.sigma_prime((x - u) / eta)
        r = float(tts_lib.predict(x, a, u, eta)) - y
        grad_u = -r * a[1:] * sp / eta
        a = a - lr * r * np.concatenate(([1.0], s))
        u = u - eps * lr * grad_u
    return a, u


def _ns_per_step(m, engine, steps, target, repeats=3):
    """Best-of-``repeats`` CPU time per step of ``sgd`` (one thread) at the paper's eta, lr, eps."""
    u0 = np.sort(np.random.default_rng(m).uniform(size=m))
    a0 = np.zeros(m + 1)
    kw = dict(eta=ETA, lr=LR, eps=EPS, engine=engine)
    sgd(a0, u0, target, steps=10, **kw)  # compile / load the cache
    best = np.inf
    for r in range(repeats):
        t0 = time.process_time()
        sgd(a0, u0, target, steps=steps, seed=r, **kw)
        best = min(best, (time.process_time() - t0) / steps)
    return best * 1e9


def _ns_per_step_eps1(m, engine, warm, steps, target):
    """CPU time per step at eps = 1 (equal stepsizes, the paper's eta and step) once the neurons have
    gathered at the jumps: ``warm`` steps from uniform positions first, then ``steps`` timed steps (best
    of 2). Many neurons then share each window and cross often: the order repair dominates."""
    from tts_lib.initialisation import sample_positions

    u0 = np.asarray(sample_positions(m, 0))
    kw = dict(eta=ETA, lr=LR, eps=1.0, engine=engine)
    start = sgd(np.zeros(m + 1), u0, target, steps=warm, **kw)
    best = np.inf
    for r in range(2):
        t0 = time.process_time()
        sgd(start.a, start.u, target, steps=steps, seed=1 + r, **kw)
        best = min(best, (time.process_time() - t0) / steps)
    return best * 1e9


def scaling(with_dask: bool):
    from tts_lib.sgd import choose_engine, sgd_ensemble

    target = PiecewiseConstant.paper()
    out = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "load_average_at_start": os.getloadavg()}, "ns_per_step": {}}
    print(f"{'m':>7s} {'dense ns/step':>14s} {'sparse ns/step':>15s} {'auto':>7s}")
    for m in (20, 100, 1000, 10_000):
        dense_steps = max(20_000, int(4e8 / (m + 20)))
        row = {"dense": _ns_per_step(m, "dense", dense_steps, target),
               "sparse": _ns_per_step(m, "sparse", 4_000_000, target), "auto": choose_engine(m, ETA)}
        out["ns_per_step"][str(m)] = row
        print(f"{m:7d} {row['dense']:14.1f} {row['sparse']:15.1f} {row['auto']:>7s}")
    ns = out["ns_per_step"]
    out["ns_per_step_eps_1"] = {}
    print("eps = 1 (equal stepsizes), after 2e5 steps from uniform positions:")
    for m in (20, 1000, 10_000):
        row = {"dense": _ns_per_step_eps1(m, "dense", 200_000, max(20_000, int(1e8 / (m + 20))), target),
               "sparse": _ns_per_step_eps1(m, "sparse", 200_000, 500_000, target)}
        out["ns_per_step_eps_1"][str(m)] = row
        print(f"{m:7d} {row['dense']:14.1f} {row['sparse']:15.1f}")
    out["ratio_sparse_1000_over_auto_20"] = ns["1000"]["sparse"] / ns["20"][ns["20"]["auto"]]
    out["ratio_sparse_10000_over_auto_20"] = ns["10000"]["sparse"] / ns["20"][ns["20"]["auto"]]
    print(f"cost(m=1000, sparse) / cost(m=20, auto) = {out['ratio_sparse_1000_over_auto_20']:.2f}")
    print(f"cost(m=1e4, sparse) / cost(m=20, auto) = {out['ratio_sparse_10000_over_auto_20']:.2f}")
    out["ratio_sparse_1000_over_sparse_20"] = ns["1000"]["sparse"] / ns["20"]["sparse"]
    print(f"cost(m=1000, sparse) / cost(m=20, sparse) = {out['ratio_sparse_1000_over_sparse_20']:.2f}")
    if with_dask:
        from distributed import Client, LocalCluster

        m, n_runs, steps = 1000, 8, 4_000_000
        u0 = np.sort(np.random.default_rng(0).uniform(size=m))
        kw = dict(eta=ETA, lr=LR, eps=EPS, steps=steps, seeds=range(n_runs), record_every=steps // 4)
        t0 = time.perf_counter()
        ref = sgd_ensemble(np.zeros(m + 1), u0, target, **kw)
        out["sweep"] = {"runs": n_runs, "m": m, "steps_per_run": steps,
                        "local_threads_s": time.perf_counter() - t0}
        for n_workers in (1, 2):
            with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster, Client(cluster) as client:
                ex = client.get_executor()
                sgd_ensemble(np.zeros(m + 1), u0, target, **{**kw, "seeds": range(n_workers), "steps": 10},
                             executor=ex)  # warm the workers (imports, numba cache)
                t0 = time.perf_counter()
                ens = sgd_ensemble(np.zeros(m + 1), u0, target, **kw, executor=ex)
                out["sweep"][f"dask_{n_workers}_workers_s"] = time.perf_counter() - t0
                same = all(np.array_equal(r.u, q.u) and np.array_equal(r.loss_history, q.loss_history)
                           for r, q in zip(ens.runs, ref.runs))
                out["sweep"][f"dask_{n_workers}_bit_identical"] = same
        print(json.dumps(out["sweep"], indent=1))
    path = Path(__file__).parent / "results" / "sgd_scaling.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-appendix", action="store_true")
    parser.add_argument("--scaling", action="store_true", help="engines against m (and --dask)")
    parser.add_argument("--dask", action="store_true", help="with --scaling: a sweep on 1 and 2 Dask workers")
    args = parser.parse_args()
    if args.scaling:
        return scaling(args.dask)
    target = PiecewiseConstant.paper()
    u0 = np.asarray(sample_positions(M, 0, target, require_two_per_piece=True))
    a0 = np.zeros(M + 1)
    kw = dict(eta=ETA, lr=LR, eps=EPS)
    out = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "numpy": np.__version__, "load_average_at_start": os.getloadavg()}}

    sgd(a0, u0, target, steps=10, **kw)  # compile / load cache
    n_engine = 20_000_000
    t_engine = min(sgd(a0, u0, target, steps=n_engine, seed=s, **kw).wall_time for s in range(3)) / n_engine
    n_np = 20_000
    t0 = time.perf_counter()
    numpy_loop(a0, u0, target, ETA, LR, EPS, n_np)
    t_np = (time.perf_counter() - t0) / n_np
    t0 = time.perf_counter()
    numpy_loop_public_api(a0, u0, target, ETA, LR, EPS, n_np)
    t_pub = (time.perf_counter() - t0) / n_np
    out["per_step"] = {"engine_ns": t_engine * 1e9, "numpy_loop_us": t_np * 1e6, "speedup": t_np / t_engine,
                       "numpy_loop_public_api_us": t_pub * 1e6, "speedup_vs_public_api_loop": t_pub / t_engine,
                       "engine_steps_timed": n_engine, "numpy_steps_timed": n_np}

    cfg = CONFIGS["two-timescale"]
    res = sgd(a0, u0, target, steps=cfg.steps, seed=0, record_every=cfg.steps // cfg.n_records, **kw)
    out["two_timescale_full_run"] = {"steps": cfg.steps, "wall_time_s": res.wall_time,
                                     "ns_per_step_incl_100_loss_records": res.wall_time / cfg.steps * 1e9,
                                     "numpy_loop_estimate_h": t_np * cfg.steps / 3600}

    sw = run_eps_sweep(CONFIGS["eps-sweep"])
    total_steps = sum(sw.config.steps(e) for e in sw.config.eps_values) * sw.config.repeats
    out["eps_sweep"] = {"runs": sw.config.repeats * len(sw.config.eps_values), "total_steps": total_steps,
                        "wall_time_s": sw.wall_time, "per_eps_s": {str(k): v for k, v in sw.wall_times.items()},
                        "median_final_l2_error": {str(k): v for k, v in sw.medians().items()},
                        "numpy_loop_estimate_h": t_np * total_steps / 3600}

    if not args.no_appendix:
        out["appendix"] = {}
        for name in ("additive-2d", "additive-10d", "relu"):
            r = run_appendix(CONFIGS[name])
            s = r.summary()
            out["appendix"][name] = {"wall_time_s": r.wall_time,
                                     "per_run_s": s["wall_time_per_run_s"],
                                     "median_final_error": s["median_final_error"]}

    print(f"{'quantity':55s} {'value':>14s}")
    print("-" * 70)
    ps = out["per_step"]
    rows = [
        ("engine, per step (ns)", ps["engine_ns"]),
        ("plain NumPy per-sample loop, per step (us)", ps["numpy_loop_us"]),
        ("speed-up engine / NumPy loop", ps["speedup"]),
        ("same loop via the public API (tts_lib.sigma, predict), (us)", ps["numpy_loop_public_api_us"]),
        ("speed-up engine / public-API loop", ps["speedup_vs_public_api_loop"]),
        ("two-timescale full run, 1.75e8 steps (s)", out["two_timescale_full_run"]["wall_time_s"]),
        ("  same with the NumPy loop, estimated (h)", out["two_timescale_full_run"]["numpy_loop_estimate_h"]),
        ("eps sweep, 60 runs (s)", out["eps_sweep"]["wall_time_s"]),
        ("  same with the NumPy loop, estimated (h)", out["eps_sweep"]["numpy_loop_estimate_h"]),
    ]
    for name, v in out.get("appendix", {}).items():
        rows.append((f"{name}: 20 seeds x 2 regimes (s)", v["wall_time_s"]))
        rows.append((f"  {name}: one two-timescale run, 5000 epochs (s)", v["per_run_s"]["two_timescale"]))
    for name, v in rows:
        print(f"{name:55s} {v:14.4g}")
    path = Path(__file__).parent / "results" / "sgd.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
