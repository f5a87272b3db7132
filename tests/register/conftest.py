"""Shared by the register tests: ``store`` (the tiny county opened in each backend, closed
after the test), the layer ``catalog`` and the mail ``context`` mail is written with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.register.notifications import MailContext, MailTemplates
from assetmap.store import Store, open_store


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def catalog() -> LayerCatalog:
    return load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture(scope="session")
def context() -> MailContext:
    """Mail as the app writes it, linking to https://assets.council.example, the digest from
    07:00 UTC and stewards' links working 14 days."""
    return MailContext(templates=MailTemplates(PROJECT_ROOT / "web" / "templates"),
                       public_url="https://assets.council.example/", digest_hour=7,
                       link_days=14)
