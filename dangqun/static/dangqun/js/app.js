/* 党群通: small progressive enhancements. No inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function closest(el, selector) {
    return el && el.closest ? el.closest(selector) : null;
  }

  // Collapsible navigation on narrow screens.
  document.addEventListener("click", function (event) {
    var toggle = closest(event.target, ".nav-toggle");
    if (!toggle) return;
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (nav) nav.classList.toggle("is-open", open);
  });

  // Organization tree: expand / collapse a node (htmx loads the children on first expand).
  document.addEventListener("click", function (event) {
    var toggle = closest(event.target, ".tree-toggle");
    if (!toggle) return;
    var target = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (target) target.hidden = !open;
  });

  // Selects that submit their form at once (language switch).
  document.addEventListener("change", function (event) {
    var select = closest(event.target, "select.auto-submit");
    if (select && select.form) select.form.submit();
  });

  // Person form: member fields only when the category is 党员.
  function syncCategory(form) {
    var section = form.querySelector("[data-category-member]");
    if (!section) return;
    var checked = form.querySelector("input[name=category]:checked");
    var isMember = checked && checked.value === "member";
    section.hidden = !isMember;
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "category") {
      var form = closest(event.target, "form");
      if (form) syncCategory(form);
    }
  });

  function init() {
    document.querySelectorAll("form.person-form").forEach(syncCategory);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
