"""Helpers for the importer tests: points of the tiny county as longitude/latitude."""

from __future__ import annotations

from pyproj import Transformer

_TO_LONLAT = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """A British National Grid point as (longitude, latitude), rounded as exports round them."""
    lon, lat = _TO_LONLAT.transform(x, y)
    return round(lon, 6), round(lat, 6)
