"""Explorable defects found by the reader review of issue 27, each with the browser test that found it (they failed
on the code before the fix). Values the page shows are compared with ``tts_lib`` where there is one."""

from __future__ import annotations

import re

import numpy as np
import pytest

import tts_lib as tts
from sitecfg import EXPLORABLE_PAGES, open_explorable

PAGES = EXPLORABLE_PAGES
T2 = {"jumps": [0.3, 0.6], "values": [0.0, 2.0, 1.0]}


@pytest.fixture()
def opened(browser, base_url):
    contexts = []

    def _open(name, width=1280):  # the explorables hold no math: MathJax left out (sitecfg.open_offline)
        context, pg, errors = open_explorable(browser, base_url, name, width, mathjax=False)
        contexts.append(context)
        return pg, errors

    yield _open
    for c in contexts:
        c.close()


@pytest.fixture(scope="module")
def _pages_by_test():
    pages = {}
    yield pages
    for context, _, _ in pages.values():
        context.close()


@pytest.fixture()
def opened_per_test(request, browser, base_url, _pages_by_test):
    """As ``opened``, but the cases of one parametrised test share one page, opened by the first case (each case
    sets the state it checks; what an earlier case left, a reader could have left too)."""

    def _open(name, width=1280):
        key = (request.function.__name__, name, width)
        if key not in _pages_by_test:
            _pages_by_test[key] = open_explorable(browser, base_url, name, width, mathjax=False)
        _, pg, errors = _pages_by_test[key]
        return pg, errors

    return _open


def _ideal_rows(pg):
    return pg.evaluate("""() => Array.from(document.querySelectorAll('[data-explorable="ideal"] tbody tr'))
                          .map((tr) => Array.from(tr.cells).map((td) => [td.textContent, td.className]))""")


# --- ideal -------------------------------------------------------------------------------------------------------
def test_a_neuron_placed_on_a_jump_is_captured(opened):
    """A neuron exactly on a jump, held there by the one-sided rule (zero velocity, as tts.ideal_velocity says),
    has captured the jump at tau = 0: the table says so (it said "not yet" with the bound 0.000) and the dot is green."""
    pg, errors = opened("ideal")
    u = [0.1, 0.2, 0.3, 0.5, 0.65, 0.8]
    target = tts.PiecewiseConstant(T2["jumps"], T2["values"])
    assert tts.ideal_velocity(np.array(u), target)[2] == 0.0  # held on the jump at 0.3
    pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": T2, "u": u})
    for when in ("start", "end"):
        if when == "end":
            pg.evaluate("""() => { const s = document.querySelector('[data-explorable="ideal"] input[type=range]');
                                   s.value = s.max; s.dispatchEvent(new Event('input')); }""")
        rows = _ideal_rows(pg)
        cells = dict(zip(["v", "delta", "d", "bound", "captured"], rows[0]))
        assert cells["v"][0] == "0.300" and cells["bound"][0].startswith("0.000"), rows[0]
        assert cells["captured"][0] == "0.000" and "tts-ok" in cells["captured"][1], (when, rows[0])
        dot = pg.evaluate("""() => { const top = document.querySelector('[data-explorable="ideal"] svg');
            return Array.from(top.querySelectorAll('circle.tts-neuron')).map((c) => c.getAttribute('class')); }""")
        assert "tts-captured" in dot[2], (when, dot)
    assert not errors, errors


@pytest.mark.parametrize("u", [[0.3, 0.6], [0.3, 0.45, 0.6], [0.2, 0.3, 0.6]])
def test_the_loss_read_out_is_never_negative(opened_per_test, u):
    """Neurons on every jump: each interval is pure, l0 = 0 exactly (tts.ideal_loss); the read-out showed
    -2.776e-17 (rounding of s2 - s1^2/len). Now 0.000, and the other read-outs agree with tts.ideal_loss."""
    pg, _ = opened_per_test("ideal")
    target = tts.PiecewiseConstant(T2["jumps"], T2["values"])
    assert tts.ideal_loss(np.array(u), target) == pytest.approx(0.0, abs=1e-15)
    pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": T2, "u": u})
    note = pg.locator('[data-explorable="ideal"] .tts-note').first.text_content()
    value = note.rsplit(":", 1)[1].strip()
    assert value == "0.000", note
    u2 = [0.1, 0.25, 0.45, 0.7]
    pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": T2, "u": u2})
    note = pg.locator('[data-explorable="ideal"] .tts-note').first.text_content()
    shown = float(note.rsplit(":", 1)[1])
    assert shown == pytest.approx(tts.ideal_loss(np.array(u2), target), rel=1e-3)


def test_clear_clicks_play_logs_no_error(opened):
    """Clear, place six neurons with the mouse, play: the first frame went to a negative tau (the frame's time
    stamp precedes the click) and every trajectory path began with "L": one console error per neuron."""
    pg, errors = opened("ideal")
    root = pg.locator('[data-explorable="ideal"]')
    root.locator("button", has_text="clear").click()
    top = root.locator("svg").first
    top.scroll_into_view_if_needed()
    box = top.bounding_box()
    for f in (0.15, 0.25, 0.4, 0.5, 0.7, 0.9):
        top.click(position={"x": box["width"] * f, "y": box["height"] * 0.4})
    n_dots = pg.evaluate("() => document.querySelector('[data-explorable=\"ideal\"] svg').querySelectorAll('circle.tts-neuron').length")
    assert n_dots == 6
    for _ in range(3):
        root.locator("button", has_text="play").click()
        pg.wait_for_timeout(400)
        root.locator("button", has_text="pause").click()
        root.locator("button", has_text="reset").click()
    root.locator("button", has_text="play").click()
    pg.wait_for_timeout(2000)
    paths = pg.evaluate("""() => Array.from(document.querySelectorAll('[data-explorable="ideal"] path'))
                              .map((p) => p.getAttribute('d') || '').filter((d) => d && !d.startsWith('M'))""")
    assert not paths, paths[:3]
    assert not errors, errors


def test_neurons_can_be_placed_from_the_keyboard(opened):
    """The upper plot takes the focus (Tab); arrows move a cursor, Enter adds a neuron or picks up the one under
    the cursor (arrows move it, Enter puts it down), Delete removes the nearest; the help text says so."""
    pg, errors = opened("ideal")
    pg.evaluate("(s) => window.ttsExplorables.ideal.set(s)", {"target": T2, "u": [0.1, 0.9]})
    top = pg.locator('[data-explorable="ideal"] svg').first
    assert top.get_attribute("tabindex") == "0"
    help_id = top.get_attribute("aria-describedby")
    help_text = pg.locator(f"#{help_id}").text_content()
    assert all(k in help_text for k in ("Keyboard", "Enter", "Delete", "←")), help_text
    top.focus()
    assert pg.evaluate("() => document.activeElement.closest('[data-explorable]').dataset.explorable") == "ideal"
    u = lambda: sorted(pg.evaluate("() => window.ttsExplorables.ideal.state().u"))  # noqa: E731
    for _ in range(5):
        top.press("ArrowRight")          # cursor 0.50 -> 0.55
    top.press("Enter")                   # add
    assert u() == [0.1, 0.55, 0.9]
    top.press("Shift+ArrowLeft")         # cursor 0.45
    top.press("Enter")                   # add
    assert u() == [0.1, 0.45, 0.55, 0.9]
    top.press("Enter")                   # pick up the neuron at 0.45
    top.press("ArrowLeft")
    top.press("ArrowLeft")
    top.press("Enter")                   # put it down at 0.43
    assert u() == [0.1, 0.43, 0.55, 0.9]
    top.press("Delete")                  # the nearest: 0.43
    assert u() == [0.1, 0.55, 0.9]
    assert pg.locator('[data-explorable="ideal"] .tts-cursor').count() == 1  # the cursor is drawn while focused
    assert not errors, errors


# --- sgd ----------------------------------------------------------------------------------------------------------
def _set_slider(pg, index, value):
    pg.evaluate("""([i, v]) => { const s = document.querySelectorAll('[data-explorable="sgd"] input[type=range]')[i];
                                 s.value = v; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }""",
                [index, value])


def _wait_done(pg):
    pg.wait_for_function("() => document.querySelector('[data-explorable=sgd]').dataset.state === 'done'", timeout=120_000)


def test_neurons_outside_the_unit_interval_are_shown_and_counted(opened):
    """h = 0.0032 with equal stepsizes throws the neurons out of [0, 1]: they were not drawn at all. Each neuron is
    drawn (a triangle at the edge when outside) and the page says how many are outside; the count is that of the
    same run through the JavaScript interface."""
    pg, errors = opened("sgd")
    _set_slider(pg, 3, 4)        # 10^4 steps
    _set_slider(pg, 2, -2.5)     # h, equal stepsizes: 10^-2.5 = 0.0032
    _wait_done(pg)
    u0 = pg.evaluate("() => window.ttsExplorables.sgd.startPositions(20)")
    ref = pg.evaluate("(u0) => window.ttsExplorables.sgd.run({eps: 1, lr: 10 ** -2.5, steps: 10000, seed: 0, u0})", u0)
    n_out = sum(1 for x in ref["u"] if not 0 <= x <= 1)
    assert n_out > 0
    marks = pg.evaluate("""() => Array.from(document.querySelectorAll('[data-explorable="sgd"] svg.tts-panel'))
                              .map((p) => [p.querySelectorAll('.tts-neuron').length, p.querySelectorAll('.tts-outside').length])""")
    assert marks[1] == [20, n_out], marks
    text = pg.evaluate("() => document.querySelector('[data-explorable=sgd] .tts-outside-note').textContent")
    assert f"equal stepsizes: {n_out} of 20 neurons outside [0, 1]" in text, text
    assert not errors, errors


TICK = re.compile(r"^(0|[1-9]\d{0,2}(,\d{3})*|([1-9](\.\d{1,2})?·)?10[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*)$")
SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _tick_value(label):
    if "10" in label and label[-1] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
        mant, _, exp = label.partition("10")
        return float(mant.rstrip("·") or 1) * 10 ** int(exp.translate(SUP))
    return float(label.replace(",", ""))


@pytest.mark.parametrize("log_steps", [7.5, 7.2, 5.3])
def test_step_axis_has_round_ticks(opened_per_test, log_steps):
    """The loss plot's step axis read "15,811,388.5": ticks are now round numbers (1, 2 or 5 times a power of 10,
    integers), compact beyond 10^5 (1.5·10⁷), inside the run."""
    pg, _ = opened_per_test("sgd")
    _set_slider(pg, 3, log_steps)
    pg.wait_for_timeout(1500)
    labels = pg.evaluate("""() => { const s = document.querySelectorAll('[data-explorable="sgd"] svg')[2];
        const axisY = Math.max(...Array.from(s.querySelectorAll('text.tts-tick')).map((t) => Number(t.getAttribute('y'))));
        return Array.from(s.querySelectorAll('text.tts-tick')).filter((t) => Number(t.getAttribute('y')) === axisY)
                    .map((t) => t.textContent); }""")
    _set_slider(pg, 3, 4)  # stop the long run
    n = round(10**log_steps)
    assert len(labels) >= 2, labels
    assert all(TICK.match(t) for t in labels), labels
    values = [_tick_value(t) for t in labels]
    step = values[1] - values[0]
    mant = step / 10 ** np.floor(np.log10(step))
    assert min(abs(mant - k) for k in (1, 2, 5, 10)) < 1e-9, (labels, step)
    assert values[0] == 0 and max(values) <= n and all(v == int(v) for v in values), labels


@pytest.mark.parametrize("bad", ["-5", "1.5", "10000", ""])
def test_the_seed_box_refuses_what_it_cannot_use(opened_per_test, bad):
    """A seed outside 0..9999 (or not an integer) was taken as 0 without a word; now the box is marked invalid,
    a message says why and no run starts. A valid seed afterwards clears the mark and runs."""
    pg, _ = opened_per_test("sgd")
    _set_slider(pg, 3, 4)
    _wait_done(pg)
    box = pg.locator('[data-explorable="sgd"] input[type=number]')
    box.fill(bad)
    box.dispatch_event("change")
    assert box.get_attribute("aria-invalid") == "true"
    msg = pg.locator('[data-explorable="sgd"] .tts-error').first
    assert msg.is_visible() and "seed must be an integer from 0 to 9999" in msg.text_content()
    assert pg.evaluate("() => document.querySelector('[data-explorable=sgd]').dataset.state") == "invalid"
    box.fill("7")
    box.dispatch_event("change")
    assert box.get_attribute("aria-invalid") is None
    _wait_done(pg)


# --- network on a phone -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("handle", ["level 1", "level 2", "level 5"])
def test_a_finger_drags_a_handle_without_scrolling_the_page(browser, base_url, handle):
    """At 390 px with touch, a finger drag on a handle moved the page (the plot lets vertical pans through for
    scrolling): now the handle moves and the page stays."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    try:
        pg = context.new_page()
        pg.goto(f"{base_url}/{PAGES['network']}", wait_until="load")
        pg.wait_for_function("() => window.ttsExplorables && window.ttsExplorables.network", timeout=30_000)
        loc = pg.locator(f'[data-explorable="network"] [aria-label="{handle}"]')
        loc.scroll_into_view_if_needed()
        pg.evaluate("() => window.scrollBy(0, 200)")  # room to scroll either way
        pg.wait_for_timeout(300)
        before_state = pg.evaluate("() => window.ttsExplorables.network.state()")
        box = loc.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        scroll0 = pg.evaluate("() => window.scrollY")
        cdp = context.new_cdp_session(pg)
        dx, dy = 0, -60 if handle == "level 5" else 60
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for k in range(1, 11):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + dx * k / 10, "y": y + dy * k / 10}]})
            pg.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        pg.wait_for_timeout(300)
        after_state = pg.evaluate("() => window.ttsExplorables.network.state()")
        scroll1 = pg.evaluate("() => window.scrollY")
        assert abs(scroll1 - scroll0) < 1, f"the page scrolled by {scroll1 - scroll0} px"
        assert after_state != before_state, "the handle did not move"
    finally:
        context.close()
