"""Contacts on suggestions are removed a set time after the decision (issue 15): by the
command and when the app starts; audited as purge without the contact; both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.cli import main
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.audit import audit_entries
from assetmap.register.contact_retention import PURGE_ACTOR, purge_contacts
from assetmap.register.corrections import CORRECTIONS_TABLE, decide, submit_correction
from assetmap.register.users import User
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
OLIVE = User(name="olive.officer", role="officer")
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def _suggestions(store: Store, now: dt.datetime = NOW) -> None:
    """#1 rejected 100 days ago, #2 rejected 10 days ago, #3 pending; each with a contact."""
    for n, decided in ((1, now - dt.timedelta(days=100)), (2, now - dt.timedelta(days=10)),
                       (3, None)):
        submit_correction(store, ASSETS, "A1", None, f"Message {n}", f"pat{n}@example.org",
                          f"client-{n}", now - dt.timedelta(days=200))
        if decided is not None:
            decide(store, CATALOG, n, accept=False, officer=OLIVE, now=decided)


def _contacts(store: Store) -> dict[int, object]:
    return {int(r["id"]): r["contact"] for r in store.records(CORRECTIONS_TABLE)}


def test_contacts_decided_longer_ago_than_the_retention_are_removed(store: Store) -> None:
    _suggestions(store)
    assert purge_contacts(store, retention_days=90, now=NOW) == 1
    assert _contacts(store) == {1: None, 2: "pat2@example.org", 3: "pat3@example.org"}
    assert store.records(CORRECTIONS_TABLE)[0]["message"] == "Message 1"
    [entry] = [e for e in audit_entries(store, where={"feature_id": "A1"})
               if e["action"] == "purge"]
    assert (entry["actor"], entry["field"], entry["before"], entry["after"]) == (
        PURGE_ACTOR, "contact of suggestion #1", None, None)
    assert purge_contacts(store, retention_days=90, now=NOW) == 0  # nothing twice
    assert purge_contacts(store, retention_days=5, now=NOW) == 1
    assert _contacts(store)[2] is None and _contacts(store)[3] == "pat3@example.org"


def test_the_command_and_the_app_start_purge(
    store_location: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    _suggestions(store, dt.datetime.now(dt.UTC))
    assert main(["purge-contacts", "--store", store_location, "--days", "30"]) == 0
    assert "removed the contact details of 1 suggestion(s) decided 30 or more" in (
        capsys.readouterr().out)
    with TestClient(create_app(Settings(store=store_location, contact_retention_days=0))):
        pass
    assert _contacts(store) == {1: None, 2: None, 3: "pat3@example.org"}
