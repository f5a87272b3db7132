"""Bulk writes on both backends: many features and record rows at once, checked and all or nothing,
found by bbox afterwards (the GeoPackage R-tree is kept) and counted as GDAL counts them."""

from __future__ import annotations

import sqlite3

import pytest

from shapely.geometry import Point, Polygon

from assetmap.errors import ValidationFailed
from assetmap.store import Store
from tests.store.contract import ASSETS, AUDIT, CATALOG, ids, new_hall


def _halls(count: int, first: int = 100) -> list[tuple[dict[str, object], Point]]:
    return [
        (new_hall(id=f"B{first + n}", name=f"Bulk Hall {first + n}"),
         Point(455_000 + 10 * n, 305_000 + 10 * n))
        for n in range(count)
    ]


def test_add_many_inserts_every_feature_readable_by_id_and_bbox(store: Store) -> None:
    before, version = store.count(ASSETS), store.version()
    with store.transaction() as tx:
        added = tx.add_many(ASSETS, _halls(50))
    assert added == [f"B{100 + n}" for n in range(50)]
    assert store.count(ASSETS) == before + 50
    assert store.version() != version  # caches of the layer refresh
    hall = store.get(ASSETS, "B120")
    assert hall is not None and hall.properties["name"] == "Bulk Hall 120"
    assert hall.geometry is not None and hall.geometry.equals(Point(455_200, 305_200))
    # The spatial index knows the new points: a small box finds exactly the ones inside it.
    found = ids(store.read(ASSETS, bbox=(455_095, 305_095, 455_205, 305_205)))
    assert [i for i in found if i.startswith("B")] == [f"B{n}" for n in range(110, 121)]


def test_add_many_refuses_an_existing_or_repeated_id_and_writes_none(store: Store) -> None:
    before = store.count(ASSETS)
    existing = [*_halls(3), (new_hall(id="A1"), Point(455_000, 305_000))]
    with pytest.raises(ValidationFailed, match=r"exist already.*'A1'"), store.transaction() as tx:
        tx.add_many(ASSETS, existing)
    with pytest.raises(ValidationFailed, match=r"more than once.*'B100'"), store.transaction() as t:
        t.add_many(ASSETS, _halls(2) + _halls(1))
    assert store.count(ASSETS) == before
    assert store.get(ASSETS, "B100") is None


def test_add_many_checks_every_feature_as_add_does(store: Store) -> None:
    bad = [*_halls(2), (new_hall(id="B9", status="demolished"), Point(455_000, 305_000))]
    with pytest.raises(ValidationFailed, match="status"), store.transaction() as tx:
        tx.add_many(ASSETS, bad)
    assert store.get(ASSETS, "B100") is None


@pytest.mark.parametrize("geometry, problem", [
    (Polygon([(455_000, 305_000), (455_100, 305_000), (455_000, 305_100)]), "is a Polygon"),
    (Point(), "missing or empty"),
    (None, "missing or empty"),
])
def test_add_many_refuses_a_geometry_add_refuses_among_good_ones(
    store: Store, geometry: Polygon | Point | None, problem: str
) -> None:
    bad = [*_halls(3), (new_hall(id="B9"), geometry)]
    with pytest.raises(ValidationFailed, match=problem), store.transaction() as tx:
        tx.add_many(ASSETS, bad)
    assert store.get(ASSETS, "B100") is None


def test_existing_ids_names_the_stored_ones(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.existing_ids(ASSETS, ["A1", "nope", "A2"]) == {"A1", "A2"}
        # Ids that mean something inside an array literal or SQL are looked up as they are.
        odd = ['A1"', "A1\\", "{A1}", "A1,A2", "NULL", "", " A1", "A1'", "Å1"]
        assert tx.existing_ids(ASSETS, [*odd, "A2"]) == {"A2"}
        assert tx.existing_ids(ASSETS, []) == set()


def test_insert_records_adds_rows_in_column_order(store: Store) -> None:
    columns = ("change_id", "actor", "action", "layer", "feature_id", "field", "after")
    rows = [(f"c{n}", "bulk", "import", "assets", f"B{n}", "*", f'{{"n": {n}}}')
            for n in range(30)]
    with store.transaction() as tx:
        tx.insert_records(AUDIT, columns, rows)
    stored = store.records(AUDIT, where={"actor": "bulk"})
    assert len(stored) == 30
    assert stored[7]["feature_id"] == "B7" and stored[7]["after"] == '{"n": 7}'
    assert stored[7]["before"] is None


def test_a_failed_bulk_transaction_leaves_records_and_features_out(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.add_many(ASSETS, _halls(5))
        tx.insert_records(AUDIT, ("actor",), [("bulk",)])
        raise RuntimeError("interrupted")
    assert store.get(ASSETS, "B100") is None
    assert store.count_records(AUDIT, where={"actor": "bulk"}) == 0
    assert store.read(ASSETS, bbox=(454_990, 304_990, 455_050, 305_050)).empty


def test_geopackage_r_tree_is_sound_after_large_and_small_bulk_adds(location: str,
                                                                     store: Store) -> None:
    # More new rows than the R-tree holds: it is packed afresh; fewer: entries are inserted.
    if not location.endswith(".gpkg"):
        pytest.skip("GeoPackage only")
    with store.transaction() as tx:
        tx.add_many(ASSETS, _halls(300))
    with store.transaction() as tx:
        tx.add_many(ASSETS, _halls(3, first=900))
        tx.delete(ASSETS, "B105")  # GDAL's triggers edit the packed tree in the same transaction
    found = set(ids(store.read(ASSETS, bbox=(455_045, 305_045, 455_075, 305_075))))
    assert {"B105", "B106", "B107", "B902"} & found == {"B106", "B107"}
    assert "B902" in ids(store.read(ASSETS, bbox=(455_019, 305_019, 455_021, 305_021)))
    with sqlite3.connect(location) as connection:
        assert connection.execute("SELECT rtreecheck('rtree_assets_geom')").fetchone() == ("ok",)
        rows = connection.execute("SELECT count(*) FROM assets").fetchone()[0]
        assert connection.execute("SELECT count(*) FROM rtree_assets_geom").fetchone()[0] == rows


def test_geopackage_keeps_its_triggers_and_feature_count(location: str, store: Store) -> None:
    if not location.endswith(".gpkg"):
        pytest.skip("GeoPackage only")
    with store.transaction() as tx:
        tx.add_many(ASSETS, _halls(20))
    with sqlite3.connect(location) as connection:
        triggers = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'assets'")}
        counted = connection.execute(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'assets'"
        ).fetchone()
        rows = connection.execute("SELECT count(*) FROM assets").fetchone()[0]
        indexed = connection.execute("SELECT count(*) FROM rtree_assets_geom").fetchone()[0]
    assert "rtree_assets_geom_insert" in triggers
    assert counted is None or counted[0] == rows  # GDAL's count, where the file keeps one
    assert indexed == rows
    # A single add after the bulk one still goes through the restored triggers.
    with store.transaction() as tx:
        tx.add(ASSETS, new_hall(id="C1"), Point(456_000, 306_000))
    assert "C1" in ids(store.read(ASSETS, bbox=(455_990, 305_990, 456_010, 306_010)))


def test_count_with_filters_counts_only_the_matching_features(store: Store) -> None:
    frame = store.read(ASSETS)
    open_ = int((frame["status"] == "open").sum())
    assert store.count(ASSETS, filters={"status": ["open"]}) == open_
    assert store.count(ASSETS, filters={"status": ["open", "closed", "at_risk"]}) == len(frame)
    assert store.count(ASSETS, filters={"id": ["A1", "nope"]}) == 1


def test_add_many_writes_a_plain_layer_without_geometry(store: Store) -> None:
    organisations = CATALOG["organisations"]
    if not store.has_layer(organisations):
        pytest.skip("the tiny county has no organisations table")
    before = store.count(organisations)
    rows = [({"id": f"org-bulk-{n}", "name": f"Bulk Group {n}", "kind": "voluntary_group"}, None)
            for n in range(5)]
    with store.transaction() as tx:
        tx.add_many(organisations, rows)
    assert store.count(organisations) == before + 5
    found = store.get(organisations, "org-bulk-3")
    assert found is not None and found.properties["name"] == "Bulk Group 3"


def test_bulk_added_features_do_not_reuse_a_deleted_features_key(location: str,
                                                                  store: Store) -> None:
    if not location.endswith(".gpkg"):
        pytest.skip("GeoPackage only")
    with store.transaction() as tx:
        tx.add(ASSETS, new_hall(id="Z1"), Point(456_000, 306_000))
    with sqlite3.connect(location) as connection:
        deleted_fid = connection.execute("SELECT fid FROM assets WHERE id = 'Z1'").fetchone()[0]
    with store.transaction() as tx:
        tx.delete(ASSETS, "Z1")
    with store.transaction() as tx:
        tx.add_many(ASSETS, _halls(2))
    with sqlite3.connect(location) as connection:
        fids = [row[0] for row in connection.execute(
            "SELECT fid FROM assets WHERE id IN ('B100', 'B101') ORDER BY fid")]
    assert fids == [deleted_fid + 1, deleted_fid + 2]
