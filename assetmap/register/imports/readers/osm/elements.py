"""OpenStreetMap elements with their tags and one point each, from either export people make:

* GeoJSON, e.g. from overpass-turbo ("Export → GeoJSON") or ``assetmap fetch``:
  ids as ``node/123`` (feature ``id`` or ``@id``), tags as properties (or under
  ``tags``); ways and relations as polygons or lines, placed at their centroid.
* Overpass JSON (``[out:json]``): nodes at ``lat``/``lon``; ways and relations
  at ``center`` (``out center;``), else from ``geometry`` (``out geom;``),
  ``bounds``, or the nodes the file includes (``>; out skel qt;``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPoint, shape

from assetmap.crs import WEB_CRS
from assetmap.errors import DataError
from assetmap.register.imports.model import Problem
from assetmap.register.imports.readers.geojson import declared_crs, load_json

__all__ = ["NO_POSITION_FIX", "OsmElement", "OsmFile", "read_osm_elements"]

_KINDS = {"node": "node", "way": "way", "relation": "relation", "n": "node", "w": "way",
          "r": "relation"}
NO_POSITION_FIX = ("export it with a position: in Overpass end the query with `out center;` "
                    "(or `out geom;`)")


@dataclass
class OsmElement:
    index: int  # position in the file (feature or element number, from 0)
    kind: str  # node, way or relation
    osm_id: str
    tags: dict[str, str]
    xy: tuple[float, float] | None  # in ``OsmFile.crs`` (longitude, latitude)
    problem: str | None = None

    @property
    def where(self) -> str:
        return self.osm_id if self.kind == "feature" else f"{self.kind} {self.osm_id}"


@dataclass
class OsmFile:
    format: str  # "Overpass JSON" or "GeoJSON"
    elements: list[OsmElement]
    crs: str
    timestamp: str | None
    notes: list[Problem]  # e.g. a legacy crs member


def _tags(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if v is not None and not str(k).startswith("@")}


def _middle(points: Iterable[tuple[float, float]], closed_area: bool) -> tuple[float, float] | None:
    """A point for a way or relation: its centroid when that lies on it, else a point on it."""
    coordinates = list(points)
    if not coordinates:
        return None
    if closed_area and len(coordinates) >= 4 and coordinates[0] == coordinates[-1]:
        area = shapely.Polygon(coordinates)
        if area.is_valid and not area.is_empty:
            point = area.centroid if area.contains(area.centroid) else area.representative_point()
            return (point.x, point.y)
    centre = MultiPoint(coordinates).envelope.centroid
    return (centre.x, centre.y)


# -- Overpass JSON ---------------------------------------------------------------------------
def _overpass(document: dict[str, Any], max_rows: int, name: str) -> OsmFile:
    raw = [e for e in document["elements"] if isinstance(e, dict)]
    nodes = {e.get("id"): (e["lon"], e["lat"]) for e in raw
             if e.get("type") == "node" and "lat" in e and "lon" in e}
    way_nodes = {e.get("id"): e.get("nodes", []) for e in raw if e.get("type") == "way"}
    tagged = [(i, e) for i, e in enumerate(raw) if _tags(e.get("tags"))]
    if len(tagged) > max_rows:
        raise DataError(f"{name}: {len(tagged):,} tagged elements, more than the {max_rows:,} one "
                        "import takes (ASSETMAP_IMPORT_MAX_ROWS). Split the area of the query.")
    elements = []
    for index, element in tagged:
        kind = _KINDS.get(str(element.get("type")), str(element.get("type")))
        item = OsmElement(index, kind, str(element.get("id")), _tags(element["tags"]), None)
        item.xy = _overpass_position(element, nodes, way_nodes)
        if item.xy is None:
            item.problem = "has no position in the file"
        elements.append(item)
    base = document.get("osm3s", {})
    timestamp = base.get("timestamp_osm_base") if isinstance(base, dict) else None
    return OsmFile("Overpass JSON", elements, WEB_CRS, timestamp, [])


def _overpass_position(
    element: dict[str, Any], nodes: dict[Any, tuple[float, float]], way_nodes: dict[Any, list[Any]]
) -> tuple[float, float] | None:
    if "lat" in element and "lon" in element:
        return (float(element["lon"]), float(element["lat"]))
    centre = element.get("center")
    if isinstance(centre, dict) and "lat" in centre and "lon" in centre:
        return (float(centre["lon"]), float(centre["lat"]))
    if element.get("type") == "way":
        geometry = element.get("geometry")
        if isinstance(geometry, list) and geometry:
            return _middle(((p["lon"], p["lat"]) for p in geometry if p), closed_area=True)
        refs = element.get("nodes") or []
        if refs and all(ref in nodes for ref in refs):
            return _middle((nodes[ref] for ref in refs), closed_area=True)
    bounds = element.get("bounds")
    if isinstance(bounds, dict) and {"minlon", "minlat", "maxlon", "maxlat"} <= set(bounds):
        return ((bounds["minlon"] + bounds["maxlon"]) / 2,
                (bounds["minlat"] + bounds["maxlat"]) / 2)
    if element.get("type") == "relation":
        points: list[tuple[float, float]] = []
        for member in element.get("members") or []:
            if isinstance(member.get("geometry"), list):
                points += [(p["lon"], p["lat"]) for p in member["geometry"] if p]
            elif member.get("type") == "node" and member.get("ref") in nodes:
                points.append(nodes[member["ref"]])
            elif member.get("type") == "way":
                points += [nodes[r] for r in way_nodes.get(member.get("ref"), []) if r in nodes]
        return _middle(points, closed_area=False)
    return None


# -- GeoJSON ---------------------------------------------------------------------------------
def _geojson_identity(feature: dict[str, Any]) -> tuple[str, str] | None:
    properties = feature.get("properties") or {}
    candidates = [feature.get("id"), properties.get("@id"), properties.get("id")]
    for candidate in candidates:
        text = str(candidate or "")
        kind, sep, number = text.partition("/")
        if sep and kind in _KINDS and number.strip():
            return _KINDS[kind], number.strip()
        if text[:1] in ("n", "w", "r") and text[1:].isdigit():
            return _KINDS[text[0]], text[1:]
    element_type = str(properties.get("@type") or properties.get("type"))
    osm_id = properties.get("@id") if properties.get("@type") else properties.get("id")
    if element_type in _KINDS and osm_id is not None:
        return _KINDS[element_type], str(osm_id)
    return None


def _geojson(document: dict[str, Any], max_rows: int, name: str) -> OsmFile:
    features = document.get("features")
    if not isinstance(features, list):
        raise DataError(f"{name}: a GeoJSON file of OpenStreetMap features must be a "
                        "FeatureCollection")
    if len(features) > max_rows:
        raise DataError(f"{name}: {len(features):,} features, more than the {max_rows:,} one "
                        "import takes (ASSETMAP_IMPORT_MAX_ROWS). Split it.")
    crs, notes = declared_crs(document, name)
    elements = []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties") or {}
        identity = _geojson_identity(feature)
        tags = _tags(properties.get("tags") if isinstance(properties.get("tags"), dict)
                     else properties)
        if identity is None:
            item = OsmElement(index, "feature", f"features[{index}]", tags, None,
                              "has no OpenStreetMap id (node/123, way/45 …)")
            elements.append(item)
            continue
        item = OsmElement(index, identity[0], identity[1], tags, None)
        geometry = feature.get("geometry")
        try:
            geom = shape(geometry) if geometry else None
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
            geom = None
        if geom is None or geom.is_empty:
            item.problem = "has no usable geometry"
        elif geom.geom_type == "Point":
            item.xy = (geom.x, geom.y)
        else:
            point = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
            item.xy = (point.x, point.y)
        elements.append(item)
    timestamp = document.get("timestamp") if isinstance(document.get("timestamp"), str) else None
    return OsmFile("GeoJSON", elements, crs, timestamp, notes)


def read_osm_elements(data: bytes, name: str, *, max_rows: int) -> OsmFile:
    document = load_json(data, name)
    if isinstance(document, dict) and isinstance(document.get("elements"), list):
        return _overpass(document, max_rows, name)
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        return _geojson(document, max_rows, name)
    raise DataError(
        f"{name}: neither Overpass JSON (an \"elements\" list) nor a GeoJSON FeatureCollection. "
        "Export from overpass-turbo as GeoJSON, or run the query with [out:json]."
    )

