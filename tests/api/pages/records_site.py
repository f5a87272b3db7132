"""The officers' record pages on either backend, signed in: fixtures the audit, history,
archive and stale page tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, sign_in

__all__ = ["SAME_SITE", "officer_site"]


@pytest.fixture
def officer_site(store_location: str) -> Iterator[TestClient]:
    """The app over HTTPS on a fresh tiny county in either backend, olive.officer signed in."""
    store = open_store(store_location)
    token = add_user(store, "olive.officer", "officer")
    store.close()
    with TestClient(create_app(Settings(store=store_location)), follow_redirects=False,
                    base_url="https://testserver") as client:
        sign_in(client, token)
        yield client
