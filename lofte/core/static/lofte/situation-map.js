// Draws the situation map from the JSON in #situation-data; redrawn after htmx swaps the results.
// Analysts' maps ask the API for the incident points of what they show after each move: the API
// answers with points when the view holds at most 10 000 incidents, else with counts in squares.
(function () {
  let map = null;
  const HOT = { 3: "#a1262b", 2: "#d0584f", 1: "#f0a29a", "-1": "#9fbbe0", "-2": "#5a86c5", "-3": "#1f4e8c" };

  // Leaflet reads a string tooltip as HTML; incident types come from imported files, so every
  // tooltip is a text node.
  function text(value) {
    const span = document.createElement("span");
    span.textContent = String(value);
    return span;
  }

  function points(layer) {
    return L.geoJSON(layer, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 3, weight: 0, fillOpacity: 0.6, fillColor: "#a1262b" })
        .bindTooltip(text(feature.properties.type)),
    });
  }

  function observed(layer) {
    return L.geoJSON(layer, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 6, weight: 1, color: "#ffffff", fillOpacity: 0.9, fillColor: "#d97706" })
        .bindTooltip(text(feature.properties.type)),
    });
  }

  function squares(layer, threshold) {
    const top = Math.max(1, ...layer.features.map((f) => f.properties.count || 0));
    return L.geoJSON(layer, {
      style: (f) => ({ weight: 0.5, color: "#596171", fillColor: "#a1262b",
        fillOpacity: f.properties.suppressed ? 0.08 : 0.15 + 0.6 * f.properties.count / top }),
      onEachFeature: (f, layer) => layer.bindTooltip(text(f.properties.suppressed ? (f.properties.small ? "<" + threshold : "–") : f.properties.count)),
    });
  }

  function density(cells) {
    const top = Math.max(1e-9, ...cells.features.map((f) => f.properties.kde || 0));
    return L.geoJSON(cells, {
      style: (f) => ({ weight: 0, fillColor: "#7a2e8e", fillOpacity: 0.75 * (f.properties.kde || 0) / top }),
      onEachFeature: (f, layer) => layer.bindTooltip(text((f.properties.kde || 0).toFixed(1) + " / km²")),
    });
  }

  function hotspots(cells) {
    return L.geoJSON(cells, {
      filter: (f) => f.properties.gi_class !== 0,
      style: (f) => ({ weight: 0.3, color: "#ffffff", fillColor: HOT[f.properties.gi_class], fillOpacity: 0.7 }),
      onEachFeature: (f, layer) => layer.bindTooltip(text("Gi* " + f.properties.gi_class)),
    });
  }

  function draw() {
    const holder = document.getElementById("situation-map");
    const source = document.getElementById("situation-data");
    if (!holder || !source || typeof L === "undefined") return;
    const data = JSON.parse(source.textContent);
    if (map) { map.remove(); }
    map = L.map(holder, { scrollWheelZoom: false });
    if (holder.dataset.tiles) {
      L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: holder.dataset.attribution || "" }).addTo(map);
    }
    const outline = L.geoJSON(data.outline, { style: { color: "#1f4e8c", weight: 2, fill: false } }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [10, 10] });  // before the labels: they need a view
    (data.places || []).forEach((p) => {
      // A drawn place is its outline; its label sits at its centre, which the server sends.
      if (p.polygon) {
        L.geoJSON(p.polygon, { interactive: false, style: { color: "#1f4e8c", weight: 2, fillOpacity: 0.1 } }).addTo(map);
      }
      L.circleMarker([p.lat, p.lon], { radius: p.polygon ? 2 : 5, weight: 2, color: "#ffffff", fillColor: "#1f4e8c", fillOpacity: 1, interactive: false })
        .bindTooltip(text(p.name), { permanent: true, direction: "right", className: "place-label" })
        .addTo(map);
    });
    const layers = {};
    // The situation page shows incidents in squares; the week's page shows the week's observations.
    const shown = L.layerGroup(data.layer ? [squares(data.layer, holder.dataset.threshold)] : []);
    if (data.layer) { layers[holder.dataset.labelIncidents] = shown.addTo(map); }
    if (data.cells && data.cells.features.length) {
      layers[holder.dataset.labelDensity] = density(data.cells);
      layers[holder.dataset.labelHotspots] = hotspots(data.cells);
      if (data.showHotspots) { layers[holder.dataset.labelHotspots].addTo(map); }  // the week over the hot spots
    }
    if (data.points && data.points.features.length) {
      // The week's page shows its observations at once; the situation page offers them as a layer.
      layers[holder.dataset.labelPoints] = observed(data.points);
      if (!data.layer) { layers[holder.dataset.labelPoints].addTo(map); }
    }
    if (data.actions && data.actions.length) {
      layers[holder.dataset.labelActions] = L.layerGroup(data.actions.map((a) =>
        L.circleMarker([a.lat, a.lon], { radius: 8, weight: 3, color: "#0f766e", fillColor: "#ffffff", fillOpacity: 1 })
          .bindTooltip(text(a.name)))).addTo(map);
    }
    L.control.layers(null, layers, { collapsed: false }).addTo(map);
    if (holder.dataset.pointsUrl) {
      let asked = 0;
      map.on("moveend", () => {
        const b = map.getBounds();
        const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
        const query = (holder.dataset.query ? holder.dataset.query + "&" : "") + "bbox=" + bbox;
        const ask = ++asked;
        fetch(holder.dataset.pointsUrl + "?" + query, { credentials: "same-origin" })
          .then((r) => r.ok ? r.json() : null)
          .then((layer) => {
            if (!layer || ask !== asked) return;  // a later move has asked again
            shown.clearLayers();
            shown.addLayer(layer.aggregated ? squares(layer, holder.dataset.threshold) : points(layer));
            holder.dataset.shows = layer.aggregated ? "squares" : "points";  // what the map shows now
          });
      });
      map.fire("moveend");  // the first view was set before the listener: ask for its points now
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
