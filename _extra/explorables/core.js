/* Explorables of the book: shared numerics and SVG helpers (no framework, no network).
 *
 * Same conventions as tts_lib: x ~ U[0, 1]; right-continuous piecewise-constant target
 * {jumps, values}; the cubic smoothed Heaviside of width eta; a[0] is the bias; the loss has the 1/2.
 * Exact integrals: between consecutive breakpoints {0, 1, v_i, u_j - eta/2, u_j, u_j + eta/2} every
 * integrand used here is a polynomial of degree <= 6, so 4-point Gauss-Legendre on each interval is
 * exact up to rounding (as tts_lib.quadrature).
 *
 * Classic script (not an ES module) on purpose: module scripts are refused on file:// pages, and the
 * built book must also work when opened from disk. Registers window.ttsExplorableCore and
 * window.ttsExplorables (filled by network.js, ideal.js, sgd.js).
 */
(function () {
  "use strict";

  // 4-point Gauss-Legendre on [-1, 1] (exact for polynomials of degree <= 7)
  const s65 = Math.sqrt(6 / 5);
  const GL_X = [-Math.sqrt(3 / 7 + (2 / 7) * s65), -Math.sqrt(3 / 7 - (2 / 7) * s65),
    Math.sqrt(3 / 7 - (2 / 7) * s65), Math.sqrt(3 / 7 + (2 / 7) * s65)];
  const GL_W = [(18 - Math.sqrt(30)) / 36, (18 + Math.sqrt(30)) / 36,
    (18 + Math.sqrt(30)) / 36, (18 - Math.sqrt(30)) / 36];

  /** sigma(z): 0, 4(z+1/2)^3, 1 - 4(1/2-z)^3, 1 on z <= -1/2, (-1/2, 0], (0, 1/2), >= 1/2. */
  function sigma(z) {
    const zc = Math.min(Math.max(z, -0.5), 0.5);
    if (zc <= 0) { const p = 0.5 + zc; return 4 * p * p * p; }
    const q = 0.5 - zc;
    return 1 - 4 * q * q * q;
  }

  /** sigma'(z) = 12 (1/2 - |z|)^2 on |z| < 1/2, else 0. */
  function sigmaPrime(z) {
    const t = 0.5 - Math.abs(z);
    return t > 0 ? 12 * t * t : 0;
  }

  /** f*(x): values[number of jumps <= x] (right-continuous). */
  function targetValue(target, x) {
    const J = target.jumps;
    let i = 0;
    while (i < J.length && x >= J[i]) i++;
    return target.values[i];
  }

  /** Quadrature nodes x and weights w, exact for piecewise polynomials of degree <= 7 between the
   *  breakpoints {0, 1, jumps, u_j - eta/2, u_j, u_j + eta/2} (clipped to [0, 1]). */
  function nodes(u, eta, jumps) {
    const pts = [0, 1];
    for (const uj of u) pts.push(uj - 0.5 * eta, uj, uj + 0.5 * eta);
    if (jumps) for (const v of jumps) pts.push(v);
    const bp = pts.map((p) => Math.min(Math.max(p, 0), 1)).sort((p, q) => p - q);
    const xs = [], ws = [];
    for (let k = 0; k + 1 < bp.length; k++) {
      const half = 0.5 * (bp[k + 1] - bp[k]);
      if (!(half > 0)) continue;
      const mid = 0.5 * (bp[k + 1] + bp[k]);
      for (let g = 0; g < 4; g++) { xs.push(mid + half * GL_X[g]); ws.push(half * GL_W[g]); }
    }
    return { x: Float64Array.from(xs), w: Float64Array.from(ws) };
  }

  /** f(x; a, u) = a_0 + sum_j a_j sigma((x - u_j) / eta). */
  function predict(x, a, u, eta) {
    let f = a[0];
    for (let j = 0; j < u.length; j++) f += a[j + 1] * sigma((x - u[j]) / eta);
    return f;
  }

  /** L(a, u) = 1/2 int_0^1 (f - f*)^2, exact. */
  function loss(a, u, target, eta) {
    const { x, w } = nodes(u, eta, target.jumps);
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const r = predict(x[i], a, u, eta) - targetValue(target, x[i]);
      s += w[i] * r * r;
    }
    return 0.5 * s;
  }

  /** Gram matrix G_jk = int phi_j phi_k (phi_0 = 1, phi_j = sigma_eta(. - u_j)) and b_k = int f* phi_k. */
  function gramB(u, target, eta) {
    const m = u.length, n = m + 1;
    const { x, w } = nodes(u, eta, target.jumps);
    const G = new Float64Array(n * n), b = new Float64Array(n), phi = new Float64Array(n);
    phi[0] = 1;
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j < m; j++) phi[j + 1] = sigma((x[i] - u[j]) / eta);
      const fi = w[i] * targetValue(target, x[i]);
      for (let j = 0; j < n; j++) {
        const wj = w[i] * phi[j];
        b[j] += fi * phi[j];
        for (let k = j; k < n; k++) G[j * n + k] += wj * phi[k];
      }
    }
    for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) G[j * n + k] = G[k * n + j];
    return { G, b, n };
  }

  /** Minimum-norm solution of G a = b for symmetric positive semi-definite G (Cholesky when well
   *  conditioned, as tts_lib; otherwise a Jacobi eigen-decomposition pseudo-inverse). */
  function solveSPD(G, b, n) {
    const L = new Float64Array(n * n);
    let ok = true, dmin = Infinity, dmax = 0;
    for (let j = 0; j < n && ok; j++) {
      let d = G[j * n + j];
      for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
      if (!(d > 0)) { ok = false; break; }
      const ljj = Math.sqrt(d);
      L[j * n + j] = ljj;
      dmin = Math.min(dmin, ljj); dmax = Math.max(dmax, ljj);
      for (let i = j + 1; i < n; i++) {
        let s = G[i * n + j];
        for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
        L[i * n + j] = s / ljj;
      }
    }
    if (ok && (dmin / dmax) ** 2 > 1e-12) {
      const y = new Float64Array(n), a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = b[i];
        for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
        y[i] = s / L[i * n + i];
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = y[i];
        for (let k = i + 1; k < n; k++) s -= L[k * n + i] * a[k];
        a[i] = s / L[i * n + i];
      }
      return a;
    }
    return pinvSolve(G, b, n);
  }

  function pinvSolve(G, b, n) {
    const A = Float64Array.from(G), V = new Float64Array(n * n);
    for (let i = 0; i < n; i++) V[i * n + i] = 1;
    for (let sweep = 0; sweep < 60; sweep++) {
      let off = 0;
      for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
      if (off < 1e-30) break;
      for (let p = 0; p < n; p++) {
        for (let q = p + 1; q < n; q++) {
          const apq = A[p * n + q];
          if (Math.abs(apq) < 1e-300) continue;
          const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
          const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          const c = 1 / Math.sqrt(t * t + 1), s = t * c;
          for (let k = 0; k < n; k++) {
            const akp = A[k * n + p], akq = A[k * n + q];
            A[k * n + p] = c * akp - s * akq; A[k * n + q] = s * akp + c * akq;
          }
          for (let k = 0; k < n; k++) {
            const apk = A[p * n + k], aqk = A[q * n + k];
            A[p * n + k] = c * apk - s * aqk; A[q * n + k] = s * apk + c * aqk;
          }
          for (let k = 0; k < n; k++) {
            const vkp = V[k * n + p], vkq = V[k * n + q];
            V[k * n + p] = c * vkp - s * vkq; V[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
    let lmax = 0;
    for (let i = 0; i < n; i++) lmax = Math.max(lmax, Math.abs(A[i * n + i]));
    const cut = lmax * n * 2.220446049250313e-16;
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const lam = A[i * n + i];
      if (!(lam > cut)) continue;
      let c = 0;
      for (let k = 0; k < n; k++) c += V[k * n + i] * b[k];
      c /= lam;
      for (let k = 0; k < n; k++) a[k] += c * V[k * n + i];
    }
    return a;
  }

  /** a*(u) = G(u)^{-1} b(u), the best outer weights (minimum-norm if G is singular). */
  function optimalOuter(u, target, eta) {
    const { G, b, n } = gramB(u, target, eta);
    return solveSPD(G, b, n);
  }

  /** Reduced loss l(u) = L(a*(u), u). */
  function reducedLoss(u, target, eta) {
    return loss(optimalOuter(u, target, eta), u, target, eta);
  }

  // ---- argument checking: tts_lib/_validate.py's rules and messages ---------------------------------
  // A bad argument throws a RangeError (a TypeError for a value of the wrong type: a string, a bool, an
  // object, ...) whose message starts with the parameter's name and says what was expected, as the
  // Python library's ValueError/ArgumentTypeError. Numeric strings are not numbers here either.
  const EPS = 2.220446049250313e-16;
  const MAX_ABS = 1e100;                          // _validate.MAX_ABS
  const ETA_MIN = Math.sqrt(EPS), ETA_MAX = 1 / Math.sqrt(EPS);  // _validate.width's range
  const DIVERGENCE_THRESHOLD = 1e100;             // tts_lib.sgd.DIVERGENCE_THRESHOLD

  /** Python-like display of a value in a message (nan, inf, 'text', [..] cut at 80 characters). */
  function show(v) {
    let t;
    if (typeof v === "number") t = Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
    else if (typeof v === "string") t = "'" + v + "'";
    else if (typeof v === "function") t = "a function";
    else { try { t = JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? show(x) : x)); } catch (e) { t = String(v); } }
    if (t === undefined) t = String(v);
    return t.length <= 80 ? t : t.slice(0, 77) + "...";
  }
  function typeName(v) {
    if (v === null) return "null";
    if (Array.isArray(v)) return "Array";
    if (ArrayBuffer.isView(v)) return v.constructor.name;
    return typeof v;
  }
  function typeError(name, expected, v) {
    throw new TypeError(`${name} must be ${expected}, got ${show(v)} of type ${typeName(v)}`);
  }
  /** A number (not a string, a bool, null, ...). */
  function scalar(name, v, expected) {
    if (typeof v !== "number") typeError(name, expected || "a real number", v);
    return v;
  }
  /** A finite real number with |v| <= maxAbs (_validate.real). */
  function real(name, v, maxAbs) {
    scalar(name, v);
    const lim = maxAbs === undefined ? MAX_ABS : maxAbs;
    if (!Number.isFinite(v)) throw new RangeError(`${name} must be finite, got ${show(v)}`);
    if (Math.abs(v) > lim) throw new RangeError(`${name} must have magnitude <= ${lim}, got ${show(v)}`);
    return v;
  }
  /** A finite positive number (non-negative with allowZero), at most max (_validate.positive). */
  function positive(name, v, opts) {
    const o = opts || {};
    scalar(name, v);
    if (!Number.isFinite(v)) throw new RangeError(`${name} must be finite, got ${show(v)}`);
    if (v < 0 || (v === 0 && !o.allowZero)) throw new RangeError(`${name} must be ${o.allowZero ? "non-negative" : "positive"}, got ${show(v)}`);
    const max = o.max === undefined ? MAX_ABS : o.max;
    if (v > max) throw new RangeError(`${name} must be <= ${max}, got ${show(v)}`);
    return v;
  }
  /** An integer in [min, max] (_validate.integer; JavaScript cannot tell 3.0 from 3). */
  function integer(name, v, opts) {
    const o = opts || {};
    if (typeof v !== "number" || !Number.isInteger(v)) typeError(name, "an integer", v);
    const min = o.min === undefined ? 0 : o.min;
    if (v < min) throw new RangeError(`${name} must be >= ${min}, got ${v}`);
    if (o.max !== undefined && v > o.max) throw new RangeError(`${name} must be <= ${o.max}, got ${v}`);
    return v;
  }
  /** A 1-D array of finite numbers with |x| <= maxAbs, as a plain Array (_validate.vector). */
  function vector(name, v, opts) {
    const o = opts || {};
    if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) typeError(name, "an array of real numbers", v);
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== "number") typeError(name, "an array of real numbers (no bools, strings, arrays or other entries)", v[i]);
    }
    const out = Array.from(v);
    if (o.length !== undefined && out.length !== o.length) throw new RangeError(`${name} must have length ${o.length}, got length ${out.length}`);
    if (out.length < (o.minLength || 0)) throw new RangeError(`${name} must have at least ${o.minLength} entries, got ${out.length}`);
    const lim = o.maxAbs === undefined ? MAX_ABS : o.maxAbs;
    let big = 0;
    for (const x of out) {
      if (!Number.isFinite(x)) throw new RangeError(`${name} must contain only finite values (no NaN or inf)`);
      big = Math.max(big, Math.abs(x));
    }
    if (big > lim) throw new RangeError(`${name} must have entries of magnitude <= ${lim}, got ${big}`);
    return out;
  }
  /** An activation width eta in [sqrt(eps), 1/sqrt(eps)] (_validate.width). */
  function width(name, v) {
    positive(name, v, { max: Infinity });
    if (!(v >= ETA_MIN && v <= ETA_MAX)) {
      throw new RangeError(`${name} must lie in the supported range [1.49e-08, 6.71e+07] ` +
        `(sqrt(eps) to 1/sqrt(eps): outside it float64 cannot resolve the window), got ${show(v)}`);
    }
    return v;
  }
  /** Outer weights a (len(u) + 1 entries, a[0] the bias) and positions u (_validate.network). */
  function network(a, u, aName, uName, maxNeurons) {
    const an = aName || "a", un = uName || "u";
    const uu = vector(un, u, { minLength: 1 });
    if (maxNeurons !== undefined) neuronLimit(un, uu.length, maxNeurons.limit, maxNeurons.why);
    const aa = vector(an, a);
    if (aa.length !== uu.length + 1) {
      throw new RangeError(`${an} and ${un} must have matching lengths, len(${an}) = len(${un}) + 1 (${an}[0] is the bias): ` +
        `got len(${an}) = ${aa.length} and len(${un}) = ${uu.length}`);
    }
    return { a: aa, u: uu };
  }
  function neuronLimit(name, m, limit, why) {
    if (m > limit) throw new RangeError(`${name} has ${m} neurons; ${why} limited to ${limit}`);
  }
  /** Only the option names in `allowed` (a misspelt option is an error, not a default). */
  function options(where, o, allowed) {
    if (o === undefined || o === null) return {};
    if (typeof o !== "object" || Array.isArray(o)) typeError(where + " options", "an object", o);
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) throw new TypeError(`${k} is not an option of ${where} (options: ${allowed.join(", ")})`);
    }
    return o;
  }
  /** The work a call may do on the page's one thread, in elementary operations (about 1 s in Chromium). */
  const MAX_WORK = 1e8;
  function work(name, n, what) {
    if (!(n <= MAX_WORK)) {
      throw new RangeError(`${name} asks for too much work: ${what} = ${n.toPrecision(3)} operations, more than the ` +
        `${MAX_WORK.toPrecision(1)} (a second or two) a call may take on the page's one thread`);
    }
  }
  /** A non-finite or exploding value in a run (tts_lib.errors.DivergenceError, same message). */
  class DivergenceError extends RangeError {
    constructor(what, step, value, hint) {
      super(`${what} diverged at step ${step}: value ${show(value)}` + (hint ? ` (${hint})` : ""));
      this.name = "DivergenceError";
      this.what = what; this.step = step; this.value = value;
    }
  }
  /** A quantity that is >= 0 by construction (a loss): rounding may leave it at -(a few ulp of `scale`);
   *  that is returned as 0, and so is a value below scale * 1e-13 (rounding noise, not a loss). A larger
   *  negative value is a bug and throws. */
  function nonNegative(name, v, scale) {
    const tol = 1e-13 * Math.max(Math.abs(scale), Number.MIN_VALUE);
    if (!Number.isFinite(v)) throw new DivergenceError(name, "(evaluation)", v);
    if (v < -tol) throw new RangeError(`${name} came out negative (${v}) although it is >= 0 by construction`);
    return v < tol ? 0 : v;
  }

  /** Validate and copy a target {jumps, values} (tts_lib.PiecewiseConstant's rules and messages). */
  function checkTarget(t) {
    if (!t || typeof t !== "object" || Array.isArray(t) || !("jumps" in t) || !("values" in t))
      typeError("target", "an object {jumps, values}", t);
    const jumps = vector("target.jumps", t.jumps);
    const values = vector("target.values", t.values, { minLength: 1 });
    if (values.length !== jumps.length + 1)
      throw new RangeError(`target.values must have len(jumps) + 1 = ${jumps.length + 1} entries, got ${values.length}`);
    if (jumps.length && !(jumps[0] > 0 && jumps[jumps.length - 1] < 1))
      throw new RangeError(`target.jumps must lie strictly inside (0, 1), got ${show(jumps)}`);
    for (let i = 1; i < jumps.length; i++)
      if (!(jumps[i] > jumps[i - 1])) throw new RangeError(`target.jumps must be strictly increasing, got ${show(jumps)}`);
    return { jumps, values };
  }

  function numbers(name, arr, min) { return vector(name, arr, { minLength: min || 0 }); }

  const PAPER_TARGET = { jumps: [0.2, 0.35, 0.5, 0.65, 0.8], values: [1, 5, 1, 3, 1, 5] };

  // ---- small SVG toolkit ------------------------------------------------------------------
  const SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function el(tag, attrs, parent, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  /** Linear map [d0, d1] -> [r0, r1] with .inv. */
  function scale(d0, d1, r0, r1) {
    const f = (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
    f.inv = (p) => d0 + ((p - r0) / (r1 - r0)) * (d1 - d0);
    f.domain = [d0, d1];
    return f;
  }
  /** Pointer position in SVG user units. */
  function svgPoint(svgEl, evt) {
    const pt = svgEl.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    const p = pt.matrixTransform(svgEl.getScreenCTM().inverse());
    return { x: p.x, y: p.y };
  }
  /** Step path of the target in screen coordinates. */
  function targetPath(target, X, Y) {
    const edges = [0, ...target.jumps, 1];
    let d = "";
    for (let i = 0; i < target.values.length; i++) {
      const y = Y(target.values[i]).toFixed(2);
      d += (i ? "L" : "M") + X(edges[i]).toFixed(2) + "," + y + "L" + X(edges[i + 1]).toFixed(2) + "," + y;
    }
    return d;
  }
  /** Network curve sampled on a grid refined at the windows. */
  function networkPath(a, u, eta, X, Y, n) {
    const xs = [];
    const N = n || 400;
    for (let i = 0; i <= N; i++) xs.push(i / N);
    for (const uj of u) for (let k = -8; k <= 8; k++) xs.push(uj + (k / 16) * eta);
    xs.sort((p, q) => p - q);
    let d = "";
    let first = true;
    for (const x of xs) {
      if (x < 0 || x > 1) continue;
      d += (first ? "M" : "L") + X(x).toFixed(2) + "," + Y(predict(x, a, u, eta)).toFixed(2);
      first = false;
    }
    return d;
  }
  function axes(g, X, Y, opts) {
    const o = opts || {};
    const [x0, x1] = X.domain, [y0, y1] = Y.domain;
    svg("line", { x1: X(x0), x2: X(x1), y1: Y(y0), y2: Y(y0), class: "tts-axis" }, g);
    svg("line", { x1: X(x0), x2: X(x0), y1: Y(y0), y2: Y(y1), class: "tts-axis" }, g);
    for (const t of o.xticks || []) {
      svg("line", { x1: X(t), x2: X(t), y1: Y(y0), y2: Y(y0) + 4, class: "tts-axis" }, g);
      // offsets in em: the label clears the tick mark whatever its font size (larger on a phone)
      svg("text", { x: X(t), y: Y(y0) + 6, dy: "0.8em", "text-anchor": "middle", class: "tts-tick" }, g).textContent = o.xfmt ? o.xfmt(t) : String(t);
    }
    for (const t of o.yticks || []) {
      svg("line", { x1: X(x0) - 4, x2: X(x0), y1: Y(t), y2: Y(t), class: "tts-axis" }, g);
      svg("text", { x: X(x0) - 6, y: Y(t), dy: "0.35em", "text-anchor": "end", class: "tts-tick" }, g).textContent = o.yfmt ? o.yfmt(t) : String(t);
    }
  }
  /** True on a phone-sized screen (as the @media block of explorables.css): the explorables then draw
   *  their plots on a narrower viewBox (NARROW_W user units wide), so that the SVG is scaled down less,
   *  the plots come out taller and the labels (enlarged by .tts-narrow in the CSS) stay legible. Decided
   *  once, when an explorable is mounted. */
  const NARROW_W = 400;
  function narrow() {
    return !!(window.matchMedia && window.matchMedia("(max-width: 600px)").matches);
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || !Number.isFinite(v)) return "—";
    const d = digits || 4;
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(d - 1);
    return v.toPrecision(d);
  }
  /** Ticks 0, s, 2s, ... <= max at a "nice" spacing s (1, 2 or 5 times a power of 10, an integer when
   *  max >= 1), about `count` of them. */
  function niceTicks(max, count) {
    if (!(max > 0)) return [0];
    const raw = max / (count || 3), mag = 10 ** Math.floor(Math.log10(raw));
    let step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw * (1 - 1e-12));
    if (max >= 1) step = Math.max(1, Math.round(step));
    const out = [];
    for (let k = 0; k * step <= max * (1 + 1e-12); k++) out.push(k * step);
    return out;
  }
  const SUP = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };
  /** A count as read on an axis: 0, 500, 5,000, 50,000, then 5·10⁵, 1.5·10⁷, 10⁸. */
  function compactCount(v) {
    if (Math.abs(v) < 1e5) return Math.round(v).toLocaleString("en");
    const e = Math.floor(Math.log10(Math.abs(v)));
    const mant = Number((v / 10 ** e).toPrecision(3));
    const pow = "10" + String(e).split("").map((c) => SUP[c]).join("");
    return mant === 1 ? pow : `${mant}·${pow}`;
  }
  /** A labelled range input; returns {wrap, input, out}. */
  function slider(parent, label, attrs, onInput) {
    const wrap = el("label", { class: "tts-control" }, parent);
    el("span", { class: "tts-label" }, wrap, label);
    const input = el("input", Object.assign({ type: "range" }, attrs), wrap);
    const out = el("output", { class: "tts-value" }, wrap);
    input.addEventListener("input", () => onInput(Number(input.value)));
    return { wrap, input, out };
  }

  window.ttsExplorables = window.ttsExplorables || {};
  window.ttsExplorableCore = {
    sigma, sigmaPrime, targetValue, nodes, predict, loss, gramB, solveSPD, optimalOuter, reducedLoss,
    checkTarget, numbers, PAPER_TARGET, show, real, positive, integer, vector, width, network, neuronLimit, options,
    work, MAX_WORK, nonNegative, DivergenceError, DIVERGENCE_THRESHOLD, MAX_ABS, svg, el, scale, svgPoint, targetPath, networkPath, axes, fmt, slider,
    narrow, NARROW_W, niceTicks, compactCount,
  };
})();
