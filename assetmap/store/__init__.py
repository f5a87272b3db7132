"""Stores: one contract (:class:`Store`), several backends, chosen by URL."""

from __future__ import annotations

from pathlib import Path

from assetmap.errors import ConfigError
from assetmap.store.base import BBox, Feature, Filters, Store, Transaction
from assetmap.store.geopackage import GeoPackageStore

__all__ = [
    "BBox",
    "Feature",
    "Filters",
    "GeoPackageStore",
    "Store",
    "Transaction",
    "is_database",
    "location_label",
    "open_store",
]
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(location: str) -> Store:
    """Open a store from a setting: a ``.gpkg`` path (or ``gpkg:`` URL), or a
    ``postgresql://USER:PASSWORD@HOST:PORT/DATABASE`` URL for PostGIS.
    """
    if location.startswith(_POSTGRES_SCHEMES):
        # Imported here so GeoPackage-only use never loads the PostgreSQL driver.
        from assetmap.store.postgis import PostGISStore

        return PostGISStore(location)
    path = Path(location.removeprefix("gpkg:"))
    if path.suffix.lower() != ".gpkg":
        raise ConfigError(
            f"Store {location!r} is not a GeoPackage path ending in .gpkg nor a postgresql:// "
            "URL; set ASSETMAP_STORE to a .gpkg file such as data/sample.gpkg or to "
            "postgresql://USER:PASSWORD@HOST:5432/DATABASE."
        )
    return GeoPackageStore(path)


def is_database(location: str) -> bool:
    """Whether ``location`` names a PostGIS database (served by any number of processes)."""
    return location.startswith(_POSTGRES_SCHEMES)


def location_label(location: str) -> str:
    """A store location fit to print or log: a database URL loses its password."""
    if location.startswith(_POSTGRES_SCHEMES):
        from assetmap.store.postgis import display_url

        return display_url(location)
    return location
