"""A store made before a record table gained a column (users' ``email``) still reads and
writes: the column is added, empty, the first time the table is used, on every backend."""

from __future__ import annotations

import sqlite3

import psycopg

from assetmap.register.users import USERS_TABLE, active_user, add_user, authenticate
from assetmap.store import Store

_OLD_USERS = ("CREATE TABLE assetmap_users (id {key}, name text, role text, token_hash text, "
              "created_at text, revoked_at text)")
_OLD_ROW = ("INSERT INTO assetmap_users (name, role, token_hash, created_at) "
            "VALUES ('olive', 'officer', 'x', '2026-01-01T00:00:00Z')")


def _make_old_users_table(location: str) -> None:
    if location.startswith("postgresql"):
        with psycopg.connect(location, autocommit=True) as connection:
            connection.execute(_OLD_USERS.format(key="bigserial PRIMARY KEY").encode())
            connection.execute(_OLD_ROW.encode())
        return
    with sqlite3.connect(location) as connection:
        connection.execute(_OLD_USERS.format(key="INTEGER PRIMARY KEY AUTOINCREMENT"))
        connection.execute(_OLD_ROW)


def test_an_old_users_table_gains_email_and_keeps_its_users(location: str, store: Store) -> None:
    _make_old_users_table(location)
    rows = store.records(USERS_TABLE)
    assert [(r["name"], r["email"]) for r in rows] == [("olive", None)]
    token = add_user(store, "sam.steward", "steward", email="sam@example.org")
    found = authenticate(store, token)
    assert found is not None and found.email == "sam@example.org"
    olive = active_user(store, "olive")
    assert olive is not None and (olive.role, olive.email) == ("officer", None)
    assert store.count_records(USERS_TABLE, where={"email": None}) == 1
