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
})();
