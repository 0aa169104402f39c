"""One load of each (page, width) of the built site, measured once for every test that reads it.

test_built_site.py (``test_page``, ``test_page_top_fits_one_screen``), test_equations.py and test_legibility.py
check the same pages at the same widths; each used to load and typeset the page itself (MathJax 4 on a long
chapter takes seconds). :func:`measured` loads ``page_rel`` at ``width`` CSS px once, waits for MathJax's own
promise and for every image, takes every measurement those tests use in the page as loaded, and keeps them in
a JSON file of the session's measurement folder (``TTS_SITE_MEASURE_DIR``, made by conftest.py and shared by the
pytest-xdist workers): the worker that first needs a (page, width) measures it under a file lock, the others
read it. The measurements are the JavaScript of each test, unchanged, run one after the other on the same page.

The sequence on the page (a superset of each test's own): load with every non-local request blocked (the blocked
URLs, page errors and console errors are recorded until the page is closed), count the ``.math`` elements (before
typesetting), wait for ``MathJax.startup.promise``, make every image eager and wait for it, wait 300 ms
(test_legibility's settling time; test_equations used 200 ms), measure, and take the screenshot of the pages in
``SCREENSHOT_PAGES`` at 1280 px (``<site>/../screenshots``).
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path

from sitecfg import SITE_DIR, open_offline, wait_for_mathjax

# Pages whose top screen is kept as a screenshot (1280 px) for a reviewer.
SCREENSHOT_PAGES = {
    "intro.html",
    "reference/notation.html",
    "chapters/01_introduction.html",
    "chapters/03_slow_fast.html",
    "chapters/05_experiments.html",
    "chapters/05_1_two_timescales.html",
}

SETTLE_MS = 300

# --- test_built_site.py: test_page ---------------------------------------------------------------------------------
JS_VISIBLE_TEXT = """() => {
  const clone = document.querySelector('main') ? document.querySelector('main').cloneNode(true)
                                                : document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .cell_input, '
                         + 'textarea, .animation, .output, .cell_output').forEach(e => e.remove());
  return clone.textContent;
}"""

JS_IMAGES = """async () => {
  const imgs = Array.from(document.querySelectorAll('img'));
  for (const img of imgs) { img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(res => {
      img.addEventListener('load', res, {once: true});
      img.addEventListener('error', res, {once: true});
      setTimeout(res, 10000);
  })));
  return imgs.map(img => ({src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0,
                           svg: /\\.svg(\\?|#|$)/i.test(img.currentSrc || img.src)}));
}"""

JS_PAGE = """() => ({
  n_mjx: document.querySelectorAll('mjx-container').length,
  n_merror: document.querySelectorAll('mjx-merror').length,
  merrors: Array.from(document.querySelectorAll('mjx-merror')).slice(0, 5)
             .map(e => e.getAttribute('data-mjx-error') || e.textContent),
  n_fig: document.querySelectorAll(
    'main img:not([src*="_static/"]), main .animation, main video, main svg.figure').length,
  n_widgets: document.querySelectorAll('.jupyter-widgets').length,
  hrefs: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
})"""

# --- test_built_site.py: test_page_top_fits_one_screen ----------------------------------------------------------
JS_TOP = """() => {
  const run = document.querySelector('main .run-this-chapter');
  const obj = [...document.querySelectorAll('main .admonition')]
    .find(a => /learning objectives/i.test(a.querySelector('.admonition-title')?.textContent || ''));
  if (!run || !obj) return null;
  return {start: run.getBoundingClientRect().top, end: obj.getBoundingClientRect().bottom};
}"""

JS_CHIPS_ORDER = """() => {
  const chips = [...document.querySelectorAll('main p')].find(p => /^Library calls/.test(p.textContent));
  const heads = [...document.querySelectorAll('main section > h2, main section > h3')];
  if (!chips) return null;
  const last = heads.length ? heads[heads.length - 1] : null;
  return last ? Boolean(last.compareDocumentPosition(chips) & Node.DOCUMENT_POSITION_FOLLOWING) : true;
}"""

# --- test_equations.py ----------------------------------------------------------------------------------------------
JS_EQUATIONS = r"""() => {
  const vw = document.documentElement.clientWidth;
  const col = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const colR = col.getBoundingClientRect();
  const para = col.querySelector('p');
  const bodyPx = parseFloat(getComputedStyle(para || col).fontSize);
  // what a reader sees of a formula: every painted element of its mjx-math (glyphs, rules, surds),
  // not the hidden assistive MathML that MathJax adds for screen readers
  const extent = el => {
    let l = Infinity, r = -Infinity, n = 0;
    const math = el.querySelector('mjx-math') || el;
    for (const d of math.querySelectorAll('*')) {
      if (d.closest('mjx-assistive-mml')) continue;
      const b = d.getBoundingClientRect();
      if (b.width <= 0 || b.height <= 0) continue;
      l = Math.min(l, b.left); r = Math.max(r, b.right); n++;
    }
    if (!n) { const b = math.getBoundingClientRect(); l = b.left; r = b.right; }
    return {l, r};
  };
  const contentBox = el => {
    const b = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {l: b.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
            r: b.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight)};
  };
  const scroller = el => { for (let e = el.parentElement; e && e !== col; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX; if (o === 'auto' || o === 'scroll') return e; } return null; };
  const label = el => { const h = el.closest('[id]'); return (h && h.id) || ''; };
  const texOf = el => {
      return ((el.closest('div.math') || el).textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60); };

  const display = Array.from(document.querySelectorAll('mjx-container[display="true"]')).map(el => {
    const host = el.closest('div.math') || el.parentElement;
    const box = contentBox(host);
    const left = Math.max(box.l, 0), right = Math.min(box.r, vw);
    const ext = extent(el);
    const cut = ext.r > right + 1 || ext.l < left - 1;
    const scrolls = el.scrollWidth > el.clientWidth + 1 || host.scrollWidth > host.clientWidth + 1;
    const eqno = host.querySelector('.eqno');
    let besides = false;
    if (eqno) {
      const a = eqno.getBoundingClientRect(), b = el.getBoundingClientRect();
      besides = a.height > 0 && a.top < b.bottom - 1 && a.bottom > b.top + 1;
    }
    return {where: label(host), text: texOf(el), need: Math.round(ext.r - ext.l), box: Math.round(right - left),
            over_right: Math.round(ext.r - right), over_left: Math.round(left - ext.l), cut, scrolls,
            numbered: !!eqno, eqno_beside: besides, font_px: parseFloat(getComputedStyle(el).fontSize)};
  });

  const inline = Array.from(document.querySelectorAll('mjx-container:not([display="true"])'))
    .filter(el => col.contains(el) && el.getBoundingClientRect().height > 0)
    .map(el => {
      const sc = scroller(el);
      const ext = extent(el);
      const limit = Math.min(colR.right, vw);
      const off = sc ? sc.getBoundingClientRect().right > limit + 1 : ext.r > limit + 1;
      return {where: label(el), text: (el.textContent || '').slice(0, 40), right: Math.round(ext.r),
              limit: Math.round(limit), in_scroller: !!sc, off};
    });
  return {vw, pageW: document.documentElement.scrollWidth, colW: Math.round(colR.width), bodyPx, display,
          inline_total: inline.length, inline_off: inline.filter(i => i.off)};
}"""

# --- test_legibility.py ---------------------------------------------------------------------------------------------
JS_LEGIBILITY = r"""() => {
  const col = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const colW = col.clientWidth;
  const scrolls = el => { for (let e = el; e && e !== col; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  const eqs = Array.from(document.querySelectorAll('mjx-container[display="true"]')).map(el => {
      const box = el.getBoundingClientRect();
      const inner = el.firstElementChild ? el.firstElementChild.getBoundingClientRect().width : box.width;
      const need = Math.max(el.scrollWidth, inner);
      const tex = (el.parentElement && el.parentElement.id) || (el.closest('[id]') || {}).id || '';
      return {where: tex, width: Math.round(need), box: Math.round(Math.min(el.clientWidth || box.width, colW)),
              scrolls: scrolls(el) || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)};
  });
  const pres = Array.from(document.querySelectorAll('div.cell_output pre')).map(el => ({
      width: el.scrollWidth, box: Math.min(el.clientWidth, colW),
      text: el.textContent.split('\n').reduce((a, b) => b.length > a.length ? b : a, '').slice(0, 100)}));
  // what is laid out: an animation's other drawing (style.responsive_animation: the desktop player on a phone,
  // the phone player on a laptop) is display: none, not a figure the reader sees
  const shown = el => el.getClientRects().length > 0;
  const imgs = Array.from(document.querySelectorAll('div.cell_output img')).filter(shown).map(img => {
      const fig = img.closest('figure');
      const cap = fig ? fig.querySelector('figcaption') : null;
      const r = img.getBoundingClientRect();
      return {src: img.currentSrc || img.src, natural: img.naturalWidth, shown: r.width,
              aspect_natural: img.naturalHeight ? img.naturalWidth / img.naturalHeight : null,
              aspect_shown: r.height ? r.width / r.height : null,
              alt: img.getAttribute('alt') || '', caption: cap ? cap.textContent.trim() : '',
              numbered: !!(cap && /Fig\.?\s*\d/.test(cap.textContent)), animation: !!img.closest('.animation')};
  });
  const frames = Array.from(document.querySelectorAll('div.cell_output table, div.cell_output .animation'))
    .filter(shown).map(el => ({kind: el.tagName === 'TABLE' ? 'table' : 'animation',
                 width: Math.round(el.getBoundingClientRect().width), col: colW, scrolls: scrolls(el)}));
  const printed = Array.from(document.querySelectorAll('div.cell_output pre'))
    .filter(el => !el.closest('.solution')).map(el => el.textContent);
  return {colW, pageW: document.documentElement.scrollWidth, eqs, pres, imgs, frames, printed};
}"""

# --- test_legibility.py: test_table_captions_fit_the_screen --------------------------------------------------------
JS_TABLE_CAPTIONS = r"""() => {
  const vw = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('main table > caption')).filter(c => c.getClientRects().length)
    .map(c => {
      const r = c.getBoundingClientRect(), t = c.closest('table');
      return {id: t.id || '', text: c.textContent.replace(/\s+/g, ' ').trim().slice(0, 50), vw,
              left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width),
              table_width: Math.round(t.getBoundingClientRect().width)};
    });
}"""

# --- test_code_width.py ----------------------------------------------------------------------------------------------
CODE_SLACK = 1  # CSS px of rounding (test_code_width.SLACK)
JS_CODE = r"""() => {
  const blocks = Array.from(document.querySelectorAll('main div.highlight pre'))
    .filter(el => !el.closest('div.cell_output'));
  const probe = document.createElement('span');
  const first = blocks[0];
  let charPx = null, boxPx = null;
  if (first) {
    probe.textContent = 'x'.repeat(100);
    first.appendChild(probe);
    charPx = probe.getBoundingClientRect().width / 100;
    first.removeChild(probe);
    const s = getComputedStyle(first);
    boxPx = first.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  }
  return {charPx, boxPx, wide: blocks.filter(el => el.scrollWidth > el.clientWidth + %d).map(el => {
    const lines = el.textContent.split('\n');
    const longest = lines.reduce((a, b) => b.length > a.length ? b : a, '');
    return {chars: longest.length, line: longest.slice(0, 90), over: el.scrollWidth - el.clientWidth};
  }), blocks: blocks.length};
}""" % CODE_SLACK

_MEMO: dict = {}


def _measure(browser, base_url, page_rel, width) -> dict:
    context, pg, errors, blocked = open_offline(browser, base_url, page_rel, width)
    try:
        m = {"page": page_rel, "width": width, "origin": base_url}
        m["n_math"] = pg.evaluate("() => document.querySelectorAll('.math, div.math, span.math').length")
        m["mathjax"] = wait_for_mathjax(pg)
        m["images"] = pg.evaluate(JS_IMAGES)  # every image loaded (lazy ones made eager), animations' first frame
        pg.wait_for_timeout(SETTLE_MS)
        m["visible_text"] = pg.evaluate(JS_VISIBLE_TEXT)
        m.update(pg.evaluate(JS_PAGE))
        m["top"] = pg.evaluate(JS_TOP)
        m["chips_after_sections"] = pg.evaluate(JS_CHIPS_ORDER)
        m["equations"] = pg.evaluate(JS_EQUATIONS)
        m["legibility"] = pg.evaluate(JS_LEGIBILITY)
        m["table_captions"] = pg.evaluate(JS_TABLE_CAPTIONS)
        m["code"] = pg.evaluate(JS_CODE)
        if width == 1280 and page_rel in SCREENSHOT_PAGES:
            shots = SITE_DIR.parent / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(shots / (page_rel.replace("/", "__").removesuffix(".html") + ".png")),
                          full_page=False)
        m["errors"] = list(errors)
        m["blocked"] = list(blocked)
        return m
    finally:
        context.close()


def _cache_dir() -> Path:
    d = os.environ.get("TTS_SITE_MEASURE_DIR")
    if not d:  # no conftest.py session folder (a module imported on its own): this process only
        d = os.environ["TTS_SITE_MEASURE_DIR"] = tempfile.mkdtemp(prefix="tts-site-measure-")
    return Path(d)


#: every (page, width) the collected tests will ask for (conftest.py fills it at collection): a worker that would
#: wait for another's measurement measures one of these instead
NEEDED: list[tuple[str, int]] = []


def _key(page_rel, width):
    stamp = (SITE_DIR / page_rel).stat().st_mtime_ns if (SITE_DIR / page_rel).exists() else 0
    return f"{page_rel.replace('/', '__')}@{width}@{stamp}"


def _take(browser, base_url, page_rel, width, blocking):
    """Measure (page_rel, width) into the cache unless it is there; False if another worker holds it and
    ``blocking`` is False."""
    folder = _cache_dir()
    key = _key(page_rel, width)
    path = folder / f"{key}.json"
    if path.is_file():
        return True
    with open(folder / f"{key}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        try:
            if not path.is_file():
                m = _measure(browser, base_url, page_rel, width)  # an error here is the caller's failure
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(m), encoding="utf-8")
                os.replace(tmp, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return True


def measured(browser, base_url, page_rel: str, width: int) -> dict:
    """The measurements of ``page_rel`` at ``width`` CSS px (see the module's docstring), taken once per session.

    ``origin`` is the server the page was loaded from (each worker serves the site on its own port): URLs in the
    measurements (links, images) are to be compared with it, not with the caller's ``base_url``."""
    key = _key(page_rel, width)
    if key not in _MEMO:
        while not _take(browser, base_url, page_rel, width, blocking=False):
            # another worker is measuring it: measure a (page, width) still to come meanwhile, if any is free
            for other in reversed(NEEDED):  # from the end: the other worker goes from the start
                if other != (page_rel, width) and not (_cache_dir() / f"{_key(*other)}.json").is_file():
                    try:
                        if _take(browser, base_url, *other, blocking=False):
                            break
                    except Exception:  # noqa: BLE001 - its own test measures it again and reports the error
                        pass
            else:
                _take(browser, base_url, page_rel, width, blocking=True)
                break
        _MEMO[key] = json.loads((_cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
    return _MEMO[key]
