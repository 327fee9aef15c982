// Draws the situation map from the JSON in #situation-data; redrawn after htmx swaps the results.
(function () {
  let map = null;

  function draw() {
    const holder = document.getElementById("situation-map");
    const source = document.getElementById("situation-data");
    if (!holder || !source || typeof L === "undefined") return;
    const data = JSON.parse(source.textContent);
    if (map) { map.remove(); }
    map = L.map(holder, { scrollWheelZoom: false });
    if (holder.dataset.tiles) {
      L.tileLayer(holder.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    const outline = L.geoJSON(data.outline, { style: { color: "#1f4e8c", weight: 2, fill: false } }).addTo(map);
    if (data.points) {
      L.geoJSON(data.layer, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 3, weight: 0, fillOpacity: 0.6, fillColor: "#a1262b" })
          .bindTooltip(feature.properties.type),
      }).addTo(map);
    } else {
      const counts = data.layer.features.map((f) => f.properties.count || 0);
      const top = Math.max(1, ...counts);
      L.geoJSON(data.layer, {
        style: (f) => ({ weight: 0.5, color: "#596171", fillColor: "#a1262b",
          fillOpacity: f.properties.suppressed ? 0.08 : 0.15 + 0.6 * f.properties.count / top }),
        onEachFeature: (f, layer) => layer.bindTooltip(f.properties.suppressed ? "<" + holder.dataset.threshold : String(f.properties.count)),
      }).addTo(map);
    }
    map.fitBounds(outline.getBounds(), { padding: [10, 10] });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
