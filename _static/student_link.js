/* The link to the student edition (issue 27): the landing page and the guide for teachers carry a hidden
   <a class="tts-student-link" href="student/intro.html"> (relative to the page). The published site holds the
   student edition under student/ (.github/workflows/ci.yml) only when it was built, so the link is shown only
   once the page it points to answers. jupyter-book loads every _static/*.js on every page; this one acts only
   where such a link exists. Checked by tests/site/test_student_link.py. */
(function () {
  "use strict";
  function start() {
    var links = document.querySelectorAll("a.tts-student-link");
    Array.prototype.forEach.call(links, function (a) {
      var box = a.closest(".tts-student-edition") || a;
      fetch(a.href, { method: "HEAD", cache: "no-store" })
        .then(function (r) { if (r.ok) box.hidden = false; })
        .catch(function () { /* not built: the link stays hidden */ });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
