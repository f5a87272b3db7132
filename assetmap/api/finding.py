"""The finder for requests: hub index and gazetteer built once per store version."""

from __future__ import annotations

import logging
import threading

from assetmap.finder import FinderData
from assetmap.layers import LayerCatalog
from assetmap.store import Store

__all__ = ["FinderService"]

log = logging.getLogger(__name__)


class FinderService:
    def __init__(self, store: Store, catalog: LayerCatalog) -> None:
        self._store = store
        self._catalog = catalog
        self._data: tuple[str, FinderData] | None = None
        self._lock = threading.Lock()

    @property
    def hub_categories(self) -> tuple[str, ...]:
        return self._catalog.hub_categories

    def data(self) -> FinderData:
        """The finder's data for the store as it is now (rebuilt when the store changes)."""
        version = self._store.version()
        current = self._data
        if current is not None and current[0] == version:
            return current[1]
        with self._lock:  # one build at a time; later callers reuse it
            if self._data is not None and self._data[0] == version:
                return self._data[1]
            data = FinderData.from_store(self._store, self._catalog)
            self._data = (version, data)
            return data

    def warm(self) -> None:
        """Build the index ahead of the first visitor (a background thread calls this)."""
        try:
            self.data()
        except Exception as exc:  # the request that needs it will report the problem
            log.warning("finder index not prepared in advance: %s", exc)
