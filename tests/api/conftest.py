"""Fixtures the web tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store


@pytest.fixture
def token(tiny_gpkg: Path) -> str:
    return add_user(open_store(str(tiny_gpkg)), "olive.officer", "officer")


@pytest.fixture(scope="module")
def gaps_client(riverside_gpkg: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=str(riverside_gpkg)))) as client:
        yield client


@pytest.fixture
def api(tiny_gpkg: Path) -> Iterator[TestClient]:
    """The app on the tiny county, not following redirects, taking 3 corrections an hour."""
    settings = Settings(store=str(tiny_gpkg), corrections_per_hour=3)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client
