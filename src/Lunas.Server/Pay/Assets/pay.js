// Countdown, copy button, and a light poll so the page shows a payment the moment it lands.
(function () {
  "use strict";
  var page = document.querySelector(".page");
  var status = page && page.getAttribute("data-status");
  // Reloads only when the server says the order changed, never on the local clock alone.
  var checkState = function (onSame) {
    fetch(page.getAttribute("data-state-url"), { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (state && state.status !== status) location.reload();
        else if (onSame) onSame();
      })
      .catch(function () { if (onSame) onSame(); });
  };
  var clock = document.getElementById("countdown");
  if (clock) {
    // Counted from the server's remaining seconds, not from the device clock, which may be wrong.
    var end = performance.now() + Number(clock.getAttribute("data-remaining")) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.ceil((end - performance.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      clock.textContent = String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      if (left === 0) {
        clearInterval(timer);
        var tries = 0;
        var again = function () { if (++tries < 20) setTimeout(function () { checkState(again); }, 3000); };
        checkState(again);
      }
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
    setInterval(function () { checkState(null); }, 2000);
  }
})();
