"""Every record's earlier versions, rebuilt from the audit log, and putting one back:
audited, and only over the version the officer saw (If-Match)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import PreconditionFailed, PreconditionRequired, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.archive import archived_records, restore_archived
from assetmap.register.editing import delete_feature, feature_etag, update_feature
from assetmap.register.history import changes_of
from assetmap.register.versions import restore_version, version_after
from assetmap.store import Store, open_store
from assetmap.store.base import Feature

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()


def _now(store: Store, feature_id: str = "A4") -> Feature:
    feature = store.get(ASSETS, feature_id)
    assert feature is not None
    return feature


def _edit(store: Store, actor: str = "ann", geometry: Point | None = None,
          **values: object) -> None:
    update_feature(store, ASSETS, "A4", if_match=feature_etag(_now(store)), actor=actor,
                   properties=values, geometry=geometry)


@pytest.fixture
def edited(store: Store) -> Store:
    _edit(store, opening_times="Sat 10-12", phone="0116 496 0001")  # version 1
    _edit(store, actor="bob", name="Cotes Community Café", geometry=Point(467_300, 305_400))
    _edit(store, actor="cy", opening_times=None, phone="0116 496 0999")
    return store


def test_a_version_is_the_record_right_after_that_change(edited: Store) -> None:
    latest, middle, first = changes_of(edited, ASSETS, "A4")
    then = version_after(edited, ASSETS, "A4", first.change_id)
    assert then.feature.properties["opening_times"] == "Sat 10-12"
    assert then.feature.properties["phone"] == "0116 496 0001"
    assert then.feature.properties["name"] == "Cotes Café"
    assert then.feature.geometry is not None and then.feature.geometry.equals(Point(467_000,
                                                                                     305_000))
    words = {f.label: (f.before, f.after) for f in then.differences}
    assert words["Name"] == ("Cotes Community Café", "Cotes Café")
    assert words["Opening times"] == ("Not set", "Sat 10-12")
    position = next(f for f in then.differences if f.field == "geometry")
    assert position.summary == "moved 500 m south-west"
    assert version_after(edited, ASSETS, "A4", latest.change_id).is_current
    assert middle.actor == "bob"


def test_restoring_a_version_needs_the_current_version(edited: Store) -> None:
    first = changes_of(edited, ASSETS, "A4")[-1]
    with pytest.raises(PreconditionRequired):
        restore_version(edited, CATALOG, ASSETS, "A4", first.change_id, if_match=None,
                        actor="dee")
    stale = version_after(edited, ASSETS, "A4", first.change_id).etag
    _edit(edited, actor="eve", email="cafe@cotes.example")  # someone else, meanwhile
    with pytest.raises(PreconditionFailed):
        restore_version(edited, CATALOG, ASSETS, "A4", first.change_id, if_match=stale,
                        actor="dee")
    assert _now(edited).properties["name"] == "Cotes Community Café"  # nothing written


def test_restoring_a_version_puts_it_back_and_is_audited(edited: Store) -> None:
    first = changes_of(edited, ASSETS, "A4")[-1]
    version = version_after(edited, ASSETS, "A4", first.change_id)
    restored = restore_version(edited, CATALOG, ASSETS, "A4", first.change_id,
                               if_match=version.etag, actor="dee")
    assert restored.properties == version.feature.properties
    assert restored.geometry is not None and restored.geometry.equals(version.feature.geometry)
    newest = changes_of(edited, ASSETS, "A4")[0]
    assert (newest.action, newest.actor) == ("restore", "dee")
    assert newest.notes == {"restored_from": first.change_id}
    assert {f.field for f in newest.fields} == {"name", "opening_times", "phone", "geometry"}
    with pytest.raises(ValidationFailed, match="as it is now"):
        restore_version(edited, CATALOG, ASSETS, "A4", first.change_id,
                        if_match=feature_etag(_now(edited)), actor="dee")


def test_versions_reach_back_across_a_delete_and_restore(edited: Store) -> None:
    first = changes_of(edited, ASSETS, "A4")[-1]
    delete_feature(edited, ASSETS, "A4", if_match=feature_etag(_now(edited)), actor="ann")
    restore_archived(edited, CATALOG, archived_records(edited)[0].id, actor="ann")
    then = version_after(edited, ASSETS, "A4", first.change_id)
    assert then.feature.properties["opening_times"] == "Sat 10-12"
