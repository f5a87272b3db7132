"""Checked files wait in the store for a day (both backends), so the officer's "Import" may reach
another worker than the one that checked the file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.api.auth import COOKIE
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.imports.staging import (
    STAGED_FILES,
    STAGED_IMPORTS,
    discard,
    stage,
    staged,
)
from assetmap.register.users import add_user
from assetmap.store import Store, open_store
from tests.api.signing_in import session_cookie

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]
SAME_SITE = {"Origin": "http://testserver"}
FILE = b"id,name,category,status,postcode\nN7,Staged Hall,village_hall,open,LZ1 1AA\n"


@pytest.fixture
def both(store_location: str) -> Iterator[Store]:
    """The tiny county in each backend (this package's ``store`` is a GeoPackage only)."""
    store = open_store(store_location)
    yield store
    store.close()


def test_a_staged_file_is_found_by_its_token_until_applied(both: Store) -> None:
    store = both
    token = stage(store, "halls.csv", FILE)
    assert staged(store, token) == FILE
    assert store.records(STAGED_IMPORTS)[0]["token_hash"] != token  # only its hash is kept
    assert staged(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert staged(store, "../../etc/passwd") is None
    discard(store, token)
    assert staged(store, token) is None
    assert store.records(STAGED_FILES)[0]["data"] is None  # the bytes are gone too


def test_a_file_waits_one_day_and_older_files_are_dropped(both: Store) -> None:
    store = both
    then = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    old = stage(store, "old.csv", FILE, now=then)
    assert staged(store, old, now=then + dt.timedelta(hours=23)) == FILE
    assert staged(store, old, now=then + dt.timedelta(hours=25)) is None
    stage(store, "new.csv", FILE, now=then + dt.timedelta(hours=25))
    data = {r["token_hash"]: r["data"] for r in store.records(STAGED_FILES)}
    assert sorted(value is None for value in data.values()) == [False, True]


def test_a_file_checked_on_one_worker_is_applied_on_another(store_location: str) -> None:
    token = add_user(open_store(store_location), "olive.officer", "officer")
    # Two apps on one store, as two worker processes (or machines) behind a proxy are.
    first = TestClient(create_app(Settings(store=store_location)), follow_redirects=False)
    second = TestClient(create_app(Settings(store=store_location)), follow_redirects=False)
    # One sign-in: the session lives in the store, so the other worker knows it too.
    session_id = session_cookie(first, token)
    for worker in (first, second):
        worker.cookies.set(COOKIE, session_id)
    page = first.post("/import", files={"file": ("halls.csv", FILE, "text/csv")},
                      headers=SAME_SITE)
    assert page.status_code == 200 and "Staged Hall" in page.text
    form = dict(re.findall(r'name="(token|checked|name)" value="([^"]*)"', page.text))
    store = open_store(store_location)
    assert store.count_records(STAGED_IMPORTS, where={"state": "waiting"}) == 1
    applied = second.post("/import/apply", data=form, headers=SAME_SITE)
    assert applied.status_code == 303  # to the summary page (issue 16), not the audit log
    assert applied.headers["location"].startswith("/import/summary?token=")
    hall = store.get(ASSETS, "N7")
    assert hall is not None and hall.properties["name"] == "Staged Hall"
    again = first.post("/import/apply", data=form, headers=SAME_SITE)
    assert again.status_code == 410 and "no longer waiting" in again.text
