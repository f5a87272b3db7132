"""Optimistic concurrency under real contention: of N editors starting from one version,
exactly one wins; the rest get 412 and nothing they sent is half-applied. And what the
register fills in when an asset is created or moved (``create_asset``, ``change_asset``)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import PreconditionFailed, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.editing import (
    change_asset,
    check_new_properties,
    create_asset,
    feature_etag,
    mark_verified,
    matches,
    update_feature,
)
from assetmap.store import open_store
from assetmap.store.base import Feature

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


def test_concurrent_editors_one_wins_the_rest_get_412(store_location: str) -> None:
    reader = open_store(store_location)
    start = reader.get(ASSETS, "A1")
    assert start is not None
    version = feature_etag(start)
    barrier = threading.Barrier(6)
    outcomes: dict[int, str] = {}

    def edit(n: int) -> None:
        store = open_store(store_location)  # each editor its own store, as separate workers
        barrier.wait()
        try:
            update_feature(store, ASSETS, "A1", if_match=version, actor=f"editor{n}",
                           properties={"phone": f"0116 496 {n:04d}",
                                       "opening_times": f"by editor {n}"})
            outcomes[n] = "saved"
        except PreconditionFailed:
            outcomes[n] = "412"
        finally:
            store.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [n for n, outcome in outcomes.items() if outcome == "saved"]
    assert len(winners) == 1 and sorted(outcomes.values()).count("412") == 5
    final = reader.get(ASSETS, "A1")
    assert final is not None
    # Both fields come from the same editor: no mix of two writes.
    assert final.properties["phone"] == f"0116 496 {winners[0]:04d}"
    assert final.properties["opening_times"] == f"by editor {winners[0]}"
    rows = reader.records(AUDIT_TABLE)
    reader.close()
    assert {row["actor"] for row in rows} == {f"editor{winners[0]}"}


def test_if_match_takes_lists_and_compares_strongly(tiny_gpkg: Path) -> None:
    feature = open_store(str(tiny_gpkg)).get(ASSETS, "A1")
    assert feature is not None
    etag = feature_etag(feature)
    assert matches(etag, feature) and matches(f'"x", {etag}', feature) and matches("*", feature)
    assert not matches('"x"', feature) and not matches(None, feature)
    assert not matches(f"W/{etag}", feature)


# -- create_asset and change_asset: what the register fills in ------------------------------
CATALOG = load_catalog(PROJECT_ROOT / "layers")
WESTSHIRE_ASHBY = ("E07999001", "E04999001")  # where (452500, 305500) lies in the tiny county
EASTVALE_WESTTOWN = ("E07999002", "E43999001")  # where (462500, 305500) lies


def _codes(feature: Feature) -> tuple[object, object]:
    return feature.properties["district_code"], feature.properties["community_area_code"]


def test_a_new_asset_gets_an_id_and_the_codes_of_where_it_is(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    hall = {"name": "New Hall", "category": "village_hall", "status": "open",
            "district_code": ""}
    made = create_asset(store, CATALOG, ASSETS, hall, Point(452_500, 305_500), actor="t")
    assert str(made.id).startswith("A-") and len(str(made.id)) == 10
    assert _codes(made) == WESTSHIRE_ASHBY  # empty and missing codes alike follow the position
    rows = store.records(AUDIT_TABLE, where={"feature_id": made.id})
    assert rows and {row["action"] for row in rows} == {"create"}
    store.close()


def test_codes_the_caller_gives_win_over_the_position(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    hall = {"id": "N1", "name": "New Hall", "category": "village_hall", "status": "open",
            "district_code": "E07999002"}
    made = create_asset(store, CATALOG, ASSETS, hall, Point(452_500, 305_500), actor="t")
    assert made.id == "N1"
    assert _codes(made) == ("E07999002", WESTSHIRE_ASHBY[1])
    store.close()


def test_a_move_re_places_the_codes_it_leaves_out(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    before = store.get(ASSETS, "A1")
    assert before is not None and _codes(before) == WESTSHIRE_ASHBY
    moved = change_asset(store, CATALOG, ASSETS, "A1", if_match=feature_etag(before), actor="t",
                         geometry=Point(462_500, 305_500))
    assert _codes(moved) == EASTVALE_WESTTOWN
    # A code the change names is kept, even null; the other follows the position.
    back = change_asset(store, CATALOG, ASSETS, "A1", if_match=feature_etag(moved), actor="t",
                        properties={"community_area_code": None},
                        geometry=Point(452_500, 305_500))
    assert _codes(back) == (WESTSHIRE_ASHBY[0], None)
    # Without a move, nothing is re-placed.
    renamed = change_asset(store, CATALOG, ASSETS, "A1", if_match=feature_etag(back), actor="t",
                           properties={"name": "Ashby Hall"})
    assert _codes(renamed) == (WESTSHIRE_ASHBY[0], None) and renamed.properties["name"] == (
        "Ashby Hall")
    store.close()


def test_a_stale_change_is_refused_before_anything_is_placed(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    with pytest.raises(PreconditionFailed):
        change_asset(store, CATALOG, ASSETS, "A1", if_match='"stale"', actor="t",
                     geometry=Point(462_500, 305_500))
    after = store.get(ASSETS, "A1")
    assert after is not None and _codes(after) == WESTSHIRE_ASHBY
    assert store.records(AUDIT_TABLE) == []
    store.close()


def test_checking_new_properties_names_every_problem_but_a_missing_id() -> None:
    with pytest.raises(ValidationFailed) as raised:
        check_new_properties(ASSETS, {"name": None, "category": "castle", "status": "open"})
    assert {d["field"] for d in raised.value.details} == {"name", "category"}
    check_new_properties(ASSETS, {"name": "Hall", "category": "village_hall", "status": "open"})


def test_mark_verified_records_today(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    before = store.get(ASSETS, "A2")
    assert before is not None
    after = mark_verified(store, ASSETS, "A2", if_match=feature_etag(before), actor="t")
    assert after.properties["last_verified"] == dt.date.today().isoformat()
    with pytest.raises(ValidationFailed, match="no last_verified field"):
        mark_verified(store, CATALOG["districts"], "E07999001", if_match="*", actor="t")
    store.close()


def test_an_asset_on_a_shared_boundary_takes_the_smallest_code(tiny_gpkg: Path) -> None:
    """The one rule of assetmap.locate: on the line between Ashby Parva and Beeby (x = 455 km),
    and between the two districts (x = 460 km), the smaller code wins; just outside every area
    but within 100 m, the nearest area's code; further out, refused (outside the county)."""
    store = open_store(str(tiny_gpkg))
    hall = {"name": "Line Hall", "category": "village_hall", "status": "open"}
    on_parish_line = create_asset(store, CATALOG, ASSETS, hall, Point(455_000, 305_000),
                                  actor="t")
    assert _codes(on_parish_line) == ("E07999001", "E04999001")
    on_district_line = create_asset(store, CATALOG, ASSETS, hall, Point(460_000, 305_000),
                                    actor="t")
    assert _codes(on_district_line) == ("E07999001", "E04999002")
    just_outside = create_asset(store, CATALOG, ASSETS, hall, Point(470_050, 305_000), actor="t")
    assert _codes(just_outside) == ("E07999002", "E04999003")
    with pytest.raises(ValidationFailed, match=r"outside the county: 0\.5 km from the nearest"):
        create_asset(store, CATALOG, ASSETS, hall, Point(470_500, 305_000), actor="t")
    store.close()
