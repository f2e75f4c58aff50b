// The guard's gate page (CSP: no inline script). "Scan QR" opens the phone's back camera and
// reads a QR code with the browser's BarcodeDetector; the code's text goes into the number
// field and the form is sent. Browsers without BarcodeDetector or a camera keep the typed
// number only (the button stays hidden or says so).
(function () {
  "use strict";
  var form = document.getElementById("gate-form");
  if (!form) { return; }
  var button = form.querySelector("[data-scan]");
  var video = form.querySelector("[data-scan-video]");
  var error = form.querySelector("[data-scan-error]");
  var input = form.querySelector("input[name=number]");
  if (!button || !video || !input) { return; }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  button.hidden = false;
  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
  }

  function fail() {
    stop();
    if (error) { error.hidden = false; }
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) { fail(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        function look() {
          if (!stream) { return; }
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue) {
              input.value = codes[0].rawValue;
              stop();
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }, function () { window.requestAnimationFrame(look); });
        }
        look();
      })
      .catch(fail);
  });
})();
