"""Each contract test gets the tiny county (tests/conftest.py) in a fresh store of each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assetmap.store import Store, open_store


@pytest.fixture
def location(store_location: str) -> str:
    return store_location


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    backend = open_store(location)
    assert isinstance(backend, Store)
    yield backend
    backend.close()
