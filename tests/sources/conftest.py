"""Helpers for the importer tests: points of the tiny county as longitude/latitude."""

from __future__ import annotations

from assetmap.crs import metric_to_lonlat


def lonlat(x: float, y: float) -> tuple[float, float]:
    """A British National Grid point as (longitude, latitude), rounded as exports round them."""
    lon, lat = metric_to_lonlat(float(x), float(y))
    return round(lon, 6), round(lat, 6)
