/* Explorable "ideal" (chapter 3): place neurons, play the ideal dynamics (eta -> 0, eps -> 0), watch the
 * flanking neurons capture the jumps; capture times against the bound tau* <= 8 d / Delta^2.
 *
 * The rule is tts_lib.ideal's: du_j/dtau = -(1/2)[(f*(u_j) - c_left)^2 - (f*(u_j) - c_right)^2] with the
 * means c of f* on the two intervals next to u_j; at a jump the one-sided steepest descent (zero when
 * both sides go uphill: a captured jump holds its neuron). Between two arrivals each neuron's piece of
 * the target and the order of the neurons are frozen (the right-hand side is then smooth), the flow is
 * integrated by classical RK4 with a fixed step, and each arrival at a jump is located by bisection on
 * the RK4 step length, after which the neuron is put exactly on the jump and the integration restarts.
 *
 * Console / test interface: window.ttsExplorables.ideal
 *   .set({target: {jumps, values}, u})   start positions in [0, 1]
 *   .run(tau, {dt = 1e-5, recordEvery = 0}) -> {u, arrival_tau, arrival_jump}   positions at slow time tau
 *                                        (from the start set last); at most C.MAX_WORK operations a call
 *   .state() -> {target, u}              the start positions (a copy)
 * Keyboard: the upper plot is focusable; arrows move a cursor, Enter adds a neuron or picks up / puts down the
 * one under the cursor, Delete removes the nearest (the help line under the plot says so).
 */
(function () {
  "use strict";
  const C = window.ttsExplorableCore;
  const { svg, el, scale, fmt } = C;
  const H1 = 200, H2 = 210, PAD = { l: 56, r: 12, t: 12, b: 24 };  // W: 640, or C.NARROW_W on a phone

  // ---- the ideal dynamics ----------------------------------------------------------------------
  function pieceData(target) {
    const edges = [0, ...target.jumps, 1];
    const cum = [0];
    for (let i = 0; i < target.values.length; i++) cum.push(cum[i] + target.values[i] * (edges[i + 1] - edges[i]));
    return { edges, cum };
  }
  function pieceOf(target, x) {  // searchsorted(jumps, x, side="right")
    let i = 0;
    while (i < target.jumps.length && x >= target.jumps[i]) i++;
    return i;
  }
  function primitive(target, pd, x) { const p = pieceOf(target, x); return pd.cum[p] + target.values[p] * (x - pd.edges[p]); }
  function leftLimit(target, x) {  // f*(x-): searchsorted(jumps, x, side="left")
    let i = 0;
    while (i < target.jumps.length && x > target.jumps[i]) i++;
    return target.values[i];
  }
  function argsort(u) { return u.map((v, i) => [v, i]).sort((p, q) => p[0] - q[0] || p[1] - q[1]).map((p) => p[1]); }

  /** -grad l0(u) with the one-sided rule at a jump (tts_lib.ideal_velocity). */
  function idealVelocity(u, target) {
    const pd = pieceData(target), m = u.length, order = argsort(u);
    const us = order.map((j) => u[j]);
    const pts = [0, ...us, 1];
    const means = [];
    for (let k = 0; k + 1 < pts.length; k++) {
      const len = pts[k + 1] - pts[k];
      means.push(len > 0 ? (primitive(target, pd, pts[k + 1]) - primitive(target, pd, pts[k])) / len : NaN);
    }
    const out = new Array(m).fill(0);
    for (let k = 0; k < m; k++) {
      const fp = C.targetValue(target, us[k]), fm = leftLimit(target, us[k]);
      const cl = Number.isNaN(means[k]) ? fm : means[k];
      const cr = Number.isNaN(means[k + 1]) ? fp : means[k + 1];
      const dp = 0.5 * ((fp - cl) ** 2 - (fp - cr) ** 2), dm = 0.5 * ((fm - cl) ** 2 - (fm - cr) ** 2);
      const right = dp < 0, left = dm > 0;
      let v = 0;
      if (right && left) v = -dp >= dm ? -dp : -dm;
      else if (right) v = -dp;
      else if (left) v = -dm;
      out[order[k]] = v;
    }
    return out;
  }

  /** The velocity with each neuron's piece and the neurons' order frozen (tts_lib.ideal._FrozenVelocity). */
  function frozen(u, target) {
    const pd = pieceData(target), m = u.length;
    const vel = idealVelocity(u, target);
    const still = [], piece = [];
    for (let j = 0; j < m; j++) {
      const atJump = target.jumps.includes(u[j]);
      still.push(atJump && vel[j] === 0);
      let p = pieceOf(target, u[j]);
      if (atJump && vel[j] < 0) p -= 1;
      piece.push(p);
    }
    const order = argsort(u), last = target.values.length - 1;
    const ps = order.map((j) => piece[j]), f = ps.map((p) => target.values[p]);
    const pts = new Float64Array(m + 2), prim = new Float64Array(m + 2), means = new Float64Array(m + 1);
    return function rhs(y, out) {
      pts[0] = 0; prim[0] = 0; pts[m + 1] = 1; prim[m + 1] = pd.cum[last] + target.values[last] * (1 - pd.edges[last]);
      for (let k = 0; k < m; k++) {
        const x = y[order[k]], p = ps[k];
        pts[k + 1] = x; prim[k + 1] = pd.cum[p] + target.values[p] * (x - pd.edges[p]);
      }
      for (let k = 0; k <= m; k++) {
        const len = pts[k + 1] - pts[k];
        means[k] = len !== 0 ? (prim[k + 1] - prim[k]) / len : NaN;
      }
      for (let k = 0; k < m; k++) {
        const cl = Number.isNaN(means[k]) ? f[k] : means[k], cr = Number.isNaN(means[k + 1]) ? f[k] : means[k + 1];
        const j = order[k];
        out[j] = still[j] ? 0 : -0.5 * ((f[k] - cl) ** 2 - (f[k] - cr) ** 2);
      }
      return out;
    };
  }

  function rk4(rhs, y, h, m, buf) {
    const { k1, k2, k3, k4, t } = buf, out = new Float64Array(m);
    rhs(y, k1);
    for (let i = 0; i < m; i++) t[i] = y[i] + 0.5 * h * k1[i];
    rhs(t, k2);
    for (let i = 0; i < m; i++) t[i] = y[i] + 0.5 * h * k2[i];
    rhs(t, k3);
    for (let i = 0; i < m; i++) t[i] = y[i] + h * k3[i];
    rhs(t, k4);
    for (let i = 0; i < m; i++) out[i] = y[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    return out;
  }

  /** Integrate from u0 over [0, tau1]; returns {u, arrival_tau, arrival_jump, times, traj}. */
  function idealFlow(u0, target, tau1, opts) {
    const o = opts || {};
    const dt = o.dt || 1e-5, every = o.recordEvery || 0;
    const m = u0.length, J = target.jumps;
    let y = Float64Array.from(u0), t = 0;
    const arrival = new Array(m).fill(NaN), arrivalJump = new Array(m).fill(-1);
    const times = [0], traj = [Array.from(y)];
    let nextRec = every;
    const buf = { k1: new Float64Array(m), k2: new Float64Array(m), k3: new Float64Array(m), k4: new Float64Array(m), t: new Float64Array(m) };
    let rhs = frozen(Array.from(y), target);
    // every iteration either advances by dt or stops at an arrival (at most one per neuron and jump, and
    // a few ties): a bound that cannot be reached unless something is wrong, and then it says so
    const maxIter = Math.ceil(tau1 / dt) + 10 * m * Math.max(1, J.length) + 10;
    let iter = 0;
    while (t < tau1) {
      if (++iter > maxIter) throw new RangeError(`ideal.run: no progress after ${maxIter} steps at tau = ${t} (dt = ${dt})`);
      const h = Math.min(dt, tau1 - t);
      const y1 = rk4(rhs, y, h, m, buf);
      // arrivals in this step: neuron j crosses (or lands on) jump i
      const cands = [];
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < J.length; i++) {
          if (y[j] === J[i]) continue;
          const s0 = y[j] - J[i], s1 = y1[j] - J[i];
          if (s1 === 0 || (s0 < 0) !== (s1 < 0)) cands.push([j, i]);
        }
      }
      if (!cands.length) {
        y = y1; t += h;
        for (let j = 0; j < m; j++) y[j] = Math.min(Math.max(y[j], 0), 1);
        if (every && t >= nextRec - 1e-15) { times.push(t); traj.push(Array.from(y)); nextRec += every; }
        continue;
      }
      const roots = cands.map(([j, i]) => {
        const side = y[j] < J[i];
        let lo = 0, hi = h;
        for (let it = 0; it < 64 && hi - lo > 0; it++) {
          const mid = 0.5 * (lo + hi);
          if (mid === lo || mid === hi) break;
          const yj = rk4(rhs, y, mid, m, buf)[j];
          if ((yj < J[i]) === side && yj !== J[i]) lo = mid; else hi = mid;
        }
        return hi;
      });
      let k = 0;
      for (let c = 1; c < roots.length; c++) if (roots[c] < roots[k]) k = c;
      const s = roots[k], [j0, i0] = cands[k];
      y = rk4(rhs, y, s, m, buf);
      for (let j = 0; j < m; j++) y[j] = Math.min(Math.max(y[j], 0), 1);
      t += s;
      y[j0] = J[i0]; arrival[j0] = t; arrivalJump[j0] = i0;
      // the other flanking neuron meeting the same jump in the same step, or a simultaneous arrival
      cands.forEach(([j, i], c) => {
        if (c === k) return;
        if (i === i0 || Math.abs(roots[c] - s) <= 1e-12 * Math.max(1, t)) {
          y[j] = J[i]; arrival[j] = t - s + roots[c]; arrivalJump[j] = i;
        }
      });
      for (let j = 0; j < m; j++) {
        if (Math.abs(y[j] - J[i0]) <= 1e-9 && Number.isNaN(arrival[j])) { y[j] = J[i0]; arrival[j] = t; arrivalJump[j] = i0; }
      }
      rhs = frozen(Array.from(y), target);
      if (every) { times.push(t); traj.push(Array.from(y)); }
    }
    if (every && times[times.length - 1] < t) { times.push(t); traj.push(Array.from(y)); }
    return { u: Array.from(y), arrival_tau: arrival, arrival_jump: arrivalJump, times, traj };
  }

  /** Per jump: flanking neurons at the start, d = min(d_L, d_R), the bound 8 d / Delta^2 of chapter 3
   *  (null when the pair is not "clean": a missing flank, or a flank whose other neighbour is on
   *  another piece). */
  function bounds(u, target) {
    const s = u.slice().sort((p, q) => p - q), J = target.jumps;
    return J.map((v, i) => {
      const lo = i ? J[i - 1] : 0, hi = i + 1 < J.length ? J[i + 1] : 1;
      const delta = target.values[i + 1] - target.values[i];
      const left = s.filter((x) => x >= lo && x < v), right = s.filter((x) => x > v && x < hi);
      const row = { v, delta, dL: NaN, dR: NaN, bound: null };
      if (s.includes(v)) { row.dL = row.dR = 0; row.bound = 0; return row; }
      if (!left.length || !right.length) return row;
      const uL = left[left.length - 1], uR = right[0];
      row.dL = v - uL; row.dR = uR - v;
      const kL = s.indexOf(uL), kR = s.indexOf(uR);
      const otherL = kL > 0 ? s[kL - 1] : 0, otherR = kR + 1 < s.length ? s[kR + 1] : 1;
      const cleanL = otherL >= lo, cleanR = otherR <= hi;
      if (cleanL && cleanR) row.bound = (8 * Math.min(row.dL, row.dR)) / (delta * delta);
      return row;
    });
  }

  // ---- argument checks (tts_lib.ideal's rules and messages) -------------------------------------------
  const MAX_EVENTS = 10000;      // tts_lib.ideal._MAX_EVENTS: one event per (neuron, jump) pair
  const MAX_NEURONS = 200;       // the page draws every neuron's trajectory, 400 points each
  const MAX_RECORDS = 100000;    // recorded times of a trajectory
  /** Start positions: a non-empty array in [0, 1] (tts_lib.ideal._unit_positions), within the limits. */
  function unitPositions(name, value, target, allowEmpty) {
    const u = C.vector(name, value, { minLength: allowEmpty ? 0 : 1 });
    if (u.some((x) => x < 0 || x > 1)) throw new RangeError(`${name} must lie in [0, 1] for the ideal (eta -> 0) dynamics, got ${C.show(u)}`);
    C.neuronLimit(name, u.length, MAX_NEURONS, "the ideal explorable draws each trajectory and is");
    const J = target.jumps.length, pairs = u.length * Math.max(1, J);
    if (pairs > MAX_EVENTS) {
      throw new RangeError(`${name} has ${u.length} neurons and target ${J} jumps: ideal_flow tracks one event per ` +
        `(neuron, jump) pair, ${pairs} here, limited to ${MAX_EVENTS}`);
    }
    return u;
  }
  /** One RK4 step costs about 2 m (J + 8) operations (four right-hand sides, the arrival test; measured
   *  against the SGD step, m + 4). */
  function flowWork(tau, dt, m, J) { return 2 * Math.ceil(tau / dt) * Math.max(1, m) * (J + 8); }

  // ---- the explorable ----------------------------------------------------------------------------
  const EXAMPLE = { target: { jumps: [0.3, 0.6], values: [0, 2, 1] }, u: [0.1, 0.22, 0.4, 0.5, 0.65, 0.8] };

  function mount(root) {
    const phone = C.narrow();
    const W = phone ? C.NARROW_W : 640;
    root.classList.toggle("tts-narrow", phone);
    const state = { target: C.checkTarget(EXAMPLE.target), u0: EXAMPLE.u.slice(), tau: 0, tauMax: 0.6, flow: null, playing: false };
    const host = root.querySelector(".tts-mount") || root;
    host.textContent = "";
    const helpId = "tts-ideal-help-" + Math.random().toString(36).slice(2);
    const top = svg("svg", { viewBox: `0 0 ${W} ${H1}`, class: "tts-svg tts-clickable", role: "group", tabindex: 0,
      "aria-roledescription": "neuron placement",
      "aria-label": "target f* (black), ideal network (blue), neurons (dots): click, or use the arrow keys and Enter, to place neurons",
      "aria-describedby": helpId }, host);
    const bottom = svg("svg", { viewBox: `0 0 ${W} ${H2}`, class: "tts-svg", role: "img",
      "aria-label": "neuron trajectories: position (horizontal) against slow time tau (downwards)" }, host);
    const controls = el("div", { class: "tts-controls" }, host);
    const playB = el("button", { type: "button", class: "tts-button" }, controls, "▶ play");
    const resetB = el("button", { type: "button", class: "tts-button" }, controls, "reset");
    const randB = el("button", { type: "button", class: "tts-button" }, controls, "random start");
    const paperB = el("button", { type: "button", class: "tts-button" }, controls, "paper's target");
    const clearB = el("button", { type: "button", class: "tts-button" }, controls, "clear");
    const tauS = C.slider(controls, "τ", { min: 0, max: 1, step: 0.001, value: 0 }, (v) => { pause(); state.tau = v * state.tauMax; draw(); });
    const table = el("table", { class: "tts-table" }, host);
    const note = el("p", { class: "tts-note", "aria-live": "polite" }, host);
    el("p", { class: "tts-note tts-help", id: helpId }, host,
      "Mouse: click in the upper plot to add a neuron, click a neuron to remove it. Keyboard: Tab to the upper plot; " +
      "← → move the cursor (Shift: 10 times farther); Enter adds a neuron at the cursor, or picks up the neuron there " +
      "(← → then move it, Enter puts it down); Delete removes the neuron nearest the cursor.");
    const kbd = { x: 0.5, focused: false, grabbed: -1 };

    const X = scale(0, 1, PAD.l, W - PAD.r);
    const T = () => scale(0, state.tauMax, PAD.t, H2 - PAD.b);

    function compute() {
      const b = bounds(state.u0, state.target);
      const maxB = Math.max(0, ...b.map((r) => r.bound || 0));
      state.tauMax = maxB > 0 ? Math.min(Math.max(1.15 * maxB, 0.02), 5) : 0.6;
      state.bounds = b;
      // RK4 step 1e-5, longer only if the neurons are so many that the page would stall (C.MAX_WORK)
      const m = state.u0.length, J = state.target.jumps.length;
      const dt = Math.max(1e-5, flowWork(state.tauMax, 1, m, J) / C.MAX_WORK);
      state.flow = m ? idealFlow(state.u0, state.target, state.tauMax, { dt, recordEvery: state.tauMax / 400 }) : null;
      // a neuron that starts exactly on a jump and is held there (the one-sided rule: zero velocity) has
      // captured it at tau = 0; the flow reports no arrival for it (nothing arrives), as tts_lib.ideal_flow
      state.heldJump = state.u0.map((x, j) => {
        const i = state.target.jumps.indexOf(x);
        return i >= 0 && state.flow && Number.isNaN(state.flow.arrival_tau[j]) && state.flow.u[j] === x ? i : -1;
      });
    }
    function capturedAt(j) {  // slow time at which neuron j sits on its jump, or NaN
      if (!state.flow) return NaN;
      return state.heldJump[j] >= 0 ? 0 : state.flow.arrival_tau[j];
    }
    function jumpOf(j) { return state.heldJump[j] >= 0 ? state.heldJump[j] : state.flow.arrival_jump[j]; }
    function positionsAt(tau) {
      const f = state.flow;
      if (!f) return [];
      let k = 0;
      while (k + 1 < f.times.length && f.times[k + 1] <= tau) k++;
      if (k + 1 >= f.times.length) return f.traj[k];
      const w = (tau - f.times[k]) / (f.times[k + 1] - f.times[k]);
      return f.traj[k].map((x, j) => (1 - w) * x + w * f.traj[k + 1][j]);
    }
    function meansNetwork(u) {  // the ideal network: the mean of f* on each interval of {0, u, 1}
      const pd = pieceData(state.target), pts = [0, ...u.slice().sort((p, q) => p - q), 1];
      let d = "";
      for (let k = 0; k + 1 < pts.length; k++) {
        const len = pts[k + 1] - pts[k];
        if (!(len > 0)) continue;
        const c = (primitive(state.target, pd, pts[k + 1]) - primitive(state.target, pd, pts[k])) / len;
        d += (d ? "L" : "M") + X(pts[k]).toFixed(2) + "," + Yt(c).toFixed(2) + "L" + X(pts[k + 1]).toFixed(2) + "," + Yt(c).toFixed(2);
      }
      return d;
    }
    let Yt = scale(-1, 3, H1 - PAD.b - 20, PAD.t);

    function draw() {
      const t = state.target, u = positionsAt(state.tau);
      const lo = Math.min(...t.values), hi = Math.max(...t.values), pad = 0.15 * (hi - lo || 1);
      Yt = scale(lo - pad, hi + pad, H1 - PAD.b - 20, PAD.t);
      top.textContent = "";
      C.axes(top, X, Yt, { xticks: [0, 0.2, 0.4, 0.6, 0.8, 1], yticks: [lo, hi], yfmt: (v) => fmt(v, 2) });
      for (const v of t.jumps) svg("line", { x1: X(v), x2: X(v), y1: PAD.t, y2: H1 - PAD.b - 20, class: "tts-jumpline" }, top);
      if (u.length) svg("path", { d: meansNetwork(u), class: "tts-net tts-net-under" }, top);
      svg("path", { d: C.targetPath(t, X, Yt), class: "tts-target tts-target-thin" }, top);
      const yb = H1 - 14;
      svg("line", { x1: X(0), x2: X(1), y1: yb, y2: yb, class: "tts-rail" }, top);
      u.forEach((x, j) => {
        const captured = capturedAt(j) <= state.tau;
        svg("circle", { cx: X(x), cy: yb, r: 6, class: "tts-neuron" + (captured ? " tts-captured" : "") + (j === kbd.grabbed ? " tts-selected" : "") }, top);
      });
      if (kbd.focused) {  // the keyboard cursor
        svg("line", { x1: X(kbd.x), x2: X(kbd.x), y1: PAD.t, y2: yb + 9, class: "tts-cursor" }, top);
        svg("path", { d: `M${X(kbd.x)},${yb + 9}l-6,8h12z`, class: "tts-cursor-mark" }, top);
      }
      // trajectories
      const Tt = T();
      bottom.textContent = "";
      C.axes(bottom, X, Tt, { yticks: [0, state.tauMax / 2, state.tauMax], yfmt: (v) => fmt(v, 2) });
      svg("text", { x: 4, y: PAD.t + 4, class: "tts-tick" }, bottom).textContent = "τ";
      for (const v of t.jumps) svg("line", { x1: X(v), x2: X(v), y1: Tt(0), y2: Tt(state.tauMax), class: "tts-jumpline" }, bottom);
      (state.bounds || []).forEach((r) => {
        if (r.bound === null) return;
        svg("line", { x1: X(r.v) - 10, x2: X(r.v) + 10, y1: Tt(r.bound), y2: Tt(r.bound), class: "tts-bound" }, bottom);
      });
      if (state.flow) {
        const f = state.flow;
        for (let j = 0; j < state.u0.length; j++) {
          let d = "";
          for (let k = 0; k < f.times.length && f.times[k] <= state.tau; k++) d += (d ? "L" : "M") + X(f.traj[k][j]).toFixed(2) + "," + Tt(f.times[k]).toFixed(2);
          d += "L" + X(u[j]).toFixed(2) + "," + Tt(state.tau).toFixed(2);
          svg("path", { d, class: "tts-traj" }, bottom);
          if (capturedAt(j) <= state.tau) svg("circle", { cx: X(t.jumps[jumpOf(j)]), cy: Tt(capturedAt(j)), r: 4, class: "tts-neuron tts-captured" }, bottom);
        }
        svg("line", { x1: X(0), x2: X(1), y1: Tt(state.tau), y2: Tt(state.tau), class: "tts-now" }, bottom);
      }
      tauS.input.value = state.tauMax ? state.tau / state.tauMax : 0;
      tauS.out.textContent = fmt(state.tau, 3);
      // table of jumps
      table.textContent = "";
      const head = el("tr", {}, el("thead", {}, table));
      for (const h of ["jump v", "Δ", "d = min(d_L, d_R)", "bound 8d/Δ²", "captured at τ"]) el("th", {}, head, h);
      const body = el("tbody", {}, table);
      (state.bounds || []).forEach((r, i) => {
        const tr = el("tr", {}, body);
        let cap = null;
        if (state.flow) state.u0.forEach((_, j) => { const c = capturedAt(j); if (jumpOf(j) === i && c <= state.tau && (cap === null || c < cap)) cap = c; });
        el("td", {}, tr, r.v.toFixed(3));
        el("td", {}, tr, fmt(r.delta, 3));
        el("td", {}, tr, Number.isNaN(r.dL) ? "no flanking pair" : fmt(Math.min(r.dL, r.dR), 3));
        el("td", r.bound === null && !Number.isNaN(r.dL) ? { title: "a flanking interval also holds another jump: the bound does not apply" } : {}, tr, r.bound === null ? (Number.isNaN(r.dL) ? "—" : "n/a (shared interval)") : fmt(r.bound, 4));
        el("td", { class: cap !== null ? "tts-ok" : "" }, tr, cap !== null ? fmt(cap, 4) : (state.tau > 0 ? "not yet" : "—"));
      });
      note.textContent = state.u0.length ? `${state.u0.length} neurons; ℓ₀ at τ = ${fmt(state.tau, 3)}: ${fmt(idealLoss(u, state.target), 4)}` :
        "Click in the upper plot (or use the keyboard, below) to place neurons.";
    }
    function idealLoss(u, target) {
      const pd = pieceData(target), pts = [0, ...u.slice().sort((p, q) => p - q), 1], edges = pd.edges;
      let s = 0;
      for (let k = 0; k + 1 < pts.length; k++) {
        const p = pts[k], q = pts[k + 1], len = q - p;
        if (!(len > 0)) continue;
        let s1 = 0, s2 = 0;
        for (let i = 0; i < target.values.length; i++) {
          const l = Math.max(0, Math.min(q, edges[i + 1]) - Math.max(p, edges[i]));
          s1 += target.values[i] * l; s2 += target.values[i] ** 2 * l;
        }
        s += s2 - (s1 * s1) / len;
      }
      // a sum of squares: >= 0, up to the rounding of s2 - s1^2/len (-4.4e-16 when every interval is pure)
      const total = target.values.reduce((acc, v, i) => acc + v * v * (edges[i + 1] - edges[i]), 0);
      return C.nonNegative("ℓ₀", 0.5 * s, total);
    }

    let raf = null, lastT = 0;
    function frame(now) {
      // rAF's time stamp is the frame's start, which may precede the click that set lastT: never negative
      const dtReal = Math.min(Math.max((now - lastT) / 1000, 0), 0.1);
      lastT = now;
      state.tau = Math.min(state.tau + (dtReal / 6) * state.tauMax, state.tauMax);  // whole span in 6 s
      draw();
      if (state.tau < state.tauMax) raf = requestAnimationFrame(frame); else pause();
    }
    function play() {
      if (!state.flow) return;
      if (state.tau >= state.tauMax) state.tau = 0;
      state.playing = true; playB.textContent = "❚❚ pause";
      lastT = performance.now(); raf = requestAnimationFrame(frame);
    }
    function pause() { state.playing = false; playB.textContent = "▶ play"; if (raf) cancelAnimationFrame(raf); raf = null; }
    function restart() { pause(); state.tau = 0; compute(); draw(); }
    playB.addEventListener("click", () => (state.playing ? pause() : play()));
    resetB.addEventListener("click", () => { pause(); state.tau = 0; draw(); });
    clearB.addEventListener("click", () => { state.u0 = []; restart(); });
    randB.addEventListener("click", () => {
      // sorted uniform positions, redrawn until every piece holds two neurons (chapter 3's condition)
      const m = Math.max(2 * state.target.values.length, 6);
      for (let k = 0; k < 1000; k++) {
        const u = Array.from({ length: m }, () => Math.random()).sort((p, q) => p - q);
        const counts = new Array(state.target.values.length).fill(0);
        u.forEach((x) => counts[pieceOf(state.target, x)]++);
        if (counts.every((c) => c >= 2) || k === 999) { state.u0 = u.map((x) => Math.round(x * 1000) / 1000); break; }
      }
      restart();
    });
    paperB.addEventListener("click", () => { state.target = C.checkTarget(C.PAPER_TARGET); randB.click(); });
    top.addEventListener("click", (e) => {
      const p = C.svgPoint(top, e), x = X.inv(p.x);
      if (x <= 0 || x >= 1) return;
      kbd.grabbed = -1;
      const near = state.u0.findIndex((v) => Math.abs(X(v) - p.x) < 7);
      if (near >= 0) state.u0.splice(near, 1);
      else state.u0.push(Math.round(x * 1000) / 1000);
      restart();
    });

    // keyboard: a cursor on the upper plot (see the help line)
    const say = (text) => { note.textContent = text; };
    top.addEventListener("focus", () => { kbd.focused = true; draw(); });
    top.addEventListener("blur", () => { kbd.focused = false; kbd.grabbed = -1; draw(); });
    top.addEventListener("keydown", (e) => {
      const r3 = (x) => Math.round(Math.min(Math.max(x, 0), 1) * 1000) / 1000;
      const d = { ArrowRight: 1, ArrowLeft: -1, Home: -1000, End: 1000 }[e.key];
      if (d !== undefined) {
        e.preventDefault();
        kbd.x = r3(kbd.x + d * (e.shiftKey ? 0.1 : 0.01));
        if (kbd.grabbed >= 0) { pause(); state.u0[kbd.grabbed] = kbd.x; state.tau = 0; compute(); }
        draw();
        if (kbd.grabbed >= 0) say(`neuron moved to ${kbd.x.toFixed(3)}; Enter puts it down`);
        return;
      }
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        if (kbd.grabbed >= 0) { kbd.grabbed = -1; draw(); say(`neuron put down at ${kbd.x.toFixed(3)}`); return; }
        const at = state.u0.findIndex((v) => Math.abs(v - kbd.x) < 0.0005);
        if (at >= 0) { kbd.grabbed = at; draw(); say(`neuron at ${kbd.x.toFixed(3)} picked up: ← → move it, Enter puts it down`); return; }
        if (state.u0.length >= MAX_NEURONS) { say(`at most ${MAX_NEURONS} neurons`); return; }
        state.u0.push(kbd.x); restart(); say(`neuron added at ${kbd.x.toFixed(3)} (${state.u0.length} neurons)`);
        return;
      }
      if ((e.key === "Delete" || e.key === "Backspace") && state.u0.length) {
        e.preventDefault();
        let k = 0;
        state.u0.forEach((v, j) => { if (Math.abs(v - kbd.x) < Math.abs(state.u0[k] - kbd.x)) k = j; });
        const gone = state.u0.splice(k, 1)[0];
        kbd.grabbed = -1; restart(); say(`neuron at ${gone.toFixed(3)} removed (${state.u0.length} neurons)`);
      }
    });

    const api = {
      set(opts) {
        // everything checked first, so that a bad call leaves the explorable as it was
        const o = C.options("ideal.set", opts, ["target", "u"]);
        const target = o.target !== undefined ? C.checkTarget(o.target) : state.target;
        const u = o.u !== undefined ? unitPositions("u", o.u, target) : unitPositions("u", state.u0, target, true);
        state.target = target; state.u0 = u;
        restart();
        return { u: state.u0.slice() };
      },
      run(tau, opts) {
        C.positive("tau", tau, { allowZero: true });
        const o = C.options("ideal.run", opts, ["dt", "recordEvery"]);
        const dt = o.dt === undefined ? 1e-5 : C.positive("dt", o.dt);
        const every = o.recordEvery === undefined ? 0 : C.positive("recordEvery", o.recordEvery, { allowZero: true });
        C.work("tau / dt", flowWork(tau, dt, state.u0.length, state.target.jumps.length),
          `${Math.ceil(tau / dt).toPrecision(3)} RK4 steps of dt = ${dt} for ${state.u0.length} neurons and ${state.target.jumps.length} jumps`);
        if (every && tau / every > MAX_RECORDS) throw new RangeError(`tau / recordEvery = ${(tau / every).toPrecision(3)} records is more than a call may keep (${MAX_RECORDS})`);
        const r = idealFlow(state.u0, state.target, tau, { dt, recordEvery: every });
        return { u: r.u, arrival_tau: r.arrival_tau.map((x) => (Number.isNaN(x) ? null : x)), arrival_jump: r.arrival_jump };
      },
      bounds() { return bounds(state.u0, state.target); },
      velocity(u) { return idealVelocity(unitPositions("u", u, state.target), state.target); },
      /** The start positions and the target (a copy). */
      state() { return JSON.parse(JSON.stringify({ target: state.target, u: state.u0 })); },
      root,
    };
    compute();
    draw();
    return api;
  }

  function init() {
    document.querySelectorAll('[data-explorable="ideal"]').forEach((root) => {
      if (!root.ttsApi) root.ttsApi = mount(root);
      window.ttsExplorables.ideal = window.ttsExplorables.ideal || root.ttsApi;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
