/* assetmap map context: with no tile server, draw district and parish outlines and place
 * names from /api/map/context, so a map of pins says where they are with no internet.
 * Outlines come simplified for the zoom (coarse below zoom 12, fine from there); names are
 * drawn bigger places first and never on top of each other. Names are set as text. */
(function () {
  "use strict";

  var FINE_FROM_ZOOM = 12;
  // The smallest zoom each rank of place is named at (1 towns, 2 villages, 3 wards).
  var NAMED_FROM = { 1: 9, 2: 11, 3: 13 };

  function pane(map, name, z) {
    if (!map.getPane(name)) {
      var created = map.createPane(name);
      created.style.zIndex = z;
      created.style.pointerEvents = "none";
    }
    return name;
  }

  // A place name: a permanent, non-interactive tooltip (not a marker, so lists of the
  // map's markers hold only the data's), styled here so every page draws names alike.
  function nameLabel(place, paneName) {
    var span = document.createElement("span");
    span.textContent = place.name;
    span.className = "am-place-label";
    span.style.cssText = "white-space:nowrap;color:#1b1b1b;font-family:system-ui,Arial," +
      "sans-serif;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;" +
      (place.rank === 1 ? "font-size:15px;font-weight:700;" : "font-size:12.5px;font-weight:600;");
    return L.tooltip({ permanent: true, direction: "center", interactive: false, opacity: 1,
                       pane: paneName, className: "am-place-tooltip" })
      .setLatLng([place.lat, place.lon]).setContent(span);
  }

  function plain(tooltip) {
    var node = tooltip.getElement();
    if (!node) { return; }
    node.style.background = "none";
    node.style.border = "0";
    node.style.boxShadow = "none";
    node.style.padding = "0";
  }

  window.assetmapContext = function (map, options) {
    options = options || {};
    var url = options.url || "/api/map/context";
    var outlines = options.outlines !== false;
    var outlinePane = pane(map, "am-context", 350);  // under data (overlayPane is 400)
    var labelPane = pane(map, "am-context-labels", 560);  // under markers (600)
    var drawn = L.layerGroup().addTo(map);
    var names = L.layerGroup().addTo(map);
    var places = [];
    var detail = null;
    var renderer = L.svg({ pane: outlinePane });

    function drawOutlines(body) {
      drawn.clearLayers();
      if (!outlines) { return; }
      [["parishes", { color: "#6f777b", weight: 1, dashArray: "4 3" }],
       ["districts", { color: "#0b0c0c", weight: 2.5 }]].forEach(function (pair) {
        var collection = body[pair[0]];
        if (!collection) { return; }
        drawn.addLayer(L.geoJSON(collection, {
          pane: outlinePane, renderer: renderer, interactive: false,
          style: Object.assign({ fill: false, opacity: 0.9 }, pair[1])
        }));
      });
    }

    function placeNames() {
      names.clearLayers();
      var zoom = map.getZoom();
      var view = map.getBounds().pad(0.1);
      var taken = [];
      var shown = 0;
      places.forEach(function (place) {
        if (zoom < NAMED_FROM[place.rank] || !view.contains([place.lat, place.lon])) { return; }
        var at = map.latLngToContainerPoint([place.lat, place.lon]);
        var half = place.name.length * (place.rank === 1 ? 4.6 : 3.9) + 4;
        var box = [at.x - half, at.y - 10, at.x + half, at.y + 10];
        var clash = taken.some(function (other) {
          return box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3];
        });
        if (clash) { return; }
        taken.push(box);
        var label = nameLabel(place, labelPane);
        names.addLayer(label);
        plain(label);
        shown += 1;
      });
      document.body.setAttribute("data-context-names", String(shown));
    }

    function load(wanted) {
      if (wanted === detail) { return Promise.resolve(); }
      detail = wanted;
      var query = "?detail=" + wanted + (outlines ? "" : "&outlines=false");
      return fetch(url + query, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (body) {
          if (body.detail !== detail) { return; }  // overtaken by a newer zoom
          places = body.places || [];
          drawOutlines(body);
          placeNames();
          document.body.setAttribute("data-context-ready", body.detail);
        });
    }

    function wantedDetail() {
      return outlines && map.getZoom() >= FINE_FROM_ZOOM ? "fine" : "coarse";
    }

    map.on("zoomend", function () {
      load(wantedDetail()).catch(function () { /* context only */ });
    });
    map.on("moveend", placeNames);
    return load(wantedDetail());
  };
})();
