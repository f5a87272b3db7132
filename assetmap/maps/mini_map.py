"""A small map as inline SVG: no tiles, no script, no internet (the OGC HTML pages).

Drawn in British National Grid metres (``crs.to_metric``), so shapes keep their true
proportions; outlines are simplified to about a pixel, so a page of parish boundaries
stays a few kilobytes. Points are numbered dots whose numbers match the list beside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from assetmap.crs import to_metric

__all__ = ["mini_map_svg"]

_SIZE = 320  # the drawing's longer side, in pixels
_PAD = 12


def _rings(geometry: BaseGeometry) -> Iterable[list[tuple[float, float]]]:
    """Every exterior and interior ring (and line) of a geometry, as coordinate lists."""
    kind = geometry.geom_type
    if kind.startswith("Multi") or kind == "GeometryCollection":
        for part in getattr(geometry, "geoms", []):
            yield from _rings(part)
    elif kind == "Polygon":
        yield [(float(x), float(y)) for x, y, *_ in geometry.exterior.coords]
        for interior in geometry.interiors:
            yield [(float(x), float(y)) for x, y, *_ in interior.coords]
    elif kind in ("LineString", "LinearRing"):
        yield [(float(x), float(y)) for x, y, *_ in geometry.coords]


def mini_map_svg(frame: gpd.GeoDataFrame, label: str) -> str:
    """``frame``'s geometries as an SVG map described by ``label``; empty when none is drawable."""
    shapes = to_metric(frame, "the map's features").geometry
    shapes = shapes[shapes.notna() & ~shapes.is_empty]
    if shapes.empty:
        return ""
    west, south, east, north = (float(v) for v in shapes.total_bounds)
    span = max(east - west, north - south, 200.0)  # a lone point still shows 200 m around it
    # Never thinner than half as wide as tall (or the reverse): a column of dots stays legible.
    grow_x = max(span / 2 - (east - west), 0.0) / 2
    grow_y = max(span / 2 - (north - south), 0.0) / 2
    west, east, south, north = west - grow_x, east + grow_x, south - grow_y, north + grow_y
    scale = (_SIZE - 2 * _PAD) / span
    width = round((east - west) * scale) + 2 * _PAD
    height = round((north - south) * scale) + 2 * _PAD

    def at(x: float, y: float) -> str:
        return f"{(x - west) * scale + _PAD:.1f},{(north - y) * scale + _PAD:.1f}"

    parts = []
    dots: list[Any] = []
    for geometry in shapes.simplify(1 / scale):
        if geometry.geom_type in ("Point", "MultiPoint"):
            dots.extend(getattr(geometry, "geoms", [geometry]))
            continue
        path = " ".join("M" + " L".join(at(x, y) for x, y in ring) for ring in _rings(geometry))
        closed = " Z" if geometry.geom_type.endswith("Polygon") else ""
        parts.append(f'<path d="{path}{closed}" class="mm-shape"/>')
    for number, point in enumerate(dots, start=1):
        centre = at(point.x, point.y).split(",")
        parts.append(f'<circle cx="{centre[0]}" cy="{centre[1]}" r="6" class="mm-dot"/>'
                     f'<text x="{centre[0]}" y="{float(centre[1]) + 3.5:.1f}" '
                     f'class="mm-number">{number}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mm-map" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(label)}"><rect width="100%" height="100%" class="mm-ground"/>'
        + "".join(parts) + "</svg>"
    )
