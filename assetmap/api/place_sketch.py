"""Where a suggested new place is, for the officer deciding: a small map drawn as SVG from the
store (parish outlines and the assets around it, the place marked) and the same in words, so
the page needs no tiles, no script and no internet.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from assetmap.crs import metric_to_lonlat
from assetmap.layers import LayerCatalog
from assetmap.store.base import Store

__all__ = ["PlaceSketch", "sketch_place"]

HALF_SIDE_M = 1_000.0  # the sketch shows 2 km by 2 km around the place
SIZE = 240


@dataclass(frozen=True)
class PlaceSketch:
    """The SVG's shapes (paths in its own pixels) and the place in words."""

    area_paths: list[str]
    assets: list[tuple[float, float, str]]  # x, y, name
    place: tuple[float, float]
    words: str
    longitude: float
    latitude: float


def _pixels(x: float, y: float, frame: tuple[float, float]) -> tuple[float, float]:
    west, south = frame
    scale = SIZE / (2 * HALF_SIDE_M)
    return round((x - west) * scale, 1), round(SIZE - (y - south) * scale, 1)


def _path(geometry: BaseGeometry, frame: tuple[float, float]) -> str:
    rings = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        polygon = orient(polygon)
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [_pixels(x, y, frame) for x, y in ring.coords]
            rings.append("M" + " L".join(f"{px},{py}" for px, py in points) + " Z")
    return " ".join(rings)


def sketch_place(store: Store, catalog: LayerCatalog, point: BaseGeometry,
                 district: str | None = None) -> PlaceSketch:
    """The sketch of 2 km around ``point`` (EPSG:27700); ``district`` names its district."""
    window = box(point.x - HALF_SIDE_M, point.y - HALF_SIDE_M,
                 point.x + HALF_SIDE_M, point.y + HALF_SIDE_M)
    frame = (point.x - HALF_SIDE_M, point.y - HALF_SIDE_M)
    paths: list[str] = []
    names: list[str] = []
    areas = catalog.get("community_areas")
    if areas is not None and store.has_layer(areas):
        found = store.read(areas, bbox=window.bounds, fields=["name"])
        for name, geometry in zip(found["name"], found.geometry, strict=True):
            clipped = geometry.intersection(window) if geometry is not None else None
            if clipped is not None and not clipped.is_empty and clipped.geom_type in (
                    "Polygon", "MultiPolygon"):
                paths.append(_path(clipped, frame))
            if not names and geometry is not None and geometry.intersects(point):
                names.append(str(name))
    dots: list[tuple[float, float, str]] = []
    assets = catalog.get("assets")
    if assets is not None and store.has_layer(assets):
        nearby = store.read(assets, bbox=window.bounds, fields=["name"])
        for name, geometry in zip(nearby["name"], nearby.geometry, strict=True):
            if geometry is not None and not geometry.is_empty:
                dots.append((*_pixels(geometry.x, geometry.y, frame), str(name)))
    lon, lat = metric_to_lonlat(point.x, point.y)
    names += [district] if district else []
    words = (f"In {', '.join(names)}" if names else "Outside the loaded areas") + (
        f", at longitude {lon:.5f}, latitude {lat:.5f}")
    return PlaceSketch(paths, dots, _pixels(point.x, point.y, frame), words, lon, lat)
