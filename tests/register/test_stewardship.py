"""Stewards on both backends: who stewards what, who may change what, and the fields and
writes that stay with officers (refused with 403 before anything is written)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import Forbidden, NotFound, ValidationFailed
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.register.stewardship import (
    STEWARD_LOCKED_FIELDS,
    Stewardship,
    check_steward_delete,
    check_steward_write,
    may_edit,
    set_stewardship,
    stewarded_by,
    stewards_of,
)
from assetmap.register.users import ROLES, User, active_user, add_user, revoke_user
from assetmap.store import Store, open_store

HALL = User("hall.committee", "steward", "hall@example.org")  # stewards A1 and O1
GROUP = User("good.neighbours", "steward")  # stewards organisation O2 only
OFFICER = User("olive.officer", "officer")


@pytest.fixture(scope="module")
def catalog() -> LayerCatalog:
    return load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture
def store(store_location: str, catalog: LayerCatalog) -> Iterator[Store]:
    opened = open_store(store_location)
    add_user(opened, HALL.name, "steward", email=" hall@Example.ORG ")
    add_user(opened, GROUP.name, "steward")
    add_user(opened, OFFICER.name, "officer")
    set_stewardship(opened, catalog, HALL.name, assets=["A1"], organisations=["O1"],
                    actor="adam.admin")
    set_stewardship(opened, catalog, GROUP.name, organisations=["O2"], actor="adam.admin")
    try:
        yield opened
    finally:
        opened.close()


def test_steward_sits_between_the_public_and_officers() -> None:
    assert ROLES == ("public", "steward", "officer", "admin")
    assert HALL.can("steward") and not HALL.can("officer")
    assert OFFICER.can("steward")


def test_stewardships_are_kept_and_stewards_named_with_their_email(
    store: Store, catalog: LayerCatalog
) -> None:
    assert stewarded_by(store, HALL.name) == Stewardship(frozenset({"A1"}), frozenset({"O1"}))
    assert stewarded_by(store, "nobody").empty
    assert stewards_of(store, catalog["assets"], "A1") == [HALL]  # the domain as stored: lower-case
    assert stewards_of(store, catalog["assets"], "A2") == []
    # AC2 is run by O2 at A3; AC4 by O1 at A5; AC1 by O3 at A1.
    assert stewards_of(store, catalog["activities"], "AC2") == [GROUP]
    assert stewards_of(store, catalog["activities"], "AC4") == [HALL]
    assert stewards_of(store, catalog["activities"], "AC1") == [HALL]
    revoke_user(store, GROUP.name)
    assert stewards_of(store, catalog["activities"], "AC2") == []
    assert stewarded_by(store, GROUP.name).empty  # revoking takes the stewardship away


def test_reassigning_replaces_only_the_lists_given(store: Store, catalog: LayerCatalog) -> None:
    changed = set_stewardship(store, catalog, HALL.name, assets=["A2", "A1"], actor="adam")
    assert changed == Stewardship(frozenset({"A1", "A2"}), frozenset({"O1"}))
    assert set_stewardship(store, catalog, HALL.name, organisations=[], actor="adam") == (
        Stewardship(frozenset({"A1", "A2"}), frozenset()))


def test_assignments_are_checked_and_nothing_changes_when_one_is_wrong(
    store: Store, catalog: LayerCatalog
) -> None:
    with pytest.raises(ValidationFailed, match="No assets with id 'A99'"):
        set_stewardship(store, catalog, HALL.name, assets=["A2", "A99"], actor="adam")
    with pytest.raises(ValidationFailed, match="not a steward"):
        set_stewardship(store, catalog, OFFICER.name, assets=["A2"], actor="adam")
    with pytest.raises(NotFound, match="No active user"):
        set_stewardship(store, catalog, "ghost", assets=["A2"], actor="adam")
    assert stewarded_by(store, HALL.name).assets == frozenset({"A1"})


def test_may_edit_what_they_steward_and_nothing_else(store: Store, catalog: LayerCatalog) -> None:
    assets, activities = catalog["assets"], catalog["activities"]
    assert may_edit(store, HALL, assets, "A1") and not may_edit(store, HALL, assets, "A2")
    assert may_edit(store, HALL, catalog["organisations"], "O1")
    assert not may_edit(store, GROUP, catalog["organisations"], "O1")
    assert may_edit(store, HALL, activities, "AC1")  # at their hall, run by someone else
    assert not may_edit(store, HALL, activities, "AC2")
    assert may_edit(store, GROUP, activities, "AC2")
    assert not may_edit(store, HALL, catalog["districts"], "E07999001")
    assert may_edit(store, OFFICER, assets, "A2")
    assert not may_edit(store, User("public", "public"), assets, "A1")


def test_a_user_email_is_checked(store: Store) -> None:
    assert active_user(store, HALL.name) == HALL
    with pytest.raises(ValidationFailed, match="not an email address"):
        add_user(store, "bad.mail", "steward", email="not-an-address")
    assert active_user(store, "bad.mail") is None


@pytest.mark.parametrize(("who", "layer", "feature_id", "properties", "mentions"), [
    (HALL, "assets", "A2", {"opening_times": "Mo 10:00-12:00"}, "does not steward assets 'A2'"),
    (HALL, "assets", "A1", {"category": "community_hub"}, "may not change category"),
    (HALL, "assets", "A1", {"status": "closed"}, "may not change status"),
    (HALL, "assets", "A5", {"status": "open"}, "does not steward"),
    (HALL, "assets", None, {"name": "New hall"}, "Only officers add assets"),
    (HALL, "organisations", "O1", {"kind": "charity"}, "may not change kind"),
    (HALL, "organisations", "O2", {"description": "ours now"}, "does not steward"),
    (HALL, "activities", "AC2", {"cost": "£1"}, "does not steward activity 'AC2'"),
    (HALL, "activities", "AC1", {"asset_ids": "A3", "organisation_id": "O3"}, "only where"),
    (GROUP, "activities", None, {"name": "Yoga", "asset_ids": "A1", "organisation_id": "O3"},
     "only where"),
    (HALL, "districts", "E07999001", {"name": "Mine"}, "Only officers change districts"),
    (User("public", "public"), "assets", "A1", {"name": "x"}, "is public"),
])
def test_writes_a_steward_may_not_make_are_refused(
    store: Store, catalog: LayerCatalog, who: User, layer: str, feature_id: str | None,
    properties: dict[str, str], mentions: str,
) -> None:
    with pytest.raises(Forbidden, match=mentions):
        check_steward_write(store, who, catalog[layer], feature_id, properties)


def test_writes_a_steward_may_make_pass(store: Store, catalog: LayerCatalog) -> None:
    assets = catalog["assets"]
    check_steward_write(store, HALL, assets, "A1",
                        {"opening_times": "Mo-Fr 09:00-17:00", "status": "at_risk",
                         "category": "village_hall"})  # category sent back unchanged
    check_steward_write(store, HALL, assets, "A1", {}, Point(452_000, 305_000))  # not moved
    with pytest.raises(Forbidden, match="may not move"):
        check_steward_write(store, HALL, assets, "A1", {}, Point(452_100, 305_000))
    check_steward_write(store, GROUP, catalog["activities"], None,
                        {"name": "Yoga", "asset_ids": "A1", "organisation_id": "O2"})
    check_steward_write(store, OFFICER, catalog["districts"], "E07999001", {"name": "Mine"})
    assert "category" in STEWARD_LOCKED_FIELDS["assets"]


def test_deleting_stays_with_officers(catalog: LayerCatalog) -> None:
    with pytest.raises(Forbidden, match="Set its status to ended"):
        check_steward_delete(HALL, catalog["activities"])
    check_steward_delete(OFFICER, catalog["assets"])
