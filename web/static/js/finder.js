/* Public finder enhancements: a map of the same hubs as the list, "use my location",
   and searching where the map is clicked. The page works without this script. */
(function () {
  "use strict";
  var dataNode = document.getElementById("finder-data");
  var config = document.getElementById("finder-config");
  if (!dataNode || !config) { return; }
  var data = JSON.parse(dataNode.textContent || "{}");
  var langQuery = config.getAttribute("data-lang") || "";

  function searchAt(lat, lon) {
    var params = new URLSearchParams({ lat: lat.toFixed(5), lon: lon.toFixed(5) });
    var category = document.getElementById("category");
    if (category && category.value) { params.set("category", category.value); }
    if (langQuery) { params.set("lang", langQuery.split("=")[1]); }
    window.location.href = "/find?" + params.toString();
  }

  var locate = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = status.getAttribute("data-locating");
      navigator.geolocation.getCurrentPosition(
        function (position) { searchAt(position.coords.latitude, position.coords.longitude); },
        function () { status.textContent = status.getAttribute("data-failed"); },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  // Leaflet puts string content in as HTML; names come from data, so always pass text nodes.
  function text(value) {
    var node = document.createElement("span");
    node.textContent = String(value);
    return node;
  }

  var section = document.getElementById("map-section");
  var clickable = config.getAttribute("data-click") === "true";
  if (!section || typeof L === "undefined") { return; }
  if (!data.hubs.length && !clickable) { return; }
  section.hidden = false;
  var map = L.map("finder-map", { scrollWheelZoom: false });
  var basemap = config.getAttribute("data-basemap-url");
  if (basemap) {
    L.tileLayer(basemap, { attribution: config.getAttribute("data-basemap-attribution") || "" }).addTo(map);
  }
  var points = [];
  if (data.centre) {
    points.push([data.centre.lat, data.centre.lon]);
    L.circleMarker([data.centre.lat, data.centre.lon], {
      radius: 8, color: "#1b1b1b", weight: 3, fillColor: "#ffd43b", fillOpacity: 1
    }).bindTooltip(text(data.centre.label)).addTo(map);
  }
  // Numbered pins (as on NHS service finders): pin N is entry N of the list beside the map.
  function pin(number) {
    var html = number ? '<span class="fd-pin__number">' + Number(number) + "</span>" : "";
    return L.divIcon({
      className: "fd-pin" + (number ? "" : " fd-pin--plain"), html: html,
      iconSize: [30, 40], iconAnchor: [15, 40], popupAnchor: [0, -36]
    });
  }
  data.hubs.forEach(function (hub) {
    points.push([hub.lat, hub.lon]);
    var label = (hub.number ? hub.number + ". " : "") + hub.name +
      (hub.distance ? " — " + hub.distance : "");
    var popup = document.createElement("a");
    popup.href = "/hubs/" + encodeURIComponent(hub.id) + (langQuery ? "?" + langQuery : "");
    popup.textContent = label;
    var marker = L.marker([hub.lat, hub.lon], { icon: pin(hub.number), title: label, keyboard: true })
      .bindPopup(popup);
    // The icon exists once the map has a view: name it then (a div icon has no alt text).
    marker.on("add", function () {
      var element = marker.getElement();
      element.setAttribute("aria-label", label);
      if (hub.number) { element.setAttribute("data-number", String(hub.number)); }
    });
    marker.addTo(map);
  });
  if (points.length > 1) {
    map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
  } else if (points.length === 1) {
    map.setView(points[0], 14);
  } else {
    map.setView([data.home.lat, data.home.lon], data.home.zoom);  // the data's own extent
  }
  // No tile server: district and parish outlines and place names from the store
  // (map-context.js), so the map says where it is with no internet.
  if (!basemap && window.assetmapContext) {
    window.assetmapContext(map, { url: "/api/map/context" })
      .then(function () { document.body.setAttribute("data-areas-ready", "true"); })
      .catch(function () { /* context only: the list and markers stand without it */ });
  }
  if (clickable) {
    map.on("click", function (event) { searchAt(event.latlng.lat, event.latlng.lng); });
  }
  window.finderMap = map;
  document.body.setAttribute("data-map-ready", "true");
})();
