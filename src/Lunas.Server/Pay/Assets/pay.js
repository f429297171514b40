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
  // Inside loadJokulCheckout's overlay, the merchant's page (jokul-checkout.js) says hello; from then on it closes the
  // overlay or leaves for the merchant's URL when asked, so the merchant's site never loads inside the frame. Framed by
  // anything else (no hello), links keep target=_top and auto_redirect navigates this window.
  var overlayOrigin = null;
  window.addEventListener("message", function (e) {
    if (e.source === window.parent && window.parent !== window && e.data && e.data.type === "lunas:hello") overlayOrigin = e.origin;
  });
  var toOverlay = function (message) { window.parent.postMessage(message, overlayOrigin); };
  var leave = function (url) {
    if (overlayOrigin) toOverlay({ type: "lunas:redirect", url: url });
    else location.href = url;
  };
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && overlayOrigin) toOverlay({ type: "lunas:close" }); });
  document.querySelectorAll("a[target=_top]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      if (!overlayOrigin) return;
      e.preventDefault();
      leave(link.href);
    });
  });
  var autoRedirect = page && page.getAttribute("data-auto-redirect");
  if (autoRedirect) setTimeout(function () { leave(autoRedirect); }, 3000);
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var announce = function () {
        var status = document.getElementById("copy-status");
        if (status) status.textContent = button.getAttribute("data-copied") || "";
      };
      // Selecting the text first leaves it ready for a manual copy if the clipboard is refused (some frames, old browsers).
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.textContent).then(announce, function () { });
      }
    });
  });
  if (page && page.getAttribute("data-watch") === "1") {
    setInterval(function () { checkState(null); }, 2000);
  }
})();
