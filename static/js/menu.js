"use strict";
// On a narrow screen the site's menu opens from its button; Escape closes it again and puts the
// keyboard back on the button, as for any menu.
document.addEventListener("keydown", (event) => {
  const menu = document.getElementById("site-nav");
  if (event.key !== "Escape" || !menu || !menu.classList.contains("show")) {
    return;
  }
  bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
  document.querySelector('[data-bs-target="#site-nav"]').focus();
});
