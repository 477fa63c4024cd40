// On a small screen the partnership filters fold away behind a "Show filters" button, so that
// the results come first. Without JavaScript, on a wider screen, or when a filter has an error,
// every field shows. Once someone opens or closes the filters, that choice stands, also when
// zooming in or out moves the page across the small-screen width.
(function () {
  "use strict";
  var toggle = document.querySelector(".filter-panel__toggle");
  if (!toggle) {
    return;
  }
  var fields = document.getElementById(toggle.getAttribute("aria-controls"));
  var small = window.matchMedia("(max-width: 991.98px)");
  var chosen = fields.querySelector(".is-invalid") !== null ? true : null;

  function show(open) {
    fields.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide filters" : "Show filters";
  }

  function fit() {
    toggle.hidden = !small.matches;
    show(!small.matches || chosen === true);
  }

  toggle.addEventListener("click", function () {
    chosen = fields.hidden;
    show(chosen);
  });
  small.addEventListener("change", fit);
  fit();
})();
