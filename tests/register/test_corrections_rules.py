"""Issue 15: suggestions and their acceptance follow the field rules every write follows —
what a resident sends, what an officer edits on accepting, and a suggestion stored before the
rules existed are each checked again when accepted (both backends)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.corrections import CORRECTIONS_TABLE, decide, submit_correction
from assetmap.register.editing import feature_etag
from assetmap.register.users import User
from assetmap.store import Store, open_store
from tests.hostile import SUGGESTIBLE, hostile_id

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
OLIVE = User(name="olive.officer", role="officer")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CASES = pytest.mark.parametrize(("field", "value", "says"), SUGGESTIBLE,
                                ids=[hostile_id(f, v) for f, v, _ in SUGGESTIBLE])


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def a1(store: Store) -> dict[str, object]:
    feature = store.get(ASSETS, "A1")
    assert feature is not None
    return dict(feature.properties)


def etag(store: Store) -> str:
    feature = store.get(ASSETS, "A1")
    assert feature is not None
    return feature_etag(feature)


@CASES
def test_a_resident_cannot_suggest_a_hostile_value(
    store: Store, field: str, value: str, says: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        submit_correction(store, ASSETS, "A1", {field: value}, None, None, "client-1", NOW)
    [detail] = raised.value.details
    assert detail["field"] == field and says in detail["problem"] and detail["fix"]
    assert store.records(CORRECTIONS_TABLE) == []


@CASES
def test_an_officer_cannot_accept_with_a_hostile_edit(
    store: Store, field: str, value: str, says: str
) -> None:
    submit_correction(store, ASSETS, "A1", {"phone": "0116 496 0123"}, None, None,
                      "client-1", NOW)
    before = a1(store)
    with pytest.raises(ValidationFailed, match="The edits were not applied") as raised:
        decide(store, CATALOG, 1, accept=True, officer=OLIVE, etag=etag(store),
               edits={field: value})
    assert says in raised.value.details[0]["problem"]
    assert a1(store) == before
    assert store.records(CORRECTIONS_TABLE)[0]["status"] == "pending"


@CASES
def test_a_suggestion_stored_before_the_rules_is_checked_again_on_accepting(
    store: Store, field: str, value: str, says: str
) -> None:
    with store.transaction() as transaction:
        transaction.insert_record(CORRECTIONS_TABLE, {
            "created_at": "2026-03-01T09:00:00Z", "layer": "assets", "feature_id": "A1",
            "changes": json.dumps({field: value}), "message": None, "contact": None,
            "status": "pending", "client": "old-client",
        })
    before = a1(store)
    with pytest.raises(ValidationFailed) as raised:
        decide(store, CATALOG, 1, accept=True, officer=OLIVE, etag=etag(store))
    assert says in raised.value.details[0]["problem"]
    assert a1(store) == before
    assert store.records(CORRECTIONS_TABLE)[0]["status"] == "pending"
