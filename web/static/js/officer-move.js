/* assetmap officer map: moving an asset by dragging its pin or with the arrow keys, under
 * an editing banner with Save and Cancel; and the banner for placing a new asset. Nothing
 * is saved here: Save opens /assets/{id}/move, the check-answers page, which saves. */
(function () {
  "use strict";

  var COMPASS = ["north", "north-east", "east", "south-east", "south", "south-west", "west",
                 "north-west"];
  var STEP_PX = 10;  // an arrow key moves the pin this far; with Shift, 1 pixel

  function distanceWords(metres) {
    if (metres < 1000) { return Math.round(metres) + " m"; }
    return (metres < 10000 ? (metres / 1000).toFixed(1) : Math.round(metres / 1000)) + " km";
  }

  // "140 m north-east" (compass point on the local grid; the check page measures exactly).
  function describe(map, from, to) {
    var metres = map.distance(from, to);
    if (metres < 1) { return null; }
    var dx = (to.lng - from.lng) * Math.cos(from.lat * Math.PI / 180);
    var dy = to.lat - from.lat;
    var bearing = (Math.atan2(dx, dy) * 180 / Math.PI + 360) % 360;
    return distanceWords(metres) + " " + COMPASS[Math.round(bearing / 45) % 8];
  }

  function pinIcon() {
    var pin = document.createElement("span");
    pin.className = "am-moving-pin-dot";
    return L.divIcon({ html: pin, className: "am-moving-pin", iconSize: [28, 28],
                       iconAnchor: [14, 14] });
  }

  window.assetmapMover = function (map, announce) {
    var banner = document.getElementById("am-banner");
    var text = document.getElementById("am-banner-text");
    var status = document.getElementById("am-banner-status");
    var save = document.getElementById("am-banner-save");
    var cancel = document.getElementById("am-banner-cancel");
    if (!banner || !text || !status || !save || !cancel) { return null; }
    var active = null;  // {mode: "move" | "add", id, name, from, marker, onEnd}

    function say(message) { status.textContent = message; }

    function report() {
      if (!active || active.mode !== "move") { return; }
      var moved = describe(map, active.from, active.marker.getLatLng());
      say(moved ? active.name + " is " + moved + " of where it was."
                : active.name + " has not moved yet.");
    }

    function finish(message) {
      if (!active) { return; }
      var ended = active;
      active = null;
      if (ended.marker) { map.removeLayer(ended.marker); }
      banner.hidden = true;
      say("");
      map.getContainer().classList.remove("am-placing");
      if (ended.onEnd) { ended.onEnd(); }
      if (message) { announce(message); }
      if (ended.returnFocus && ended.returnFocus.isConnected) { ended.returnFocus.focus(); }
    }

    function nudge(event) {
      var steps = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
      if (event.key === "Enter") { event.preventDefault(); save.click(); return; }
      if (event.key === "Escape") { event.preventDefault(); cancel.click(); return; }
      var step = steps[event.key];
      if (!step || !active) { return; }
      event.preventDefault();
      event.stopPropagation();  // the map would pan instead
      var size = event.shiftKey ? 1 : STEP_PX;
      var at = map.latLngToContainerPoint(active.marker.getLatLng());
      var next = map.containerPointToLatLng(L.point(at.x + step[0] * size, at.y + step[1] * size));
      active.marker.setLatLng(next);
      map.panInside(next, { padding: [40, 40], animate: false });
      report();
    }

    function startMove(asset) {
      if (active) { finish(""); }
      map.closePopup();
      var from = L.latLng(asset.lat, asset.lon);
      var marker = L.marker(from, {
        draggable: true, keyboard: true, autoPan: true, icon: pinIcon(), zIndexOffset: 1000,
        title: "New position of " + asset.name, alt: "New position of " + asset.name
      }).addTo(map);
      active = { mode: "move", id: asset.id, name: asset.name, from: from, marker: marker,
                 returnFocus: document.activeElement };
      text.textContent = "Moving " + asset.name +
        " — drag the pin or use the arrow keys, then Save / Cancel";
      save.hidden = false;
      banner.hidden = false;
      var node = marker.getElement();
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", "Pin for " + asset.name +
        ": use the arrow keys to move it (Shift for small steps), Enter to save, Escape to cancel");
      node.setAttribute("aria-describedby", "am-banner-status");
      node.addEventListener("keydown", nudge);
      marker.on("dragend", report);
      if (map.getZoom() < 15) { map.setView(from, 16, { animate: false }); }
      say(asset.name + " has not moved yet.");
      node.focus();
      document.body.setAttribute("data-moving", asset.id);
    }

    function startAdding(onEnd) {
      if (active) { finish(""); }
      active = { mode: "add", onEnd: onEnd, returnFocus: document.activeElement };
      text.textContent = "Adding an asset — click the map where it is, or Cancel";
      save.hidden = true;
      banner.hidden = false;
      map.getContainer().classList.add("am-placing");
    }

    save.addEventListener("click", function () {
      if (!active || active.mode !== "move") { return; }
      var at = active.marker.getLatLng();
      window.location.assign("/assets/" + encodeURIComponent(active.id) + "/move?lon=" +
        at.lng.toFixed(6) + "&lat=" + at.lat.toFixed(6));
    });
    cancel.addEventListener("click", function () {
      if (!active) { return; }
      finish(active.mode === "move" ? "Move cancelled: " + active.name + " stays where it was."
                                    : "Cancelled.");
    });
    document.addEventListener("keydown", function (event) {
      if (active && event.key === "Escape") { cancel.click(); }
    });

    return {
      move: startMove,
      add: startAdding,
      adding: function () { return Boolean(active && active.mode === "add"); },
      finish: finish
    };
  };
})();
