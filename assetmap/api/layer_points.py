"""A point layer prepared for ``bbox`` answers: each feature's GeoJSON made once per version.

A bbox of a point layer asked for with nothing else (no filters, no ``properties``) is
answered from the layer's points in memory: which fall in the box is a comparison over two
arrays, and each feature's text was made when the layer was read. Reading the rows and
building a GeoDataFrame for every distinct box cost 5-10 ms of CPU (most of a bbox answer);
this is well under one. Same answer as the store's: the same rows in id order, a point on
the box's edge inside (as PostGIS's ``ST_Intersects`` has it), the same text for each.
A layer too large to hold (``MOST_FEATURES``) is read from the store each time, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

import shapely

from assetmap.api.cache import ResponseCache
from assetmap.formats.geojson import feature_texts
from assetmap.layers import LayerSpec
from assetmap.store import BBox, Store

__all__ = ["MOST_FEATURES", "PreparedPoints", "prepared_points"]

# Beyond this a layer's texts (~0.5-1 KB a feature) would crowd the cache of small answers.
MOST_FEATURES = 20_000


@dataclass(frozen=True)
class PreparedPoints:
    """A point layer's coordinates (EPSG:27700, as the store keeps them) and Feature texts,
    in id order; ``None`` texts when the layer is too large to hold."""

    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    texts: list[str] | None

    @property
    def nbytes(self) -> int:
        return int(self.x.nbytes * 2 + sum(len(t) for t in self.texts or []))

    def within(self, bbox: BBox) -> npt.NDArray[np.intp]:
        """Positions of the points inside ``bbox`` (edges included), in id order."""
        minx, miny, maxx, maxy = bbox
        inside = (self.x >= minx) & (self.x <= maxx) & (self.y >= miny) & (self.y <= maxy)
        return np.flatnonzero(inside)


def prepared_points(cache: ResponseCache, store: Store, layer: LayerSpec) -> PreparedPoints:
    """The layer's points, read once per store version (kept in the cache of small answers)."""
    key = ("bbox points", layer.name, store.version())
    prepared: PreparedPoints = cache.get_or_make(key, lambda: _prepare(store, layer))
    return prepared


def _prepare(store: Store, layer: LayerSpec) -> PreparedPoints:
    if store.count(layer) > MOST_FEATURES:
        empty = np.array([], dtype=float)
        return PreparedPoints(empty, empty, None)
    frame = store.read(layer)
    geometries = np.asarray(frame.geometry.array, dtype=object)
    # A missing or empty point is NaN: inside no box, as it is in no spatial index.
    return PreparedPoints(
        x=np.asarray(shapely.get_x(geometries), dtype=float),
        y=np.asarray(shapely.get_y(geometries), dtype=float),
        texts=feature_texts(frame, id_field=layer.id_field, fields=layer.field_names),
    )
