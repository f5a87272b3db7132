"""GeoPackage backend: the :class:`~assetmap.store.base.Store` contract in one ``.gpkg`` file."""

from assetmap.store.geopackage.store import GeoPackageStore

__all__ = ["GeoPackageStore"]
