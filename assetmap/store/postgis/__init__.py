"""PostGIS backend: the :class:`~assetmap.store.base.Store` contract on a PostgreSQL server."""

from assetmap.store.postgis.store import PostGISStore, display_url

__all__ = ["PostGISStore", "display_url"]
