/* Explorable "network" (chapter 2): move neurons, weights, eta and the target; see f, f*, L(a, u), l(u).
 *
 * Console / test interface: window.ttsExplorables.network
 *   .set({target: {jumps, values}, u, a, eta})   a = null: the weights follow a*(u)
 *   .values() -> {loss, reduced_loss, a}
 * Needs core.js first.
 */
(function () {
  "use strict";
  const C = window.ttsExplorableCore;
  const { svg, el, scale, fmt } = C;
  // Desktop layout; on a phone (C.narrow()) the plots are NARROW_W wide, with room for larger labels
  // and finger-sized neuron dots under the axis (RAIL: their distance below the axis).
  const H = 290;
  const WIDE = { W: 640, SW: 640, SH: 150, PAD: { l: 52, r: 12, t: 12, b: 46 }, RAIL: 26 };
  const NARROW = { W: C.NARROW_W, SW: C.NARROW_W, SH: 170, PAD: { l: 46, r: 14, t: 12, b: 58 }, RAIL: 38 };

  // a*(u) costs about 12 m^3 operations (the Gram matrix on 12 m nodes) and a redraw takes 242 of them
  // (the l(u) curve of the selected neuron): with 40 neurons a redraw takes about a second
  const MAX_NEURONS = 40;
  const LIMIT_WHY = "the network explorable (a*(u) costs about m³ operations, 242 times a redraw) is";

  function mount(root) {
    const phone = C.narrow();
    const { W, SW, SH, PAD, RAIL } = phone ? NARROW : WIDE;
    root.classList.toggle("tts-narrow", phone);
    const state = {
      target: C.checkTarget(C.PAPER_TARGET),
      u: [0.1, 0.25, 0.42, 0.55, 0.7, 0.85],
      a: null,
      eta: 0.02,
      optimal: true,
      sel: 2,
    };
    const host = root.querySelector(".tts-mount") || root;
    host.textContent = "";
    const plot = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "tts-svg", role: "group",
      "aria-label": "network f (blue), target f* (black), neurons (dots under the axis)" }, host);
    const legend = el("div", { class: "tts-legend" }, host);
    legend.innerHTML = '<span class="tts-key tts-key-target"></span>target f* (drag ◆ jumps and ■ levels) ' +
      '<span class="tts-key tts-key-net"></span>network f (drag ● neurons)';
    const readout = el("div", { class: "tts-readout", "aria-live": "polite" }, host);
    const sweep = svg("svg", { viewBox: `0 0 ${SW} ${SH}`, class: "tts-svg tts-svg-small", role: "img",
      "aria-label": "reduced loss as the selected neuron moves" }, host);
    const controls = el("div", { class: "tts-controls" }, host);

    // --- controls ----------------------------------------------------------------------------
    const etaS = C.slider(controls, "η (width)", { min: -2.7, max: -1, step: 0.01, value: Math.log10(state.eta) },
      (v) => { state.eta = 10 ** v; update(); });
    const optWrap = el("label", { class: "tts-control tts-check" }, controls);
    const opt = el("input", { type: "checkbox" }, optWrap);
    opt.checked = true;
    el("span", {}, optWrap, "optimal outer weights a*(u)");
    opt.addEventListener("change", () => {
      if (!opt.checked) state.a = currentA().slice();
      state.optimal = opt.checked;
      update();
    });
    const selWrap = el("label", { class: "tts-control" }, controls);
    el("span", { class: "tts-label" }, selWrap, "neuron");
    const sel = el("select", {}, selWrap);
    sel.addEventListener("change", () => { state.sel = Number(sel.value); update(); });
    const addB = el("button", { type: "button" }, selWrap, "+");
    addB.title = "add a neuron";
    addB.setAttribute("aria-label", "add a neuron");
    const delB = el("button", { type: "button" }, selWrap, "−");
    delB.title = "remove the selected neuron";
    delB.setAttribute("aria-label", "remove the selected neuron");
    addB.addEventListener("click", () => {
      if (state.u.length >= MAX_NEURONS) return;
      const a = currentA();
      // new neuron in the middle of the widest gap, with weight 0
      const s = [0, ...state.u.slice().sort((p, q) => p - q), 1];
      let best = 0;
      for (let i = 1; i < s.length - 1; i++) if (s[i + 1] - s[i] > s[best + 1] - s[best]) best = i;
      state.u.push(0.5 * (s[best] + s[best + 1]));
      if (!state.optimal) state.a = [...a, 0];
      state.sel = state.u.length - 1;
      update();
    });
    delB.addEventListener("click", () => {
      if (state.u.length <= 1) return;
      const k = state.sel;
      state.u.splice(k, 1);
      if (!state.optimal) state.a = currentA().filter((_, i) => i !== k + 1);
      state.sel = Math.min(k, state.u.length - 1);
      update();
    });
    const uS = C.slider(controls, "position u", { min: 0, max: 1, step: 0.001, value: 0 },
      (v) => { state.u[state.sel] = v; update(); });
    const aS = C.slider(controls, "weight a", { min: -10, max: 10, step: 0.01, value: 0 },
      (v) => { state.a[state.sel + 1] = v; update(); });
    const bS = C.slider(controls, "bias a₀", { min: -10, max: 10, step: 0.01, value: 0 },
      (v) => { state.a[0] = v; update(); });
    const resetB = el("button", { type: "button", class: "tts-button" }, controls, "reset");
    resetB.addEventListener("click", () => {
      Object.assign(state, { target: C.checkTarget(C.PAPER_TARGET), u: [0.1, 0.25, 0.42, 0.55, 0.7, 0.85],
        a: null, eta: 0.02, optimal: true, sel: 2 });
      update();
    });

    let cache = null;  // {key, aStar, ell}
    function key() { return JSON.stringify([state.target, state.u, state.eta]); }
    function solved() {
      const k = key();
      if (!cache || cache.key !== k) {
        const aStar = Array.from(C.optimalOuter(state.u, state.target, state.eta));
        // ||f*||^2: the scale of the losses, for telling rounding noise (~1e-16 of it) from a loss
        const e = [0, ...state.target.jumps, 1];
        const scale = state.target.values.reduce((acc, v, i) => acc + v * v * (e[i + 1] - e[i]), 0);
        cache = { key: k, aStar, scale, ell: C.loss(aStar, state.u, state.target, state.eta), sweep: null };
      }
      return cache;
    }
    function currentA() { return state.optimal ? solved().aStar : state.a; }
    function yRange() {
      return [Math.min(-2, Math.min(...state.target.values) - 1), Math.max(8, Math.max(...state.target.values) + 1)];
    }

    // --- drawing -----------------------------------------------------------------------------
    const X = scale(0, 1, PAD.l, W - PAD.r);
    let Y = scale(-2, 8, H - PAD.b, PAD.t);
    const clipId = "tts-clip-" + Math.random().toString(36).slice(2);
    const defs = svg("defs", {}, plot);
    svg("rect", { x: PAD.l, y: PAD.t, width: W - PAD.l - PAD.r, height: H - PAD.t - PAD.b }, svg("clipPath", { id: clipId }, defs));
    const gAxes = svg("g", {}, plot);
    const gWin = svg("g", { "clip-path": `url(#${clipId})` }, plot);
    const pTarget = svg("path", { class: "tts-target" }, plot);
    const pNet = svg("path", { class: "tts-net", "clip-path": `url(#${clipId})` }, plot);
    const gHandles = svg("g", {}, plot);
    const gNeurons = svg("g", {}, plot);

    function draggable(node, onMove, onKey) {
      node.setAttribute("tabindex", "0");
      // a finger on a handle drags it, it does not scroll the page: touch-action is not honoured on shapes
      // inside an SVG (and the SVG itself lets vertical pans through, for scrolling past the plot), so the
      // touch is cancelled here, before the browser starts a pan (pointer events still follow)
      node.addEventListener("touchstart", (e) => { if (e.cancelable) e.preventDefault(); }, { passive: false });
      node.addEventListener("pointerdown", (e) => {
        e.preventDefault();
        node.setPointerCapture(e.pointerId);
        node.focus({ preventScroll: true });
        const move = (ev) => onMove(C.svgPoint(plot, ev));
        const up = () => { node.removeEventListener("pointermove", move); node.removeEventListener("pointerup", up); };
        node.addEventListener("pointermove", move);
        node.addEventListener("pointerup", up);
        node.addEventListener("pointercancel", up);
      });
      node.addEventListener("keydown", (e) => {
        const big = e.shiftKey ? 10 : 1;
        const d = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
        if (d) { e.preventDefault(); onKey(d[0] * big, d[1] * big); }
      });
    }

    let built = "";
    const hJump = [], hLevel = [], hNeuron = [];
    function buildHandles() {
      gHandles.textContent = "";
      gNeurons.textContent = "";
      hJump.length = hLevel.length = hNeuron.length = 0;
      const t = state.target;
      t.jumps.forEach((_, i) => {
        const h = svg("path", { class: "tts-handle", role: "slider", "aria-label": `jump ${i + 1} position` }, gHandles);
        const setV = (x) => {
          const J = state.target.jumps;
          const lo = i ? J[i - 1] + 0.005 : 0.005, hi = i + 1 < J.length ? J[i + 1] - 0.005 : 0.995;
          J[i] = Math.min(Math.max(x, lo), hi); update();
        };
        draggable(h, (p) => setV(Math.round(X.inv(p.x) * 1000) / 1000), (dx) => setV(state.target.jumps[i] + 0.005 * dx));
        hJump.push(h);
      });
      t.values.forEach((_, i) => {
        const h = svg("rect", { width: 12, height: 12, class: "tts-handle", role: "slider", "aria-label": `level ${i + 1}` }, gHandles);
        const setL = (y) => {
          const [ylo, yhi] = [-5, 12];
          state.target.values[i] = Math.min(Math.max(y, ylo), yhi); update();
        };
        draggable(h, (p) => setL(Math.round(Y.inv(p.y) * 20) / 20), (_dx, dy) => setL(state.target.values[i] + 0.1 * dy));
        hLevel.push(h);
      });
      svg("line", { x1: X(0), x2: X(1), y1: H - PAD.b + RAIL, y2: H - PAD.b + RAIL, class: "tts-rail" }, gNeurons);
      state.u.forEach((_, j) => {
        const c = svg("circle", { role: "slider", "aria-label": `neuron ${j + 1} position` }, gNeurons);
        const setU = (x) => { state.sel = j; state.u[j] = Math.min(Math.max(x, 0), 1); update(); };
        draggable(c, (p) => setU(Math.round(X.inv(p.x) * 1000) / 1000), (dx) => setU(state.u[j] + 0.005 * dx));
        c.addEventListener("focus", () => { if (state.sel !== j) { state.sel = j; update(); } });
        hNeuron.push(c);
      });
    }
    function drawHandles() {
      const t = state.target, edges = [0, ...t.jumps, 1];
      const k = `${t.jumps.length}|${state.u.length}`;
      if (k !== built) { buildHandles(); built = k; }
      t.jumps.forEach((v, i) => {
        const y = Y(0.5 * (t.values[i] + t.values[i + 1]));
        hJump[i].setAttribute("d", `M${X(v)},${y - 7}l7,7l-7,7l-7,-7z`);
        hJump[i].setAttribute("aria-valuenow", v.toFixed(3));
      });
      t.values.forEach((val, i) => {
        const xm = X(0.5 * (edges[i] + edges[i + 1]));
        hLevel[i].setAttribute("x", xm - 6);
        hLevel[i].setAttribute("y", Y(val) - 6);
        hLevel[i].setAttribute("aria-valuenow", val.toFixed(2));
      });
      state.u.forEach((uj, j) => {
        const c = hNeuron[j];
        c.setAttribute("cx", X(uj));
        c.setAttribute("cy", H - PAD.b + RAIL);
        c.setAttribute("r", j === state.sel ? 8 : 6);
        c.setAttribute("class", "tts-neuron" + (j === state.sel ? " tts-selected" : ""));
        c.setAttribute("aria-valuenow", uj.toFixed(3));
      });
    }
    function drawSweep(ell) {
      sweep.textContent = "";
      const c = solved();
      if (!c.sweep) {
        const xs = [], ys = [];
        const u = state.u.slice();
        for (let i = 0; i <= 240; i++) {
          u[state.sel] = i / 240;
          xs.push(i / 240);
          ys.push(C.reducedLoss(u, state.target, state.eta));
        }
        c.sweep = { xs, ys, sel: state.sel };
      }
      const { xs, ys } = c.sweep;
      const top = Math.max(...ys) * 1.05 || 1;
      const SX = scale(0, 1, PAD.l, SW - PAD.r), SY = scale(0, top, SH - 28, 24);
      C.axes(sweep, SX, SY, { xticks: [0, 0.25, 0.5, 0.75, 1], yticks: [0, top / 2], yfmt: (v) => fmt(v, 2) });
      for (const v of state.target.jumps) svg("line", { x1: SX(v), x2: SX(v), y1: SY(0), y2: SY(top), class: "tts-jumpline" }, sweep);
      svg("path", { d: xs.map((x, i) => (i ? "L" : "M") + SX(x).toFixed(2) + "," + SY(ys[i]).toFixed(2)).join(""), class: "tts-curve" }, sweep);
      svg("circle", { cx: SX(state.u[state.sel]), cy: SY(ell), r: 5, class: "tts-neuron tts-selected" }, sweep);
      svg("text", { x: SW - PAD.r, y: 16, "text-anchor": "end", class: "tts-tick" }, sweep).textContent =
        `ℓ(u) as neuron ${state.sel + 1} moves (the others fixed)`;
    }

    function update() {
      state.sel = Math.min(state.sel, state.u.length - 1);
      const c = solved();
      const a = currentA();
      const L = C.loss(a, state.u, state.target, state.eta);
      const [y0, y1] = yRange();
      Y = scale(y0, y1, H - PAD.b, PAD.t);
      gAxes.textContent = "";
      C.axes(gAxes, X, Y, { xticks: [0, 0.2, 0.4, 0.6, 0.8, 1], yticks: [0, 2, 4, 6].filter((t) => t >= y0 && t <= y1) });
      gWin.textContent = "";
      const s = state.u[state.sel];
      svg("rect", { x: X(s - state.eta / 2), y: PAD.t, width: Math.max(X(state.eta) - X(0), 1), height: H - PAD.t - PAD.b, class: "tts-window" }, gWin);
      pTarget.setAttribute("d", C.targetPath(state.target, X, Y));
      pNet.setAttribute("d", C.networkPath(a, state.u, state.eta, X, Y));
      drawHandles();
      // controls
      sel.textContent = "";
      state.u.forEach((_, j) => { const o = el("option", { value: j }, sel, `${j + 1}`); if (j === state.sel) o.selected = true; });
      etaS.input.value = Math.log10(state.eta); etaS.out.textContent = fmt(state.eta, 3);
      opt.checked = state.optimal;
      uS.input.value = s; uS.out.textContent = s.toFixed(3);
      aS.input.value = a[state.sel + 1]; aS.out.textContent = fmt(a[state.sel + 1], 3);
      bS.input.value = a[0]; bS.out.textContent = fmt(a[0], 3);
      aS.input.disabled = bS.input.disabled = state.optimal;
      delB.disabled = state.u.length <= 1;
      addB.disabled = state.u.length >= MAX_NEURONS;
      // shown: losses >= 0, rounding noise (below 1e-13 of ||f*||^2) as 0
      const show = (v, d) => fmt(C.nonNegative("loss", v, c.scale), d);
      readout.innerHTML = `<span>L(a, u) = <b>${show(L, 5)}</b></span> <span>ℓ(u) = min<sub>a</sub> L = <b>${show(c.ell, 5)}</b></span>` +
        `<span>L − ℓ = ${show(Math.max(L - c.ell, 0), 3)}</span>` +
        (state.optimal ? " <span class=\"tts-note\">(weights = a*(u), so L = ℓ)</span>" : "");
      drawSweep(c.ell);
      last = { loss: L, reduced_loss: c.ell, a: a.slice() };
    }
    let last = null;

    const api = {
      set(opts) {
        // validate everything first, so that a bad call leaves the explorable as it was
        const o = C.options("network.set", opts, ["target", "u", "a", "eta"]);
        const target = o.target !== undefined ? C.checkTarget(o.target) : state.target;
        let u = state.u;
        if (o.u !== undefined) {
          u = C.vector("u", o.u, { minLength: 1 });
          C.neuronLimit("u", u.length, MAX_NEURONS, LIMIT_WHY);
        }
        const eta = o.eta !== undefined ? C.width("eta", o.eta) : state.eta;
        let a = state.a, optimal = state.optimal;
        if (o.a === null) optimal = true;
        else if (o.a !== undefined) { a = o.a; optimal = false; }
        if (!optimal) a = C.network(a, u, "a", "u").a;
        Object.assign(state, { target, u: u.slice(), eta, a: optimal ? a : a.slice(), optimal });
        update();
        return api.values();
      },
      values() { return { loss: last.loss, reduced_loss: last.reduced_loss, a: last.a.slice() }; },
      state() { return JSON.parse(JSON.stringify({ target: state.target, u: state.u, eta: state.eta, a: currentA(), optimal: state.optimal })); },
      root,
    };
    update();
    return api;
  }

  function init() {
    document.querySelectorAll('[data-explorable="network"]').forEach((root) => {
      if (!root.ttsApi) root.ttsApi = mount(root);
      window.ttsExplorables.network = window.ttsExplorables.network || root.ttsApi;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
