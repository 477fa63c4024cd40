// Move focus to a form's error summary when the page shows one, so that keyboard and
// screen reader users hear what went wrong first. The summary's links then lead to each field.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();

// Ask before leaving a page whose form has changes not yet saved (a summary typed on the
// workspace, a finding half written): the browser's own "Leave site?" question. Saving that
// form, or a change put back as it was, needs no question. A form shown again with errors holds
// what was refused, which is not saved either.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  var saving = null;
  function snapshot(form) {
    return Array.prototype.map.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked;
      if (el.type === "file") return el.files.length;
      if (el.type === "select-multiple") {
        return Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; }).join(",");
      }
      return el.value;
    }).join("\u0000");
  }
  var saved = Array.prototype.map.call(forms, function (form) {
    return form.querySelector("#error-summary") ? null : snapshot(form);
  });
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function () { saving = form; });
  });
  window.addEventListener("beforeunload", function (event) {
    var changed = Array.prototype.some.call(forms, function (form, i) {
      return form !== saving && snapshot(form) !== saved[i];
    });
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// A form already sent is not sent again by a second press while the first is on its way: a
// double click on "Save the finding" added the finding twice. Coming back to the page (the
// browser's Back button) makes it ready to send again.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) {
        event.preventDefault();
        return;
      }
      sent = true;
    });
    window.addEventListener("pageshow", function () { sent = false; });
  });
})();

// A message about one finding (moved up, say) is shown in that finding's card, where the page
// opens, rather than at the top, out of sight; the card takes the focus, so that a screen reader
// reads the message and the finding, and the keyboard carries on from there.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".messages [data-about]"), function (message) {
    var card = document.getElementById(message.getAttribute("data-about"));
    if (!card) return;
    var body = card.querySelector(".card-body") || card;
    message.classList.add("mb-2");
    body.insertBefore(message, body.firstChild);
    card.setAttribute("tabindex", "-1");
    card.focus();
  });
})();
