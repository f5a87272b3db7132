"""Stores: one contract (:class:`Store`), several backends, chosen by URL."""

from __future__ import annotations

from pathlib import Path

from assetmap.errors import ConfigError
from assetmap.store.base import BBox, Feature, Filters, Store, Transaction
from assetmap.store.geopackage import GeoPackageStore

__all__ = ["BBox", "Feature", "Filters", "GeoPackageStore", "Store", "Transaction", "open_store"]


def open_store(location: str) -> Store:
    """Open a store from a setting: a ``.gpkg`` path (or ``gpkg:`` URL).

    ``postgresql://`` URLs are reserved for the PostGIS backend.
    """
    if location.startswith(("postgresql://", "postgres://")):
        raise ConfigError(
            "The PostGIS backend is not available in this version; use a GeoPackage path "
            "for ASSETMAP_STORE."
        )
    path = Path(location.removeprefix("gpkg:"))
    if path.suffix.lower() != ".gpkg":
        raise ConfigError(
            f"Store {location!r} is not a GeoPackage path ending in .gpkg; set ASSETMAP_STORE "
            "to a .gpkg file such as data/sample.gpkg."
        )
    return GeoPackageStore(path)
