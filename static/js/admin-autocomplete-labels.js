"use strict";
// The back office's autocomplete fields use Select2, which leaves its combobox, the text box
// showing the choice and the search box without an accessible name (WCAG 4.1.2): an empty single
// choice is named by nothing, and the search box of a multiple choice has no label. Name them
// after the field's own label whenever Select2 draws them (on load, and in rows added to an
// inline).
{
  const nameOf = (select) => {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    return label ? label.textContent.trim().replace(/:$/, "") : select.name;
  };

  const labelAll = () => {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      const name = nameOf(select);
      const open = container.classList.contains("select2-container--open");
      // An open single choice searches in a box Select2 adds at the end of the page.
      const opened = open ? document.querySelectorAll("body > .select2-container .select2-search__field") : [];
      const parts = container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field');
      [...parts, ...opened].forEach((element) => {
        element.removeAttribute("aria-labelledby");
        if (element.getAttribute("aria-label") !== name) {
          element.setAttribute("aria-label", name);
        }
      });
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    labelAll();
    new MutationObserver(labelAll).observe(document.body, {
      childList: true,
      subtree: true,
      attributeFilter: ["class"],
    });
  });
}
