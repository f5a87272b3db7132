"""OpenStreetMap features from an Overpass API server, turned into GeoJSON points.

The query selects nodes, ways and relations inside the county's boundary area
(``area[...]``) and asks for ``out center``, so every element has one point.
Overpass reports a failed query (timeout, out of memory) as a ``remark`` in an
otherwise normal HTTP 200 answer, so that is checked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from assetmap.sources.fetch.errors import FetchError
from assetmap.sources.fetch.http import Check

__all__ = ["build_query", "checker", "to_geojson"]


def build_query(area: str, filters: Sequence[str], timeout_s: int) -> str:
    lines = [f"[out:json][timeout:{timeout_s}];", f"area{area}->.county;", "("]
    lines += [f"  nwr{tag_filter}(area.county);" for tag_filter in filters]
    lines += [");", "out center tags;"]
    return "\n".join(lines)


def checker(url: str, hint: str) -> Check:
    def check(content: bytes) -> None:
        try:
            payload = json.loads(content)
        except ValueError as exc:
            raise FetchError(f"{url}: the answer is not JSON ({content[:80]!r}…); {hint}") from exc
        remark = str(payload.get("remark", "")) if isinstance(payload, dict) else ""
        if "error" in remark.lower():
            raise FetchError(f"{url}: Overpass could not run the query ({remark.strip()}); "
                             "raise timeout_s in the endpoints file or try a less busy server")
        if not isinstance(payload, dict) or not isinstance(payload.get("elements"), list):
            raise FetchError(f"{url}: no 'elements' in the answer; {hint}")

    return check


def to_geojson(payload: dict[str, Any]) -> dict[str, Any]:
    """Point features in EPSG:4326: nodes at their position, ways/relations at their centre."""
    features = []
    for element in payload["elements"]:
        point = element.get("center") or element
        if "lat" not in point or "lon" not in point:
            continue  # an element Overpass could not place
        features.append({
            "type": "Feature",
            "id": f"{element['type']}/{element['id']}",
            "geometry": {"type": "Point", "coordinates": [point["lon"], point["lat"]]},
            "properties": {"@id": f"{element['type']}/{element['id']}",
                           **element.get("tags", {})},
        })
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    timestamp = (payload.get("osm3s") or {}).get("timestamp_osm_base")
    if timestamp:
        collection["timestamp"] = timestamp  # how current the OpenStreetMap data is
    return collection
