"""A map's context when no tile server is set: outlines and place names from the store.

With no basemap (the default: no internet needed), a map of pins on grey tells nobody
where they are. :func:`map_context` gives the pages what to draw instead: district and
parish outlines, simplified for the zoom they are seen at (``coarse`` for a county or
district, ``fine`` close in), and the names of the places the finder knows (towns,
villages, parishes, wards), each with a rank the page uses to show the bigger places
first. :func:`map_search` finds what an officer types on the officer map: a postcode, a
place, or an asset by name. Everything is in EPSG:4326, rounded to about a metre.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

import geopandas as gpd
import shapely

from assetmap.crs import metric_to_lonlat, to_web
from assetmap.finder.gazetteer import Gazetteer
from assetmap.layers import LayerCatalog
from assetmap.postcodes import normalise_postcode
from assetmap.store.base import Store

__all__ = ["DETAIL_TOLERANCE_M", "Detail", "MapHit", "map_context", "map_search"]

Detail = Literal["coarse", "fine"]
# How far a simplified outline may stray from the true one: under a pixel or two at the
# zooms each detail is drawn at (coarse below zoom 12, about 40 m a pixel at zoom 11).
DETAIL_TOLERANCE_M: dict[str, float] = {"coarse": 60.0, "fine": 15.0}
_DECIMALS = 5  # about a metre
# Bigger places first: rank 1 shows at county zoom, 3 only close in.
_RANK = {"town": 1, "settlement": 2, "parish": 2, "place": 2, "unparished": 1, "ward": 3}
_UNPARISHED = " (unparished)"
_COMPASS_WORDS = {"north", "south", "east", "west", "central", "centre", "north-east",
                  "north-west", "south-east", "south-west", "ne", "nw", "se", "sw"}
_SAME_PLACE_M = 4_000.0
_OUTLINES = (("districts", "districts"), ("community_areas", "parishes"))


def _outline_collection(frame: gpd.GeoDataFrame, what: str, tolerance: float) -> dict[str, Any]:
    """Every boundary once (an edge two areas share is one line, not two), simplified."""
    valid = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if valid.empty:
        return {"type": "FeatureCollection", "features": []}
    lines = shapely.line_merge(shapely.union_all(valid.boundary.to_numpy()))
    simplified = shapely.simplify(lines, tolerance, preserve_topology=False)
    web = to_web(gpd.GeoDataFrame(geometry=[simplified], crs=frame.crs), what).geometry
    rounded = shapely.set_precision(web.to_numpy(), 10 ** -_DECIMALS)
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
                for g in rounded if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": features}


def _town_of(name: str) -> str:
    """"Belby North West (unparished)" -> "Belby": a town's unparished areas name the town."""
    words = name.removesuffix(_UNPARISHED).split()
    while len(words) > 1 and words[-1].lower() in _COMPASS_WORDS:
        words.pop()
    return " ".join(words)


def _places(gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Each place once, the towns first: a town's unparished areas become one name at
    their middle; places of one name within a few kilometres are one."""
    chosen = [p for p in gazetteer.places if p.kind in _RANK]
    groups: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for p in chosen:
        rank, name = _RANK[p.kind], p.name
        if p.kind == "unparished":
            rank, name = 1, _town_of(p.name)
        groups.setdefault((rank, name), []).append((p.easting, p.northing))
    places: list[dict[str, Any]] = []
    seen: dict[str, list[tuple[float, float]]] = {}
    for (rank, name), points in sorted(groups.items()):
        x, y = np.mean(np.array(points), axis=0)
        near = seen.setdefault(name.lower(), [])
        if any(np.hypot(x - a, y - b) < _SAME_PLACE_M for a, b in near):
            continue  # the ward town and the town: one name on the map
        near.append((float(x), float(y)))
        lon, lat = metric_to_lonlat(float(x), float(y))
        places.append({"name": name, "rank": rank, "lon": round(lon, _DECIMALS),
                       "lat": round(lat, _DECIMALS)})
    return places


def map_context(
    store: Store, catalog: LayerCatalog, gazetteer: Gazetteer, detail: Detail = "coarse",
    *, outlines: bool = True,
) -> dict[str, Any]:
    """``{"districts", "parishes"}`` outlines as GeoJSON lines (when ``outlines``) and
    ``places``: ``{name, rank, lon, lat}``, bigger places first."""
    body: dict[str, Any] = {"detail": detail, "places": _places(gazetteer)}
    if not outlines:
        return body
    tolerance = DETAIL_TOLERANCE_M[detail]
    for layer_name, key in _OUTLINES:
        layer = catalog.get(layer_name)
        if layer is None or not store.has_layer(layer):
            body[key] = {"type": "FeatureCollection", "features": []}
            continue
        frame = store.read(layer, fields=[layer.id_field])
        body[key] = _outline_collection(frame, layer_name, tolerance)
    return body


@dataclass(frozen=True)
class MapHit:
    label: str
    kind: Literal["postcode", "place", "asset"]
    lon: float
    lat: float
    zoom: int
    id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "kind": self.kind, "lon": round(self.lon, _DECIMALS),
                "lat": round(self.lat, _DECIMALS), "zoom": self.zoom, "id": self.id}


def _hit(label: str, kind: Literal["postcode", "place", "asset"], x: float, y: float,
         zoom: int, feature_id: str | None = None) -> MapHit:
    lon, lat = metric_to_lonlat(x, y)
    return MapHit(label, kind, float(lon), float(lat), zoom, feature_id)


def map_search(store: Store, catalog: LayerCatalog, gazetteer: Gazetteer, text: str,
               limit: int = 8) -> list[MapHit]:
    """A postcode (or postcode district), places by name, and assets by name, in that order."""
    query = text.strip()
    if not query:
        return []
    hits: list[MapHit] = []
    postcode = normalise_postcode(query)
    if postcode is not None and postcode in gazetteer.postcodes:
        x, y = gazetteer.postcodes[postcode]
        hits.append(_hit(postcode, "postcode", x, y, 16))
    area = gazetteer.postcode_area(query)
    if area is not None:
        hits.append(_hit(area.name, "postcode", area.easting, area.northing, 13))
    assets: list[MapHit] = []
    layer = catalog.get("assets")
    if layer is not None and store.has_layer(layer) and postcode is None:
        for feature_id in store.search(layer, query, limit=limit):
            feature = store.get(layer, feature_id)
            if feature is None or feature.geometry is None:
                continue
            name = str(feature.properties.get("name") or feature_id)
            assets.append(_hit(name, "asset", feature.geometry.x, feature.geometry.y, 17,
                               feature_id))
    found = gazetteer.search(query, limit)
    if hits:  # a postcode found: the sector "LZ1 0" that starts it is no more use
        return (hits + assets)[:limit]
    if found.how != "fuzzy" or not assets:  # a near miss only when nothing matches as typed
        for place in found.matches:
            label = f"{place.name}, {place.district}" if place.district else place.name
            hits.append(_hit(label, "place", place.easting, place.northing, 14))
    return (hits + assets)[:limit]
