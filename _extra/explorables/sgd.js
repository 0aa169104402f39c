/* Explorable "sgd" (chapter 1): online SGD in the page, two timescales against equal stepsizes.
 *
 * One step is tts_lib.sgd's, operation for operation: sample x ~ U[0, 1], label y = f*(x) + noise*xi with
 * xi ~ U[-1, 1], residual r = f(x; a, u) - y of the per-sample loss (1/2)(f - y)^2, then simultaneously
 *   a_0 -= h r,   a_j -= h r sigma_eta(x - u_j),   u_j += eps h r (a_j / eta) sigma'((x - u_j) / eta)
 * (the sum f = a_0 + sum_j a_j sigma_j in the same four interleaved partial sums as tts_lib).
 * Random numbers: xoshiro128** (32-bit, fast in JavaScript), two 32-bit draws per double; it is NOT
 * tts_lib's SplitMix64 stream, so equal seeds do not give equal runs; give explicit samples for that.
 *
 * Console / test interface: window.ttsExplorables.sgd
 *   .run({eps, steps, lr = 2e-4, seed = 0, samples, u0, a0, target, eta = 4e-3, noise = 1, record})
 *       -> {loss_history, steps, u, a, ns_per_step}
 *   samples: [[x, noise_k], ...] or {x: [...], noise: [...]} (the label noise itself, already scaled, as
 *   tts_lib's sgd samples entry point); then steps = number of samples and seed is unused.
 *   record: loss every `record` steps (0: none; default steps / 100); block: steps between yields of the
 *   animated run. Arguments are checked as tts_lib.sgd's (RangeError/TypeError naming the parameter); a call
 *   asking for more than C.MAX_WORK operations is refused; a value leaving [-1e100, 1e100] throws a
 *   DivergenceError naming it and the first step.
 *   .startPositions(m, target, seed) -> chapter 1's start (sorted uniform, two per piece)
 */
(function () {
  "use strict";
  const C = window.ttsExplorableCore;
  const { svg, el, scale, fmt } = C;

  // ---- random numbers ---------------------------------------------------------------------------
  function rng(seed) {
    // splitmix32 to seed xoshiro128**
    let z = (seed >>> 0) ^ 0x9e3779b9;
    const sm = () => {
      z = (z + 0x9e3779b9) | 0;
      let t = z ^ (z >>> 16); t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15; t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    const S = new Int32Array([sm(), sm(), sm(), sm()]);  // typed state: no boxed numbers in the loop
    if ((S[0] | S[1] | S[2] | S[3]) === 0) S[0] = 1;
    const next = () => {
      const s1 = S[1], x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      S[2] ^= S[0]; S[3] ^= S[1]; S[1] ^= S[2]; S[0] ^= S[3]; S[2] ^= t;
      S[3] = (S[3] << 11) | (S[3] >>> 21);
      return r;
    };
    // a double in [0, 1) with 53 random bits; save()/load() copy the state (to replay a block)
    const uniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
    uniform.save = () => Int32Array.from(S);
    uniform.load = (saved) => S.set(saved);
    return uniform;
  }

  // ---- the SGD engine ---------------------------------------------------------------------------
  /** n steps in place on Float64Arrays a (m + 1) and u (m); draw() -> [x, noise term] or explicit arrays. */
  function steps(a, u, jumps, values, invEta, lr, lrU, n, xs, ns, uniform, noise) {
    const m = u.length, nj = jumps.length;
    const s = new Float64Array(m), sp = new Float64Array(m), win = new Int32Array(m), m4 = m & ~3;
    for (let k = 0; k < n; k++) {
      let x, xi;
      if (xs) { x = xs[k]; xi = ns[k]; } else { x = uniform(); xi = noise * (2 * uniform() - 1); }
      let p = 0;
      for (let i = 0; i < nj; i++) if (x >= jumps[i]) p++;
      const y = values[p] + xi;
      // one pass: sigma (and sigma' for the neurons whose window holds x) and the four partial sums of
      // a_j sigma_j in tts_lib's order (j mod 4, the tail into f0). Outside its window a neuron has
      // sigma = 0 or 1 exactly and sigma' = 0, so skipping its cubic (and its position update, and
      // the weight update when sigma = 0) changes no bit of the result.
      let f0 = 0, f1 = 0, f2 = 0, f3 = 0, nw = 0;
      for (let j = 0; j < m; j++) {
        const z = (x - u[j]) * invEta;
        let sj;
        if (z >= 0.5) sj = 1;
        else if (z <= -0.5) sj = 0;
        else {
          win[nw++] = j;
          const t = 0.5 - Math.abs(z);
          sp[j] = 12 * t * t;
          if (z <= 0) { const pp = 0.5 + z; sj = 4 * pp * pp * pp; } else { const q = 0.5 - z; sj = 1 - 4 * q * q * q; }
        }
        s[j] = sj;
        const c = a[j + 1] * sj, r4 = j & 3;
        if (j >= m4 || r4 === 0) f0 += c; else if (r4 === 1) f1 += c; else if (r4 === 2) f2 += c; else f3 += c;
      }
      const r = a[0] + ((f0 + f1) + (f2 + f3)) - y;
      a[0] -= lr * r;
      const gr = lr * r, gu = lrU * r * invEta;
      for (let w = 0; w < nw; w++) { const jj = win[w]; u[jj] += gu * a[jj + 1] * sp[jj]; }  // old a_j
      for (let jj = 0; jj < m; jj++) { const sj = s[jj]; if (sj !== 0) a[jj + 1] -= gr * sj; }
    }
  }

  /** Sorted uniform positions from the seed, redrawn until every piece holds two neurons (as chapter 1). */
  function startPositions(m, target, seed) {
    const uni = rng((seed ^ 0x5bd1e995) >>> 0);
    for (let k = 0; ; k++) {
      const u = Array.from({ length: m }, uni).sort((p, q) => p - q);
      const counts = new Array(target.values.length).fill(0);
      u.forEach((x) => { let p = 0; while (p < target.jumps.length && x >= target.jumps[p]) p++; counts[p]++; });
      if (counts.every((c) => c >= 2) || k > 10000) return u;
    }
  }

  function parseSamples(samples) {
    let xs, ns;
    if (Array.isArray(samples)) {
      samples.forEach((p, k) => {
        if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`samples must be [[x, noise], ...] (pairs), got entry ${k}: ${C.show(p)}`);
      });
      xs = C.vector("samples", samples.map((p) => p[0]));
      ns = C.vector("samples", samples.map((p) => p[1]));
    } else if (samples && typeof samples === "object" && "x" in samples && "noise" in samples) {
      xs = C.vector("samples.x", samples.x);
      ns = C.vector("samples.noise", samples.noise, { length: xs.length });
    } else throw new TypeError(`samples must be [[x, noise], ...] or {x: [...], noise: [...]}, got ${C.show(samples)}`);
    return { xs: Float64Array.from(xs), ns: Float64Array.from(ns) };
  }

  // tts_lib.sgd.sgd's checks (same ranges, same messages); the seed feeds a 32-bit generator here.
  const OPTIONS = ["eps", "steps", "lr", "seed", "samples", "u0", "a0", "target", "eta", "noise", "record", "block"];
  const MAX_SEED = 4294967295;
  const CHUNK = 4096;  // steps between two divergence checks (a check costs one pass over a and u)

  /** Every argument of a run, checked; `yielding`: the run is animated in frames (no cap on its work). */
  function checkRun(opts, yielding) {
    const o = C.options("sgd.run", opts, OPTIONS);
    const target = C.checkTarget(o.target === undefined ? C.PAPER_TARGET : o.target);
    const eta = o.eta === undefined ? 4e-3 : C.width("eta", o.eta);
    const lr = o.lr === undefined ? 2e-4 : C.positive("lr", o.lr);
    if (o.eps === undefined) throw new TypeError("eps must be given (the inner/outer stepsize ratio, > 0)");
    const eps = C.positive("eps", o.eps);
    const noise = o.noise === undefined ? 1 : C.positive("noise", o.noise, { allowZero: true });
    const seed = o.seed === undefined ? 0 : C.integer("seed", o.seed, { max: MAX_SEED });
    let xs = null, ns = null, n;
    if (o.samples !== undefined && o.samples !== null) { ({ xs, ns } = parseSamples(o.samples)); n = xs.length; }
    else {
      if (o.steps === undefined) throw new TypeError("steps must be given (or samples)");
      n = C.integer("steps", o.steps);
    }
    let u, a;
    if (o.u0 !== undefined) u = C.vector("u0", o.u0, { minLength: 1 });
    else u = startPositions(20, target, seed);
    if (o.a0 !== undefined) ({ a, u } = C.network(o.a0, u, "a0", "u0"));
    else a = new Array(u.length + 1).fill(0);
    const m = u.length, J = target.jumps.length;
    const record = o.record === undefined ? Math.max(1, Math.ceil(n / 100)) : C.integer("record", o.record);
    const block = o.block === undefined ? Infinity : C.integer("block", o.block, { min: 1 });
    if (!yielding) {
      // a step costs about m + 4 operations, an exact loss 4 (3m + J + 1) nodes times (m + J + 1)
      const nRec = record ? Math.floor(n / record) + 2 : 0, perLoss = 4 * (3 * m + J + 1) * (m + J + 1);
      const stepWork = n * (m + 4), recWork = nRec * perLoss;
      if (stepWork >= recWork) C.work(`${o.samples ? "samples" : "steps"} × len(u0)`, stepWork + recWork, `${n} steps of m = ${m} neurons`);
      else C.work("record × len(u0)²", stepWork + recWork, `${nRec} exact losses (record = 0 records none) of m = ${m} neurons, ${perLoss.toPrecision(3)} each`);
    }
    return { target, eta, lr, eps, noise, seed, xs, ns, n, u, a, record, block };
  }

  function bad(a, u) {
    for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]) <= C.DIVERGENCE_THRESHOLD)) return true;  // NaN too
    for (let i = 0; i < u.length; i++) if (!(Math.abs(u[i]) <= C.DIVERGENCE_THRESHOLD)) return true;
    return false;
  }
  function firstBad(a, u) {
    for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]) <= C.DIVERGENCE_THRESHOLD)) return [`a[${i}]`, a[i]];
    for (let i = 0; i < u.length; i++) if (!(Math.abs(u[i]) <= C.DIVERGENCE_THRESHOLD)) return [`u[${i}]`, u[i]];
    return null;
  }

  /** A run in blocks: generator yielding after each block (for animation); returns the result. A value
   *  that leaves [-1e100, 1e100] (or is NaN) stops the run with a DivergenceError naming it and the first
   *  step where it happened, as tts_lib.sgd (the block is replayed one step at a time to find it). */
  function* runBlocks(opts, yielding) {
    const p = checkRun(opts, yielding);
    const { target, eta, lr, eps, noise, seed, xs, ns, n, record, block } = p;
    const u = Float64Array.from(p.u), a = Float64Array.from(p.a);
    const uniform = rng(seed);
    const jumps = Float64Array.from(target.jumps), values = Float64Array.from(target.values);
    const hint = (xs ? "" : `seed=${seed}, `) + `lr=${lr}, eps=${eps}, eta=${eta}: try a smaller lr`;
    const hist = [], at = [];
    const rec = (k) => {
      const L = C.loss(a, u, target, eta);
      if (!Number.isFinite(L)) throw new C.DivergenceError("loss", k, L, hint);
      at.push(k); hist.push(L);
    };
    if (record) rec(0);
    let k = 0, busy = 0, sinceYield = 0;
    const sub = (arr, from, len) => arr && arr.subarray(from, from + len);
    while (k < n) {
      let b = Math.min(CHUNK, n - k, block - sinceYield);
      if (record) b = Math.min(b, record - (k % record));
      const aSaved = a.slice(), uSaved = u.slice(), rSaved = uniform.save();
      const t0 = performance.now();
      steps(a, u, jumps, values, 1 / eta, lr, eps * lr, b, sub(xs, k, b), sub(ns, k, b), uniform, noise);
      busy += performance.now() - t0;
      if (bad(a, u)) {
        // replay the chunk one step at a time (same draws) to name the first value and step that blew up
        a.set(aSaved); u.set(uSaved); uniform.load(rSaved);
        for (let i = 0; i < b; i++) {
          steps(a, u, jumps, values, 1 / eta, lr, eps * lr, 1, sub(xs, k + i, 1), sub(ns, k + i, 1), uniform, noise);
          const w = firstBad(a, u);
          if (w) throw new C.DivergenceError(w[0], k + i + 1, w[1], hint);
        }
      }
      k += b; sinceYield += b;
      if (record && (k % record === 0 || k === n)) rec(k);
      if (sinceYield >= block || (k === n && block !== Infinity)) { sinceYield = 0; yield { k, n, a, u, hist, at }; }
    }
    return { loss_history: hist, steps: at, u: Array.from(u), a: Array.from(a), ns_per_step: n ? (busy * 1e6) / n : 0 };
  }
  /** One call, run to the end: its work is capped (C.MAX_WORK) so that it cannot freeze the page. */
  function run(o) {
    const g = runBlocks(o, false);
    let r = g.next();
    while (!r.done) r = g.next();
    return r.value;
  }

  // ---- the explorable ----------------------------------------------------------------------------
  const W = 420, H = 244, PAD = { l: 36, r: 8, t: 40, b: 40 };
  function mount(root) {
    const host = root.querySelector(".tts-mount") || root;
    host.textContent = "";
    const st = { logEps: Math.log10(2e-5), logH: -3, logHeq: Math.log10(2e-5), logSteps: Math.log10(3.5e6), seed: 0 };
    const target = C.checkTarget(C.PAPER_TARGET), eta = 4e-3;
    const panels = el("div", { class: "tts-panels" }, host);
    const mk = (label) => svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "tts-svg tts-panel tts-w420", role: "img", "aria-label": label }, panels);
    const pL = mk("network and neurons, two timescales"), pR = mk("network and neurons, equal stepsizes");
    // the loss plot: 640 wide, or C.NARROW_W on a phone (the two panels above are 420 wide either way)
    const phone = C.narrow(), LW = phone ? C.NARROW_W : 640;
    root.classList.toggle("tts-narrow", phone);
    const lossSvg = svg("svg", { viewBox: `0 0 ${LW} 200`, class: "tts-svg", role: "img", "aria-label": "loss curves" }, host);
    const outside = el("p", { class: "tts-note tts-outside-note", "aria-live": "polite" }, host);
    const readout = el("div", { class: "tts-readout", "aria-live": "polite" }, host);
    const controls = el("div", { class: "tts-controls" }, host);
    const epsS = C.slider(controls, "ε (inner/outer)", { min: -5, max: 0, step: 0.1, value: st.logEps }, (v) => { st.logEps = v; label(); });
    const hS = C.slider(controls, "h, two timescales", { min: -5, max: -2.5, step: 0.1, value: st.logH }, (v) => { st.logH = v; label(); });
    const hqS = C.slider(controls, "h, equal stepsizes", { min: -5, max: -2.5, step: 0.1, value: st.logHeq }, (v) => { st.logHeq = v; label(); });
    const nS = C.slider(controls, "steps", { min: 4, max: 7.5, step: 0.05, value: st.logSteps }, (v) => { st.logSteps = v; label(); });
    const seedW = el("label", { class: "tts-control" }, controls);
    el("span", { class: "tts-label" }, seedW, "seed");
    const seedI = el("input", { type: "number", min: 0, max: 9999, step: 1, value: 0, inputmode: "numeric" }, seedW);
    const seedMsg = el("span", { class: "tts-error", role: "alert", id: "tts-seed-msg-" + Math.random().toString(36).slice(2) }, controls);
    seedI.setAttribute("aria-describedby", seedMsg.id);
    const runB = el("button", { type: "button", class: "tts-button" }, controls, "▶ run");
    for (const inp of [epsS.input, hS.input, hqS.input, nS.input, seedI]) inp.addEventListener("change", () => start());
    runB.addEventListener("click", () => start());

    const X = scale(0, 1, PAD.l, W - PAD.r), Y = scale(-1, 7, H - PAD.b, PAD.t);
    function label() {
      epsS.out.textContent = fmt(10 ** st.logEps, 2);
      hS.out.textContent = fmt(10 ** st.logH, 2);
      hqS.out.textContent = fmt(10 ** st.logHeq, 2);
      nS.out.textContent = Math.round(10 ** st.logSteps).toLocaleString("en");
    }
    function drawPanel(p, title, a, u, k, n) {
      p.textContent = "";
      C.axes(p, X, Y, { xticks: [0, 0.5, 1], yticks: [0, 2, 4, 6] });
      svg("text", { x: PAD.l, y: 16, class: "tts-title" }, p).textContent = title;
      svg("text", { x: PAD.l, y: 33, class: "tts-tick" }, p).textContent = `step ${k.toLocaleString("en")} of ${n.toLocaleString("en")}`;
      svg("path", { d: C.targetPath(target, X, Y), class: "tts-target" }, p);
      svg("path", { d: C.networkPath(a, u, eta, X, Y, 300), class: "tts-net" }, p);
      const yb = H - 12;
      svg("line", { x1: X(0), x2: X(1), y1: yb, y2: yb, class: "tts-rail" }, p);
      for (const v of target.jumps) {
        const covered = Array.from(u).some((x) => Math.abs(x - v) <= 2 * eta);
        svg("circle", { cx: X(v), cy: yb, r: 8, class: covered ? "tts-cover-ok" : "tts-cover-miss" }, p);
      }
      // a neuron outside [0, 1] is drawn at the edge as a triangle pointing the way it left
      let out = 0;
      for (const x of u) {
        if (x >= 0 && x <= 1) { svg("circle", { cx: X(x), cy: yb, r: 3.5, class: "tts-neuron" }, p); continue; }
        out++;
        const e = X(x < 0 ? 0 : 1), s = x < 0 ? -1 : 1;
        svg("path", { d: `M${e + 7 * s},${yb}l${-9 * s},-6v12z`, class: "tts-neuron tts-outside" }, p);
      }
      return out;
    }
    function drawLoss(runs) {
      lossSvg.textContent = "";
      const all = runs.flatMap((r) => r.hist).filter((v) => v > 0);
      if (!all.length) return;
      const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.ceil(Math.log10(Math.max(...all)));
      const n = runs[0].n || 1;
      const LX = scale(0, n, 46, LW - (phone ? 40 : 50)), LY = scale(lo, Math.max(hi, lo + 1), 170, 26);
      const ticks = []; for (let e = lo; e <= Math.max(hi, lo + 1); e++) ticks.push(e);
      C.axes(lossSvg, LX, LY, { xticks: C.niceTicks(n, 3), xfmt: C.compactCount, yticks: ticks, yfmt: (e) => `1e${e}` });
      runs.forEach((r, i) => {
        const d = r.at.map((k, j) => (j ? "L" : "M") + LX(k).toFixed(1) + "," + LY(Math.log10(Math.max(r.hist[j], 10 ** lo))).toFixed(1)).join("");
        svg("path", { d, class: i ? "tts-curve tts-curve-b" : "tts-curve" }, lossSvg);
      });
      svg("text", { x: 60, y: 14, class: "tts-tick tts-key-a" }, lossSvg).textContent = "— two timescales";
      svg("text", { x: phone ? 230 : 320, y: 14, class: "tts-tick tts-key-b" }, lossSvg).textContent = "— equal stepsizes";
    }

    let token = 0;
    function start() {
      const my = ++token;
      // the seed box: an integer from 0 to 9999, else no run and a message saying so
      const seedV = seedI.value.trim() === "" ? NaN : Number(seedI.value);
      if (!Number.isInteger(seedV) || seedV < 0 || seedV > 9999) {
        token++;
        seedI.setAttribute("aria-invalid", "true");
        seedMsg.textContent = `seed must be an integer from 0 to 9999, got ${seedI.value.trim() || "nothing"}`;
        root.dataset.state = "invalid";
        return;
      }
      seedI.removeAttribute("aria-invalid");
      seedMsg.textContent = "";
      st.seed = seedV;
      const n = Math.round(10 ** st.logSteps), lr = 10 ** st.logH, lrEq = 10 ** st.logHeq, eps = 10 ** st.logEps;
      const u0 = startPositions(20, target, st.seed);
      const block = Math.max(1, Math.ceil(n / 100));
      const gens = [runBlocks({ eps, lr, steps: n, seed: st.seed, u0, eta, block }, true),
        runBlocks({ eps: 1, lr: lrEq, steps: n, seed: st.seed, u0, eta, block }, true)];
      const cur = [null, null], res = [null, null];
      const t0 = performance.now();
      let busy = 0;
      const tick = () => {
        if (my !== token) return;
        const t1 = performance.now();
        // about 30 ms of computing per frame, so the page stays responsive
        while (performance.now() - t1 < 30 && (!res[0] || !res[1])) {
          for (let i = 0; i < 2; i++) {
            if (res[i]) continue;
            let r;
            try { r = gens[i].next(); } catch (e) {
              if (!(e instanceof C.DivergenceError)) throw e;
              res[i] = { error: e };
              continue;
            }
            if (r.done) res[i] = r.value; else cur[i] = Object.assign({}, r.value, { n });
          }
        }
        busy += performance.now() - t1;
        const view = [0, 1].map((i) => cur[i] || { a: new Float64Array(21), u: u0, k: 0, n, hist: [], at: [] });
        const outL = drawPanel(pL, `two timescales, ε = ${fmt(eps, 2)}, h = ${fmt(lr, 2)}`, view[0].a, view[0].u, view[0].k, n);
        const outR = drawPanel(pR, `equal stepsizes, ε = 1, h = ${fmt(lrEq, 2)}`, view[1].a, view[1].u, view[1].k, n);
        const say = (k, what) => (k ? `${what}: ${k} of ${view[0].u.length} neurons outside [0, 1] (drawn at the edge as ◀ ▶)` : "");
        outside.textContent = [say(outL, "two timescales"), say(outR, "equal stepsizes")].filter(Boolean).join("; ");
        drawLoss(view);
        if (res[0] && res[1]) {
          const ok = res.filter((r) => !r.error);
          const ns = ok.length ? ok.reduce((s0, r) => s0 + r.ns_per_step, 0) / ok.length : NaN;
          const fin = (r) => (r.error ? "diverged" : fmt(r.loss_history[r.loss_history.length - 1], 3));
          const errs = res.map((r, i) => (r.error ? `<span class="tts-error">${i ? "equal stepsizes" : "two timescales"}: ${r.error.message}</span>` : "")).join("");
          readout.innerHTML = `<span>final loss: two timescales <b>${fin(res[0])}</b>, equal stepsizes <b>${fin(res[1])}</b></span>` +
            `<span>slow time τ = εh·steps: ${fmt(eps * lr * n, 3)} (two timescales), ${fmt(lrEq * n, 3)} (equal)</span>` +
            errs + `<span class="tts-note">${(2 * n).toLocaleString("en")} steps in ${fmt(busy / 1000, 2)} s of computing (${fmt(ns, 3)} ns per step, both runs)</span>`;
          root.dataset.state = "done";
          return;
        }
        readout.textContent = `running… ${Math.round((100 * (view[0].k + view[1].k)) / (2 * n || 1))} %`;
        root.dataset.state = "running";
        requestAnimationFrame(tick);
      };
      void t0;
      requestAnimationFrame(tick);
    }
    label();
    start();
    return {
      run,
      /** Chapter 1's start: m sorted uniform positions, two per piece of the target (m <= 10 000). */
      startPositions(m, t, seed) {
        C.integer("m", m, { min: 1, max: 10000 });
        const tt = C.checkTarget(t === undefined ? C.PAPER_TARGET : t);
        return startPositions(m, tt, seed === undefined ? 0 : C.integer("seed", seed, { max: MAX_SEED }));
      },
      root,
    };
  }

  C.sgdRun = run;  // the engine without the UI (benchmarks/bench_explorables.py)

  function init() {
    document.querySelectorAll('[data-explorable="sgd"]').forEach((root) => {
      if (!root.ttsApi) root.ttsApi = mount(root);
      window.ttsExplorables.sgd = window.ttsExplorables.sgd || root.ttsApi;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
