/* Search results without raw LaTeX (issue 14).
   Sphinx's search page shows a text snippet of each page, cut from its HTML, where inline math is still the
   TeX source "\(\eta \to 0\)". The search page loads no MathJax (and a snippet may cut a formula in half), so the
   snippet's math is rewritten as plain text: delimiters dropped, common macros as Unicode letters and symbols.
   jupyter-book loads every _static/*.js on every page; this one acts only where #search-results exists. */
(function () {
  "use strict";
  var MACROS = {
    alpha: "α", beta: "β", gamma: "γ", Gamma: "Γ", delta: "δ", Delta: "Δ", varepsilon: "ε", epsilon: "ε", eta: "η",
    theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", rho: "ρ", sigma: "σ", tau: "τ", varphi: "φ", phi: "φ",
    omega: "ω", ell: "ℓ", to: "→", rightarrow: "→", le: "≤", leq: "≤", ge: "≥", geq: "≥", infty: "∞", cdot: "·",
    times: "×", approx: "≈", ne: "≠", neq: "≠", in: "∈", sum: "Σ", int: "∫", nabla: "∇", partial: "∂", min: "min",
    max: "max", inf: "inf", sup: "sup", log: "log", ldots: "…", dots: "…", mid: "|", quad: " ", qquad: " "
  };
  function plain(tex) {
    return tex
      .replace(/\\(mathbb|mathrm|mathbf|operatorname|text|mathcal)\s*\{([^{}]*)\}/g, "$2")
      .replace(/\\(?:frac|tfrac|dfrac)\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\([A-Za-z]+)/g, function (m, name) { return MACROS.hasOwnProperty(name) ? MACROS[name] : name; })
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }
  function clean(text) {
    // whole formulas first, then a formula cut by the snippet's edges
    return text
      .replace(/\\\(([\s\S]*?)\\\)/g, function (m, tex) { return plain(tex); })
      .replace(/\\\[([\s\S]*?)\\\]/g, function (m, tex) { return plain(tex); })
      .replace(/\\[()[\]]/g, "")
      .replace(/\\([A-Za-z]+)/g, function (m, name) { return MACROS.hasOwnProperty(name) ? MACROS[name] : name; });
  }
  function sweep(root) {
    var items = root.querySelectorAll("p.context");
    for (var i = 0; i < items.length; i++) {
      var p = items[i];
      if (p.dataset.ttsPlain) continue;
      var t = p.textContent;
      if (/\\[A-Za-z()[\]]/.test(t)) p.textContent = clean(t);
      p.dataset.ttsPlain = "1";
    }
  }
  function start() {
    var root = document.getElementById("search-results");
    if (!root) return;
    sweep(root);
    new MutationObserver(function () { sweep(root); }).observe(root, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
