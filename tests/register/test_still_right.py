"""One-click "still right" links: valid once, until they expire, for a steward of the record;
anything else changes nothing (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest

from assetmap.layers import LayerCatalog
from assetmap.register.audit import audit_entries
from assetmap.register.still_right import check_link, confirm_link, issue_link, last_asked
from assetmap.store import Store

NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _stewards_a1(steward: str, layer: str, feature_id: str) -> bool:
    return (steward, layer, feature_id) == ("hall.committee", "assets", "A1")


def _issue(store: Store, catalog: LayerCatalog, feature_id: str = "A1",
           at: dt.datetime = NOON) -> str:
    with store.transaction() as transaction:
        return issue_link(transaction, catalog["assets"], feature_id, "hall.committee",
                          days=14, now=at)


def test_a_valid_link_marks_the_record_checked_under_the_steward_once(
    store: Store, catalog: LayerCatalog
) -> None:
    token = _issue(store, catalog)
    seen = check_link(store, catalog, token, _stewards_a1, now=NOON)
    assert seen.state == "valid" and seen.feature is not None
    assert seen.feature.properties["last_verified"] == "2026-01-10"  # looking changes nothing
    later = NOON + dt.timedelta(days=3)
    done = confirm_link(store, catalog, token, _stewards_a1, now=later)
    assert done.state == "valid"
    assert store.get(catalog["assets"], "A1").properties["last_verified"] == "2026-12-04"  # type: ignore[union-attr]
    [entry] = audit_entries(store, where={"feature_id": "A1"})
    assert entry["actor"] == "hall.committee (steward, still right by email)"
    assert entry["field"] == "last_verified"
    again = confirm_link(store, catalog, token, _stewards_a1, now=later)
    assert again.state == "used" and again.used_at == "2026-12-04T12:00:00Z"
    assert len(audit_entries(store, where={"feature_id": "A1"})) == 1


@pytest.mark.parametrize("token", ["", "x" * 43, "not-a-token", "y" * 500])
def test_a_forged_link_changes_nothing(store: Store, catalog: LayerCatalog, token: str) -> None:
    _issue(store, catalog)
    assert confirm_link(store, catalog, token, _stewards_a1, now=NOON).state == "unknown"
    assert audit_entries(store) == []


def test_an_expired_link_changes_nothing(store: Store, catalog: LayerCatalog) -> None:
    token = _issue(store, catalog)
    late = NOON + dt.timedelta(days=14)
    assert confirm_link(store, catalog, token, _stewards_a1, now=late).state == "expired"
    assert store.get(catalog["assets"], "A1").properties["last_verified"] == "2026-01-10"  # type: ignore[union-attr]
    assert audit_entries(store) == []


def test_a_link_for_a_record_no_longer_stewarded_changes_nothing(
    store: Store, catalog: LayerCatalog
) -> None:
    token = _issue(store, catalog, "A2")
    assert confirm_link(store, catalog, token, _stewards_a1, now=NOON).state == "gone"
    assert audit_entries(store) == []


def test_last_asked_says_when_each_records_steward_was_last_asked(
    store: Store, catalog: LayerCatalog
) -> None:
    _issue(store, catalog, "A1", NOON - dt.timedelta(days=400))
    _issue(store, catalog, "A1", NOON)
    _issue(store, catalog, "A2", NOON - dt.timedelta(days=1))
    assert last_asked(store, catalog["assets"], ["A1", "A3"]) == {"A1": "2026-12-01T12:00:00Z"}
