/* The link to the student edition (issue 27): the landing page and the guide for teachers carry a hidden
   <a class="tts-student-link" data-href="student/intro.html"> (relative to the page, no href: the link checker and
   a reader never meet a dead link). _static/student_edition.json says {"built": false}; tools/build_student.sh
   rewrites the main site's copy to {"built": true}, and CI publishes the student edition under student/
   (.github/workflows/ci.yml). Only then is the link given its href and shown. Asking for the marker, which always
   exists, logs no 404. jupyter-book loads every _static/*.js on every page; this one acts only where such a
   link exists. Checked by tests/site/test_student_link.py. */
(function () {
  "use strict";
  function start() {
    var links = document.querySelectorAll("a.tts-student-link[data-href]");
    if (!links.length) return;
    var script = document.querySelector('script[src*="student_link.js"]');
    var marker = new URL("student_edition.json", script ? script.src : window.location.href);
    fetch(marker.href, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (m) {
        if (!m || m.built !== true) return;
        Array.prototype.forEach.call(links, function (a) {
          a.href = a.dataset.href;
          (a.closest(".tts-student-edition") || a).hidden = false;
        });
      })
      .catch(function () { /* no marker: the link stays hidden */ });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
