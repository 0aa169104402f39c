"""Search results link to the section where the match is (issue 27, "Promises kept").

Sphinx links a result found in a page's text to the page's top; _static/search_snippets.js points it at the
innermost section holding the first match. For a word that chapters use inside their sections, most results must
then carry a section anchor whose section contains the word (before: only title matches had one). A result
whose first match is in the page's opening text, before any section, keeps linking to the page.
"""

from __future__ import annotations

from sitecfg import open_offline

QUERY = "timescale"

SECTION_TEXTS = """async (hrefs) => {
  const pages = {};
  const out = [];
  for (const href of hrefs) {
    const [url, id] = href.split('#');
    if (!(url in pages)) {
      const r = await fetch(url);
      pages[url] = r.ok ? new DOMParser().parseFromString(await r.text(), 'text/html') : null;
    }
    const s = pages[url] && pages[url].getElementById(decodeURIComponent(id));
    out.push(s ? s.textContent : '');
  }
  return out;
}"""


def test_search_results_link_to_sections(browser, base_url):
    context, pg, errors, _ = open_offline(browser, base_url, f"search.html?q={QUERY}")
    try:
        pg.wait_for_function(
            "() => { const p = document.querySelector('#search-results p.search-summary');"
            " return p && p.textContent.trim() !== '' && !/Preparing/.test(p.textContent); }", timeout=60_000)
        pg.wait_for_function(
            "() => Array.from(document.querySelectorAll('#search-results li > a'))"
            ".every((a) => a.hash || (a.dataset.ttsSection && a.dataset.ttsSection !== 'pending'))", timeout=60_000)
        links = pg.evaluate("() => Array.from(document.querySelectorAll('#search-results li > a')).map((a) => a.href)")
        moved = pg.evaluate("() => Array.from(document.querySelectorAll('#search-results li > a'))"
                            ".filter((a) => a.dataset.ttsSection && !['page', 'pending'].includes(a.dataset.ttsSection)).length")
        assert len(links) >= 3, f"search for {QUERY!r} found {len(links)} results"
        anchored = [h for h in links if "#" in h]
        # each linked page as served, parsed by the browser (DOMParser: the document's sections, without running
        # its scripts or loading its images: the page itself is loaded and checked by test_built_site.py)
        texts = pg.evaluate(SECTION_TEXTS, anchored)
        ok = [href for href, text in zip(anchored, texts) if QUERY[:-1] in text.lower()]
        assert moved >= 5, f"only {moved} of {len(links)} text matches were pointed at their section"
        assert len(ok) == len(anchored), f"{len(anchored) - len(ok)} section links do not hold {QUERY!r}"
        assert not errors, errors
    finally:
        context.close()
