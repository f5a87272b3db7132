"""Parse and check query parameters shared by several routes and pages (layers, audit)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from assetmap.crs import bbox_to_metric
from assetmap.errors import ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.store import BBox

__all__ = [
    "BBOX_DESCRIPTION",
    "MAX_OFFSET",
    "audit_filter",
    "parse_bbox",
    "parse_filters",
    "parse_lonlat_bbox",
    "parse_properties",
]

# The furthest a page may start (and the most one page may hold): far beyond any register,
# well inside the 64-bit integers SQLite and PostgreSQL take, so a huge number is a 422.
MAX_OFFSET = 1_000_000_000


# What the schema says of ``bbox``: the ranges and order a JSON Schema for a string cannot.
BBOX_DESCRIPTION = (
    "minLon,minLat,maxLon,maxLat in WGS84 degrees: four finite numbers, longitudes -180 to "
    "180, latitudes -90 to 90, each minimum below its maximum, longitude first (a box "
    "that reads as latitude,longitude over Great Britain is refused as swapped). Anything "
    "else is a 422 saying which rule it broke."
)


def parse_bbox(text: str) -> BBox:
    """``minlon,minlat,maxlon,maxlat`` (WGS84) -> a bbox in EPSG:27700 metres."""
    return bbox_to_metric(parse_lonlat_bbox(text))


def parse_lonlat_bbox(text: str) -> BBox:
    """``minlon,minlat,maxlon,maxlat`` checked: four finite numbers, in range, in order."""
    parts = [p.strip() for p in text.split(",")]
    hint = "give bbox as minLon,minLat,maxLon,maxLat in degrees, e.g. bbox=-1.6,52.4,-0.7,52.9"
    if len(parts) != 4:
        raise ValidationFailed(f"bbox has {len(parts)} value(s), not 4: {hint}")
    try:
        minlon, minlat, maxlon, maxlat = (float(p) for p in parts)
    except ValueError:
        raise ValidationFailed(f"bbox values must be numbers: {hint}") from None
    if not all(math.isfinite(v) for v in (minlon, minlat, maxlon, maxlat)):
        raise ValidationFailed(f"bbox values must be finite numbers: {hint}")
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180):
        raise ValidationFailed(f"bbox longitudes must lie between -180 and 180: {hint}")
    if not (-90 <= minlat <= 90 and -90 <= maxlat <= 90):
        raise ValidationFailed(
            f"bbox latitudes must lie between -90 and 90 (were longitude and latitude "
            f"swapped?): {hint}"
        )
    if _looks_swapped_for_britain(minlon, minlat, maxlon, maxlat):
        raise ValidationFailed(
            f"bbox looks like latitude,longitude; give longitude first (west, south, east, "
            f"north): {hint}"
        )
    if minlon >= maxlon or minlat >= maxlat:
        raise ValidationFailed(f"bbox minimum must be below maximum on both axes: {hint}")
    return minlon, minlat, maxlon, maxlat


def _looks_swapped_for_britain(minlon: float, minlat: float, maxlon: float, maxlat: float) -> bool:
    """Latitudes of Great Britain given as longitudes, and its longitudes as latitudes."""
    return all(49 <= v <= 61 for v in (minlon, maxlon)) and all(
        -9 <= v <= 2.5 for v in (minlat, maxlat)
    )


def parse_filters(
    layer: LayerSpec, items: Iterable[tuple[str, str]], reserved: Iterable[str]
) -> dict[str, list[str]]:
    """Query items naming a declared filter field -> {field: [values]}.

    A value may list alternatives separated by commas (``category=a,b``), or
    the parameter may repeat. Any other parameter is refused, naming what is allowed.
    """
    reserved = set(reserved)
    filters: dict[str, list[str]] = {}
    for key, value in items:
        if key in reserved:
            continue
        if key not in layer.filters:
            allowed = ", ".join([*sorted(reserved), *layer.filters])
            raise ValidationFailed(
                f"Unknown parameter {key!r} for layer {layer.name!r}. Allowed: {allowed}.",
                details=[{"field": key, "problem": "unknown parameter", "fix": f"use {allowed}"}],
            )
        values = [v.strip() for v in value.split(",") if v.strip()]
        if not values:
            raise ValidationFailed(f"Filter {key!r} is empty: give at least one value")
        spec = layer.field(key)
        if spec.choices is not None:
            unknown = [v for v in values if v not in spec.choices]
            if unknown:
                raise ValidationFailed(
                    f"Filter {key!r}: {', '.join(map(repr, unknown))} is not a valid value. "
                    f"Valid values: {', '.join(spec.choices)}.",
                    details=[{"field": key, "problem": "invalid value", "fix": "use one listed"}],
                )
        filters.setdefault(key, []).extend(values)
    return filters


def parse_properties(layer: LayerSpec, text: str | None) -> list[str]:
    """``properties=a,b`` selects fields to return (the id field is always included)."""
    if text is None:
        return list(layer.field_names)
    wanted = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in layer.field_names]
    if unknown:
        raise ValidationFailed(
            f"properties: {', '.join(map(repr, unknown))} not field(s) of {layer.name!r}. "
            f"Fields: {', '.join(layer.field_names)}."
        )
    return [f for f in layer.field_names if f in wanted or f == layer.id_field]


def audit_filter(
    layer: str | None, feature_id: str | None, actor: str | None
) -> dict[str, str | None]:
    """The audit log's filters that were given (``/api/audit`` and ``/audit``)."""
    chosen = {"layer": layer, "feature_id": feature_id, "actor": actor}
    return {key: value for key, value in chosen.items() if value}
