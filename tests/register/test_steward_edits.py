"""Stewards' writes on both backends, live and under review (ASSETMAP_STEWARD_EDITS): live
edits are applied under the steward's name; reviewed ones wait as ``steward_edit`` with the
steward as author, change nothing until an officer accepts, and are then audited under the
steward's name. Refusals are the same either way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import Forbidden, PreconditionFailed, ValidationFailed
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.register.corrections import Correction, decide
from assetmap.register.editing import feature_etag
from assetmap.register.steward_edits import change_as, create_as
from assetmap.register.stewardship import add_steward
from assetmap.register.users import User
from assetmap.store import Store, open_store
from assetmap.store.base import Feature

HALL = User("hall.committee", "steward")
OFFICER = User("olive.officer", "officer")


@pytest.fixture(scope="module")
def catalog() -> LayerCatalog:
    return load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture
def store(store_location: str, catalog: LayerCatalog) -> Iterator[Store]:
    opened = open_store(store_location)
    add_steward(opened, catalog, HALL.name, email="hall@example.org", assets=["A1"],
                organisations=["O1"], actor="adam.admin")
    try:
        yield opened
    finally:
        opened.close()


def _etag(store: Store, catalog: LayerCatalog, layer: str, feature_id: str) -> str:
    feature = store.get(catalog[layer], feature_id)
    assert feature is not None
    return feature_etag(feature)


def test_a_live_edit_is_applied_under_the_stewards_name(
    store: Store, catalog: LayerCatalog
) -> None:
    saved = change_as(store, catalog, catalog["activities"], "AC1",
                      if_match=_etag(store, catalog, "activities", "AC1"), user=HALL,
                      properties={"cost": "£5 including lunch"})
    assert isinstance(saved, Feature) and saved.properties["cost"] == "£5 including lunch"
    rows = store.records("assetmap_audit", where={"feature_id": "AC1", "field": "cost"})
    assert [row["actor"] for row in rows] == [HALL.name]


def test_under_review_an_edit_waits_and_is_applied_once_approved(
    store: Store, catalog: LayerCatalog
) -> None:
    layer = catalog["assets"]
    etag = _etag(store, catalog, "assets", "A1")
    queued = change_as(store, catalog, layer, "A1", if_match=etag, user=HALL, review=True,
                       properties={"opening_times": "Mo-Sa 09:00-21:00", "status": "at_risk"})
    assert isinstance(queued, Correction)
    assert (queued.kind, queued.author, queued.status) == ("steward_edit", HALL.name, "pending")
    assert queued.changes == {"opening_times": "Mo-Sa 09:00-21:00", "status": "at_risk"}
    unchanged = store.get(layer, "A1")
    assert unchanged is not None and unchanged.properties["opening_times"] == "Mon-Fri 9-5"
    assert store.records("assetmap_audit", where={"feature_id": "A1"}) == []
    decide(store, catalog, queued.id, accept=True, officer=OFFICER, etag=etag)
    applied = store.get(layer, "A1")
    assert applied is not None and applied.properties["status"] == "at_risk"
    actors = {row["actor"] for row in store.records("assetmap_audit",
                                                      where={"feature_id": "A1"})}
    assert len(actors) == 1 and next(iter(actors)).startswith(f"{HALL.name} (steward")


def test_under_review_the_same_refusals_apply_and_nothing_is_queued(
    store: Store, catalog: LayerCatalog
) -> None:
    assets = catalog["assets"]
    etag = _etag(store, catalog, "assets", "A1")
    with pytest.raises(Forbidden, match="may not change category"):
        change_as(store, catalog, assets, "A1", if_match=etag, user=HALL, review=True,
                  properties={"category": "community_hub"})
    with pytest.raises(Forbidden, match="does not steward"):
        change_as(store, catalog, assets, "A2", if_match=_etag(store, catalog, "assets", "A2"),
                  user=HALL, review=True, properties={"phone": "0116 496 0000"})
    with pytest.raises(PreconditionFailed, match="changed by someone else"):
        change_as(store, catalog, assets, "A1", if_match='"stale"', user=HALL, review=True,
                  properties={"phone": "0116 496 0000"})
    with pytest.raises(ValidationFailed, match="no asset with id 'A99'"):
        change_as(store, catalog, catalog["activities"], "AC1", user=HALL, review=True,
                  if_match=_etag(store, catalog, "activities", "AC1"),
                  properties={"asset_ids": "A1;A99"})
    with pytest.raises(Forbidden, match="new activities are added by an officer"):
        create_as(store, catalog, catalog["activities"], {
            "name": "Yoga", "category": "exercise_class", "asset_ids": "A1",
            "status": "active"}, None, user=HALL, review=True)
    assert store.records("assetmap_corrections") == []


def test_officers_are_never_reviewed(store: Store, catalog: LayerCatalog) -> None:
    saved = change_as(store, catalog, catalog["assets"], "A1", user=OFFICER, review=True,
                      if_match=_etag(store, catalog, "assets", "A1"),
                      properties={"category": "community_hub"})
    assert isinstance(saved, Feature) and saved.properties["category"] == "community_hub"
