/* 办事通 kiosk: return to the home screen after a quiet spell, leaving nothing personal behind.
 *
 * body[data-idle-seconds] is the idle time; ?idle=N (1..60) shortens it for this browser tab
 * (kept in sessionStorage so that it survives navigation). Any touch, click, key or input resets
 * the timer; the last 10 seconds show a countdown. On reset every form is emptied before the
 * browser goes home with location.replace (so neither Back nor the page cache brings it back).
 */
(function () {
  "use strict";

  var body = document.body;
  var STORE = "dangqun.kiosk.idle";
  var WARN = 10;

  function clamp(value) {
    var n = parseInt(value, 10);
    return n >= 1 && n <= 60 ? n : 0;
  }

  function idleSeconds() {
    var base = clamp(body.getAttribute("data-idle-seconds")) || 60;
    var override = clamp(body.getAttribute("data-idle-override"));
    try {
      if (override) window.sessionStorage.setItem(STORE, String(override));
      override = override || clamp(window.sessionStorage.getItem(STORE));
    } catch (e) {
      /* storage may be disabled: the page's own value still applies */
    }
    return override ? Math.min(override, base) : base;
  }

  var limit = idleSeconds();
  var home = body.getAttribute("data-home-url") || "/";
  var overlay = document.getElementById("k-idle");
  var counter = document.getElementById("k-idle-seconds");
  var last = Date.now();
  var done = false;

  function clearForms() {
    var fields = document.querySelectorAll("input, textarea, select");
    Array.prototype.forEach.call(fields, function (el) {
      var type = (el.type || "").toLowerCase();
      if (type === "hidden" || type === "submit" || type === "button") return;
      if (type === "checkbox" || type === "radio") {
        el.checked = false;
      } else if (el.tagName === "SELECT") {
        el.selectedIndex = 0;
      } else {
        el.value = "";
      }
      el.defaultValue = "";
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-form], .k-main"), function (el) {
      el.hidden = true;
    });
  }

  function reset() {
    if (done) return;
    done = true;
    clearForms();
    window.location.replace(home);
  }

  function touched() {
    if (done) return;
    last = Date.now();
    if (overlay && !overlay.hidden) overlay.hidden = true;
  }

  ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true, capture: true });
  });

  // The home screen holds nothing personal: it refreshes quietly, without a countdown.
  var atHome = body.hasAttribute("data-kiosk-home");

  function tick() {
    var left = Math.ceil(limit - (Date.now() - last) / 1000);
    if (left <= 0) {
      reset();
      return;
    }
    if (overlay && left <= WARN && !atHome) {
      if (counter) counter.textContent = String(left);
      overlay.hidden = false;
    }
  }

  window.setInterval(tick, 250);

  // A page answering a POST (a form sent back with errors) must not be re-sent from history:
  // turn its entry into a plain GET of the same address.
  if (body.hasAttribute("data-posted") && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.href);
  }

  // A page restored from the back/forward cache may still hold someone's input: start over.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      clearForms();
      window.location.replace(home);
    }
  });

  // The clock in the header, in the center's time zone (the server's UTC offset).
  var timeEl = document.querySelector("[data-clock=time]");
  var offset = parseInt(body.getAttribute("data-utc-offset"), 10) || 0;
  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }
  if (timeEl) {
    window.setInterval(function () {
      var local = new Date(Date.now() + offset * 60000);
      timeEl.textContent = pad(local.getUTCHours()) + ":" + pad(local.getUTCMinutes());
    }, 5000);
  }
})();
