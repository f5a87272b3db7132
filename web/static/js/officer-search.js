/* assetmap officer map: find a place, a postcode or an asset by name and show it. For
 * officers an asset found offers "Edit" and "Move on the map" (a keyboard-only way to
 * reach an asset that is otherwise a dot on a canvas). Names are set as text. */
(function () {
  "use strict";

  var KINDS = { postcode: "postcode", place: "place", asset: "asset" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  window.assetmapSearch = function (map, options) {
    var form = document.getElementById("am-search");
    var input = document.getElementById("am-search-q");
    var status = document.getElementById("am-search-status");
    var list = document.getElementById("am-search-results");
    if (!form || !input || !status || !list) { return; }
    var mark = null;

    function show(hit) {
      if (mark) { map.removeLayer(mark); }
      mark = L.circleMarker([hit.lat, hit.lon], {
        radius: 14, color: "#0b0c0c", weight: 3, fill: false, interactive: false
      }).addTo(map);
      map.setView([hit.lat, hit.lon], hit.zoom, { animate: false });
      status.textContent = "Showing " + hit.label + " (" + KINDS[hit.kind] + ") on the map.";
      var old = document.getElementById("am-found-actions");
      if (old) { old.remove(); }
      if (hit.kind === "asset" && options.canEdit()) {
        var box = el("div", { id: "am-found-actions", "class": "am-found-actions" });
        box.appendChild(el("a", { href: "/assets/" + encodeURIComponent(hit.id) + "/edit" },
                           "Edit " + hit.label));
        var move = el("button", { type: "button" }, "Move " + hit.label + " on the map");
        move.addEventListener("click", function () {
          options.move({ id: hit.id, name: hit.label, lat: hit.lat, lon: hit.lon });
        });
        box.appendChild(move);
        list.after(box);
      }
      document.body.setAttribute("data-search-shown", hit.label);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value.trim();
      list.replaceChildren();
      list.hidden = true;
      if (!q) { status.textContent = "Enter a place, a postcode or the name of an asset."; return; }
      status.textContent = "Searching…";
      fetch("/api/map/search?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (body) {
          var hits = body.results;
          if (!hits.length) {
            status.textContent = "Nothing found for “" + q + "”. Check the spelling, or try a postcode.";
            return;
          }
          if (hits.length === 1) { show(hits[0]); return; }
          hits.forEach(function (hit) {
            var item = el("li");
            var button = el("button", { type: "button" }, hit.label + " (" + KINDS[hit.kind] + ")");
            button.addEventListener("click", function () { show(hit); });
            item.appendChild(button);
            list.appendChild(item);
          });
          list.hidden = false;
          status.textContent = hits.length + " results for “" + q + "”: choose one.";
        })
        .catch(function () { status.textContent = "The search could not be done. Try again."; });
    });
  };
})();
