// Lunas's drop-in for DOKU's checkout script: loadJokulCheckout(paymentUrl) opens the payment page in an overlay.
(function (global) {
  "use strict";
  function closeOverlay() {
    var overlay = document.getElementById("jokul-checkout-overlay");
    if (overlay) overlay.parentNode.removeChild(overlay);
  }
  function loadJokulCheckout(url) {
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) throw new Error("loadJokulCheckout: payment.url must be an http(s) URL");
    closeOverlay();
    var overlay = document.createElement("div");
    overlay.id = "jokul-checkout-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Checkout");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center";
    var frame = document.createElement("iframe");
    frame.src = url;
    frame.title = "Checkout";
    frame.style.cssText = "width:100%;max-width:480px;height:100%;max-height:760px;border:0;border-radius:12px;background:#fff";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close checkout");
    close.style.cssText = "position:absolute;top:8px;right:12px;font-size:28px;background:none;border:0;color:#fff;cursor:pointer";
    close.addEventListener("click", closeOverlay);
    overlay.appendChild(frame);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
    document.addEventListener("keydown", function onKey(e) {
      if (e.key === "Escape") { closeOverlay(); document.removeEventListener("keydown", onKey); }
    });
    frame.focus();
    return overlay;
  }
  global.loadJokulCheckout = loadJokulCheckout;
  global.closeJokulCheckout = closeOverlay;
})(window);
