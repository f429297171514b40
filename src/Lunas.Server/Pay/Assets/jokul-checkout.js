// Lunas's drop-in for DOKU's checkout script: loadJokulCheckout(paymentUrl) opens the payment page in an overlay.
(function (global) {
  "use strict";
  var state = null; // { overlay, origin, opener, inerted, onKey, onMessage } while open

  function closeOverlay() {
    if (!state) return;
    var s = state;
    state = null;
    document.removeEventListener("keydown", s.onKey);
    window.removeEventListener("message", s.onMessage);
    s.inerted.forEach(function (el) { el.inert = false; });
    if (s.overlay.parentNode) s.overlay.parentNode.removeChild(s.overlay);
    if (s.opener && typeof s.opener.focus === "function") s.opener.focus();
  }

  function loadJokulCheckout(url) {
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) throw new Error("loadJokulCheckout: payment.url must be an http(s) URL");
    closeOverlay();
    var overlay = document.createElement("div");
    overlay.id = "jokul-checkout-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Checkout");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.6);display:flex;flex-direction:column;align-items:center";
    // The close button sits in its own bar above the frame, so it never covers the page, whatever the screen size.
    var bar = document.createElement("div");
    bar.style.cssText = "width:100%;max-width:480px;display:flex;justify-content:flex-end;padding:4px 0;flex:none";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close checkout");
    close.style.cssText = "width:44px;height:44px;font-size:28px;line-height:1;border:2px solid #fff;border-radius:50%;background:#1f2937;color:#fff;cursor:pointer";
    close.addEventListener("click", closeOverlay);
    bar.appendChild(close);
    var frame = document.createElement("iframe");
    frame.src = url;
    frame.title = "Checkout";
    frame.allow = "clipboard-write; payment";
    frame.style.cssText = "width:100%;max-width:480px;flex:1 1 auto;max-height:760px;border:0;border-radius:12px;background:#fff";
    var origin = new URL(url).origin;
    // Each page load in the frame learns that it is in this overlay (and this window's origin, to answer to).
    frame.addEventListener("load", function () {
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: "lunas:hello" }, origin);
    });
    overlay.appendChild(bar);
    overlay.appendChild(frame);

    var onKey = function (e) { if (e.key === "Escape") closeOverlay(); };
    // Only the payment page itself may ask: its origin is the payment URL's, the message comes from its frame.
    var onMessage = function (e) {
      if (e.origin !== origin || e.source !== frame.contentWindow || !e.data || typeof e.data !== "object") return;
      if (e.data.type === "lunas:close") closeOverlay();
      else if (e.data.type === "lunas:redirect" && typeof e.data.url === "string" && /^https?:\/\//.test(e.data.url)) {
        closeOverlay();
        window.location.href = e.data.url;
      }
    };
    // The rest of the page is inert while the dialog is open: keyboard and screen reader stay inside it.
    var inerted = Array.prototype.filter.call(document.body.children, function (el) { return !el.inert; });
    inerted.forEach(function (el) { el.inert = true; });
    document.body.appendChild(overlay);
    state = { overlay: overlay, opener: document.activeElement, inerted: inerted, onKey: onKey, onMessage: onMessage };
    document.addEventListener("keydown", onKey);
    window.addEventListener("message", onMessage);
    close.focus();
    return overlay;
  }
  global.loadJokulCheckout = loadJokulCheckout;
  global.closeJokulCheckout = closeOverlay;
})(window);
