"""The storage contract every backend meets (GeoPackage now, PostGIS next).

Geometries cross this boundary in the store's CRS, EPSG:27700. Attribute
filters are exact matches on declared fields (several values = any of them);
``bbox`` is (minx, miny, maxx, maxy) in EPSG:27700 and keeps features whose
geometry intersects it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from assetmap.layers import LayerSpec

__all__ = ["BBox", "Feature", "Filters", "Store", "Transaction"]

BBox = tuple[float, float, float, float]
Filters = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Feature:
    """One feature: its id (the layer's ``id_field`` value), properties and geometry."""

    id: str
    properties: dict[str, Any] = field(default_factory=dict)
    geometry: BaseGeometry | None = None


@runtime_checkable
class Transaction(Protocol):
    """Writes inside one all-or-nothing transaction."""

    def add(self, layer: LayerSpec, properties: Mapping[str, Any], geometry: BaseGeometry) -> str:
        """Insert a feature; returns its id. Fails if the id exists."""
        ...

    def change(
        self,
        layer: LayerSpec,
        feature_id: str,
        properties: Mapping[str, Any] | None = None,
        geometry: BaseGeometry | None = None,
    ) -> None:
        """Update the given properties and/or geometry of an existing feature."""
        ...

    def delete(self, layer: LayerSpec, feature_id: str) -> None:
        """Remove a feature."""
        ...


@runtime_checkable
class Store(Protocol):
    """Read and write layers; one instance serves many requests."""

    name: str

    def read(
        self,
        layer: LayerSpec,
        *,
        bbox: BBox | None = None,
        filters: Filters | None = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> gpd.GeoDataFrame:
        """Features as a GeoDataFrame in EPSG:27700, ordered by id.

        ``fields`` limits the columns to those named (the id field always comes too).
        """
        ...

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None: ...

    def count(self, layer: LayerSpec) -> int: ...

    def has_layer(self, layer: LayerSpec) -> bool: ...

    def metadata(self) -> dict[str, str]:
        """Dataset-level key/values (e.g. ``synthetic``, ``title``, ``notice``)."""
        ...

    def version(self) -> str:
        """Changes whenever any data changes; used to key caches."""
        ...

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Commit on normal exit, roll everything back on an exception."""
        ...

    def close(self) -> None: ...
