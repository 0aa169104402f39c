"""The explorables are readable in the theme's light and dark modes (WCAG 2.1 AA), measured in the browser.

pydata-sphinx-theme (under sphinx-book-theme) switches to dark mode by ``html[data-theme=dark]``, chosen with its
theme button and kept in ``localStorage`` (``mode``/``theme``); the test sets that storage before the page loads,
as a reader who chose dark mode. For every explorable it then computes, from the computed styles:

* every text (HTML text and SVG labels): its colour against its actual background (the first ancestor with a
  background colour, the page's otherwise), opacity of the element and its ancestors composited: >= 4.5:1
  (WCAG 1.4.3; disabled controls are exempt there and here);
* every key mark (the target, the network and loss curves, neurons, handles, axes, jump lines, bounds, the cover
  circles, trajectories): the better of its fill and its outline against the background: >= 3:1 (WCAG 1.4.11).

Contrast ratio (L1 + 0.05) / (L2 + 0.05) with the relative luminance of WCAG 2.1 (sRGB).
"""

from __future__ import annotations

import pytest

from sitecfg import EXPLORABLE_PAGES

PAGES = EXPLORABLE_PAGES
TEXT_MIN, MARK_MIN = 4.5, 3.0
KEY_MARKS = ["tts-target", "tts-net", "tts-curve", "tts-neuron", "tts-axis", "tts-jumpline", "tts-bound", "tts-now",
             "tts-traj", "tts-cover-ok", "tts-cover-miss", "tts-handle", "tts-cursor"]

MEASURE = """([name, keyMarks]) => {
  const root = document.querySelector(`[data-explorable="${name}"]`);
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (c, bg) => ({r: c.a * c.r + (1 - c.a) * bg.r, g: c.a * c.g + (1 - c.a) * bg.g, b: c.a * c.b + (1 - c.a) * bg.b, a: 1});
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  function background(e) {
    // the first ancestor with a background colour, composited over the ones below it; the canvas is the html
    // element's background (white when none is set)
    const layers = [];
    for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }
  function opacity(e) {
    let o = 1;
    for (let n = e; n && n !== document.documentElement; n = n.parentElement) o *= Number(getComputedStyle(n).opacity);
    return o;
  }
  const out = [];
  const visible = (e) => { const r = e.getBoundingClientRect(); return (r.width > 0 || r.height > 0) && getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none'; };  // a vertical line is 0 wide
  for (const e of [root, ...root.querySelectorAll('*')]) {
    if (!visible(e)) continue;
    const inSvg = !!e.closest('svg');
    const ownText = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    const cs = getComputedStyle(e);
    const bg = background(inSvg ? e.closest('svg') : e);
    const op = opacity(e);
    if (ownText && !e.closest(':disabled')) {
      let c = parse(inSvg ? cs.fill : cs.color);
      if (c) {
        c = over({...c, a: c.a * op * (inSvg ? Number(cs.fillOpacity) : 1)}, bg);
        out.push({kind: 'text', what: (e.tagName + '.' + (e.getAttribute('class') || '')).toLowerCase(),
                  text: e.textContent.trim().slice(0, 30), ratio: ratio(c, bg)});
      }
    }
    const cls = (e.getAttribute('class') || '').split(/\\s+/);
    const key = keyMarks.find((k) => cls.includes(k));
    if (inSvg && key && e.tagName !== 'text') {
      const cands = [];
      const fill = parse(cs.fill), stroke = parse(cs.stroke);
      if (fill && cs.fill !== 'none' && e.tagName !== 'line') cands.push(ratio(over({...fill, a: fill.a * op * Number(cs.fillOpacity)}, bg), bg));
      if (stroke && cs.stroke !== 'none' && parseFloat(cs.strokeWidth) >= 1) cands.push(ratio(over({...stroke, a: stroke.a * op * Number(cs.strokeOpacity)}, bg), bg));
      if (cands.length) out.push({kind: 'mark', what: key + ' ' + e.tagName.toLowerCase(), text: '', ratio: Math.max(...cands)});
    }
  }
  return {theme: document.documentElement.dataset.theme || '', items: out};
}"""


def _open(browser, base_url, rel, mode):
    """A page of ``rel`` in ``mode`` (stored before the page loads, as a reader's choice), navigation started:
    the caller waits for what it needs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=mode)
    context.add_init_script(f"try {{ localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}'); }} catch (e) {{}}")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    page = context.new_page()
    page.goto(f"{base_url}/{rel}", wait_until="commit")
    return context, page


IDEAL_AT_END = """() => { const s = document.querySelector('[data-explorable="ideal"] input[type=range]');
                          return Number(s.value) >= Number(s.max); }"""


@pytest.fixture(scope="module")
def by_mode():
    """Each explorable measured in both modes, its two pages loading and running side by side: the sgd runs
    finish (final read-out, loss curves), the ideal dynamics play to their end (captured neurons, trajectories)
    and its upper plot takes the focus (the keyboard cursor); then each is measured. One page after the other
    waited for each run and each 6 s animation in turn."""
    return {}


def measure(browser, base_url, name, mode, cache):
    if (name, mode) in cache:
        return cache[(name, mode)]
    opened = {}
    try:
        for md in ("light", "dark"):
            opened[(name, md)] = _open(browser, base_url, PAGES[name], md)
        for (n, md), (_, pg) in opened.items():
            pg.wait_for_load_state("load", timeout=180_000)
            pg.wait_for_function(f"() => window.ttsExplorables && window.ttsExplorables.{n}", timeout=30_000)
            if n == "ideal":  # play: the whole span takes 6 s of animation
                pg.locator('[data-explorable="ideal"] button', has_text="play").click()
        for (n, md), (_, pg) in opened.items():
            if n == "sgd":  # the run finished: final read-out, loss curves
                pg.wait_for_function("() => document.querySelector('[data-explorable=sgd]').dataset.state === 'done'",
                                     timeout=120_000)
            if n == "ideal":  # played to the end (its slider at the end), the keyboard cursor shown
                pg.wait_for_function(IDEAL_AT_END, timeout=120_000)
                pg.locator('[data-explorable="ideal"] svg').first.focus()
        for (n, md), (_, pg) in opened.items():
            pg.wait_for_timeout(200)
            cache[(n, md)] = pg.evaluate(MEASURE, [n, KEY_MARKS])
    finally:
        for context, _ in opened.values():
            context.close()
    return cache[(name, mode)]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_contrast(browser, base_url, by_mode, name, mode):
    info = measure(browser, base_url, name, mode, by_mode)
    assert info["theme"] == mode, f"the page did not switch to {mode} mode: data-theme={info['theme']!r}"
    items = info["items"]
    texts = [i for i in items if i["kind"] == "text"]
    marks = [i for i in items if i["kind"] == "mark"]
    assert texts and marks
    worst_t = min(texts, key=lambda i: i["ratio"])
    worst_m = min(marks, key=lambda i: i["ratio"])
    print(f"{name}, {mode}: lowest text contrast {worst_t['ratio']:.2f} ({worst_t['what']} {worst_t['text']!r}), "
          f"lowest key-mark contrast {worst_m['ratio']:.2f} ({worst_m['what']}); {len(texts)} texts, {len(marks)} marks")
    bad_t = sorted({(i["what"], i["text"], round(i["ratio"], 2)) for i in texts if i["ratio"] < TEXT_MIN}, key=lambda x: x[2])
    bad_m = sorted({(i["what"], round(i["ratio"], 2)) for i in marks if i["ratio"] < MARK_MIN}, key=lambda x: x[1])
    assert not bad_t, f"{len(bad_t)} texts below {TEXT_MIN}:1, e.g. {bad_t[:6]}"
    assert not bad_m, f"{len(bad_m)} key marks below {MARK_MIN}:1, e.g. {bad_m[:6]}"
