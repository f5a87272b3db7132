"""Sign-in sessions on both backends: hashed, expiring, ended by sign-out and by revoking."""

from __future__ import annotations

import pytest

from assetmap.register.sessions import (
    SESSIONS_TABLE,
    end_session,
    purge_expired_sessions,
    session_user,
    start_session,
)
from assetmap.register.users import User, add_user, revoke_user, secret_digest
from assetmap.store import Store, open_store

OLIVE = User(name="olive.officer", role="officer")


def test_a_session_signs_in_its_user_until_it_is_ended(store_location: str) -> None:
    store = open_store(store_location)
    session_id = start_session(store, OLIVE, hours=8, via="token")
    found = session_user(store, session_id)
    assert found is not None and found.user == OLIVE and found.via == "token"
    (row,) = store.records(SESSIONS_TABLE)
    assert session_id not in str(row) and row["user_name"] == "olive.officer"
    assert row["expires_at"] > row["created_at"]
    assert session_user(store, session_id[:-1] + "x") is None  # guessing is not enough
    assert end_session(store, session_id) is True
    assert session_user(store, session_id) is None
    assert end_session(store, session_id) is False
    store.close()


def _expire(store: Store, session_id: str) -> None:
    (row,) = store.records(SESSIONS_TABLE, where={"session_hash": secret_digest(session_id)})
    with store.transaction() as tx:
        tx.update_record(SESSIONS_TABLE, int(row["id"]), {"expires_at": "2026-01-01T00:00:00Z"})


def test_a_session_ends_when_it_expires_and_is_purged(store_location: str) -> None:
    store = open_store(store_location)
    used, left, kept = (start_session(store, OLIVE, hours=8, via="token") for _ in range(3))
    _expire(store, used)
    _expire(store, left)
    assert session_user(store, used) is None  # and deleted on the way
    assert store.count_records(SESSIONS_TABLE) == 2
    assert purge_expired_sessions(store) == 1
    assert session_user(store, left) is None and session_user(store, kept) is not None
    store.close()


def test_last_seen_is_kept_without_a_write_on_every_page(store_location: str) -> None:
    store = open_store(store_location)
    session_id = start_session(store, OLIVE, hours=8, via="token")
    where = {"session_hash": secret_digest(session_id)}
    (row,) = store.records(SESSIONS_TABLE, where=where)
    with store.transaction() as tx:
        tx.update_record(SESSIONS_TABLE, int(row["id"]), {"last_seen": "2026-01-01T09:00:00Z"})
    assert session_user(store, session_id) is not None
    (seen,) = store.records(SESSIONS_TABLE, where=where)
    assert seen["last_seen"] > "2026-01-01T09:00:00Z"
    with store.transaction() as tx:
        tx.update_record(SESSIONS_TABLE, int(row["id"]), {"last_seen": seen["last_seen"]})
    assert session_user(store, session_id) is not None  # minutes later: no write
    assert store.records(SESSIONS_TABLE, where=where)[0]["last_seen"] == seen["last_seen"]
    store.close()


def test_revoking_a_user_ends_every_session_they_have(store_location: str) -> None:
    store = open_store(store_location)
    add_user(store, "olive.officer", "officer")
    laptop = start_session(store, OLIVE, hours=8, via="token")
    phone = start_session(store, OLIVE, hours=8, via="oidc")
    other = start_session(store, User("adam", "admin"), hours=8, via="token")
    revoke_user(store, "olive.officer")
    assert session_user(store, laptop) is None and session_user(store, phone) is None
    assert session_user(store, other) is not None
    store.close()


def test_only_known_ways_of_signing_in_are_recorded(store_location: str) -> None:
    store = open_store(store_location)
    with pytest.raises(ValueError, match="via"):
        start_session(store, OLIVE, hours=8, via="cookie")
    store.close()
