"""The tiny county's store, for the import tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.store import Store, open_store


@pytest.fixture
def store(tiny_gpkg: Path) -> Store:
    return open_store(str(tiny_gpkg))
