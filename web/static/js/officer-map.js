/* assetmap officer map: loads layers from the API and draws them into the
 * Leaflet groups that folium created. Every text from the data is set with
 * textContent, never as HTML, so names like "<img onerror=…>" stay plain text. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

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

  function popupContent(layer, properties) {
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
    return box;
  }

  function colourFor(layer, properties) {
    var style = layer.style;
    if (style.by && style.colors && style.colors[properties[style.by]]) {
      return style.colors[properties[style.by]];
    }
    return style.color;
  }

  function lazyPopup(layer, marker, id) {
    // Details travel only when asked for; once loaded they replace the loader for good.
    marker.bindPopup(function () {
      var box = el("div", { "class": "am-popup", "aria-busy": "true" }, "Loading…");
      fetch(layer.itemUrl + encodeURIComponent(id), { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (feature) { marker.setPopupContent(popupContent(layer, feature.properties)); })
        .catch(function () { box.textContent = "Details could not be loaded."; });
      return box;
    }, { maxWidth: 320 });
  }

  function drawPoints(layer, group, collection) {
    var markers = collection.features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var marker = L.circleMarker([c[1], c[0]], {
        radius: layer.style.radius, color: "#ffffff", weight: 1.5,
        fillColor: colourFor(layer, feature.properties), fillOpacity: 0.95
      });
      var status = feature.properties.status;
      if (status && status !== "open") { marker.options.dashArray = "3"; marker.options.color = "#000000"; }
      if (layer.tooltip && feature.properties[layer.tooltip] !== undefined) {
        marker.bindTooltip(el("span", {}, feature.properties[layer.tooltip]));
      }
      lazyPopup(layer, marker, feature.id);
      return marker;
    });
    group.clearLayers();
    if (group.addLayers) { group.addLayers(markers); } else { markers.forEach(function (m) { group.addLayer(m); }); }
    return markers.length;
  }

  function outlineRenderer(map) {
    // Outline-only layers (districts) go in an SVG pane above the filled areas: SVG lets
    // clicks inside an unfilled shape reach the areas below, where canvas would not.
    if (!map.getPane("am-outlines")) {
      map.createPane("am-outlines").style.zIndex = 450;
    }
    return L.svg({ pane: "am-outlines" });
  }

  function drawPolygons(layer, group, collection) {
    group.clearLayers();
    var outline = !(layer.style.fill_opacity > 0);
    var geo = L.geoJSON(collection, {
      pane: outline ? "am-outlines" : "overlayPane",
      renderer: outline ? outlineRenderer(group._map || window.assetmapMap) : undefined,
      style: function (feature) {
        var colour = colourFor(layer, feature.properties);
        // Unfilled outlines (districts) must not swallow clicks meant for the areas below.
        return { color: layer.style.by ? "#444444" : colour, weight: layer.style.weight,
                 fill: layer.style.fill_opacity > 0, fillColor: colour,
                 fillOpacity: layer.style.fill_opacity };
      },
      onEachFeature: function (feature, shape) {
        if (layer.tooltip) { shape.bindTooltip(el("span", {}, feature.properties[layer.tooltip]), { sticky: true }); }
        shape.bindPopup(function () { return popupContent(layer, feature.properties); });
      }
    });
    group.addLayer(geo);
    return collection.features.length;
  }

  function query(form) {
    var params = new URLSearchParams();
    if (!form) { return params; }
    Array.prototype.forEach.call(form.querySelectorAll("select[name]"), function (select) {
      if (select.value) { params.set(select.name, select.value); }
    });
    return params;
  }

  function announce(text) {
    var status = document.getElementById("am-status");
    if (status) { status.textContent = text; }
  }

  function load(layer, group, params) {
    var url = layer.url + (params && String(params) ? "?" + params : "");
    if (layer.fields) { url += (url.indexOf("?") < 0 ? "?" : "&") + "properties=" + layer.fields.join(","); }
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(layer.title + ": HTTP " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        var count = layer.kind === "point" ? drawPoints(layer, group, collection)
                                           : drawPolygons(layer, group, collection);
        document.body.setAttribute("data-loaded-" + layer.name, String(count));
        return count;
      });
  }

  window.assetmapOfficerMap = function (map, config, groups) {
    window.assetmapMap = map;  // for tests and the browser console
    var form = document.getElementById("am-filters");
    // Hidden layers (e.g. thousands of small areas) load the first time they are switched on.
    map.on("overlayadd", function (event) {
      config.layers.forEach(function (layer) {
        if (!layer.show && !layer.loaded && groups[layer.name] === event.layer) {
          layer.loaded = true;
          load(layer, groups[layer.name], null).catch(function (error) {
            announce("Could not load " + layer.title + ": " + error.message);
          });
        }
      });
    });
    var pending = config.layers.map(function (layer) {
      if (!layer.show) { return Promise.resolve(0); }
      layer.loaded = true;
      return load(layer, groups[layer.name], layer.filterable ? query(form) : null);
    });
    Promise.all(pending).then(function (counts) {
      config.layers.forEach(function (layer, i) {
        if (layer.filterable) { announce(counts[i] + " " + layer.title.toLowerCase() + " shown"); }
      });
      if (window.performance && performance.mark) { performance.mark("assetmap:markers-drawn"); }
      document.body.setAttribute("data-map-ready", "true");
    }).catch(function (error) {
      announce("Some layers could not be loaded: " + error.message);
      document.body.setAttribute("data-map-ready", "error");
    });
    if (form) {
      form.addEventListener("change", function () {
        config.layers.forEach(function (layer) {
          if (!layer.filterable) { return; }
          announce("Loading…");
          load(layer, groups[layer.name], query(form)).then(function (count) {
            announce(count + " " + layer.title.toLowerCase() + " shown");
          }).catch(function (error) { announce("Could not filter: " + error.message); });
        });
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
  };
})();
