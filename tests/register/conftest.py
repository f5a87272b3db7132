"""``store``: the tiny county opened in each backend, closed after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assetmap.store import Store, open_store


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()
