"""The in-page explorables (``_extra/explorables/*.js``) against ``tts_lib``, in the real browser.

Each chapter page registers its explorables in ``window.ttsExplorables[NAME]`` and marks each root with
``data-explorable="NAME"``. These tests load the built pages (``TTS_SITE_DIR``, see conftest.py) with every
non-local request blocked, drive the explorables through that interface on random states (NumPy seeded)
and compare with the library:

* network: L(a, u) and l(u) to 1e-9 relative. Both sides integrate the same piecewise polynomials exactly
  (Gauss-Legendre per interval between the same breakpoints), so they differ by summation rounding only,
  about (number of nodes) x 2**-53 relative: far below 1e-9. The JavaScript a*(u) is checked by its
  optimality, L(a*_js, u) = l(u) to 1e-9 (a* itself is as ill-conditioned as G(u); its loss is not, being
  a minimum).
* ideal: positions to 1e-6 (tts_lib: DOP853 at rtol 1e-10 with located arrival events; the page: RK4 with
  step 1e-5, local error O(h^5), and arrivals located by bisection on the step).
* sgd: on an explicit sample sequence, bit for bit against a plain-Python transcription of the update
  written in the order of ``tts_lib.sgd._step`` (IEEE doubles, no fused multiply-add in either), and to
  rounding against ``tts.sgd_samples`` (compiled, allowed to contract into FMAs: a few ulp per step). In the
  book's regime (small lr * eps / eta**2) one step is close to an isometry, so after K steps the two differ
  by at most about K * 4(m + 1) * 2**-53 relative: that is the tolerance. With large steps the position
  update is expansive (its Jacobian carries lr * eps * r * a_j * sigma''/eta**2, sigma'' up to 12) and
  rounding differences grow exponentially, as between any two compilers; there only the bitwise check
  against the transcription applies.

Also: keyboard operation (a range input responds to ArrowRight), no horizontal overflow at 390 px, every text
at least 11 CSS px at 390 px (SVG labels measured as rendered, i.e. times the SVG's scale), and
the explorables also start from a page opened as a file (no server), which module scripts could not.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tts_lib as tts
from sitecfg import EXPLORABLE_PAGES, drag, open_explorables, open_offline

PAGES = EXPLORABLE_PAGES
U = 2.0**-53




@pytest.fixture(scope="module")
def fresh_pages(browser, base_url):
    """One open page per explorable at 1280 px, shared by the tests of this module, and what
    ``test_text_legible`` measures on each as it was opened (the tests that drive a page change it afterwards):
    {name: (page, errors, blocked)}, {name: (text sizes, errors by then)}."""
    opened, legible = {}, {}
    for name, rel in PAGES.items():  # the three pages load side by side
        context, pg, errors, blocked = open_offline(browser, base_url, rel, wait_until="commit")
        opened[name] = (pg, errors, blocked)
    for name, (pg, _, _) in opened.items():
        pg.wait_for_load_state("load", timeout=180_000)
        pg.wait_for_function(f"() => window.ttsExplorables && window.ttsExplorables.{name}", timeout=30_000)
    for name, (pg, errors, _) in opened.items():
        pg.wait_for_timeout(300)
        legible[name] = (pg.evaluate(JS_TEXT_SIZES, name), list(errors))
    yield opened, legible
    for pg, _, _ in opened.values():
        pg.context.close()


@pytest.fixture(scope="module")
def pages(fresh_pages):
    """One open page per explorable, shared by the tests of this module."""
    return fresh_pages[0]


@pytest.fixture(scope="module")
def phone_pages(browser, base_url):
    """One page per explorable at 390 CSS px, opened (all three) on first use and shared by the read-only checks of a phone
    (overflow, text sizes): they scroll the explorable into view and measure, nothing else."""
    opened = {}

    def _open(name):
        if not opened:  # the three pages, loading side by side
            for n, (_, pg, errors) in open_explorables(browser, base_url, list(PAGES), width=390).items():
                opened[n] = (pg, errors)
            opened[next(iter(opened))][0].wait_for_timeout(300)
        return opened[name]

    yield _open
    for pg, _ in opened.values():
        pg.context.close()


def _random_target(rng, n_pieces=None):
    n = int(n_pieces or rng.integers(2, 7))
    while True:
        jumps = np.sort(rng.uniform(0.05, 0.95, n - 1))
        if n == 1 or np.min(np.diff(np.r_[0.0, jumps, 1.0])) > 0.03:
            break
    values = rng.uniform(-3.0, 5.0, n)
    return tts.PiecewiseConstant(jumps, values)


def _js_target(t):
    return {"jumps": t.jumps.tolist(), "values": t.values.tolist()}


def _rel(x, y):
    return abs(x - y) / max(abs(y), 1e-300)


# --- every explorable is there, with a caption, without errors ---------------------------------------
@pytest.mark.parametrize("name", sorted(PAGES))
def test_registered_with_caption(pages, name):
    pg, errors, blocked = pages[name]
    info = pg.evaluate(
        """(name) => {
          const roots = document.querySelectorAll(`[data-explorable="${name}"]`);
          const cap = roots.length ? roots[0].querySelector('figcaption') : null;
          const r = cap ? cap.getBoundingClientRect() : null;
          return {n: roots.length, api: !!window.ttsExplorables[name],
                  caption: cap ? cap.textContent.trim() : '', visible: !!r && r.width > 0 && r.height > 0,
                  ranges: roots.length ? roots[0].querySelectorAll('input[type=range]').length : 0,
                  svgs: roots.length ? roots[0].querySelectorAll('svg').length : 0};
        }""",
        name,
    )
    assert info["n"] == 1 and info["api"], info
    assert len(info["caption"]) > 40 and info["visible"], info
    assert info["ranges"] >= 1 and info["svgs"] >= 1, info
    assert not blocked, blocked
    assert not errors, errors


# --- network: exact loss, reduced loss and a*(u) against tts_lib --------------------------------------
def test_network_matches_tts_lib(pages):
    pg = pages["network"][0]
    rng = np.random.default_rng(1601)
    worst = {"loss": 0.0, "reduced_loss": 0.0, "optimal": 0.0}
    for trial in range(30):
        target = _random_target(rng)
        m = int(rng.integers(1, 13))
        u = rng.uniform(-0.05, 1.05, m) if trial % 3 == 0 else rng.uniform(0, 1, m)
        eta = float(10 ** rng.uniform(-2.7, -1))
        optimal = trial % 2 == 0
        a = None if optimal else rng.normal(0, 3, m + 1)
        got = pg.evaluate(
            "(s) => window.ttsExplorables.network.set(s)",
            {"target": _js_target(target), "u": u.tolist(), "eta": eta, "a": None if a is None else a.tolist()},
        )
        ell = tts.reduced_loss(u, target, eta)
        a_used = np.array(got["a"]) if optimal else a
        if not optimal:
            assert np.array_equal(a_used, a)
        lib_loss = tts.loss(a_used, u, target, eta)
        worst["loss"] = max(worst["loss"], _rel(got["loss"], lib_loss))
        worst["reduced_loss"] = max(worst["reduced_loss"], _rel(got["reduced_loss"], ell))
        if optimal:
            # the page's a*(u) is a minimiser: its exact loss is l(u)
            worst["optimal"] = max(worst["optimal"], _rel(lib_loss, ell))
        else:
            assert got["loss"] >= got["reduced_loss"] * (1 - 1e-12)
    print("network, max relative differences:", worst)
    assert worst["loss"] < 1e-9 and worst["reduced_loss"] < 1e-9 and worst["optimal"] < 1e-9, worst


def test_network_singular_gram(pages):
    """Two neurons at the same place: G(u) is singular, a* not unique; l(u) is still the library's."""
    pg = pages["network"][0]
    target = tts.PiecewiseConstant.paper()
    u = [0.3, 0.3, 0.6, 0.9]
    got = pg.evaluate("(s) => window.ttsExplorables.network.set(s)",
                      {"target": _js_target(target), "u": u, "eta": 0.02, "a": None})
    assert _rel(got["reduced_loss"], tts.reduced_loss(u, target, 0.02)) < 1e-9
    assert _rel(tts.loss(np.array(got["a"]), u, target, 0.02), tts.reduced_loss(u, target, 0.02)) < 1e-9


# --- ideal: positions against tts.ideal_flow --------------------------------------------------------------
def _ideal_cases(rng):
    example = tts.PiecewiseConstant([0.3, 0.6], [0.0, 2.0, 1.0])
    yield example, np.array([0.1, 0.22, 0.4, 0.5, 0.65, 0.8]), 0.6
    yield example, np.array([0.1, 0.2, 0.3, 0.5, 0.65, 0.8]), 0.3  # a neuron starting on a jump
    for _ in range(12):
        target = _random_target(rng, rng.integers(2, 5))
        m = int(rng.integers(2, 11))
        u0 = np.round(rng.uniform(0, 1, m), 6)
        delta = np.max(np.abs(target.heights))
        tau = float(rng.uniform(0.2, 1.0) * 8 * 0.2 / delta**2)
        yield target, u0, tau


def test_ideal_matches_tts_lib(pages):
    pg = pages["ideal"][0]
    rng = np.random.default_rng(1602)
    worst_u, worst_arrival, n_arrivals = 0.0, 0.0, 0
    for target, u0, tau in _ideal_cases(rng):
        pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": _js_target(target), "u": u0.tolist()})
        got = pg.evaluate("(tau) => window.ttsExplorables.ideal.run(tau)", tau)
        ref = tts.ideal_flow(u0, target, (0.0, tau), tau_eval=np.array([0.0, tau]))
        worst_u = max(worst_u, float(np.max(np.abs(np.array(got["u"]) - ref.u[-1]))))
        js_arr = np.array([np.nan if t is None else t for t in got["arrival_tau"]])
        assert np.array_equal(np.isnan(js_arr), np.isnan(ref.arrival_tau)), (js_arr, ref.arrival_tau)
        both = ~np.isnan(js_arr)
        n_arrivals += int(both.sum())
        if both.any():
            worst_arrival = max(worst_arrival, float(np.max(np.abs(js_arr[both] - ref.arrival_tau[both]))))
    print(f"ideal: max |u_js - u_lib| = {worst_u:.2e}, max arrival-time difference = {worst_arrival:.2e} "
          f"over {n_arrivals} arrivals")
    assert n_arrivals >= 5  # the cases do exercise captures
    assert worst_u < 1e-6 and worst_arrival < 1e-6


def test_ideal_velocity_and_bound(pages):
    """The page's velocity is tts.ideal_velocity (one-sided rule included), and each capture time it
    shows respects the chapter's bound 8 d / Delta^2 where the bound applies."""
    pg = pages["ideal"][0]
    rng = np.random.default_rng(1603)
    for _ in range(20):
        target = _random_target(rng, rng.integers(2, 5))
        u = rng.uniform(0, 1, int(rng.integers(2, 10)))
        u[0] = target.jumps[0]  # one neuron on a jump
        pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": _js_target(target), "u": u.tolist()})
        v = np.array(pg.evaluate("(u) => window.ttsExplorables.ideal.velocity(u)", u.tolist()))
        np.testing.assert_allclose(v, tts.ideal_velocity(u, target), rtol=1e-12, atol=1e-12)
    # the bound holds where the page shows it
    target = tts.PiecewiseConstant.paper()
    u0 = np.array([0.05, 0.15, 0.23, 0.31, 0.38, 0.45, 0.54, 0.6, 0.7, 0.74, 0.87, 0.95])  # no symmetric pair
    pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": _js_target(target), "u": u0.tolist()})
    rows = pg.evaluate("() => window.ttsExplorables.ideal.bounds()")
    horizon = max(r["bound"] for r in rows if r["bound"] is not None)
    ref = tts.ideal_flow(u0, target, (0.0, horizon), tau_eval=np.array([0.0, horizon]))
    for i, r in enumerate(rows):
        assert r["bound"] is not None
        caught = ref.arrival_tau[ref.arrival_jump == i]
        assert caught.size and caught.min() <= r["bound"] * (1 + 1e-9), (i, caught, r)


# --- sgd: the update on explicit samples ----------------------------------------------------------------------
def _sgd_reference(a, u, target, eta, lr, eps, xs, noises):
    """tts_lib.sgd._step transcribed in plain Python floats (no FMA), same order of operations."""
    a, u = [float(v) for v in a], [float(v) for v in u]
    m, inv_eta, lr_u = len(u), 1.0 / eta, eps * lr
    jumps, values = target.jumps.tolist(), target.values.tolist()
    for x, xi in zip(xs.tolist(), noises.tolist()):
        y = values[sum(x >= v for v in jumps)] + xi
        s, sp = [0.0] * m, [0.0] * m
        for j in range(m):
            zc = min(max((x - u[j]) * inv_eta, -0.5), 0.5)
            p, q, t = 0.5 + zc, 0.5 - zc, 0.5 - abs(zc)
            s[j] = 4.0 * p * p * p if zc <= 0.0 else 1.0 - 4.0 * q * q * q
            sp[j] = 12.0 * t * t
        f = [0.0, 0.0, 0.0, 0.0]
        j = 0
        while j + 4 <= m:
            for k in range(4):
                f[k] += a[j + 1 + k] * s[j + k]
            j += 4
        while j < m:
            f[0] += a[j + 1] * s[j]
            j += 1
        r = a[0] + ((f[0] + f[1]) + (f[2] + f[3])) - y
        a[0] -= lr * r
        gr, gu = lr * r, lr_u * r * inv_eta
        for j in range(m):
            aj = a[j + 1]
            a[j + 1] = aj - gr * s[j]
            u[j] += gu * aj * sp[j]
    return np.array(a), np.array(u)


def test_sgd_matches_tts_lib(pages):
    pg = pages["sgd"][0]
    rng = np.random.default_rng(1604)
    worst = 0.0
    for trial in range(10):
        target = _random_target(rng)
        m = int(rng.integers(1, 25))
        book_regime = trial < 8
        if book_regime:
            eta, lr, eps = (float(10 ** rng.uniform(lo, hi)) for lo, hi in ((-2.4, -1.3), (-5, -3), (-5, -2)))
        else:  # large steps: expansive, chaotic in the last bits
            eta, lr, eps = (float(10 ** rng.uniform(lo, hi)) for lo, hi in ((-1.5, -1), (-2.5, -2), (-1, 0)))
        k = 1500
        xs = rng.uniform(0, 1, k)
        noises = rng.uniform(-1, 1, k)
        # half of the samples inside some window, so that sigma' and the u update are exercised
        n_in = k // 2 + k % 2
        xs[::2] = np.clip(rng.choice(np.r_[0.5, rng.uniform(0, 1, m)], n_in) + rng.uniform(-eta, eta, n_in), 0, 1)
        a0, u0 = rng.normal(0, 2, m + 1), rng.uniform(0, 1, m)
        samples = np.column_stack([xs, noises]).tolist() if trial % 2 else {"x": xs.tolist(), "noise": noises.tolist()}
        got = pg.evaluate(
            "(o) => window.ttsExplorables.sgd.run(o)",
            {"eps": eps, "lr": lr, "eta": eta, "samples": samples, "u0": u0.tolist(), "a0": a0.tolist(),
             "target": _js_target(target), "record": k},
        )
        a_js, u_js = np.array(got["a"]), np.array(got["u"])
        a_py, u_py = _sgd_reference(a0, u0, target, eta, lr, eps, xs, noises)
        assert np.array_equal(a_js, a_py) and np.array_equal(u_js, u_py), "not the same update, bit for bit"
        assert not np.array_equal(u_js, u0)
        if not book_regime:
            continue
        a_lib, u_lib = tts.sgd_samples(a0, u0, target, eta=eta, lr=lr, eps=eps, xs=xs, noises=noises)
        scale_a = max(1.0, float(np.max(np.abs(a_lib))))
        diff = max(float(np.max(np.abs(a_js - a_lib))) / scale_a, float(np.max(np.abs(u_js - u_lib))))
        worst = max(worst, diff)
        assert diff <= k * 4 * (m + 1) * U, (trial, diff)
        # the recorded losses are the exact population loss of the recorded states
        assert got["steps"] == [0, k]
        assert _rel(got["loss_history"][0], tts.loss(a0, u0, target, eta)) < 1e-9
        assert _rel(got["loss_history"][-1], tts.loss(a_js, u_js, target, eta)) < 1e-9
    print(f"sgd: max difference from tts.sgd_samples after 1500 steps: {worst:.2e}")


def test_sgd_seeded_run_is_reproducible(pages):
    pg = pages["sgd"][0]
    r1, r2 = (pg.evaluate("() => window.ttsExplorables.sgd.run({eps: 2e-5, steps: 20000, seed: 7})") for _ in range(2))
    r1.pop("ns_per_step"), r2.pop("ns_per_step")
    assert r1 == r2
    assert len(r1["loss_history"]) == 101 and r1["loss_history"][-1] < r1["loss_history"][0]


# --- keyboard, phone width, file:// ------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PAGES))
def test_range_input_responds_to_arrow_right(pages, name):
    pg = pages[name][0]
    loc = pg.locator(f'[data-explorable="{name}"] input[type=range]:not([disabled])').first
    loc.scroll_into_view_if_needed()
    before = float(loc.input_value())
    if before >= float(loc.get_attribute("max")):
        loc.press("ArrowLeft")
        before = float(loc.input_value())
    loc.focus()
    loc.press("ArrowRight")
    assert float(loc.input_value()) > before


def test_network_keyboard_changes_the_loss(pages):
    pg = pages["network"][0]
    pg.evaluate("() => window.ttsExplorables.network.set({target: {jumps: [0.2, 0.35, 0.5, 0.65, 0.8],"
                " values: [1, 5, 1, 3, 1, 5]}, u: [0.1, 0.25, 0.42, 0.55, 0.7, 0.85], eta: 0.02, a: null})")
    before = pg.evaluate("() => window.ttsExplorables.network.values()")
    eta = pg.locator('[data-explorable="network"] input[type=range]').first
    eta.focus()
    eta.press("ArrowRight")
    after_eta = pg.evaluate("() => window.ttsExplorables.network.values()")
    assert after_eta["reduced_loss"] != before["reduced_loss"]
    neuron = pg.locator('[data-explorable="network"] [aria-label="neuron 3 position"]')
    neuron.focus()
    neuron.press("ArrowRight")
    state = pg.evaluate("() => window.ttsExplorables.network.state()")
    assert math.isclose(state["u"][2], 0.425, abs_tol=1e-12)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_fits_a_phone(phone_pages, name):
    pg, errors = phone_pages(name)
    info = pg.evaluate(
        """(name) => {
          const root = document.querySelector(`[data-explorable="${name}"]`);
          root.scrollIntoView();
          const W = document.documentElement.clientWidth;
          const out = [];
          for (const e of [root, ...root.querySelectorAll('*')]) {
            const r = e.getBoundingClientRect();
            if (r.width && (r.left < -0.5 || r.right > W + 0.5)) out.push(e.tagName + '.' + e.getAttribute('class') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
          }
          return {W, out: out.slice(0, 8), scroll: root.scrollWidth, client: root.clientWidth};
        }""",
        name,
    )
    assert info["W"] <= 390
    assert not info["out"] and info["scroll"] <= info["client"] + 1, info
    assert not errors, errors


MIN_TEXT_PX = 11  # smallest text a reader should get on a phone, in CSS px as rendered

JS_TEXT_SIZES = """(name) => {
  const root = document.querySelector(`[data-explorable="${name}"]`);
  root.scrollIntoView();
  const out = [];
  root.querySelectorAll('svg').forEach((s, si) => {
    const vb = s.viewBox.baseVal, box = s.getBoundingClientRect();
    const k = vb && vb.width ? box.width / vb.width : 1;   // CSS px per user unit
    const texts = Array.from(s.querySelectorAll('text')).filter(t => t.textContent.trim());
    const boxes = texts.map(t => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const r = boxes[i];
      const clipped = r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
      const over = texts.filter((u, j) => j !== i && Math.min(r.right, boxes[j].right) - Math.max(r.left, boxes[j].left) > 1
                                            && Math.min(r.bottom, boxes[j].bottom) - Math.max(r.top, boxes[j].top) > 1)
                        .map(u => u.textContent.trim());
      out.push({where: `svg ${si}`, text: t.textContent.trim().slice(0, 30),
                px: parseFloat(getComputedStyle(t).fontSize) * k, clipped, over});
    });
  });
  // HTML text of the explorable (controls, read-outs, table, caption)
  for (const e of root.querySelectorAll('*')) {
    if (e.closest('svg')) continue;
    if (!Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = e.getBoundingClientRect();
    if (!r.width) continue;
    out.push({where: e.tagName.toLowerCase(), text: e.textContent.trim().slice(0, 30),
              px: parseFloat(getComputedStyle(e).fontSize), clipped: false, over: []});
  }
  const svgs = Array.from(root.querySelectorAll('svg')).map(s => Math.round(s.getBoundingClientRect().height));
  return {texts: out, svg_heights: svgs};
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_text_legible(fresh_pages, phone_pages, name, width):
    """At 390 px (a phone) and 1280 px every text of the explorable, SVG labels included (font size x the SVG's scale), is at
    least MIN_TEXT_PX CSS px, lies inside its SVG and overlaps no other label; every plot is at least 110 px tall.
    At 390 px on the page test_fits_a_phone measured (read-only checks both); at 1280 px on the module's page as it
    was opened, measured before any test drove it (``fresh_pages``)."""
    if width == 390:
        pg, errors = phone_pages(name)
        info = pg.evaluate(JS_TEXT_SIZES, name)
    else:
        info, errors = fresh_pages[1][name]
    texts = info["texts"]
    assert texts and any(t["where"].startswith("svg") for t in texts)
    smallest = min(texts, key=lambda t: t["px"])
    print(f"{name} at {width} px: smallest text {smallest['px']:.2f} px ({smallest['where']}: {smallest['text']!r}); "
          f"plot heights {info['svg_heights']} px")
    small = [t for t in texts if t["px"] < MIN_TEXT_PX]
    assert not small, f"{len(small)} texts below {MIN_TEXT_PX} px, e.g. {small[:5]}"
    bad = [t for t in texts if t["clipped"] or t["over"]]
    assert not bad, f"labels cut by their SVG or overlapping: {bad[:5]}"
    assert min(info["svg_heights"]) >= 110, info["svg_heights"]
    assert not errors, errors


def test_explorables_start_from_a_file_url(browser, site_dir):
    """Opened from disk (file://, no server) the explorables still start: classic scripts, not modules."""
    context = browser.new_context()
    try:
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto((site_dir / PAGES["network"]).as_uri(), wait_until="load")
        pg.wait_for_function("() => window.ttsExplorables && window.ttsExplorables.network", timeout=30_000)
        assert pg.evaluate("() => window.ttsExplorables.network.values().loss") > 0
        assert not errors, errors
    finally:
        context.close()


def test_mouse_operation(pages):
    """Drag a neuron of `network`; click to place a neuron in `ideal` and press play."""
    pg = pages["network"][0]
    pg.evaluate("() => window.ttsExplorables.network.set({u: [0.1, 0.25, 0.42, 0.55, 0.7, 0.85], eta: 0.02, a: null})")
    dot = pg.locator('[data-explorable="network"] [aria-label="neuron 1 position"]')
    drag(pg, dot, 40)
    assert pg.evaluate("() => window.ttsExplorables.network.state().u[0]") > 0.12

    pg = pages["ideal"][0]
    pg.evaluate("() => window.ttsExplorables.ideal.set({target: {jumps: [0.3, 0.6], values: [0, 2, 1]}, u: [0.1, 0.22, 0.4]})")
    top = pg.locator('[data-explorable="ideal"] svg').first
    top.scroll_into_view_if_needed()
    box = top.bounding_box()
    top.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.4})
    assert len(pg.evaluate("() => window.ttsExplorables.ideal.bounds()")) == 2
    rows = pg.evaluate("() => document.querySelectorAll('[data-explorable=\"ideal\"] tbody tr').length")
    assert rows == 2
    n_before = pg.evaluate("() => document.querySelectorAll('[data-explorable=\"ideal\"] svg')[0].querySelectorAll('circle').length")
    assert n_before == 4  # three neurons set, one placed by the click
    pg.locator('[data-explorable="ideal"] button', has_text="play").click()
    pg.wait_for_timeout(700)
    assert float(pg.locator('[data-explorable="ideal"] input[type=range]').input_value()) > 0
