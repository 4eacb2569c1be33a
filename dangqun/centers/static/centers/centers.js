/* Booking form: a suggested free slot fills the date and times in one tap. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-suggestion");
    if (!button) return;
    var form = document.getElementById("booking-form");
    form.querySelector("[name=day]").value = button.dataset.day;
    form.querySelector("[name=start]").value = button.dataset.start;
    form.querySelector("[name=end]").value = button.dataset.end;
    form.querySelectorAll(".js-suggestion").forEach(function (b) { b.classList.remove("is-chosen"); });
    button.classList.add("is-chosen");
    form.querySelector("[name=start]").focus();
  });
})();
