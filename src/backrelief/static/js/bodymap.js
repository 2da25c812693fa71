// Body map enhancement (issue 4 item 1). Without this file the drawing is decorative and the
// list of checkboxes with 0-10 inputs beside it is the control. With it, each shape of the
// drawing becomes a focusable, labelled checkbox that mirrors its row of the list:
// click / Space / Enter toggles, arrow keys set the pain from 0 to 10.
(function () {
  "use strict";

  function setup(map) {
    if (map.getAttribute("data-enhanced")) { return; }
    map.setAttribute("data-enhanced", "1");
    var svg = map.querySelector("[data-bodymap-svg]");
    var status = map.querySelector("[data-bodymap-status]");
    if (!svg) { return; }
    svg.removeAttribute("aria-hidden");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", svg.getAttribute("data-label"));
    var ofTen = svg.getAttribute("data-of-ten") || "of 10";
    var noLevel = svg.getAttribute("data-no-level") || "";
    var notMarked = svg.getAttribute("data-not-marked") || "";

    svg.querySelectorAll(".bm-region").forEach(function (shape) {
      var code = shape.getAttribute("data-region");
      var check = map.querySelector('[data-region-check="' + code + '"]');
      var num = map.querySelector('[data-region-intensity="' + code + '"]');
      if (!check || !num) { return; }
      var labelEl = map.querySelector('label[for="' + check.id + '"]');
      var name = labelEl ? labelEl.textContent.trim() : code;

      function level() {
        var v = parseInt(num.value, 10);
        if (isNaN(v)) { return null; }
        return Math.max(0, Math.min(10, v));
      }
      function describe() {
        if (!check.checked) { return name + ", " + notMarked; }
        var l = level();
        return name + ", " + (l === null ? noLevel : l + " " + ofTen);
      }
      function sync(announce) {
        var l = level();
        shape.setAttribute("aria-checked", check.checked ? "true" : "false");
        shape.setAttribute("data-level", check.checked ? (l === null ? "none" : String(l)) : "off");
        shape.setAttribute("aria-label", describe());
        if (announce && status) { status.textContent = describe(); }
      }
      function toggle() { check.checked = !check.checked; sync(true); }
      function setLevel(v) { check.checked = true; num.value = String(v); sync(true); }

      shape.setAttribute("tabindex", "0");
      shape.setAttribute("role", "checkbox");
      shape.addEventListener("click", function () {
        toggle();
        if (check.checked && level() === null) { num.focus(); }
      });
      shape.addEventListener("keydown", function (event) {
        var l = level();
        if (event.key === " " || event.key === "Enter") {
          event.preventDefault();
          toggle();
        } else if (event.key === "ArrowUp" || event.key === "ArrowRight") {
          event.preventDefault();
          setLevel(l === null ? 1 : Math.min(10, l + 1));
        } else if (event.key === "ArrowDown" || event.key === "ArrowLeft") {
          event.preventDefault();
          setLevel(l === null ? 0 : Math.max(0, l - 1));
        }
      });
      check.addEventListener("change", function () { sync(false); });
      num.addEventListener("input", function () {
        if (num.value !== "") { check.checked = true; }
        sync(false);
      });
      sync(false);
    });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-bodymap]").forEach(setup);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // htmx swaps a wizard step in: enhance the new content too.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
