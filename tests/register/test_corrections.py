"""Suggested corrections: checked on the way in, queued, then accepted (applied, audited) or
rejected by an officer; never half-applied, never decided twice, limited per client."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    TooManyRequests,
    ValidationFailed,
)
from assetmap.layers import load_catalog
from assetmap.register import editing as editing_module
from assetmap.register.audit import AUDIT_TABLE, audit_entries
from assetmap.register.corrections import (
    CORRECTIONS_TABLE,
    decide,
    list_corrections,
    submit_correction,
)
from assetmap.register.editing import feature_etag, update_feature
from assetmap.register.users import User
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]


def a1(store: Store) -> dict[str, Any]:
    """Asset A1's properties as stored now (it always exists in the tiny county)."""
    feature = store.get(ASSETS, "A1")
    assert feature is not None
    return feature.properties
OLIVE = User(name="olive.officer", role="officer")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tiny_gpkg: Path) -> Iterator[Store]:
    opened = open_store(str(tiny_gpkg))
    yield opened
    opened.close()


def suggest(store: Store, feature_id: str = "A1", changes: dict[str, Any] | None = None,
            message: str | None = None, contact: str | None = None, client: str = "client-1",
            now: dt.datetime = NOW, per_hour: int = 5) -> Any:
    return submit_correction(store, ASSETS, feature_id, changes, message, contact, client, now,
                             per_hour=per_hour)


def etag(store: Store, feature_id: str = "A1") -> str:
    feature = store.get(ASSETS, feature_id)
    assert feature is not None
    return feature_etag(feature)


def stored(store: Store) -> list[dict[str, Any]]:
    return store.records(CORRECTIONS_TABLE)


def test_a_suggestion_is_queued_with_only_the_values_that_differ(store: Store) -> None:
    correction = suggest(
        store,
        changes={"name": "Ashby Village Hall", "phone": " 0116 496 0123 ", "postcode": "lz1 1ab"},
        message="New phone line since March.\nAsk for Pat.",
        contact="pat@example.org",
    )
    assert correction.status == "pending"
    [row] = stored(store)
    assert json.loads(row["changes"]) == {"phone": "0116 496 0123", "postcode": "LZ1 1AB"}
    assert row["message"] == "New phone line since March.\nAsk for Pat."
    assert row["contact"] == "pat@example.org"
    assert row["created_at"] == "2026-03-02T10:00:00Z"
    assert a1(store)["phone"] is None  # nothing applied yet


def test_accepting_applies_the_change_and_audits_it_as_a_correction(store: Store) -> None:
    correction = suggest(store, changes={"phone": "0116 496 0123", "status": "closed"})
    decided = decide(store, CATALOG, correction.id, accept=True, officer=OLIVE,
                     note="Rang them", etag=etag(store), now=NOW + dt.timedelta(hours=2))
    assert (decided.status, decided.decided_by, decided.decision_note) == (
        "accepted", "olive.officer", "Rang them")
    assert decided.decided_at == "2026-03-02T12:00:00Z"
    asset = a1(store)
    assert (asset["phone"], asset["status"]) == ("0116 496 0123", "closed")
    rows = audit_entries(store, where={"feature_id": "A1"})
    assert {r["field"]: (r["before"], r["after"]) for r in rows} == {
        "phone": (None, '"0116 496 0123"'), "status": ('"open"', '"closed"')}
    assert {(r["action"], r["actor"]) for r in rows} == {
        ("correction", f"olive.officer (suggested #{correction.id})")}
    assert list_corrections(store, CATALOG, "pending") == []


def test_rejecting_leaves_the_asset_as_it_was(store: Store) -> None:
    before = store.get(ASSETS, "A1")
    correction = suggest(store, changes={"name": "Somewhere Else"})
    decided = decide(store, CATALOG, correction.id, accept=False, officer=OLIVE,
                     note="Not a real change")
    assert decided.status == "rejected"
    assert store.get(ASSETS, "A1") == before
    assert store.count_records(AUDIT_TABLE) == 0


def test_a_suggestion_cannot_be_decided_twice(store: Store) -> None:
    correction = suggest(store, changes={"phone": "0116 496 0123"})
    decide(store, CATALOG, correction.id, accept=False, officer=OLIVE)
    with pytest.raises(Conflict, match=r"already rejected by olive\.officer") as raised:
        decide(store, CATALOG, correction.id, accept=True, officer=OLIVE, etag=etag(store))
    assert raised.value.status == 409
    assert a1(store)["phone"] is None
    assert stored(store)[0]["status"] == "rejected"


def test_accepting_after_the_asset_changed_meanwhile_fails_and_stays_pending(
    store: Store,
) -> None:
    correction = suggest(store, changes={"phone": "0116 496 0123"})
    seen = etag(store)  # what the officer's page showed
    update_feature(store, ASSETS, "A1", if_match=seen, actor="someone",
                   properties={"opening_times": "Sat 10-12"})
    with pytest.raises(PreconditionFailed, match="changed after you opened") as raised:
        decide(store, CATALOG, correction.id, accept=True, officer=OLIVE, etag=seen)
    assert raised.value.details == [{"current_etag": etag(store)}]
    assert a1(store)["phone"] is None
    assert stored(store)[0]["status"] == "pending"
    with pytest.raises(PreconditionRequired):
        decide(store, CATALOG, correction.id, accept=True, officer=OLIVE, etag=None)
    # With the current version it goes through.
    decide(store, CATALOG, correction.id, accept=True, officer=OLIVE, etag=etag(store))
    assert a1(store)["phone"] == "0116 496 0123"


def test_the_decision_and_the_change_are_committed_together(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    correction = suggest(store, changes={"phone": "0116 496 0123"})

    def broken_audit(*_: Any, **__: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(editing_module, "log_write", broken_audit)
    with pytest.raises(OSError):
        decide(store, CATALOG, correction.id, accept=True, officer=OLIVE, etag=etag(store))
    assert a1(store)["phone"] is None
    assert stored(store)[0]["status"] == "pending"


def test_an_officer_may_amend_a_value_before_accepting(store: Store) -> None:
    correction = suggest(store, changes={"phone": "0116 496 012"})
    decide(store, CATALOG, correction.id, accept=True, officer=OLIVE, etag=etag(store),
           edits={"phone": "0116 496 0123"})
    assert a1(store)["phone"] == "0116 496 0123"
    # The suggestion keeps what the resident sent; the audit log has what was applied.
    assert json.loads(stored(store)[0]["changes"]) == {"phone": "0116 496 012"}


def test_every_problem_is_reported_at_once_and_nothing_is_stored(store: Store) -> None:
    with pytest.raises(ValidationFailed) as raised:
        suggest(
            store,
            changes={
                "name": "",
                "postcode": "not a postcode",
                "status": "at_risk",
                "category": "church_hall",
                "email": "nobody",
                "website": "javascript:alert(1)",
                "phone": "call us",
                "opening_times": "x" * 501,
                "address": "1 Main St\x00",
            },
            message="m" * 2_001,
            contact="c" * 201,
        )
    problems = {d["field"]: d["key"].rsplit(".", 1)[1] for d in raised.value.details}
    assert problems == {
        "name": "required", "postcode": "postcode", "status": "status",
        "category": "not_allowed", "email": "email", "website": "website", "phone": "phone",
        "opening_times": "too_long", "address": "control", "message": "too_long",
        "contact": "too_long",
    }
    assert all(d["problem"] and d["fix"] for d in raised.value.details)
    assert stored(store) == []


def test_a_suggestion_needs_a_change_or_a_message(store: Store) -> None:
    with pytest.raises(ValidationFailed, match="nothing to send"):
        suggest(store, changes={"name": "Ashby Village Hall"}, message="   ")
    assert stored(store) == []
    # Line breaks are fine in a message; other control characters are not.
    suggest(store, message="Line one\r\nLine two\tand a tab")
    with pytest.raises(ValidationFailed, match="control characters"):
        suggest(store, message="bell\x07")


def test_an_old_value_sent_back_unchanged_does_not_block_a_suggestion(store: Store) -> None:
    # A3's stored website is not a web address; a prefilled form sends it back untouched.
    correction = suggest(store, "A3", changes={"website": "javascript:alert(1)",
                                               "phone": "0116 496 0999"})
    assert correction.changes == {"phone": "0116 496 0999"}


@pytest.mark.parametrize("feature_id", ["A5", "nope"])
def test_closed_or_unknown_assets_cannot_be_corrected(store: Store, feature_id: str) -> None:
    with pytest.raises(NotFound, match="residents can see"):
        suggest(store, feature_id, message="Is it open?")
    assert stored(store) == []


def test_only_asset_layers_take_suggestions(store: Store) -> None:
    with pytest.raises(NotFound):
        submit_correction(store, CATALOG["districts"], "E07999001", None, "Wrong name", None,
                          "client-1", NOW)


def test_each_client_may_send_a_few_an_hour(store: Store) -> None:
    for minute in range(3):
        suggest(store, message=f"note {minute}", now=NOW + dt.timedelta(minutes=minute),
                per_hour=3)
    with pytest.raises(TooManyRequests, match="try again in 50 minutes") as raised:
        suggest(store, message="one more", now=NOW + dt.timedelta(minutes=10), per_hour=3)
    assert raised.value.status == 429
    assert raised.value.retry_after == 50 * 60
    assert len(stored(store)) == 3
    # Someone else is not held up, and an hour after the first the sender may go on.
    suggest(store, message="neighbour", client="client-2", now=NOW + dt.timedelta(minutes=10),
            per_hour=3)
    suggest(store, message="later", now=NOW + dt.timedelta(minutes=61), per_hour=3)


def test_the_queue_shows_each_suggestion_beside_the_current_values(store: Store) -> None:
    suggest(store, changes={"phone": "0116 496 0123"}, now=NOW)
    suggest(store, "A4", message="Now open on Sundays", now=NOW + dt.timedelta(minutes=1))
    first, second = list_corrections(store, CATALOG, "pending")
    assert (first.correction.feature_id, second.correction.feature_id) == ("A1", "A4")
    assert first.etag == etag(store)
    [row] = first.rows
    assert (row.field, row.current, row.proposed, row.changed) == (
        "phone", None, "0116 496 0123", True)
    assert second.rows == [] and second.correction.message == "Now open on Sundays"
    with pytest.raises(ValidationFailed):
        list_corrections(store, CATALOG, "maybe")
