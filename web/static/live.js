// PeerCircle's live meeting. The page works without this file (plain forms,
// no timer); with it, the clock ticks between page loads and the page
// catches up when the meeting changed elsewhere (another phone, a member
// checking in) or when a dropped connection comes back. All state is on the
// server: this only polls a small JSON document and reloads when needed.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-live");
  var version = root.getAttribute("data-version") || "0";
  var running = root.getAttribute("data-state") === "running";
  var remaining = Number(root.getAttribute("data-remaining") || 0);
  var total = Number(root.getAttribute("data-total") || 0);
  var t0 = Date.now();
  var arabic = document.documentElement.lang === "ar";
  var status = document.querySelector(".live-status");
  var failures = 0, dirty = false, pending = false, leaving = false;

  function digits(s) {
    return arabic ? s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x660 + Number(d)); }) : s;
  }
  function two(n) { return n < 10 ? "0" + n : String(n); }
  // With reduced motion asked for, the clocks change once a minute, in
  // whole minutes ("12 min"), instead of every second.
  var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var minutes = root.getAttribute("data-minutes") || "{0} min";
  function clock(secs) {
    var sign = secs < 0 ? "\u2212" : "";
    secs = Math.abs(secs);
    if (calm) { return sign + minutes.replace("{0}", digits(String(Math.ceil(secs / 60)))); }
    var h = Math.floor(secs / 3600), m = Math.floor(secs / 60) % 60, s = secs % 60;
    return sign + digits(h > 0 ? h + ":" + two(m) + ":" + two(s) : Math.floor(secs / 60) + ":" + two(s));
  }
  function show(name, secs) {
    document.querySelectorAll('[data-clock="' + name + '"]').forEach(function (el) { el.textContent = clock(secs); });
  }
  function say(key) {
    if (status) { status.textContent = key ? (status.getAttribute("data-" + key) || "") : ""; }
  }

  function tick() {
    if (!running) { return; }
    var gone = Math.floor((Date.now() - t0) / 1000);
    var left = remaining - gone;
    show("remaining", left);
    show("total", total + gone);
    var over = left < 0;
    var cd = document.getElementById("countdown");
    if (cd) { cd.classList.toggle("over", over); }
    var warn = document.getElementById("overrun");
    if (warn) { warn.hidden = !over; }
  }

  // Someone typing or choosing must not lose it to a reload.
  document.addEventListener("input", function (e) { if (e.target.form) { dirty = true; } });
  // A form on its way must not be cut short by a reload.
  document.addEventListener("submit", function () { dirty = false; leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });

  function catchUp() {
    if (leaving) { return; }
    if (dirty) { pending = true; say("news"); return; }
    window.location.reload();
  }

  function poll() {
    window.fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (s) {
        var wasDown = failures > 0;
        failures = 0;
        if (wasDown) { say(""); }
        if (String(s.version) !== version) { catchUp(); return; }
        remaining = s.remaining;
        total = s.total;
        running = s.state === "running";
        t0 = Date.now();
        tick();
      })
      .catch(function () {
        failures++;
        if (failures >= 2) { say("offline"); }
      });
  }

  tick();
  window.setInterval(tick, 1000);
  window.setInterval(function () { if (!pending && !leaving) { poll(); } }, 4000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
  window.addEventListener("online", poll);
})();
