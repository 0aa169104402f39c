r"""How likely is the initialisation condition? Exact coverage probabilities.

Drop :math:`m` points i.i.d. uniformly on :math:`[0, 1]`, cut into pieces of lengths
:math:`p_0, \dots, p_{n-1}` (:math:`\sum_i p_i = 1`), and let :math:`N_i` be the number of points in
piece :math:`i`. The vector :math:`(N_0, \dots, N_{n-1})` is multinomial
:math:`(m; p_0, \dots, p_{n-1})`. This module computes

.. math::

    P_k(m) = \mathbb P\big(N_i \ge k \text{ for every piece } i\big),

in particular :math:`P_2(m)`, the probability that uniform initial positions satisfy the book's
"two neurons in every piece" condition (:func:`tts_lib.initialisation.two_per_piece`).

Two exact formulas are implemented.

* **Binomial (multinomial) recursion** (the default, all terms positive, hence numerically stable):
  condition on the number of points that fall in piece 0, then recurse on the remaining pieces.
  With :math:`\pi_i = p_i / (p_i + \dots + p_{n-1})` and
  :math:`R_i(s) = \mathbb P(\text{pieces } i, \dots, n-1 \text{ each get} \ge k \mid s \text{ points in their union})`,

  .. math::

      R_{n-1}(s) = \mathbf 1[s \ge k], \qquad
      R_i(s) = \sum_{c=k}^{s} \binom{s}{c} \pi_i^{c} (1 - \pi_i)^{s-c} R_{i+1}(s - c), \qquad
      P_k(m) = R_0(m).

* **Inclusion--exclusion** over the set :math:`A` of "bad" pieces (:math:`N_i < k`):

  .. math::

      P_k(m) = \sum_{A \subseteq \{0..n-1\}} (-1)^{|A|}
          \sum_{j \ge 0} e^A_j\, \frac{m!}{(m-j)!}\, q_A^{\,m-j},
      \qquad q_A = \sum_{i \notin A} p_i,

  where :math:`e^A_j` is the coefficient of :math:`x^j` in
  :math:`\prod_{i \in A} \sum_{c<k} (p_i x)^c / c!` (for :math:`k = 2`: each bad piece holds 0 or 1
  point). Each inner sum is the probability that every piece of :math:`A` holds fewer than
  :math:`k` points. With ``exact=True`` the computation runs in :class:`fractions.Fraction`
  arithmetic and returns the exact rational value for rational lengths.

The brute-force :func:`coverage_probability_enumerated` (sum over all :math:`n^m` assignments) and
the Monte Carlo :func:`coverage_probability_mc` are there to check both.

**Large** :math:`m`. The recursion costs about :math:`n m^2/2` binomial terms (:math:`O(m)` memory), so
``method="recursion"`` (the default) switches, before starting, to formulas whose cost does not grow with
:math:`m`:

* when the union bound :math:`1 - P_k(m) \le \sum_i \mathbb P(N_i < k)` (each term a binomial tail, computed
  directly) is below :math:`\varepsilon_{\mathrm{mach}}/4`, :math:`P_k(m)` rounds to ``1.0`` in float64 and
  ``1.0`` is returned;
* otherwise, past :data:`RECURSION_WORK` terms, inclusion--exclusion in floating point: each of its
  :math:`2^n` terms is itself a probability (that every piece of :math:`A` holds fewer than :math:`k` points),
  summed from non-negative parts; the powers :math:`q_A^{m-j}` turn the rounding of :math:`q_A` into a
  relative error :math:`\le m n \varepsilon_{\mathrm{mach}}`, so the result's absolute error is below
  :math:`2^n (m n + 16)\,\varepsilon_{\mathrm{mach}}`; a result not well above that error (1000 times) is refused;
* with more than 20 pieces and :math:`m` too large for the recursion the call is refused, with the figure.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from .. import _validate
from ..target import check_target
from ..seeds import generator

EPS = float(np.finfo(float).eps)

__all__ = [
    "coverage_probability",
    "two_per_piece_probability",
    "coverage_probability_enumerated",
    "coverage_probability_mc",
    "min_neurons",
]


def _lengths(lengths, *, allow_fractions=False):
    if allow_fractions and all(isinstance(p, Fraction) for p in np.atleast_1d(lengths).tolist()):
        ps = list(lengths)
        if len(ps) < 1 or any(p <= 0 for p in ps) or sum(ps) != 1:
            raise ValueError(f"lengths must be positive and sum to 1, got {ps}")
        return ps
    p = _validate.vector("lengths", lengths, min_length=1)
    if np.any(p <= 0.0):
        raise ValueError(f"lengths must be positive, got {p.tolist()}")
    if abs(p.sum() - 1.0) > 1e-9:
        raise ValueError(f"lengths must sum to 1, got sum {p.sum()!r}")
    return p


def _k(k):
    return _validate.integer("k", k, minimum=1)


#: Most binomial terms (about n m^2 / 2) the exact recursion may cost before :func:`coverage_probability`
#: switches to a formula whose cost does not grow with m (a few seconds).
RECURSION_WORK = 10**7
_IE_MAX_PIECES = 20
_IE_WORK = 1e8


def _recursion(m: int, p: np.ndarray, k: int) -> float:
    n = p.shape[0]
    if m < n * k:
        return 0.0
    s = np.arange(m + 1)
    r = (s >= k).astype(float)  # R_{n-1}
    from scipy.stats import binom   # here, not at import: scipy.stats takes ~0.5 s to import in every kernel

    tail = np.cumsum(p[::-1])[::-1]  # p_i + ... + p_{n-1}
    for i in range(n - 2, -1, -1):
        pi = min(1.0, p[i] / tail[i])
        new = np.zeros(m + 1)
        for c in range(k, m + 1):
            # Binom(total, pi){c} for total = c..m: one column at a time, O(m) memory
            new[c:] += binom.pmf(c, s[c:], pi) * r[: m + 1 - c]
        r = new
    return float(min(1.0, max(0.0, r[m])))


def _ie_work(n: int, k: int) -> float:
    """Rough cost of inclusion-exclusion: 2^n subsets, each a product of polynomials of degree <= n (k - 1)."""
    return 2.0**n * float(n * k) ** 2


def _check_ie_work(name, n, k):
    if _ie_work(n, k) > _IE_WORK:
        raise ValueError(
            f"{name} is too large for inclusion-exclusion: 2**{n} subsets of polynomials of degree up to {n * (k - 1)} "
            f"(about {_ie_work(n, k):.3g} operations, limit {_IE_WORK:.0e})"
        )


def _probability(m: int, p: np.ndarray, k: int) -> float:
    """P_k(m) by the cheapest accurate route (see the module docstring, "Large m")."""
    n = p.shape[0]
    if m < n * k:
        return 0.0
    from scipy.stats import binom

    union = float(np.sum(binom.cdf(k - 1, m, p)))  # >= 1 - P_k(m)
    if union < EPS / 4:
        return 1.0
    work = n * m * m / 2
    if work <= RECURSION_WORK:
        return _recursion(m, p, k)
    if n > _IE_MAX_PIECES or _ie_work(n, k) > _IE_WORK:
        raise ValueError(
            f"m = {m} is too large for {n} pieces and k = {k}: the exact recursion needs about {work:.3g} binomial "
            f"terms (limit {RECURSION_WORK:.0e}) and inclusion-exclusion about {_ie_work(n, k):.3g} operations "
            f"(limit {_IE_WORK:.0e})"
        )
    value = _inclusion_exclusion(m, list(p), k, exact=False)
    error = 2.0**n * (m * n + 16) * EPS
    if value < 1e3 * error:
        raise ValueError(
            f"m = {m} is too large for the exact recursion ({work:.3g} binomial terms, limit {RECURSION_WORK:.0e}) "
            f"and the probability ({value:.3g}) is too small for inclusion-exclusion in floating point "
            f"(absolute error up to {error:.1g}): use method='inclusion-exclusion', exact=True with Fraction lengths"
        )
    return value


def _poly_mul(a, b):
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def _inclusion_exclusion(m: int, p, k: int, exact: bool):
    n = len(p)
    one = Fraction(1) if exact else 1.0
    ps = [Fraction(x) if exact else float(x) for x in p]
    total = 0 * one
    for size in range(n + 1):
        for bad in itertools.combinations(range(n), size):
            coeffs = [one]
            for i in bad:
                coeffs = _poly_mul(coeffs, [ps[i] ** c / math.factorial(c) for c in range(k)])
            good = [ps[i] for i in range(n) if i not in bad]
            q = sum(good, 0 * one)
            term = 0 * one
            falling = one  # m! / (m - j)!
            for j, e in enumerate(coeffs):
                if j > m:
                    break
                if j > 0:
                    falling = falling * (m - j + 1)
                power = one if m - j == 0 else q ** (m - j)
                term += e * falling * power
            total += -term if size % 2 else term
    if exact:
        return total
    return float(min(1.0, max(0.0, total)))


def coverage_probability(m, lengths, k=2, *, method="recursion", exact=False):
    r"""Exact :math:`\mathbb P(N_i \ge k \ \forall i)` for :math:`m` i.i.d. uniform points.

    Parameters
    ----------
    m : int
        Number of points (neurons), ``m >= 0``.
    lengths : array_like
        Piece lengths :math:`p_i > 0` with :math:`\sum p_i = 1` (a sequence of
        :class:`fractions.Fraction` is accepted with ``exact=True``).
    k : int
        Required number of points per piece (``k >= 1``; the book's condition is ``k = 2``).
    method : {"recursion", "inclusion-exclusion"}
        The positive binomial recursion (stable, :math:`O(n m^2)` time, :math:`O(m)` memory; for large
        :math:`m` it switches to the formulas of "Large m" above) or inclusion--exclusion over the
        :math:`2^n` sets of bad pieces (alternating signs, each term a probability: absolute error
        :math:`\le 2^n (m n + 16)\,\varepsilon`; ``exact=True`` for a rational result, :math:`m \le 10^4`).
    exact : bool
        Only with ``method="inclusion-exclusion"``: compute in rational arithmetic and return a
        :class:`fractions.Fraction`.

    Returns
    -------
    float or Fraction
    """
    m = _validate.integer("m", m, minimum=0)
    k = _k(k)
    method = _validate.method("method", method, ("recursion", "inclusion-exclusion"))
    exact = _validate.flag("exact", exact)
    if exact and method != "inclusion-exclusion":
        raise ValueError("exact=True needs method='inclusion-exclusion'")
    if exact and m > 10**4:
        raise ValueError(f"m must be <= 10000 with exact=True (rational powers q**m grow with m), got {m}")
    p = _lengths(lengths, allow_fractions=exact)
    if method == "recursion":
        return _probability(m, p, k)
    if len(p) > _IE_MAX_PIECES:
        raise ValueError(f"lengths has {len(p)} pieces; inclusion-exclusion is limited to {_IE_MAX_PIECES} (use the recursion)")
    _check_ie_work("k", len(p), k)
    return _inclusion_exclusion(m, list(p), k, exact)


def two_per_piece_probability(m, target) -> float:
    r""":math:`P_2(m)` for the pieces of ``target``: the probability that :math:`m` i.i.d.
    :math:`U[0, 1]` positions put at least two neurons in every piece (the event tested by
    :func:`tts_lib.initialisation.two_per_piece`; points exactly on a jump have probability 0)."""
    target = check_target(target)
    return coverage_probability(m, np.diff(target.edges), 2)


def coverage_probability_enumerated(m, lengths, k=2) -> float:
    r"""Brute force: sum the multinomial probability :math:`\prod_j p_{\text{piece}(j)}` over all
    :math:`n^m` assignments of the :math:`m` points to pieces (``n ** m <= 2_000_000``)."""
    m = _validate.integer("m", m, minimum=0)
    k = _k(k)
    p = _lengths(lengths)
    n = p.shape[0]
    if m * math.log(n) > math.log(2_000_000) if n > 1 else False:
        raise ValueError(f"m is too large for enumeration: {n}**{m} assignments (limit 2e6)")
    total = []
    for assignment in itertools.product(range(n), repeat=m):
        counts = np.bincount(np.asarray(assignment, dtype=int), minlength=n) if m else np.zeros(n, int)
        if np.all(counts >= k):
            total.append(float(np.prod(p[list(assignment)])) if m else 1.0)
    return math.fsum(total)


def coverage_probability_mc(m, lengths, k=2, *, n_samples=10_000, seed=0):
    r"""Monte Carlo estimate of :math:`P_k(m)` and its standard error ``(p_hat, stderr)``.

    Draws ``n_samples`` independent sets of :math:`m` uniform points (generator
    ``numpy.random.default_rng(seed)``) and counts the sets with at least ``k`` points in every piece.
    """
    m = _validate.integer("m", m, minimum=0)
    k = _k(k)
    n_samples = _validate.integer("n_samples", n_samples, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    p = _lengths(lengths)
    n = p.shape[0]
    if n_samples * max(1, m) > 2 * 10**8:
        raise ValueError(
            f"n_samples is too large for m = {m}: n_samples * m = {n_samples * max(1, m):.3g} uniform draws (limit 2e8)"
        )
    inner = np.cumsum(p)[:-1]
    rng = generator(seed)
    hits = 0
    chunk = max(1, 2_000_000 // max(1, m * n))
    done = 0
    while done < n_samples:
        s = min(chunk, n_samples - done)
        piece = np.searchsorted(inner, rng.uniform(size=(s, m)), side="right")
        counts = np.stack([(piece == i).sum(axis=1) for i in range(n)], axis=1)
        hits += int(np.sum(np.all(counts >= k, axis=1)))
        done += s
    p_hat = hits / n_samples
    return p_hat, math.sqrt(max(p_hat * (1 - p_hat), 1e-300) / n_samples)


def min_neurons(lengths, prob, k=2, *, m_max=100_000) -> int:
    r"""Smallest :math:`m` with :math:`P_k(m) \ge` ``prob``.

    :math:`P_k(m)` is non-decreasing in :math:`m` (adding a point never empties a piece), so the
    smallest such :math:`m` is found by doubling and bisection.
    """
    k = _k(k)
    prob = _validate.positive("prob", prob)
    if prob >= 1.0:
        raise ValueError(f"prob must be in (0, 1), got {prob!r}")
    m_max = _validate.integer("m_max", m_max, minimum=1)
    p = _lengths(lengths)
    lo = p.shape[0] * k  # P = 0 below
    if _probability(lo, p, k) >= prob:
        return lo
    hi = lo
    while _probability(hi, p, k) < prob:
        if hi >= m_max:
            raise ValueError(f"no m <= m_max = {m_max} reaches prob = {prob}")
        lo, hi = hi, min(2 * hi, m_max)
    while hi - lo > 1:  # invariant: P(lo) < prob <= P(hi)
        mid = (lo + hi) // 2
        if _probability(mid, p, k) >= prob:
            hi = mid
        else:
            lo = mid
    return hi
