"""Nothing is lost: every delete keeps the record whole in the archive, in the deleting
transaction, and an officer can restore it (audited, refused when its id was reused)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import Conflict, PreconditionFailed, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.archive import (
    ARCHIVE_TABLE,
    archived_records,
    count_archived,
    restore_archived,
)
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.editing import create_feature, delete_feature, feature_etag
from assetmap.store import Store, open_store
from assetmap.store.base import Feature

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS, ACTIVITIES, ORGANISATIONS = (CATALOG[n] for n in ("assets", "activities",
                                                          "organisations"))


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()


def _current(store: Store, layer_name: str, feature_id: str) -> Feature:
    feature = store.get(CATALOG[layer_name], feature_id)
    assert feature is not None
    return feature


def _delete(store: Store, layer_name: str, feature_id: str, actor: str = "ann") -> Feature:
    before = _current(store, layer_name, feature_id)
    delete_feature(store, CATALOG[layer_name], feature_id, if_match=feature_etag(before),
                   actor=actor, catalog=CATALOG)
    return before


def test_deleting_an_asset_archives_it_whole_with_the_delete(store: Store) -> None:
    before = _delete(store, "activities", "AC1")  # AC1 names A1: it goes first
    assert store.get(ACTIVITIES, "AC1") is None
    hall = _delete(store, "assets", "A1", actor="bob")
    assert store.get(ASSETS, "A1") is None
    (latest, activity) = archived_records(store)
    assert (latest.layer, latest.feature_id, latest.name) == ("assets", "A1", "Ashby Village Hall")
    assert latest.archived_by == "bob" and latest.restored_at is None
    assert latest.properties["opening_times"] == "Mon-Fri 9-5"
    assert latest.properties["accessibility"] == hall.properties["accessibility"]
    assert latest.geometry is not None and latest.geometry.equals(hall.geometry)
    (delete_row,) = [r for r in store.records(AUDIT_TABLE, where={"feature_id": "A1"})
                     if r["action"] == "delete"][:1]
    assert latest.change_id == delete_row["change_id"]
    assert (activity.layer, activity.name, activity.geometry) == ("activities",
                                                                  "Friendship Lunch", None)
    assert activity.properties["schedule"] == before.properties["schedule"]
    assert count_archived(store) == 2 and count_archived(store, layer="assets") == 1


def test_an_organisation_delete_is_archived_too(store: Store) -> None:
    for activity in ("AC1", "AC3"):
        _delete(store, "activities", activity)
    _delete(store, "organisations", "O3")
    (organisation,) = archived_records(store, layer="organisations")
    assert organisation.properties["charity_number"] == "9900001"


def test_a_refused_delete_archives_nothing(store: Store) -> None:
    with pytest.raises(PreconditionFailed):
        delete_feature(store, ASSETS, "A2", if_match='"stale"', actor="ann")
    assert store.get(ASSETS, "A2") is not None
    assert store.records(ARCHIVE_TABLE) == []


def test_restore_brings_the_record_back_as_it_was_and_is_audited(store: Store) -> None:
    hall = _delete(store, "assets", "A4")
    (archived,) = archived_records(store)
    restored = restore_archived(store, CATALOG, archived.id, actor="cy")
    assert restored.properties == hall.properties
    assert restored.geometry is not None and restored.geometry.equals(hall.geometry)
    assert _current(store, "assets", "A4").properties["name"] == "Cotes Café"
    newest = store.records(AUDIT_TABLE, where={"feature_id": "A4"}, newest_first=True)[0]
    assert (newest["action"], newest["actor"]) == ("restore", "cy")
    assert archived_records(store) == []  # restored records leave the list
    with pytest.raises(Conflict, match="restored already"):
        restore_archived(store, CATALOG, archived.id, actor="cy")


def test_restore_is_refused_when_the_id_was_reused(store: Store) -> None:
    _delete(store, "assets", "A4")
    create_feature(store, ASSETS, {"id": "A4", "name": "New Cotes Hub", "category":
                                   "community_hub", "status": "open"},
                   Point(467_100, 305_100), actor="bob")
    (archived,) = archived_records(store)
    with pytest.raises(Conflict, match="now belongs to another") as refused:
        restore_archived(store, CATALOG, archived.id, actor="cy")
    assert refused.value.status == 409
    assert _current(store, "assets", "A4").properties["name"] == "New Cotes Hub"
    assert archived_records(store)[0].restored_at is None


def test_an_activity_whose_place_has_gone_is_not_restored_silently(store: Store) -> None:
    _delete(store, "activities", "AC2")  # at A3
    _delete(store, "activities", "AC3")  # at A3 and A2
    _delete(store, "assets", "A3")
    activity = next(r for r in archived_records(store) if r.feature_id == "AC2")
    with pytest.raises(ValidationFailed, match="A3"):
        restore_archived(store, CATALOG, activity.id, actor="cy")
    assert store.get(ACTIVITIES, "AC2") is None
