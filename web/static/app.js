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

// The guard's findings panel: when the writer changes a text whose
// findings are shown, say (in a status region) that it will be checked
// again; the decisions still apply to the words that are left.
(function () {
  "use strict";
  document.querySelectorAll("fieldset[data-guard-field]").forEach(function (fs) {
    var form = fs.closest("form");
    var field = form && form.elements.namedItem(fs.getAttribute("data-guard-field"));
    var note = fs.querySelector(".guard-edited");
    if (!field || !note || !field.addEventListener) { return; }
    var was = field.value;
    field.addEventListener("input", function () {
      note.textContent = field.value === was ? "" : note.getAttribute("data-text");
    });
  });
})();

// Secret links: a "Copy" button beside the link (hidden without this
// file), which says in a status region that the link was copied.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    var field = document.getElementById(b.getAttribute("data-copy"));
    if (!field) { return; }
    var status = b.parentNode.querySelector(".copy-status");
    b.hidden = false;
    b.addEventListener("click", function () {
      var done = function () { if (status) { status.textContent = b.getAttribute("data-copied"); } };
      field.focus();
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) { done(); }
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
})();

// Person pickers: a search box above a long list narrows its options as a
// name is typed (the grouped list works without it).
(function () {
  "use strict";
  document.querySelectorAll("select[data-search]").forEach(function (sel) {
    if (sel.options.length < 12) { return; }
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.setAttribute("aria-label", sel.getAttribute("data-search"));
    box.placeholder = sel.getAttribute("data-search");
    box.setAttribute("aria-controls", sel.id);
    sel.parentNode.insertBefore(box, sel);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(sel.options, function (o) {
        if (o.value) { o.hidden = q !== "" && o.text.toLowerCase().indexOf(q) < 0; }
      });
    });
  });
})();
