"""The tiny county's store, for the import tests: ``store`` a GeoPackage, ``any_store`` each
backend in turn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assetmap.store import Store, open_store


@pytest.fixture
def store(tiny_gpkg: Path) -> Store:
    return open_store(str(tiny_gpkg))


@pytest.fixture
def any_store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()
