"""Client keys (issue 15): the secret comes from the setting, never the store; a secret an
older release stored is blanked; unset, each process has its own (with a warning)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.client_keys import SECRETS_TABLE, client_key, use_secret
from assetmap.store import Store, open_store

SECRET = "s3cret-" + "x" * 40


@pytest.fixture
def stores(store_location: str) -> Iterator[tuple[Store, Store]]:
    """Two handles on one store, as two workers (or a restart) would have."""
    first, second = open_store(store_location), open_store(store_location)
    yield first, second
    first.close()
    second.close()


def test_the_same_secret_gives_the_same_key_in_every_process(
    stores: tuple[Store, Store]
) -> None:
    first, second = stores
    use_secret(first, SECRET)
    use_secret(second, SECRET)
    key = client_key(first, "203.0.113.7")
    assert key == client_key(second, "203.0.113.7")
    assert "203.0.113.7" not in key and len(key) == 64
    assert key != client_key(first, "203.0.113.8")
    use_secret(second, SECRET.upper())
    assert key != client_key(second, "203.0.113.7")
    assert all(not row.get("value") for row in first.records(SECRETS_TABLE))


def test_unset_each_process_has_its_own_secret_and_says_so(
    stores: tuple[Store, Store], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = stores
    with caplog.at_level(logging.WARNING, logger="assetmap.register.client_keys"):
        use_secret(first, None)
        use_secret(second, None)
    assert "ASSETMAP_CLIENT_KEY_SECRET is not set" in caplog.text
    assert client_key(first, "203.0.113.7") != client_key(second, "203.0.113.7")
    assert first.records(SECRETS_TABLE) == []  # nothing is written to the store


def test_the_app_blanks_a_secret_an_older_release_stored(store_location: str) -> None:
    store = open_store(store_location)
    with store.transaction() as transaction:
        transaction.insert_record(SECRETS_TABLE, {"name": "client_key", "value": "ab" * 32,
                                                  "created_at": "2026-01-01T00:00:00Z"})
    with TestClient(create_app(Settings(store=store_location, client_key_secret=SECRET))):
        pass
    [row] = store.records(SECRETS_TABLE)
    assert row["name"] == "client_key" and row["value"] is None
    store.close()


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings(client_key_secret="too-short")
