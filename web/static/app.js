// PeerCircle's small progressive enhancements. Every page works without
// this file; it only adds conveniences.
(function () {
  "use strict";
  // Select the whole link when a person taps a copy field, so it can be
  // pasted into WhatsApp, SMS or e-mail.
  document.querySelectorAll("input.copy").forEach(function (el) {
    el.addEventListener("focus", function () { el.select(); });
  });
  // Move focus to the first invalid field after a form came back with errors.
  var bad = document.querySelector("[aria-invalid=true]");
  if (bad) { bad.focus(); }
})();

// Reports: a print button, shown only when this file runs (the browser's
// own print works without it).
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
