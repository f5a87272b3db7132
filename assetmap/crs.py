"""Coordinate reference systems: analyse in British National Grid, serve WGS84.

Every GeoDataFrame entering analysis goes through :func:`to_metric`, which
refuses data with no CRS rather than guessing.
"""

from __future__ import annotations

from typing import TypeVar

import geopandas as gpd

from assetmap.errors import CRSError

__all__ = ["METRIC_CRS", "WEB_CRS", "require_crs", "to_metric", "to_web"]

METRIC_CRS = "EPSG:27700"  # British National Grid, metres: all distances and areas
WEB_CRS = "EPSG:4326"  # WGS84 lon/lat: GeoJSON served to browsers

G = TypeVar("G", gpd.GeoDataFrame, gpd.GeoSeries)


def require_crs(frame: G, what: str) -> G:
    """Fail with a fix when ``frame`` has no CRS."""
    if frame.crs is None:
        raise CRSError(
            f"{what} has no coordinate reference system. Set one with "
            f"`.set_crs('EPSG:27700')` (British National Grid metres) or "
            f"`.set_crs('EPSG:4326')` (longitude/latitude) before passing it in."
        )
    return frame


def to_metric(frame: G, what: str = "layer") -> G:
    """Return ``frame`` in EPSG:27700, reprojecting only when needed."""
    require_crs(frame, what)
    if frame.crs.equals(METRIC_CRS):
        return frame
    return frame.to_crs(METRIC_CRS)


def to_web(frame: G, what: str = "layer") -> G:
    """Return ``frame`` in EPSG:4326 (lon, lat) for GeoJSON output."""
    require_crs(frame, what)
    if frame.crs.equals(WEB_CRS):
        return frame
    return frame.to_crs(WEB_CRS)
