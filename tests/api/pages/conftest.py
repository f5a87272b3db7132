"""Fixtures the page tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings


@pytest.fixture
def browser(tiny_gpkg: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=str(tiny_gpkg))), follow_redirects=False,
                    base_url="https://testserver") as client:
        yield client
