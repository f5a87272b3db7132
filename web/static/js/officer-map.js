/* assetmap officer map: loads layers from the API and draws them into the Leaflet
 * groups folium created. Every text from the data is set with textContent, never as
 * HTML, so a name like "<img onerror=…>" stays plain text. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function announce(text) {
    var status = document.getElementById("am-status");
    if (status) { status.textContent = text; }
  }

  function getJSON(url, signal) {
    return fetch(url, { headers: { Accept: "application/geo+json" }, signal: signal })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status + " for " + url); }
        return response.json();
      });
  }

  // -- popups and tooltips ---------------------------------------------------------------
  function label(layer, field, value) {
    var labels = (layer.labels || {})[field] || {};
    return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : value;
  }

  function valueNode(layer, field, value) {
    var text = String(value);
    if (field === "website" && /^https?:\/\//i.test(text)) {
      var link = el("a", { rel: "noopener noreferrer", target: "_blank" }, text);
      link.href = text;
      return link;
    }
    if (field === "email" && /^[^\s@]+@[^\s@]+$/.test(text)) {
      var mail = el("a", {}, text);
      mail.href = "mailto:" + text;
      return mail;
    }
    if (field === "accessibility") {
      return document.createTextNode(text.split(";").filter(Boolean).map(function (item) {
        return label(layer, field, item.trim()).replace(/_/g, " ");
      }).join(", "));
    }
    return document.createTextNode(label(layer, field, text));
  }

  function popupContent(layer, properties, latlng) {
    var box = el("div", { "class": "am-popup" });
    var titleField = layer.tooltip || layer.idField;
    box.appendChild(el("h2", { "class": "am-popup-title" }, properties[titleField]));
    var list = el("dl");
    layer.popup.forEach(function (field) {
      var value = properties[field];
      if (field === titleField || value === null || value === undefined || value === "") { return; }
      list.appendChild(el("dt", {}, layer.titles[field] || field));
      var dd = el("dd");
      dd.appendChild(valueNode(layer, field, value));
      list.appendChild(dd);
    });
    box.appendChild(list);
    appendActions(layer, properties, box, latlng);
    return box;
  }

  // -- editing: officers get edit links and "add here"; everyone else a correction link ----
  var viewer = { role: "public" };
  var editing = {};  // set up for officers: editing.move(asset) and the "add here" mode
  function isOfficer() { return viewer.role === "officer" || viewer.role === "admin"; }

  function appendActions(layer, properties, box, latlng) {
    if (layer.name !== "assets") { return; }
    var id = encodeURIComponent(properties[layer.idField]);
    var actions = el("p", { "class": "am-popup-actions" });
    if (isOfficer()) {
      actions.appendChild(el("a", { href: "/assets/" + id + "/edit" }, "Edit or close"));
      if (latlng && editing.move) {
        actions.appendChild(document.createTextNode(" · "));
        var move = el("button", { type: "button", "class": "am-link-button" }, "Move on the map");
        move.addEventListener("click", function () {
          editing.move({ id: properties[layer.idField], lat: latlng.lat, lon: latlng.lng,
                         name: properties[layer.tooltip] || properties[layer.idField] });
        });
        actions.appendChild(move);
      }
    } else if (properties.status !== "closed") {
      actions.appendChild(el("a", { href: "/hubs/" + id + "/correction" }, "Suggest a correction"));
    }
    if (actions.childNodes.length) { box.appendChild(actions); }
  }

  function setUpEditing(map) {
    var section = document.getElementById("am-editing");
    var button = document.getElementById("am-add-here");
    if (!section || !button) { return; }
    section.hidden = false;
    // How many suggestions wait for a decision, beside the link to them.
    fetch("/api/corrections?status=pending&limit=1", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (page) {
        var link = document.getElementById("am-corrections-link");
        if (page && link) { link.textContent = "Suggested corrections (" + page.total + " waiting)"; }
      })
      .catch(function () { /* the link still works */ });
    var signin = document.getElementById("am-signin");
    if (signin) { signin.hidden = true; }
    var mover = window.assetmapMover ? window.assetmapMover(map, announce) : null;
    if (!mover) { return; }
    editing.move = mover.move;
    function stopped() { button.setAttribute("aria-pressed", "false"); }
    button.addEventListener("click", function () {
      if (mover.adding()) { mover.finish("Cancelled."); return; }
      map.closePopup();
      button.setAttribute("aria-pressed", "true");
      mover.add(stopped);
      announce("Click the map where the asset is. Press Escape or Cancel to stop.");
    });
    // Captured before Leaflet sees it: shapes with popups stop clicks reaching the map.
    map.getContainer().addEventListener("click", function (event) {
      if (!mover.adding() || event.target.closest(".leaflet-control")) { return; }
      event.stopPropagation();
      event.preventDefault();
      var at = map.mouseEventToLatLng(event);
      // Nothing is saved yet: the form, then its check page, show the position to confirm.
      mover.finish("");
      window.location.assign("/assets/new?lon=" + at.lng.toFixed(6) + "&lat=" + at.lat.toFixed(6));
    }, true);
  }

  function lazyPopup(layer, marker, id) {
    // Details travel only when asked for; once loaded they replace the loader for good.
    marker.bindPopup(function () {
      var box = el("div", { "class": "am-popup", "aria-busy": "true" }, "Loading…");
      getJSON(layer.itemUrl + encodeURIComponent(id))
        .then(function (feature) {
          marker.setPopupContent(popupContent(layer, feature.properties, marker.getLatLng()));
        })
        .catch(function () { box.textContent = "Details could not be loaded."; });
      return box;
    }, { maxWidth: 320 });
  }

  function colourFor(layer, properties) {
    var style = layer.style;
    if (style.by && style.colors && style.colors[properties[style.by]]) {
      return style.colors[properties[style.by]];
    }
    return style.color;
  }

  // -- points ------------------------------------------------------------------------------
  function pointMarker(layer, feature) {
    var c = feature.geometry.coordinates;
    var properties = feature.properties;
    var open = !properties.status || properties.status === "open";
    var marker = L.circleMarker([c[1], c[0]], {
      radius: layer.style.radius, weight: 1.5, fillOpacity: 0.95,
      color: open ? "#ffffff" : "#000000", dashArray: open ? null : "3",
      fillColor: colourFor(layer, properties)
    });
    if (layer.tooltip && properties[layer.tooltip] !== undefined) {
      marker.bindTooltip(el("span", {}, properties[layer.tooltip]));
    }
    lazyPopup(layer, marker, feature.id);
    return marker;
  }

  function clusterMarker(map, feature) {
    var c = feature.geometry.coordinates;
    var count = feature.properties.count;
    var text = count + " assets here: select to zoom in";
    var marker = L.marker([c[1], c[0]], {
      icon: L.divIcon({
        html: el("span", {}, count.toLocaleString("en-GB")),
        className: "am-cluster am-cluster-" + (count < 10 ? "s" : count < 100 ? "m" : "l"),
        iconSize: null
      }),
      keyboard: true,
      title: text
    });
    function zoomIn() {
      var b = feature.properties.bounds;
      var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
      var zoom = map.getBoundsZoom(bounds, false, L.point(40, 40));
      map.setView(bounds.getCenter(), Math.max(zoom, map.getZoom() + 1));
    }
    marker.on("click", zoomIn);
    marker.on("add", function () {
      var node = marker.getElement();
      if (!node) { return; }
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", text);
      // Leaflet markers take focus but do nothing on Enter unless they have a popup.
      node.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); zoomIn(); }
      });
    });
    return marker;
  }

  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }

  function filterQuery(form) {
    var params = new URLSearchParams();
    if (!form) { return params; }
    Array.prototype.forEach.call(form.querySelectorAll("select[name]"), function (select) {
      if (select.value) { params.set(select.name, select.value); }
    });
    return params;
  }

  function viewQuery(map, form) {
    var b = map.getBounds().pad(0.25);
    var params = filterQuery(form);
    params.set("zoom", String(Math.floor(map.getZoom())));  // the service groups per whole zoom
    params.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
                        clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
      .map(function (v) { return v.toFixed(5); }).join(","));
    return params;
  }

  // A clustered layer is grouped by the service for the current view and zoom, and asked
  // for again whenever the view or the filters change: the page never holds every point.
  function clusteredLoader(map, layer, group, form) {
    var controller = null;
    return function () {
      if (controller) { controller.abort(); }
      controller = new AbortController();
      return getJSON(layer.url + "/clusters?" + viewQuery(map, form), controller.signal)
        .then(function (collection) {
          group.clearLayers();
          collection.features.forEach(function (feature) {
            group.addLayer(feature.properties.cluster ? clusterMarker(map, feature)
                                                      : pointMarker(layer, feature));
          });
          return collection.numberMatched;
        });
    };
  }

  function plainPointLoader(layer, group, form) {
    return function () {
      var params = filterQuery(form);
      if (layer.fields) { params.set("properties", layer.fields.join(",")); }
      return getJSON(layer.url + "?" + params).then(function (collection) {
        group.clearLayers();
        collection.features.forEach(function (feature) { group.addLayer(pointMarker(layer, feature)); });
        return collection.features.length;
      });
    };
  }

  // -- polygons ----------------------------------------------------------------------------
  function outlineRenderer(map) {
    // Outline-only layers (districts) go in an SVG pane above the filled areas: SVG lets
    // clicks inside an unfilled shape reach the areas below, where canvas would not.
    if (!map.getPane("am-outlines")) { map.createPane("am-outlines").style.zIndex = 450; }
    return L.svg({ pane: "am-outlines" });
  }

  function polygonLoader(map, layer, group) {
    return function () {
      return getJSON(layer.url).then(function (collection) {
        var outline = !(layer.style.fill_opacity > 0);
        group.clearLayers();
        group.addLayer(L.geoJSON(collection, {
          pane: outline ? "am-outlines" : "overlayPane",
          renderer: outline ? outlineRenderer(map) : undefined,
          style: function (feature) {
            var colour = colourFor(layer, feature.properties);
            return { color: layer.style.by ? "#444444" : colour, weight: layer.style.weight,
                     fill: !outline, fillColor: colour, fillOpacity: layer.style.fill_opacity };
          },
          onEachFeature: function (feature, shape) {
            if (layer.tooltip) {
              shape.bindTooltip(el("span", {}, feature.properties[layer.tooltip]), { sticky: true });
            }
            shape.bindPopup(function () { return popupContent(layer, feature.properties); });
          }
        }));
        return collection.features.length;
      });
    };
  }

  // -- the page ----------------------------------------------------------------------------
  window.assetmapOfficerMap = function (map, config, groups) {
    window.assetmapMap = map;  // for tests and the browser console
    var form = document.getElementById("am-filters");
    fetch("/api/me", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { role: "public" }; })
      .then(function (me) {
        viewer = me;
        if (isOfficer()) { setUpEditing(map); }
      })
      .catch(function () { /* stays read-only */ });
    if (window.assetmapSearch) {
      window.assetmapSearch(map, {
        canEdit: function () { return isOfficer() && Boolean(editing.move); },
        move: function (asset) { if (editing.move) { editing.move(asset); } }
      });
    }
    // No tile server: place names from the store, so the map says where it is.
    if (config.context && window.assetmapContext) {
      window.assetmapContext(map, config.context).catch(function () { /* context only */ });
    }

    config.layers.forEach(function (layer) {
      var group = groups[layer.name];
      var reload = layer.kind !== "point" ? polygonLoader(map, layer, group)
        : layer.cluster ? clusteredLoader(map, layer, group, form)
        : plainPointLoader(layer, group, form);
      layer.refresh = function () {
        layer.loaded = true;
        var attempt = reload().then(function (count) {
          document.body.setAttribute("data-loaded-" + layer.name, String(count));
          if (layer.filterable) { announce(count + " " + layer.title.toLowerCase() + " in view"); }
          return count;
        });
        layer.latest = attempt;
        // A request overtaken by a newer view is aborted: answer with the newer one.
        return attempt.catch(function (error) {
          if (error.name === "AbortError" && layer.latest !== attempt) { return layer.latest; }
          throw error;
        });
      };
    });

    function report(layer) {
      return function (error) {
        if (error.name !== "AbortError") { announce("Could not load " + layer.title + ": " + error.message); }
      };
    }

    map.on("moveend", function () {
      config.layers.forEach(function (layer) {
        if (layer.cluster && map.hasLayer(groups[layer.name])) { layer.refresh().catch(report(layer)); }
      });
    });
    // Hidden layers (e.g. thousands of small areas) load the first time they are switched on.
    map.on("overlayadd", function (event) {
      config.layers.forEach(function (layer) {
        if (groups[layer.name] === event.layer && (!layer.loaded || layer.cluster)) {
          layer.refresh().catch(report(layer));
        }
      });
    });
    if (form) {
      form.addEventListener("change", function () {
        announce("Loading…");
        config.layers.forEach(function (layer) {
          if (layer.filterable) { layer.refresh().catch(report(layer)); }
        });
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    }

    var first = config.layers.filter(function (layer) { return layer.show; })
      .map(function (layer) { return layer.refresh(); });
    Promise.all(first).then(function () {
      if (window.performance && performance.mark) { performance.mark("assetmap:markers-drawn"); }
      document.body.setAttribute("data-map-ready", "true");
    }).catch(function (error) {
      announce("Some layers could not be loaded: " + error.message);
      document.body.setAttribute("data-map-ready", "error");
    });
  };
})();
