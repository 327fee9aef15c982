// The residents' report form: a tap on the map marks the unsafe place (inside the area's outline) and
// fills the form's hidden longitude and latitude; choosing a named place instead clears the point.
// Without a script or a map the form still works with the list of places.
(function () {
  function draw() {
    const holder = document.getElementById("report-map");
    const source = document.getElementById("report-data");
    if (!holder || !source || typeof L === "undefined") return;
    const data = JSON.parse(source.textContent);
    const map = L.map(holder, { scrollWheelZoom: false });
    if (holder.dataset.tiles) L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: holder.dataset.attribution || "" }).addTo(map);
    const outline = L.geoJSON(data.outline, { style: { color: "#1f4e8c", weight: 2, fill: false } }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [10, 10] });
    data.places.forEach((p) => {
      const label = document.createElement("span");
      label.textContent = p.name;  // names are text, never markup
      L.circleMarker([p.lat, p.lon], { radius: 4, color: "#1f4e8c", weight: 1 }).bindTooltip(label).addTo(map);
    });
    const lon = document.getElementById("id_lon");
    const lat = document.getElementById("id_lat");
    const place = document.getElementById("id_place");
    const said = document.querySelector("[data-point]");
    let marker = null;
    map.on("click", (event) => {
      lon.value = event.latlng.lng.toFixed(6);
      lat.value = event.latlng.lat.toFixed(6);
      if (marker) marker.remove();
      marker = L.circleMarker(event.latlng, { radius: 9, weight: 3, color: "#a1262b", fillOpacity: 0.3 }).addTo(map);
      if (place) place.value = "";
      if (said) said.textContent = said.dataset.marked;
    });
    if (place) {
      place.addEventListener("change", () => {
        if (!place.value) return;
        lon.value = lat.value = "";
        if (marker) { marker.remove(); marker = null; }
        if (said) said.textContent = "";
      });
    }
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
