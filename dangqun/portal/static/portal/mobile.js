/* Phone pages: small enhancements only; every page works without this file. */
(function () {
  "use strict";

  // The public name of a wish is asked only when the wisher agrees to show one.
  function syncConsent() {
    var box = document.getElementById("id_consent_name_shown");
    var field = document.getElementById("f-shown_name");
    if (!box || !field) return;
    field.hidden = !box.checked && !field.classList.contains("f-error");
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "id_consent_name_shown") syncConsent();
  });

  // The lobby board's print button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) window.print();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", syncConsent);
  } else {
    syncConsent();
  }
})();
