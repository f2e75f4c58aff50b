// Signature pads of the move-in pages (CSP: no inline script): a form may hold several
// (the joint inspection: the owner's and the inspector's). Each [data-pad] block holds a
// <canvas data-signature-pad>, its hidden input [data-signature] and its clear button; on
// submit each PNG goes into its own input. Copied from tickets-signature.js (one pad a form). An empty pad sends nothing (the server refuses it
// where a signature is required).
//
// The strokes are kept as points in CSS pixels and the bitmap is only a rendering of them:
// the canvas is sized to its box times devicePixelRatio whenever that box changes (it is
// hidden in a closed accordion when the page loads, a phone turns, the window narrows) and
// the strokes are drawn again, so nothing drawn is ever lost to a resize. The box's height
// is fixed by CSS (.signature-pad), so sizing the bitmap never changes the box itself.
(function () {
  "use strict";
  function setUp(block) {
    var form = block.closest("form");
    var canvas = block.querySelector("[data-signature-pad]");
    var input = block.querySelector("[data-signature]");
    if (!form || !canvas || !input) { return; }
    var ctx = canvas.getContext("2d");
    var strokes = [];   // [[{x, y}, ...], ...] in CSS pixels
    var current = null; // the stroke under the pen
    var pointerId = null;

    function style() {
      ctx.lineWidth = 2;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#000";
      ctx.fillStyle = "#000";
    }
    function drawStroke(stroke) {
      if (stroke.length === 1) { // a dot
        ctx.beginPath();
        ctx.arc(stroke[0].x, stroke[0].y, 1, 0, 2 * Math.PI);
        ctx.fill();
        return;
      }
      ctx.beginPath();
      ctx.moveTo(stroke[0].x, stroke[0].y);
      for (var i = 1; i < stroke.length; i++) { ctx.lineTo(stroke[i].x, stroke[i].y); }
      ctx.stroke();
    }
    function redraw() {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      var ratio = canvas.width / Math.max(canvas.clientWidth, 1);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      style();
      strokes.forEach(drawStroke);
    }
    // Size the bitmap to the box (times the device pixel ratio); redraw if it changed.
    function fit() {
      var w = canvas.clientWidth;
      var h = canvas.clientHeight;
      if (!w || !h) { return; } // hidden: sized when it shows
      var ratio = window.devicePixelRatio || 1;
      var bw = Math.round(w * ratio);
      var bh = Math.round(h * ratio);
      if (canvas.width !== bw || canvas.height !== bh) {
        canvas.width = bw;
        canvas.height = bh;
      }
      redraw();
    }
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left - canvas.clientLeft, y: e.clientY - r.top - canvas.clientTop };
    }
    function end(e) {
      if (current === null || e.pointerId !== pointerId) { return; }
      current = null;
      pointerId = null;
    }

    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", function (e) {
      if (current !== null) { return; } // a second finger
      fit(); // no-op when the size is right; never loses a stroke
      e.preventDefault();
      pointerId = e.pointerId;
      if (canvas.setPointerCapture) {
        try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ }
      }
      current = [point(e)];
      strokes.push(current);
      drawStroke(current);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (current === null || e.pointerId !== pointerId) { return; }
      var p = point(e);
      var last = current[current.length - 1];
      current.push(p);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
    });
    ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (name) {
      canvas.addEventListener(name, end);
    });

    var clear = block.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        strokes = [];
        current = null;
        input.value = "";
        redraw();
      });
    }
    form.addEventListener("submit", function () {
      input.value = strokes.length ? canvas.toDataURL("image/png") : "";
    });

    if (window.ResizeObserver) {
      new ResizeObserver(fit).observe(canvas);
    } else {
      document.addEventListener("shown.bs.collapse", fit);
    }
    window.addEventListener("resize", fit); // devicePixelRatio changes (zoom) resize no box
    fit();
  }
  function init() {
    document.querySelectorAll("[data-pad]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
