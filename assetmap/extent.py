"""Where a map opens: on the data's own extent, never on a hard-coded county.

Used by the officer map, the report maps and the public finder (no map library here).

A store knows its county: the view is the WGS84 bounds of the first of the
given layers that has any geometry (districts, community areas, assets …).
A store with no geography at all opens on Great Britain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from assetmap.crs import GB_BOUNDS, METRIC_CRS, WEB_CRS, bbox_to_web, require_crs, to_web

__all__ = ["GREAT_BRITAIN", "MapView", "view_of", "web_bounds"]

_GREAT_BRITAIN_ZOOM = 6


@dataclass(frozen=True)
class MapView:
    """A map's first view: a lon/lat box and the zoom to open at when not fitting the box."""

    west: float
    south: float
    east: float
    north: float
    zoom: int

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the box's middle, in Leaflet's order."""
        return (self.south + self.north) / 2, (self.west + self.east) / 2

    @property
    def leaflet_bounds(self) -> list[list[float]]:
        """``[[south, west], [north, east]]``, as Leaflet's ``fitBounds`` takes it."""
        return [[self.south, self.west], [self.north, self.east]]

    def as_json(self) -> dict[str, Any]:
        lat, lon = self.centre
        return {"lat": lat, "lon": lon, "zoom": self.zoom, "bounds": self.leaflet_bounds}


GREAT_BRITAIN = MapView(*GB_BOUNDS, zoom=_GREAT_BRITAIN_ZOOM)


def web_bounds(geometry: gpd.GeoSeries) -> tuple[float, float, float, float]:
    """The lon/lat box holding ``geometry``: its own box reprojected, not every vertex."""
    require_crs(geometry, "layer")
    west, south, east, north = (float(v) for v in geometry.total_bounds)
    if geometry.crs.equals(WEB_CRS):
        return west, south, east, north
    if geometry.crs.equals(METRIC_CRS):
        return bbox_to_web((west, south, east, north))
    return web_bounds(to_web(geometry, "layer"))


def view_of(frames: list[gpd.GeoDataFrame | None], zoom: int) -> MapView:
    """The bounds of the first frame with geometry, at ``zoom``; Great Britain when none has."""
    for frame in frames:
        if frame is None or not len(frame):
            continue
        geometry = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
        if len(geometry):
            return MapView(*web_bounds(geometry), zoom=zoom)
    return GREAT_BRITAIN
