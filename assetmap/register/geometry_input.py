"""Geometries arriving from editors: GeoJSON in WGS84 (lon, lat), checked and reprojected."""

from __future__ import annotations

from typing import Any

import numpy as np

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from assetmap.crs import check_lat_lon, lonlat_to_metric
from assetmap.errors import ValidationFailed

__all__ = ["geometry_from_geojson", "point_from_lon_lat"]


def _check_points(geometry: BaseGeometry) -> None:
    # Every vertex must be in Great Britain; a swapped pair is named as such.
    for lon, lat in _vertices(geometry):
        check_lat_lon(lat, lon)


def _vertices(geometry: BaseGeometry) -> list[tuple[float, float]]:
    coordinates = shapely.get_coordinates(geometry)
    return [(float(x), float(y)) for x, y in coordinates]


def geometry_from_geojson(value: Any) -> BaseGeometry:
    """A GeoJSON geometry object in EPSG:4326 -> a shapely geometry in EPSG:27700."""
    if not isinstance(value, dict) or "type" not in value or "coordinates" not in value:
        raise ValidationFailed(
            "geometry must be a GeoJSON geometry in WGS84 longitude/latitude, e.g. "
            '{"type": "Point", "coordinates": [-1.13, 52.63]}',
            details=[{"field": "geometry", "problem": "not a GeoJSON geometry"}],
        )
    try:
        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise ValidationFailed(
            f"geometry could not be read as GeoJSON: {exc}",
            details=[{"field": "geometry", "problem": "badly formed"}],
        ) from exc
    if geometry.is_empty:
        raise ValidationFailed("geometry is empty", details=[{"field": "geometry"}])
    _check_points(geometry)
    return shapely.transform(geometry, _to_metric)


def _to_metric(coordinates: np.ndarray) -> np.ndarray:
    eastings, northings = lonlat_to_metric(coordinates[:, 0], coordinates[:, 1])
    return np.column_stack([eastings, northings])


def point_from_lon_lat(lon: float, lat: float) -> BaseGeometry:
    return geometry_from_geojson({"type": "Point", "coordinates": [lon, lat]})
