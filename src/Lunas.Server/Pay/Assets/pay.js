// Countdown, copy button, and a light poll so the page shows a payment the moment it lands.
(function () {
  "use strict";
  var page = document.querySelector(".page");
  var clock = document.getElementById("countdown");
  if (clock) {
    var end = Date.parse(clock.getAttribute("datetime"));
    var tick = function () {
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      clock.textContent = String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      if (left === 0) { clearInterval(timer); setTimeout(function () { location.reload(); }, 1500); }
    };
    var timer = setInterval(tick, 1000);
    tick();
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text);
    });
  });
  if (page && page.getAttribute("data-watch") === "1") {
    var status = page.getAttribute("data-status");
    var poll = function () {
      fetch(page.getAttribute("data-state-url"), { cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state && state.status !== status) location.reload(); })
        .catch(function () {});
    };
    setInterval(poll, 2000);
  }
  var back = page && page.getAttribute("data-redirect");
  if (back) setTimeout(function () { location.href = back; }, 3000);
})();
