// Signature pad for the resident's verification of a repair (CSP: no inline script).
// Draws on <canvas data-signature-pad>; on submit the PNG goes into the hidden input
// [data-signature] of the same form. An empty pad sends nothing (the server refuses it
// where a signature is required).
(function () {
  "use strict";
  function setUp(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var input = form.querySelector("[data-signature]");
    if (!canvas || !input) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    function fit() {
      var ratio = window.devicePixelRatio || 1;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      canvas.width = canvas.clientWidth * ratio;
      canvas.height = canvas.clientHeight * ratio;
      ctx.scale(ratio, ratio);
      ctx.lineWidth = 2;
      ctx.lineCap = "round";
      ctx.strokeStyle = "#000";
    }
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    }
    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", function (e) {
      // The pad may have been hidden (a closed accordion) when the page loaded: size it now.
      if (!drawn && canvas.width !== Math.round(canvas.clientWidth * (window.devicePixelRatio || 1))) {
        fit();
      }
      drawing = true;
      var p = point(e);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) { return; }
      var p = point(e);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        input.value = "";
      });
    }
    form.addEventListener("submit", function () {
      input.value = drawn ? canvas.toDataURL("image/png") : "";
    });
    if (canvas.clientWidth > 0) { fit(); }
  }
  function init() {
    document.querySelectorAll("form[data-signature-form]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
