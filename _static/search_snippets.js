/* Search results without raw LaTeX (issue 14).
   Sphinx's search page shows a text snippet of each page, cut from its HTML, where inline math is still the
   TeX source "\(\eta \to 0\)". The search page loads no MathJax (and a snippet may cut a formula in half), so the
   snippet's math is rewritten as plain text: delimiters dropped, common macros as Unicode letters and symbols.
   Results found in a page's text also link to the section where the match is (below).
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
  // Results that match a page's text link to the page's top (Sphinx links only title matches to a section):
  // fetch the page (the browser has it cached, searchtools fetched it for the snippet), find the first text that
  // holds a search term, and point the result at the innermost section around it (issue 27).
  function searchTerms() {
    var q = new URLSearchParams(window.location.search).get("q") || "";
    return q.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 2 && t.charAt(0) !== "-"; });
  }
  function sectionOf(doc, terms) {
    var body = doc.querySelector("article.bd-article") || doc.querySelector("[role=main]") || doc.body;
    var walker = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    var stems = terms.map(function (t) { return t.length > 5 ? t.slice(0, t.length - 2) : t; });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var text = node.nodeValue.toLowerCase();
      if (!stems.some(function (t) { return text.indexOf(t) >= 0; })) continue;
      var el = node.parentElement;
      if (el.closest("script, style, .headerlink")) continue;
      var section = el.closest("section[id]");
      // the page's own top section (its h1) is the page itself
      if (!section || !section.parentElement.closest("section[id]")) return null;
      return section.id;
    }
    return null;
  }
  function sweepLinks(root) {
    var terms = searchTerms();
    if (!terms.length) return;
    var links = root.querySelectorAll("li > a");
    for (var i = 0; i < links.length; i++) {
      (function (a) {
        if (a.dataset.ttsSection || a.hash) return;  // done, or already a title match with its anchor
        a.dataset.ttsSection = "pending";
        var url = new URL(a.href, window.location.href);
        url.search = ""; url.hash = "";
        fetch(url.href).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
          var id = html && sectionOf(new DOMParser().parseFromString(html, "text/html"), terms);
          a.dataset.ttsSection = id || "page";
          if (id) a.hash = "#" + id;
        }).catch(function () { a.dataset.ttsSection = "page"; });
      })(links[i]);
    }
  }
  function start() {
    var root = document.getElementById("search-results");
    if (!root) return;
    sweep(root);
    sweepLinks(root);
    new MutationObserver(function () { sweep(root); sweepLinks(root); })
      .observe(root, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
