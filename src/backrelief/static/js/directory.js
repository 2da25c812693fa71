// Directory page enhancements (issue 5 item 4). The page works without this file.
// "Use my location": only when the person presses the button and the browser asks them and
// they allow it; the position (rounded to about 100 m) fills the hidden lat/lon fields and the
// search runs. Typing a place clears them, so the typed place wins. No third-party code.
(function () {
  "use strict";
  function init() {
    var form = document.getElementById("directory-form");
    var button = document.getElementById("use-my-location");
    if (!form || !button) { return; }
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var place = form.querySelector("input[name=place]");
    var status = document.getElementById("location-status");
    function say(text) { if (status) { status.textContent = text; } }
    if (place) {
      place.addEventListener("input", function () { lat.value = ""; lon.value = ""; });
    }
    if (!("geolocation" in navigator)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      say(button.dataset.finding || "Finding your location…");
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(3);
        lon.value = position.coords.longitude.toFixed(3);
        if (place) { place.value = ""; }
        say("Using your location.");
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }, function () {
        say("Your location is not available. Type a city or coordinates instead.");
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
