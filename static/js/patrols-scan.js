// The patrol's QR scan (templates/patrols/patrol_walk.html): the phone's camera reads the
// checkpoint's label with the browser's BarcodeDetector, fills the code and sends the form.
// Without a camera or the detector, the code printed under the label is typed instead.
(function () {
  "use strict";
  const form = document.querySelector("[data-scan-form]");
  if (!form) return;
  const input = form.querySelector("[data-scan-input]");
  const video = form.querySelector("[data-scan-video]");
  const button = form.querySelector("[data-scan-camera]");
  const unsupported = form.querySelector("[data-scan-unsupported]");
  const canScan = "BarcodeDetector" in window && navigator.mediaDevices &&
    navigator.mediaDevices.getUserMedia;
  if (!canScan) {
    unsupported.classList.remove("d-none");
    return;
  }
  button.classList.remove("d-none");
  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.classList.add("d-none");
  }
  button.addEventListener("click", async function () {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      unsupported.classList.remove("d-none");
      return;
    }
    video.srcObject = stream;
    video.classList.remove("d-none");
    await video.play();
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    async function look() {
      if (!stream) return;
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          input.value = codes[0].rawValue;
          stop();
          form.submit();
          return;
        }
      } catch (e) { /* the next frame */ }
      window.requestAnimationFrame(look);
    }
    look();
  });
  window.addEventListener("pagehide", stop);
})();
