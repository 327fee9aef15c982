// The patrol page asks the phone for its position once and reloads the place list nearest first.
(function () {
  function syncUnit() {
    const choice = document.getElementById("unit-choice");
    if (!choice) return;
    document.querySelectorAll(".unit-field").forEach((field) => { field.value = choice.value; });
  }
  document.addEventListener("change", (event) => { if (event.target.id === "unit-choice") syncUnit(); });
  document.addEventListener("htmx:afterSwap", syncUnit);
  document.addEventListener("DOMContentLoaded", () => {
    syncUnit();
    const list = document.getElementById("places");
    if (!list || !navigator.geolocation || typeof htmx === "undefined") return;
    navigator.geolocation.getCurrentPosition((position) => {
      const url = list.dataset.url + "?lat=" + position.coords.latitude + "&lon=" + position.coords.longitude;
      htmx.ajax("GET", url, { target: "#places", swap: "innerHTML" });
    }, () => {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
