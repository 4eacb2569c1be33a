/* Activities: the room screen's rotating code, geolocation for the sign-in form. No inline script. */
(function () {
  "use strict";

  // Room screen: fetch a fresh code before the shown one expires; show a countdown.
  var screen = document.querySelector("[data-screen-code-url]");
  if (screen) {
    var url = screen.getAttribute("data-screen-code-url");
    var qr = screen.querySelector(".screen-qr");
    var countdown = screen.querySelector(".screen-countdown-seconds");
    var status = screen.querySelector(".screen-status");
    var refreshAt = Date.now() + 1000 * parseFloat(screen.getAttribute("data-refresh-in") || "10");

    function refresh() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          qr.innerHTML = data.svg;
          qr.setAttribute("data-code", data.code);
          refreshAt = Date.now() + 1000 * Math.max(1, data.refresh_in);
          if (status) status.hidden = true;
        })
        .catch(function () {
          refreshAt = Date.now() + 3000;
          if (status) status.hidden = false;
        });
    }

    window.setInterval(function () {
      var left = Math.max(0, Math.round((refreshAt - Date.now()) / 1000));
      if (countdown) countdown.textContent = String(left);
      if (Date.now() >= refreshAt) {
        refreshAt = Date.now() + 60000; // until the answer comes back
        refresh();
      }
    }, 250);
  }

  // Absence form: "not counted as expected" is offered only for the reasons that allow it
  // (ill, on duty, abroad); for any other reason the member stays in the expected count.
  var reason = document.querySelector("select[name=reason][data-excludable]");
  var counts = document.querySelector("input[name=counts_as_expected]");
  if (reason && counts) {
    var allowed = reason.getAttribute("data-excludable").split(" ");
    var wrapper = counts.closest(".field") || counts.parentNode;
    var sync = function () {
      var offer = allowed.indexOf(reason.value) !== -1;
      if (!offer) counts.checked = true;
      wrapper.hidden = !offer;
    };
    reason.addEventListener("change", sync);
    sync();
  }

  // Sign-in form: when the activity has a geofence, send the phone's position with the form.
  var form = document.querySelector("form[data-geofence]");
  if (form && navigator.geolocation) {
    var note = form.querySelector(".geo-status");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-located") === "1") return;
      event.preventDefault();
      if (note) note.textContent = note.getAttribute("data-locating");
      if (button) button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("input[name=latitude]").value = position.coords.latitude.toFixed(6);
          form.querySelector("input[name=longitude]").value = position.coords.longitude.toFixed(6);
          form.setAttribute("data-located", "1");
          form.submit();
        },
        function () {
          if (note) note.textContent = note.getAttribute("data-denied");
          form.setAttribute("data-located", "1");
          if (button) button.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 }
      );
    });
  }
})();
