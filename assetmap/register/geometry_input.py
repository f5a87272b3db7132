"""Geometries arriving from editors: GeoJSON in WGS84 (lon, lat), checked and reprojected."""

from __future__ import annotations

from typing import Any

import numpy as np

import shapely
import shapely.errors
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from assetmap.crs import check_lat_lon, lonlat_to_metric
from assetmap.errors import ValidationFailed

__all__ = ["GEOJSON_TYPES", "geometry_from_geojson", "point_from_lon_lat"]


def _check_points(geometry: BaseGeometry) -> None:
    # Every vertex must be in Great Britain; a swapped pair is named as such.
    for lon, lat in _vertices(geometry):
        check_lat_lon(lat, lon)


def _vertices(geometry: BaseGeometry) -> list[tuple[float, float]]:
    coordinates = shapely.get_coordinates(geometry)
    return [(float(x), float(y)) for x, y in coordinates]


# RFC 7946 geometry types with coordinates (a GeometryCollection has none; no layer holds one).
GEOJSON_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                 "MultiPolygon")


def _refuse(message: str, problem: str, fix: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "geometry", "problem": problem,
                                               "fix": fix}])


def geometry_from_geojson(value: Any) -> BaseGeometry:
    """A GeoJSON geometry object in EPSG:4326 -> a shapely geometry in EPSG:27700.

    A height (a third coordinate) is refused rather than dropped: the register keeps
    positions on the map, and a value sent should never vanish unnoticed.
    """
    example = '{"type": "Point", "coordinates": [-1.13, 52.63]}'
    if not isinstance(value, dict) or "type" not in value or "coordinates" not in value:
        raise _refuse("geometry must be a GeoJSON geometry in WGS84 longitude/latitude, e.g. "
                      f"{example}", "not a GeoJSON geometry", f"send one like {example}")
    if value["type"] not in GEOJSON_TYPES:
        raise _refuse(
            f"geometry type {str(value['type'])[:40]!r} is not a GeoJSON geometry type; "
            f"use one of {', '.join(GEOJSON_TYPES)}", "unknown geometry type",
            f"send one like {example}",
        )
    try:
        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError,
            shapely.errors.ShapelyError) as exc:
        raise _refuse(f"geometry could not be read as GeoJSON: {str(exc)[:200]}",
                      "badly formed", f"send one like {example}") from None
    if geometry.is_empty:
        raise _refuse("geometry is empty", "empty", f"send one like {example}")
    if geometry.has_z:
        raise _refuse(
            "geometry has a height (a third coordinate, z); the register keeps positions "
            "as longitude and latitude only",
            "has a z value", "send [longitude, latitude] without the height",
        )
    _check_points(geometry)
    return shapely.transform(geometry, _to_metric)


def _to_metric(coordinates: np.ndarray) -> np.ndarray:
    eastings, northings = lonlat_to_metric(coordinates[:, 0], coordinates[:, 1])
    return np.column_stack([eastings, northings])


def point_from_lon_lat(lon: float, lat: float) -> BaseGeometry:
    return geometry_from_geojson({"type": "Point", "coordinates": [lon, lat]})
