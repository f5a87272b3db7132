"""The queue's kinds on both backends: rows stored before kinds existed read as residents'
corrections, a steward's edit is applied under the steward's name, and accepting a new place
creates the asset, audited, in the decision's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.crs import metric_to_lonlat
from assetmap.errors import Conflict, StoreError, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register import editing as editing_module
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.corrections import (
    CORRECTIONS_TABLE,
    decide,
    get_correction,
    list_corrections,
    submit_correction,
)
from assetmap.register.editing import feature_etag
from assetmap.register.new_places import NewPlace, submit_new_place
from assetmap.register.users import User
from assetmap.store import Store, open_store
from assetmap.store.base import RECORD_TABLES

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
OLIVE = User(name="olive.officer", role="officer")
NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
# The corrections table as stored before kinds, authors, districts and positions.
OLD_COLUMNS = (
    "created_at", "layer", "feature_id", "changes", "message", "contact", "status",
    "decided_by", "decided_at", "decision_note", "client",
)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def test_rows_stored_before_kinds_read_as_corrections_and_can_be_filtered(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_version:
        old_version.setitem(RECORD_TABLES, CORRECTIONS_TABLE, OLD_COLUMNS)
        with store.transaction() as tx:
            old_id = tx.insert_record(CORRECTIONS_TABLE, {
                "created_at": "2026-11-30T09:00:00Z", "layer": "assets", "feature_id": "A1",
                "changes": '{"phone": "0116 496 0000"}', "status": "pending", "client": "c0",
            })
    # The table gains its new columns on first use; the old row is a resident's correction.
    (review,) = list_corrections(store, CATALOG, kind="correction")
    assert review.correction.id == old_id
    assert (review.correction.kind, review.correction.author) == ("correction", None)
    assert list_corrections(store, CATALOG, kind="new_place") == []
    submit_correction(store, ASSETS, "A2", {"name": "Beeby Hall"}, None, None, "c1", NOW)
    assert [r.correction.kind for r in list_corrections(store, CATALOG)] == [
        "correction", "correction"]


def test_a_stewards_edit_waits_then_is_applied_under_the_stewards_name(store: Store) -> None:
    queued = submit_correction(
        store, ASSETS, "A4", {"opening_times": "Tu-Sa 10:00-16:00", "status": "open"},
        "New winter hours", None, "", NOW, kind="steward_edit", author="sam.steward",
    )
    assert (queued.kind, queued.author, queued.district) == (
        "steward_edit", "sam.steward", "E07999002")
    # A steward may set what residents may not (the status back to open).
    assert queued.changes == {"opening_times": "Tu-Sa 10:00-16:00", "status": "open"}
    before = store.get(ASSETS, "A4")
    assert before is not None and before.properties["opening_times"] is None
    decided = decide(store, CATALOG, queued.id, accept=True, officer=OLIVE,
                     etag=feature_etag(before), now=NOW)
    assert (decided.status, decided.decided_by) == ("accepted", "olive.officer")
    after = store.get(ASSETS, "A4")
    assert after is not None
    assert (after.properties["opening_times"], after.properties["status"]) == (
        "Tu-Sa 10:00-16:00", "open")
    actors = {row["actor"] for row in store.records(AUDIT_TABLE, where={"feature_id": "A4"})}
    assert actors == {f"sam.steward (steward, approved by olive.officer, #{queued.id})"}


def test_a_stewards_edit_needs_its_author(store: Store) -> None:
    with pytest.raises(ValueError, match="author"):
        submit_correction(store, ASSETS, "A4", {"status": "open"}, None, None, "", NOW,
                          kind="steward_edit")
    assert store.records(CORRECTIONS_TABLE) == []


def _new_hall(store: Store) -> int:
    """A resident's new place at a point inside the tiny county's west district."""
    lon, lat = metric_to_lonlat(456_000.0, 306_000.0)
    place = NewPlace(name="Beeby Scout Hut", category="community_centre", longitude=lon,
                     latitude=lat, contact="cubs@example.org", message="Opened in the spring")
    return submit_new_place(store, CATALOG, ASSETS, place, "client-9", NOW).id


def test_accepting_a_new_place_creates_the_asset_audited_with_the_decision(
    store: Store,
) -> None:
    queued = get_correction(store, _new_hall(store))
    assert (queued.kind, queued.feature_id, queued.district) == ("new_place", "", "E07999001")
    decided = decide(store, CATALOG, queued.id, accept=True, officer=OLIVE, now=NOW,
                     edits={"name": "Beeby Scout and Guide Hut"}, note="Checked with the parish")
    assert decided.status == "accepted" and decided.feature_id.startswith("A-")
    assert decided.contact == "cubs@example.org"  # for telling the resident
    created = store.get(ASSETS, decided.feature_id)
    assert created is not None
    assert created.properties["name"] == "Beeby Scout and Guide Hut"
    assert (created.properties["category"], created.properties["status"]) == (
        "community_centre", "open")
    assert created.properties["community_area_code"] == "E04999002"
    assert created.geometry is not None and created.geometry.distance(
        queued.point) < 0.01
    audit = store.records(AUDIT_TABLE, where={"feature_id": decided.feature_id})
    assert {row["action"] for row in audit} == {"create"}
    assert {row["actor"] for row in audit} == {
        f"olive.officer (new place suggested #{queued.id})"}
    with pytest.raises(Conflict):
        decide(store, CATALOG, queued.id, accept=True, officer=OLIVE, now=NOW)
    assert store.count(ASSETS) == 6


def test_a_failed_create_leaves_the_new_place_pending_and_nothing_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued_id = _new_hall(store)

    def failing_audit(*args: object, **kwargs: object) -> str:
        raise StoreError("disk full")

    monkeypatch.setattr(editing_module, "log_write", failing_audit)
    with pytest.raises(StoreError):
        decide(store, CATALOG, queued_id, accept=True, officer=OLIVE, now=NOW)
    assert get_correction(store, queued_id).status == "pending"
    assert store.count(ASSETS) == 5


def test_an_officers_edit_to_a_new_place_is_checked(store: Store) -> None:
    queued_id = _new_hall(store)
    with pytest.raises(ValidationFailed):
        decide(store, CATALOG, queued_id, accept=True, officer=OLIVE, now=NOW,
               edits={"category": "pub"})
    with pytest.raises(ValidationFailed, match="id"):
        decide(store, CATALOG, queued_id, accept=True, officer=OLIVE, now=NOW,
               edits={"id": "A1"})
    assert get_correction(store, queued_id).status == "pending"
    assert store.count(ASSETS) == 5


def test_declining_a_new_place_creates_nothing(store: Store) -> None:
    queued_id = _new_hall(store)
    decided = decide(store, CATALOG, queued_id, accept=False, officer=OLIVE, now=NOW,
                     note="Already listed as Beeby Church Hall")
    assert (decided.status, decided.feature_id) == ("rejected", "")
    assert store.count(ASSETS) == 5
    assert store.records(AUDIT_TABLE) == []
