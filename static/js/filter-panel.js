// Loaded in the <head> of the partnership list, before anything is drawn. On a small screen the
// filters start folded behind a "Show filters" button (see .filter-panel in
// static/css/portal.css), so that the results come first; marking the page as scripted here,
// rather than at the end of the page, means that nothing moves while the page loads. Without
// JavaScript, or on a wider screen, every field shows.
(function () {
  "use strict";
  document.documentElement.classList.add("js-enabled");

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".filter-panel__toggle");
    if (!toggle) {
      return;
    }
    var fields = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = !fields.classList.contains("is-open");
    fields.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide filters" : "Show filters";
  });
})();
