"use strict";
// A record page shown again with errors starts at their list (templates/admin/change_form.html),
// so that a screen reader reads it and the keyboard goes on from it to the first link.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
