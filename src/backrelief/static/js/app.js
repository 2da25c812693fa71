// BackRelief's own progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Prefill an empty time-zone field from the browser (the server default stays UTC).
  document.addEventListener("DOMContentLoaded", function () {
    var tz;
    try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { tz = null; }
    document.querySelectorAll("[data-browser-timezone]").forEach(function (el) {
      if (tz && !el.dataset.userSet) {
        if (el.tagName === "SELECT") {
          if (Array.prototype.some.call(el.options, function (o) { return o.value === tz; })) { el.value = tz; }
        } else if (!el.value || el.value === "UTC") { el.value = tz; }
      }
    });
  });
  // After htmx swaps a wizard step in, move focus to its errors or its heading, so keyboard
  // and screen-reader users start at the top of the new step (issue 4).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "wizard") { return; }
    var wizard = document.getElementById("wizard");
    if (!wizard) { return; }
    var focus = wizard.querySelector("#form-errors") || wizard.querySelector("#step-heading");
    if (focus) { focus.focus(); window.scrollTo(0, wizard.offsetTop); }
  });
})();
