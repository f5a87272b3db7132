"""Audit values as an officer reads them: no JSON quotes, labels not codes, places not WKT.

The audit log keeps each value as JSON text (geometry as WKT in EPSG:27700, see
:mod:`assetmap.register.audit`); these functions turn one back into words.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from assetmap.crs import metric_to_lonlat
from assetmap.layers import LayerSpec

__all__ = [
    "NOT_SET",
    "compass_point",
    "decoded",
    "field_label",
    "geometry_of",
    "moved",
    "readable",
    "readable_geometry",
]

NOT_SET = "Not set"
_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")
# Field names whose plain reading ("Last verified") says less than it could.
_FIELD_LABELS = {"last_verified": "Last checked", "id": "ID", "url": "Website"}


def decoded(text: str | None) -> Any:
    """An audit value back as Python (None when empty); text that is not JSON as it is."""
    if text is None or text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def field_label(layer: LayerSpec | None, name: str) -> str:
    """"opening_times" -> "Opening times" ("geometry" is the place on the map)."""
    if name == "geometry":
        return "Position" if layer is None or not layer.is_polygonal else "Boundary"
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    if name.endswith("_code"):
        name = name.removesuffix("_code")
    return name.replace("_", " ").capitalize()


def _choice(layer: LayerSpec | None, field: str, value: str) -> str:
    if layer is not None and field in layer.labels:
        return layer.label(field, value)
    # An unlabelled code ("step_free") reads as words; anything else as it was typed.
    return value.replace("_", " ").capitalize() if re.fullmatch(r"[a-z0-9_]+", value) else value


def _date(value: str) -> str | None:
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return f"{day.day} {day:%B %Y}" if len(value) == 10 else None


def readable(layer: LayerSpec | None, field: str, value: Any) -> str:
    """One stored value in words: labels for codes, lists joined, dates in full, Yes/No."""
    if value is None or value == "" or value == []:
        return NOT_SET
    if field == "geometry":
        geometry = geometry_of(value)
        return readable_geometry(geometry) if geometry is not None else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(readable(layer, field, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {readable(layer, k, v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = str(value)
    spec = _spec(layer, field)
    if spec is not None and spec.choices and ";" in text:
        return ", ".join(_choice(layer, field, part) for part in text.split(";") if part)
    if spec is not None and spec.choices:
        return _choice(layer, field, text)
    if spec is not None and spec.type == "date":
        return _date(text) or text
    return text


def _spec(layer: LayerSpec | None, field: str) -> Any:
    if layer is None or field not in layer.field_names:
        return None
    return layer.field(field)


def geometry_of(value: Any) -> BaseGeometry | None:
    """A WKT value (as the audit log keeps geometry) as a shape; None if it is not one."""
    if isinstance(value, BaseGeometry):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return shapely.from_wkt(value)
    except (ShapelyError, ValueError):
        return None


def readable_geometry(geometry: BaseGeometry) -> str:
    """A point as latitude and longitude to 5 decimals (about a metre); an area by its size."""
    if isinstance(geometry, Point):
        lon, lat = metric_to_lonlat(geometry.x, geometry.y)
        return f"{lat:.5f}, {lon:.5f} (latitude, longitude)"
    if geometry.area > 0:
        return f"an area of {geometry.area / 10_000:,.1f} hectares"
    return f"a line of {geometry.length:,.0f} m"


def compass_point(dx: float, dy: float) -> str:
    """The nearest of eight compass points for a move of (dx east, dy north)."""
    bearing = math.degrees(math.atan2(dx, dy)) % 360
    return _COMPASS[round(bearing / 45) % 8]


def moved(before: Any, after: Any) -> str | None:
    """"moved 140 m north-east" for two points (EPSG:27700, metres); None otherwise."""
    old, new = geometry_of(before), geometry_of(after)
    if not isinstance(old, Point) or not isinstance(new, Point):
        return None
    dx, dy = new.x - old.x, new.y - old.y
    distance = math.hypot(dx, dy)
    if distance < 0.5:
        return "moved less than a metre"
    if distance >= 10_000:
        return f"moved {distance / 1000:,.1f} km {compass_point(dx, dy)}"
    return f"moved {distance:,.0f} m {compass_point(dx, dy)}"
