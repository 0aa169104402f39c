"""The authors' SGD loop, timed per step on this machine, and the runtimes it projects for their scripts.

    .venv/bin/python benchmarks/bench_authors_loop.py --authors-dir DIR [--steps 20000]

``DIR`` is a checkout of the authors' repository (github.com/PierreMarion23/two-timescale-nn; measured at commit
12df6c2): their code is imported from there, never copied into this project. Times the body of their
``experiment.run`` loop (two ``np.random.rand`` draws, ``stoch_grad_a_loss``, ``stoch_grad_u_loss``, the two
updates) at the two-timescale configuration of their ``configs.py``, then projects the step counts of their
scripts: ``tt_config_paper`` (Figures 3 and 4, ``int(tmax / (h eps)) + 1`` updates) and ``varying_epsilon``
(Figure 7, 20 repeats of each eps). The 101 loss evaluations by quadrature of each run (``NeuralNetwork.loss``)
and the limit's Euler updates are left out (minutes at most). Their ``main.py`` comments say "approx. 4 hours"
and "approx. 10 hours" on their machine. Process (CPU) time is reported: on a loaded machine wall time is larger.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--authors-dir", required=True, help="a checkout of PierreMarion23/two-timescale-nn")
    ap.add_argument("--steps", type=int, default=20000)
    args = ap.parse_args()
    sys.path.insert(0, args.authors_dir)
    import configs  # the authors' modules
    from neural_network import NeuralNetwork

    cfg = configs.tt_config_paper
    np.random.seed(42)
    target = NeuralNetwork(cfg["target_weights"], cfg["target_positions"], eta=1e-8)
    m = cfg["nb_neurons"]
    learner = NeuralNetwork(np.zeros(m + 1), np.sort(np.random.rand(m)), cfg["eta"])
    h, eps, noise_mag = cfg["h"], cfg["epsilon"], cfg["noise_magnitude"]
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(args.steps):
        x = np.random.rand()
        noise = noise_mag * (2 * np.random.rand() - 1)
        ga = learner.stoch_grad_a_loss(target, x, noise)
        gu = learner.stoch_grad_u_loss(target, x, noise)
        learner.a -= h * ga
        learner.u -= h * eps * gu
    cpu, wall = (time.process_time() - c0) / args.steps, (time.perf_counter() - t0) / args.steps
    tt_steps = int(cfg["tmax"] / (cfg["h"] * cfg["epsilon"])) + 1
    sw = configs.varying_epsilon
    sweep_steps = sum((int(sw["tmax"] / (sw["h"] * e)) + 1) * sw["n_repeats"] for e in sw["epsilon"])
    print(f"their loop: {cpu * 1e6:.0f} us CPU per step ({wall * 1e6:.0f} us wall) over {args.steps} steps")
    print(f"projected: tt_config_paper {tt_steps:.4g} steps -> {tt_steps * cpu / 3600:.1f} h; "
          f"varying_epsilon {sweep_steps:.4g} steps -> {sweep_steps * cpu / 3600:.1f} h "
          f"(their main.py: approx. 4 h and 10 h)")


if __name__ == "__main__":
    main()
