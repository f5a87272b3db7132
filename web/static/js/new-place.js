/* The new-place form's map: select where the place is, and the point goes into the form's
   longitude and latitude. The form works without this script (the postcode is enough). */
(function () {
  "use strict";
  var section = document.getElementById("np-map-section");
  var lon = document.getElementById("longitude");
  var lat = document.getElementById("latitude");
  if (!section || !lon || !lat || typeof L === "undefined") { return; }
  var status = document.getElementById("np-map-status");
  var clear = document.getElementById("np-map-clear");
  var chosen = section.getAttribute("data-chosen") || "";
  var home = JSON.parse(section.getAttribute("data-home") || "{}");
  section.hidden = false;
  var map = L.map("np-map", { scrollWheelZoom: false });
  var basemap = section.getAttribute("data-basemap-url");
  if (basemap) {
    L.tileLayer(basemap, { attribution: section.getAttribute("data-basemap-attribution") || "" }).addTo(map);
  }
  if (home.bounds) {
    map.fitBounds(home.bounds);
  } else if (home.lat !== undefined) {
    map.setView([home.lat, home.lon], home.zoom || 10);
  }
  var marker = null;
  function show(latitude, longitude) {
    if (marker) { marker.setLatLng([latitude, longitude]); } else {
      marker = L.marker([latitude, longitude], { keyboard: false }).addTo(map);
    }
    lon.value = longitude.toFixed(6);
    lat.value = latitude.toFixed(6);
    status.textContent = chosen.replace("{lon}", lon.value).replace("{lat}", lat.value);
    clear.hidden = false;
  }
  if (lon.value && lat.value && !isNaN(parseFloat(lon.value)) && !isNaN(parseFloat(lat.value))) {
    show(parseFloat(lat.value), parseFloat(lon.value));
    map.setView([parseFloat(lat.value), parseFloat(lon.value)], 15);
  }
  map.on("click", function (event) { show(event.latlng.lat, event.latlng.lng); });
  clear.addEventListener("click", function () {
    if (marker) { map.removeLayer(marker); marker = null; }
    lon.value = ""; lat.value = ""; status.textContent = ""; clear.hidden = true;
  });
  // Parish outlines with their names, for context when no basemap is set.
  var view = map.getBounds().pad(0.2);
  var bbox = [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()]
    .map(function (v) { return v.toFixed(5); }).join(",");
  fetch("/api/layers/community_areas?properties=name&limit=200&bbox=" + bbox)
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (areas) {
      if (!areas) { return; }
      L.geoJSON(areas, {
        interactive: false,
        style: { color: "#5c5c5c", weight: 1, fillOpacity: 0, dashArray: "4 3" },
        onEachFeature: function (feature, layer) {
          var label = document.createElement("span");
          label.textContent = String(feature.properties.name);
          layer.bindTooltip(label, { permanent: true, direction: "center", className: "fd-area-label" });
        }
      }).addTo(map);
    })
    .catch(function () { /* context only */ });
  window.newPlaceMap = map;
  document.body.setAttribute("data-map-ready", "true");
})();
