// Move focus to a form's error summary when the page shows one, so that keyboard and
// screen reader users hear what went wrong first. The summary's links then lead to each field.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
