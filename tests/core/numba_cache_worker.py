"""Worker of ``test_numba_cache.py``: runs parts of the library's compiled code in one process.

``python numba_cache_worker.py PART [PART ...]`` (or ``all``) runs the parts in the order given (each compiles or loads from
``NUMBA_CACHE_DIR`` the cached kernels it reaches) and prints one JSON line ``{part: [value, ...]}``: every
value exact (floats as ``float.hex``, arrays as a SHA-256 of their bytes), so that a run can be compared bit for
bit with a reference run of the same code on the same machine. ``--symbols`` first adds, under the key
``--symbols``, the native functions that the library of every cached kernel compiled in this process defines
(the test's audit). With ``TTS_NUMBA_PIN_UID=N`` in the environment, every function compiled gets numba's
counter value N (:func:`pin_uids`).
"""

from __future__ import annotations

import hashlib
import json
import sys

import numpy as np


def _exact(x):
    """A float as its hex form, an array as the hash of its bytes (with its first value, for messages)."""
    if isinstance(x, np.ndarray):
        x = np.ascontiguousarray(x, dtype=float)
        return f"sha256:{hashlib.sha256(x.tobytes()).hexdigest()[:20]} first={x.ravel()[0]!r}"
    return float(x).hex()


def _network(m, seed):
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=m)
    a = rng.normal(size=m + 1) * 3.0
    return a, u


def part_loss():
    """tts.loss / loss_grad: the dense kernel (m < 256; sorted_breakpoints sorts with ndarray.sort) and the
    sorted one (m >= 256; np.argsort of the positions): _kernels.loss_grad_kernel."""
    import tts_lib as tts

    target = tts.PiecewiseConstant.paper()
    out = []
    for m, eta in ((20, 0.05), (300, 0.01)):
        a, u = _network(m, m)
        out.append(tts.loss(a, u, target, eta))
        ga, gu = tts.loss_grad(a, u, target, eta)
        out += [ga, gu]
    return out


def part_gram():
    """Gram matrix and target features: _kernels.gram_b_kernel (gauss_nodes, sorted_breakpoints)."""
    import tts_lib as tts

    target = tts.PiecewiseConstant.paper()
    a, u = _network(30, 3)
    return [tts.gram(u, 0.05), tts.target_features(u, target, 0.05)]


def part_nodes():
    """The kernels the tests call directly: gauss_nodes, _sorted_sums (argsort), _loss_grad_sorted."""
    from tts_lib import _kernels
    import tts_lib as tts

    target = tts.PiecewiseConstant.paper()
    a, u = _network(40, 4)
    jumps, values = target.jumps.astype(float), target.values.astype(float)
    x, w, f = _kernels.gauss_nodes(u, jumps, values, 0.05)
    ga, gu = np.empty(41), np.empty(40)
    s = _kernels._sorted_sums(a, u, x, w, f, 0.05, ga, gu)
    out = [x, w, f, s, ga, gu]
    out.append(_kernels._loss_grad_sorted(a, u, jumps, values, 0.05, ga, gu))
    out.append(_kernels._loss_grad_dense(a, u, jumps, values, 0.05, ga, gu))
    return out


def part_sgd():
    """Dense SGD engine: sgd._run (the step, the random stream, the label), sgd._bad, sgd._uniforms."""
    import importlib

    import tts_lib as tts

    sgd = importlib.import_module("tts_lib.sgd")
    target = tts.PiecewiseConstant.paper()
    a, u = _network(20, 5)
    r = tts.sgd(a, u, target, eta=0.05, lr=0.01, eps=0.1, steps=3000, seed=7, engine="dense")
    return [r.a, r.u, sgd._uniforms(11, 8)]


def part_sparse():
    """Sparse SGD engine: _sparse_kernel._loop, _build, _guesses, _materialise."""
    import tts_lib as tts

    target = tts.PiecewiseConstant.paper()
    a, u = _network(300, 6)
    r = tts.sgd(a, u, target, eta=0.004, lr=0.01, eps=0.1, steps=5000, seed=8, engine="sparse")
    return [r.a, r.u]


def part_samples():
    """SGD on explicit samples, both engines: sgd._run_samples and _sparse_kernel._loop."""
    import tts_lib as tts

    target = tts.PiecewiseConstant.paper()
    rng = np.random.default_rng(9)
    xs, noises = rng.uniform(size=2000), rng.uniform(-0.1, 0.1, size=2000)
    out = []
    for m, eta, engine in ((20, 0.05, "dense"), (300, 0.004, "sparse")):
        a, u = _network(m, 10 + m)
        out += list(tts.sgd_samples(a, u, target, eta=eta, lr=0.01, eps=0.1, xs=xs, noises=noises, engine=engine))
    return out


def part_additive():
    """The appendix's additive model: _additive_kernel.gradient_descent and objective_grad (np.argsort)."""
    from tts_lib.experiments import appendix

    r = appendix.train_additive(2, n_samples=200, lr_a=0.1, lr_u=0.01, epochs=5, seed=0)
    rng = np.random.default_rng(12)
    X = rng.uniform(size=(150, 3))
    y = appendix.additive_target(X)
    a = rng.uniform(size=31)
    u = rng.uniform(size=30)
    J, ga, gu = appendix.additive_objective_grad(a, u, X, y, 10, 0.05)
    return [r.final_error, r.a, r.u, J, ga, gu]


PARTS = {name[5:]: f for name, f in sorted(globals().items()) if name.startswith("part_")}


def cached_dispatchers():
    """Every ``cache=True`` dispatcher defined in a module of the library imported so far, by ``module.name``."""
    from numba.core.caching import NullCache
    from numba.core.registry import CPUDispatcher

    out = {}
    for modname, mod in sorted(sys.modules.items()):
        if not modname.startswith("tts_lib") or mod is None:
            continue
        for name, obj in vars(mod).items():
            if isinstance(obj, CPUDispatcher) and obj.__module__ == modname and not isinstance(obj._cache, NullCache):
                out[f"{modname}.{name}"] = obj
    return out


def symbols():
    """``{kernel: [names of the native functions its compiled library defines]}`` for the kernels compiled here."""
    out = {}
    for name, disp in cached_dispatchers().items():
        for sig, cres in disp.overloads.items():
            mod = getattr(cres.library, "_final_module", None)
            if mod is None:
                continue  # loaded from the cache: no IR to read
            out[f"{name}{sig}"] = sorted(f.name for f in mod.functions if not f.is_declaration)
    return out


def pin_uids(value):
    """Give every function numba compiles from now on the same counter value ``value`` (numba's counter of
    compiled functions, the only part of a native function's name that tells two instances of one qualified
    name and argument types apart). Compiling processes then name such instances alike whatever they compiled
    before: the worst case of the counter, which real processes reach by coincidence."""
    import itertools

    from numba.core import bytecode

    bytecode.FunctionIdentity._unique_ids = itertools.repeat(value)


def main(argv):
    import os

    if os.environ.get("TTS_NUMBA_PIN_UID"):
        pin_uids(int(os.environ["TTS_NUMBA_PIN_UID"]))
    show_symbols = argv and argv[0] == "--symbols"
    if show_symbols:
        argv = argv[1:]
    if argv == ["all"]:  # every part: one process compiles every cached kernel (tools/_env.sh seed_numba_cache)
        argv = list(PARTS)
    out = {}
    for part in argv:
        out[part] = [_exact(v) for v in PARTS[part]()]
    if show_symbols:
        out["--symbols"] = symbols()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
