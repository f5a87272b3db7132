"""A small map of one position, drawn by the service as SVG: no script, no tiles, no internet.

The asset form's check-answers page shows it before an officer saves: the parish and
district outlines around the point with their names, where the asset was (for a move)
and where it will be, and a scale bar. Drawn in EPSG:27700, so a metre is the same
length across and up.
"""

from __future__ import annotations

from html import escape

from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from assetmap.layers import LayerCatalog
from assetmap.sources import is_unnamed_area_label
from assetmap.store.base import Store

__all__ = ["position_preview"]

_MIN_HALF_WIDTH_M = 700.0  # 1.4 km across, so the parish around a new asset shows
_MOVE_HALF_WIDTH_M = 150.0  # a move of a few metres still shows as a move
_SCALE_STEPS = (50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000)


class _Frame:
    """Metres in EPSG:27700 to pixels in a width × height picture (north up)."""

    def __init__(self, centre: Point, half_width: float, width: int, height: int) -> None:
        self.scale = width / (2 * half_width)
        half_height = height / self.scale / 2
        self.west, self.north = centre.x - half_width, centre.y + half_height
        self.box = box(self.west, centre.y - half_height, centre.x + half_width, self.north)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return round((x - self.west) * self.scale, 1), round((self.north - y) * self.scale, 1)

    def path(self, geometry: BaseGeometry) -> str:
        rings = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            for ring in [polygon.exterior, *polygon.interiors]:
                points = [self.xy(x, y) for x, y in ring.coords]
                rings.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
        return " ".join(rings)


def _outlines(store: Store, catalog: LayerCatalog, frame: _Frame) -> tuple[list[str], list[str]]:
    shapes, labels = [], []
    for name, css in (("community_areas", "pv-parish"), ("districts", "pv-district")):
        layer = catalog.get(name)
        if layer is None or not store.has_layer(layer):
            continue
        found = store.read(layer, bbox=frame.box.bounds, fields=["name"])
        for area_name, geometry in zip(found["name"], found.geometry, strict=True):
            clipped = geometry.intersection(frame.box)
            if clipped.is_empty or clipped.geom_type not in ("Polygon", "MultiPolygon"):
                continue
            shapes.append(f'<path class="{css}" d="{frame.path(clipped)}"/>')
            text = str(area_name or "")
            if name == "community_areas" and text and not is_unnamed_area_label(text):
                x, y = frame.xy(*clipped.representative_point().coords[0])
                labels.append(f'<text class="pv-label" x="{x}" y="{y}">{escape(text)}</text>')
    return shapes, labels


def _scale_bar(frame: _Frame, width: int, height: int) -> str:
    metres = max(s for s in _SCALE_STEPS if s * frame.scale <= width / 3 or s == _SCALE_STEPS[0])
    length = metres * frame.scale
    said = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    y = height - 12
    return (f'<path class="pv-scale" d="M10,{y} h{length:.1f}"/>'
            f'<text class="pv-scale-text" x="10" y="{y - 5}">{said}</text>')


def position_preview(
    store: Store, catalog: LayerCatalog, point: Point, *, before: Point | None = None,
    name: str = "the asset", width: int = 360, height: int = 240,
) -> str:
    """SVG markup (role img, with a text alternative) of ``point`` (EPSG:27700) in its
    surroundings; ``before`` is where a moved asset was."""
    centre = point if before is None else Point((point.x + before.x) / 2,
                                                (point.y + before.y) / 2)
    spread = 0.0 if before is None else point.distance(before)
    # A new asset among its parishes; a move close enough in to see how far it goes.
    half_width = _MIN_HALF_WIDTH_M if before is None else max(_MOVE_HALF_WIDTH_M, spread * 1.2)
    frame = _Frame(centre, half_width, width, height)
    shapes, labels = _outlines(store, catalog, frame)
    marks = []
    if before is not None:
        bx, by = frame.xy(before.x, before.y)
        nx, ny = frame.xy(point.x, point.y)
        marks.append(f'<path class="pv-move" d="M{bx},{by} L{nx},{ny}"/>')
        marks.append(f'<circle class="pv-was" cx="{bx}" cy="{by}" r="7"/>')
        # "Was here" on the far side from the new position, so the two never overlap.
        left = bx <= nx
        marks.append(f'<text class="pv-mark-text" x="{bx - 11 if left else bx + 11}" '
                     f'y="{by + (18 if by >= ny else -10)}" '
                     f'text-anchor="{"end" if left else "start"}">Was here</text>')
    x, y = frame.xy(point.x, point.y)
    marks.append(f'<circle class="pv-here" cx="{x}" cy="{y}" r="8"/>')
    anchor_end = before is not None and before.x > point.x
    marks.append(f'<text class="pv-mark-text" x="{x - 11 if anchor_end else x + 11}" '
                 f'y="{y - 10 if before is None or before.y <= point.y else y + 18}" '
                 f'text-anchor="{"end" if anchor_end else "start"}">'
                 f'{"New position" if before is not None else escape(name)}</text>')
    alt = (f"Map of the new position of {name}, with where it was"
           if before is not None else f"Map of where {name} will be")
    return (
        f'<svg class="pv-map" role="img" aria-label="{escape(alt)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect class="pv-ground" width="{width}" height="{height}"/>'
        + "".join(shapes) + "".join(labels) + "".join(marks) + _scale_bar(frame, width, height)
        + "</svg>"
    )
