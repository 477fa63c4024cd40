"use strict";
// The export form's "Select all" box ticks or clears every field to export. django-import-export
// binds it with an inline onchange, which the Content-Security-Policy blocks.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", () => {
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((checkbox) => {
      checkbox.checked = toggle.checked;
    });
  });
});
