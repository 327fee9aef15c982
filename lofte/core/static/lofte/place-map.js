// The places page: the area's outline and places; a click on the map fills in the new place's
// longitude and latitude and shows its circle with the radius typed in the form; the polygon tool
// (Leaflet-Geoman) draws an outline instead, which goes into the form's hidden `polygon` field. On a
// place's own page the same form holds the place: a click moves it, a new outline replaces its own.
(function () {
  function draw() {
    const holder = document.getElementById("place-map");
    const source = document.getElementById("place-data");
    if (!holder || !source || typeof L === "undefined") return;
    const data = JSON.parse(source.textContent);
    const map = L.map(holder, { scrollWheelZoom: false });
    if (holder.dataset.tiles) L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: holder.dataset.attribution || "" }).addTo(map);
    const outline = L.geoJSON(data.outline, { style: { color: "#1f4e8c", weight: 2, fill: false } }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [10, 10] });  // before the circles: they need a view
    data.places.forEach((p) => {
      const label = document.createElement("span");
      label.textContent = p.name;  // names are text, never markup
      if (p.polygon) {
        L.geoJSON(p.polygon, { style: { color: "#a1262b", weight: 1 } }).bindTooltip(label).addTo(map);
      } else if (p.lat !== null && p.lon !== null) {
        L.circle([p.lat, p.lon], { radius: p.radius || 50, color: "#a1262b", weight: 1 }).bindTooltip(label).addTo(map);
      }
    });
    const lon = document.getElementById("id_lon");
    const lat = document.getElementById("id_lat");
    const radius = document.getElementById("id_radius_m");
    const polygon = document.getElementById("id_polygon");
    let chosen = null;
    let drawn = null;  // the outline drawn, or the changed place's own
    function showOutline(geometry) {
      if (drawn) drawn.remove();
      drawn = L.geoJSON(geometry, { style: { color: "#1b7a3d", weight: 2 } }).addTo(map);
    }
    function show() {
      if (chosen) chosen.remove();
      const at = [parseFloat(lat.value), parseFloat(lon.value)];
      if (Number.isNaN(at[0]) || Number.isNaN(at[1])) return;
      chosen = L.circle(at, { radius: parseFloat(radius.value) || 50, color: "#1b7a3d", weight: 2 }).addTo(map);
    }
    function place(event) {
      lon.value = event.latlng.lng.toFixed(6);
      lat.value = event.latlng.lat.toFixed(6);
      if (polygon) polygon.value = "";  // a point instead of the outline
      if (drawn) { drawn.remove(); drawn = null; }
      show();
    }
    map.on("click", place);
    [lon, lat, radius].forEach((input) => input && input.addEventListener("input", show));
    show();
    if (polygon && polygon.value && polygon.value !== "null") {  // a place changed: its own outline
      try { showOutline(JSON.parse(polygon.value)); } catch (error) { polygon.value = ""; }
    }
    if (map.pm && polygon) {
      map.pm.setLang(document.documentElement.lang === "sv" ? "sv" : "en");
      map.pm.addControls({
        position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false,
        drawText: false, drawRectangle: true, drawPolygon: true, editMode: false, dragMode: false,
        cutPolygon: false, removalMode: false, rotateMode: false,
      });
      // The tool buttons carry their name only as their box's title: give it to the button itself.
      holder.querySelectorAll(".leaflet-buttons-control-button").forEach((button) => {
        button.setAttribute("aria-label", button.parentElement.title || button.title);
      });
      map.on("pm:create", (event) => {
        if (drawn) drawn.remove();
        drawn = event.layer;
        polygon.value = JSON.stringify(drawn.toGeoJSON().geometry);
        lon.value = ""; lat.value = "";
        if (chosen) { chosen.remove(); chosen = null; }
      });
      // While drawing, clicks add corners, not a point.
      map.on("pm:drawstart", () => { map.off("click", place); });
      map.on("pm:drawend", () => { map.on("click", place); });
    }
    holder.dataset.ready = "1";  // for people who wait on the page, and for the browser tests
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
