"""The storage contract's whole-table replacement (replace_tables, Transaction.replace_table),
on every backend."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pandas as pd
import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import Point, box

from assetmap.errors import CRSError, NotFound
from assetmap.store import Store, open_store
from tests.conftest import tiny_tables
from tests.store.contract import AREAS, ASSETS, CATALOG, ids, new_hall


def test_replace_tables_swaps_whole_tables_and_leaves_the_rest(store: Store) -> None:
    tables = tiny_tables()
    assets = tables["assets"].iloc[[0, 2]].copy()
    assets["id"] = ["B1", "B2"]
    store.replace_tables({"assets": assets})
    assert ids(store.read(ASSETS)) == ["B1", "B2"]
    assert ids(store.read(ASSETS, bbox=(461_000, 304_000, 463_000, 306_000))) == ["B2"]
    assert store.count(CATALOG["districts"]) == 2
    assert store.metadata()["title"] == "Tiny test county"


def test_replace_tables_creates_typed_tables_and_reprojects(store: Store) -> None:
    small = CATALOG["small_areas"]
    areas = gpd.GeoDataFrame(
        {"code": ["S1", "S2"], "community_area_code": ["E04999001", "E04999002"],
         "district_code": ["E07999001", "E07999001"],
         "population": pd.array([320, None], dtype="Int64"), "imd_decile": [3, 7],
         "share_65_plus": [0.25, 0.5], "urban": [True, False],
         "pwc_easting": [452_000.0, 457_000.0], "pwc_northing": [305_000.0, 305_000.0]},
        geometry=[box(451_000, 304_000, 453_000, 306_000), box(456_000, 304_000, 458_000, 306_000)],
        crs="EPSG:27700",
    ).to_crs("EPSG:4326")
    store.replace_tables({"small_areas": areas})
    frame = store.read(small)
    assert frame.crs.to_epsg() == 27700
    assert frame["population"].tolist() == [320, pd.NA]
    assert str(frame["population"].dtype) == "Int64" and str(frame["urban"].dtype) == "boolean"
    assert frame["urban"].tolist() == [True, False]
    assert frame["share_65_plus"].tolist() == [0.25, 0.5]
    assert frame.geometry.iloc[0].centroid.distance(Point(452_000, 305_000)) < 0.01
    assert store.read(small, filters={"urban": ["false"]})["code"].tolist() == ["S2"]
    assert store.read(small, filters={"imd_decile": ["3"]})["code"].tolist() == ["S1"]


def test_replace_tables_is_all_or_nothing(store: Store) -> None:
    districts = tiny_tables()["districts"].iloc[:1]
    no_crs = tiny_tables()["assets"].set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no coordinate reference system"):
        store.replace_tables({"districts": districts, "assets": no_crs})
    assert store.count(CATALOG["districts"]) == 2
    assert ids(store.read(ASSETS)) == ["A1", "A2", "A3", "A4", "A5"]


# -- replacing whole tables inside a transaction (reference imports) ---------------------------

def renamed_areas() -> gpd.GeoDataFrame:
    areas = tiny_tables()["community_areas"].iloc[:2].copy()
    areas["name"] = ["Ashby Magna", "Beeby Parva"]
    return areas


def area_names(store: Store) -> list[str]:
    return [str(name) for name in store.read(AREAS)["name"]]


def test_replace_table_commits_with_the_feature_writes_of_its_transaction(
    location: str, store: Store
) -> None:
    other = open_store(location)  # as another process would see the same data
    try:
        before = other.version()
        metadata = pd.DataFrame({"key": ["title", "synthetic"], "value": ["Renamed", "true"]})
        with store.transaction() as tx:
            tx.replace_table("community_areas", renamed_areas())
            tx.replace_table("assetmap_metadata", metadata)
            tx.change(ASSETS, "A3", {"community_area_code": "E04999002"})
            # Written in the file, not yet for anyone else.
            written = tx.get(ASSETS, "A3")
            assert written is not None and written.properties["community_area_code"] == "E04999002"
        assert other.version() != before
        assert area_names(other) == ["Ashby Magna", "Beeby Parva"]
        assert other.metadata() == {"title": "Renamed", "synthetic": "true"}
        a3 = other.get(ASSETS, "A3")
        assert a3 is not None and a3.properties["community_area_code"] == "E04999002"
        # The spatial index follows the new rows; the other layers are as they were.
        assert other.read(AREAS, bbox=(456_000, 301_000, 457_000, 302_000))["code"].tolist() == [
            "E04999002"
        ]
        assert other.read(AREAS, bbox=(466_000, 301_000, 467_000, 302_000)).empty
        assert other.count(CATALOG["districts"]) == 2 and other.count(ASSETS) == 5
        # Replaced again: the table's shape may change between replacements.
        with store.transaction() as tx:
            tx.replace_table("community_areas", tiny_tables()["community_areas"])
            tx.add(ASSETS, new_hall(), Point(452_100, 305_100))
        assert other.count(AREAS) == 4 and other.count(ASSETS) == 6
    finally:
        other.close()


def test_replace_table_is_undone_with_its_transaction(location: str, store: Store) -> None:
    before = (store.version(), area_names(store), store.metadata())
    with pytest.raises(NotFound), store.transaction() as tx:
        tx.replace_table("community_areas", renamed_areas())
        tx.replace_table("assetmap_metadata", pd.DataFrame({"key": ["title"], "value": ["X"]}))
        tx.change(ASSETS, "A1", {"community_area_code": "E04999002"})
        tx.change(ASSETS, "A404", {"status": "closed"})  # a later step fails
    other = open_store(location)
    try:
        for backend in (store, other):
            assert (backend.version(), area_names(backend), backend.metadata()) == before
            a1 = backend.get(ASSETS, "A1")
            assert a1 is not None and a1.properties["community_area_code"] == "E04999001"
    finally:
        other.close()
    # A frame the store cannot take is refused before anything is dropped.
    no_crs = renamed_areas().set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no coordinate reference system"), \
            store.transaction() as tx:
        tx.change(ASSETS, "A1", {"status": "closed"})
        tx.replace_table("community_areas", no_crs)
    assert (store.version(), area_names(store), store.metadata()) == before
    a1 = store.get(ASSETS, "A1")
    assert a1 is not None and a1.properties["status"] == "open"


def test_a_reader_never_sees_a_table_half_replaced(location: str, store: Store) -> None:
    old_names, new_names = area_names(store), ["Ashby Magna", "Beeby Parva"]
    seen: list[tuple[list[str], object]] = []

    def reader() -> None:
        backend = open_store(location)
        try:
            names = area_names(backend)  # the replaced table first, then the changed feature
            a1 = backend.get(ASSETS, "A1")
            seen.append((names, a1 and a1.properties["status"]))
        finally:
            backend.close()

    geopackage = location.endswith(".gpkg")
    with store.transaction() as tx:
        tx.replace_table("community_areas", renamed_areas())
        tx.change(ASSETS, "A1", {"status": "closed"})
        thread = threading.Thread(target=reader)
        thread.start()
        # A GeoPackage reader reads the last commit at once; PostGIS makes it wait for ours.
        thread.join(timeout=10 if geopackage else 0.5)
        if not geopackage:
            assert seen == [], "a PostGIS reader saw a table being replaced"
    thread.join(timeout=10)
    # The old tables or the new ones, whole; never the rows half deleted or half written.
    assert seen == [(old_names, "open")] if geopackage else [(new_names, "closed")]


def test_a_table_replaced_in_a_geopackage_transaction_keeps_the_file_valid(
    tiny_gpkg: Path,
) -> None:
    store = open_store(str(tiny_gpkg))
    with store.transaction() as tx:
        tx.replace_table("community_areas", renamed_areas())
        tx.replace_table("assetmap_metadata", tiny_tables()["assetmap_metadata"])
    info = pyogrio.read_info(tiny_gpkg, layer="community_areas", force_feature_count=True)
    assert info["features"] == 2 and info["crs"] == "EPSG:27700"
    # GDAL's own reading, through the R-tree, finds the new rows where they are.
    found = pyogrio.read_dataframe(tiny_gpkg, layer="community_areas",
                                   bbox=(456_000, 301_000, 457_000, 302_000))
    assert found["code"].tolist() == ["E04999002"]
    with sqlite3.connect(tiny_gpkg) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        counts = dict(connection.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents"))
        rtree = connection.execute("SELECT count(*) FROM rtree_community_areas_geom").fetchone()
        triggers = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'community_areas'"
        )}
    assert counts["community_areas"] == 2 and counts["assetmap_metadata"] == 3
    assert rtree == (2,)
    # The triggers of the file's GeoPackage version (1.2), as GDAL itself wrote them.
    assert {"rtree_community_areas_geom_insert", "rtree_community_areas_geom_update1",
            "rtree_community_areas_geom_delete"} <= triggers
    assert [p.name for p in tiny_gpkg.parent.iterdir() if p.name != tiny_gpkg.name] == []
