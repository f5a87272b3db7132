"""The storage contract, run against every backend: GeoPackage and PostGIS.

Each test gets the tiny county (tests/conftest.py) in a fresh store: a new
GeoPackage file, or a new schema on the PostGIS test server (tests/store/conftest.py).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import MultiPolygon, Point, Polygon, box

from assetmap.config import PROJECT_ROOT
from assetmap.errors import CRSError, NotFound, StoreError, ValidationFailed
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.store import GeoPackageStore, Store, open_store
from tests.conftest import tiny_tables

CATALOG: LayerCatalog = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
AREAS = CATALOG["community_areas"]


def new_hall(**changes: object) -> dict[str, object]:
    properties: dict[str, object] = {
        "id": "A9",
        "name": "New Village Hall",
        "category": "village_hall",
        "status": "open",
        "district_code": "E07999001",
    }
    properties.update(changes)
    return properties


@pytest.fixture
def location(store_location: str) -> str:
    return store_location


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    backend = open_store(location)
    assert isinstance(backend, Store)
    yield backend
    backend.close()


def ids(frame: gpd.GeoDataFrame) -> list[str]:
    values: list[str] = frame["id"].tolist()
    return values


def test_read_returns_declared_fields_in_british_national_grid(store: Store) -> None:
    frame = store.read(ASSETS)
    assert frame.crs.to_epsg() == 27700
    assert list(frame.columns) == [*ASSETS.field_names, "geometry"]
    assert ids(frame) == ["A1", "A2", "A3", "A4", "A5"]
    assert frame.loc[frame["id"] == "A1", "geometry"].iloc[0].equals(Point(452_000, 305_000))


def test_filters_match_any_listed_value(store: Store) -> None:
    assert ids(store.read(ASSETS, filters={"status": ["open"]})) == ["A1", "A2", "A3"]
    both = store.read(ASSETS, filters={"category": ["church_hall", "community_cafe"]})
    assert ids(both) == ["A2", "A4"]
    combined = store.read(ASSETS, filters={"status": ["open"], "district_code": ["E07999002"]})
    assert ids(combined) == ["A3"]


def test_filter_values_are_data_not_sql(store: Store) -> None:
    assert store.read(ASSETS, filters={"name": ["x' OR '1'='1"]}).empty
    assert len(store.read(ASSETS)) == 5


def test_bbox_keeps_intersecting_features(store: Store) -> None:
    west_half = (449_000, 299_000, 459_999, 311_000)
    assert ids(store.read(ASSETS, bbox=west_half)) == ["A1", "A2", "A5"]
    # A polygon whose envelope meets the box but whose shape does not is left out.
    areas = store.read(AREAS, bbox=(455_500, 309_000, 456_000, 309_500))
    assert areas["code"].tolist() == ["E04999002"]


def test_limit_and_offset_page_in_id_order(store: Store) -> None:
    assert ids(store.read(ASSETS, limit=2)) == ["A1", "A2"]
    assert ids(store.read(ASSETS, limit=2, offset=2)) == ["A3", "A4"]


def test_get_one_feature(store: Store) -> None:
    feature = store.get(ASSETS, "A1")
    assert feature is not None
    assert feature.properties["name"] == "Ashby Village Hall"
    assert feature.properties["email"] is None
    assert feature.geometry is not None and feature.geometry.equals(Point(452_000, 305_000))
    assert store.get(ASSETS, "nope") is None


def test_metadata_and_counts(store: Store) -> None:
    assert store.metadata()["synthetic"] == "true"
    assert store.count(ASSETS) == 5
    assert store.count(CATALOG["small_areas"]) == 0
    assert store.read(CATALOG["small_areas"]).empty


def test_add_change_delete_commit_together(store: Store) -> None:
    before = store.version()
    with store.transaction() as tx:
        assert tx.add(ASSETS, new_hall(), Point(453_000, 306_000)) == "A9"
        tx.change(ASSETS, "A2", {"status": "at_risk"}, geometry=Point(456_000, 306_000))
        tx.delete(ASSETS, "A4")
    assert store.version() != before
    assert ids(store.read(ASSETS)) == ["A1", "A2", "A3", "A5", "A9"]
    changed = store.get(ASSETS, "A2")
    assert changed is not None and changed.properties["status"] == "at_risk"
    # The spatial index follows the writes.
    assert ids(store.read(ASSETS, bbox=(452_900, 305_900, 453_100, 306_100))) == ["A9"]
    assert ids(store.read(ASSETS, bbox=(456_900, 304_900, 457_100, 305_100))) == []


def test_error_rolls_back_every_write_in_the_transaction(store: Store) -> None:
    with pytest.raises(ValidationFailed), store.transaction() as tx:
        tx.add(ASSETS, new_hall(), Point(453_000, 306_000))
        tx.delete(ASSETS, "A1")
        tx.add(ASSETS, new_hall(id="A10", category="pub"), Point(453_000, 306_000))
    assert ids(store.read(ASSETS)) == ["A1", "A2", "A3", "A4", "A5"]


@pytest.mark.parametrize(
    ("properties", "geometry", "problem"),
    [
        (new_hall(category="pub"), Point(0, 0), "category: must be one of"),
        ({"id": "A9", "name": "X"}, Point(0, 0), "category: required"),
        (new_hall(colour="red"), Point(0, 0), "colour: not a field"),
        (new_hall(id="A1"), Point(0, 0), "'A1' already exists"),
        (new_hall(last_verified="yesterday"), Point(0, 0), "last_verified"),
        (new_hall(), box(0, 0, 1, 1), "geometry is a Polygon"),
        (new_hall(), Point(), "geometry is missing or empty"),
    ],
)
def test_bad_features_are_refused(
    store: Store, properties: dict[str, object], geometry: object, problem: str
) -> None:
    with pytest.raises(ValidationFailed, match=problem), store.transaction() as tx:
        tx.add(ASSETS, properties, geometry)
    assert len(store.read(ASSETS)) == 5


def test_invalid_polygon_is_refused(store: Store) -> None:
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    with pytest.raises(ValidationFailed, match="not valid"), store.transaction() as tx:
        tx.change(AREAS, "E04999001", geometry=MultiPolygon([bowtie]))


def test_change_or_delete_missing_feature_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound), store.transaction() as tx:
        tx.change(ASSETS, "nope", {"status": "closed"})
    with pytest.raises(NotFound), store.transaction() as tx:
        tx.delete(ASSETS, "nope")


def test_required_field_cannot_be_emptied(store: Store) -> None:
    with pytest.raises(ValidationFailed, match="name: required"), store.transaction() as tx:
        tx.change(ASSETS, "A1", {"name": ""})


def test_geopackage_stays_readable_by_gdal_after_writes(tiny_gpkg: Path) -> None:
    store = GeoPackageStore(tiny_gpkg)
    with store.transaction() as tx:
        tx.add(ASSETS, new_hall(), Point(453_000, 306_000))
        tx.delete(ASSETS, "A4")
    info = pyogrio.read_info(tiny_gpkg, layer="assets")
    assert info["features"] == 5
    assert info["crs"] == "EPSG:27700"
    near_new = pyogrio.read_dataframe(
        tiny_gpkg, layer="assets", bbox=(452_900, 305_900, 453_100, 306_100)
    )
    assert near_new["id"].tolist() == ["A9"]


def test_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="assetmap sample"):
        open_store(str(tmp_path / "none.gpkg"))
    with pytest.raises(Exception, match=r"ending in \.gpkg"):
        open_store(str(tmp_path / "data.sqlite"))


def test_fields_limit_the_columns_read(store: Store) -> None:
    frame = store.read(ASSETS, fields=["name"])
    assert list(frame.columns) == ["id", "name", "geometry"]
    assert frame["name"].tolist()[0] == "Ashby Village Hall"
    with pytest.raises(ValidationFailed, match="no field"):
        store.read(ASSETS, fields=["colour"])


# -- records: the register's own tables --------------------------------------------------------

AUDIT = "assetmap_audit"
CORRECTIONS = "assetmap_corrections"


def audit_row(
    actor: str, field: str, before: str | None, after: str | None
) -> dict[str, str | None]:
    return {"change_id": "c1", "actor": actor, "action": "change", "layer": "assets",
            "feature_id": "A1", "field": field, "before": before, "after": after}


def test_records_round_trip_in_id_order(store: Store) -> None:
    assert store.records(AUDIT) == []
    assert store.count_records(AUDIT) == 0
    with store.transaction() as tx:
        first = tx.insert_record(AUDIT, audit_row("ann", "name", "Old Hall", "New Hall"))
        second = tx.insert_record(AUDIT, audit_row("bob", "email", None, "a@b.example"))
        third = tx.insert_record(AUDIT, audit_row("ann", "status", "open", "closed"))
    assert first < second < third
    rows = store.records(AUDIT)
    assert rows[0] == {"id": first, "at": None, **audit_row("ann", "name", "Old Hall", "New Hall")}
    assert [r["id"] for r in rows] == [first, second, third]
    newest = store.records(AUDIT, newest_first=True)
    assert [r["id"] for r in newest] == [third, second, first]
    assert [r["field"] for r in store.records(AUDIT, where={"actor": "ann"})] == ["name", "status"]
    assert [r["id"] for r in store.records(AUDIT, where={"before": None})] == [second]
    assert [r["id"] for r in store.records(AUDIT, where={"id": str(third)})] == [third]
    assert [r["id"] for r in store.records(AUDIT, limit=1, offset=1)] == [second]
    assert store.count_records(AUDIT) == 3
    assert store.count_records(AUDIT, where={"actor": "ann", "field": "status"}) == 1
    assert store.count_records(AUDIT, where={"actor": "nobody"}) == 0


def test_record_values_are_data_not_sql(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert_record(AUDIT, audit_row("x' OR '1'='1", "name", "a", "b"))
    assert store.records(AUDIT, where={"actor": "' OR '1'='1"}) == []
    assert store.records(AUDIT)[0]["actor"] == "x' OR '1'='1"


def test_update_record_changes_only_the_given_columns(store: Store) -> None:
    with store.transaction() as tx:
        kept = tx.insert_record(CORRECTIONS, {"status": "open", "message": "The hall has closed"})
    with store.transaction() as tx:
        tx.update_record(CORRECTIONS, kept, {"status": "accepted", "decided_by": "ann"})
    (row,) = store.records(CORRECTIONS)
    assert (row["status"], row["decided_by"], row["message"]) == (
        "accepted", "ann", "The hall has closed"
    )
    with pytest.raises(NotFound), store.transaction() as tx:
        tx.update_record(CORRECTIONS, kept + 1000, {"status": "rejected"})


def test_record_writes_roll_back_with_the_transaction(store: Store) -> None:
    # Even the first write to a table, which creates it, is undone.
    with pytest.raises(ValidationFailed), store.transaction() as tx:
        tx.insert_record(AUDIT, audit_row("ann", "name", "a", "b"))
        tx.change(ASSETS, "A1", {"category": "pub"})
    assert store.records(AUDIT) == []
    with store.transaction() as tx:
        kept = tx.insert_record(CORRECTIONS, {"status": "open"})
    with pytest.raises(ValidationFailed), store.transaction() as tx:
        tx.update_record(CORRECTIONS, kept, {"status": "accepted"})
        tx.insert_record(CORRECTIONS, {"status": "open"})
        tx.add(ASSETS, new_hall(category="pub"), Point(453_000, 306_000))
    assert [(r["id"], r["status"]) for r in store.records(CORRECTIONS)] == [(kept, "open")]


def test_unknown_record_tables_and_columns_are_refused(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert_record(AUDIT, audit_row("ann", "name", "a", "b"))
    with pytest.raises(Exception, match="not a record table"):
        store.records("assets")
    with pytest.raises(Exception, match="no column"), store.transaction() as tx:
        tx.insert_record(AUDIT, {"colour": "red"})
    with pytest.raises(ValidationFailed, match="colour"):
        store.records(AUDIT, where={"colour": "red"})


# -- locking reads -----------------------------------------------------------------------------

def test_transaction_get_sees_its_own_writes(store: Store) -> None:
    with store.transaction() as tx:
        tx.change(ASSETS, "A2", {"status": "closed"})
        tx.add(ASSETS, new_hall(), Point(453_000, 306_000))
        tx.delete(ASSETS, "A3")
        changed, added = tx.get(ASSETS, "A2"), tx.get(ASSETS, "A9")
        assert changed is not None and changed.properties["status"] == "closed"
        assert added is not None and added.geometry is not None
        assert added.geometry.equals(Point(453_000, 306_000))
        assert added.properties["name"] == "New Village Hall"
        assert tx.get(ASSETS, "A3") is None
    assert store.get(ASSETS, "A3") is None


def test_transaction_get_holds_other_writers_until_it_ends(store: Store) -> None:
    finished = threading.Event()

    def other_writer() -> None:
        with store.transaction() as tx:
            tx.change(ASSETS, "A1", {"status": "closed"})
        finished.set()

    with store.transaction() as tx:
        feature = tx.get(ASSETS, "A1")
        assert feature is not None and feature.properties["status"] == "open"
        writer = threading.Thread(target=other_writer)
        writer.start()
        assert not finished.wait(0.3), "a second writer changed a feature read for update"
        tx.change(ASSETS, "A1", {"status": "at_risk"})
    writer.join(timeout=10)
    assert finished.is_set()
    # The waiting write landed after ours, not lost under it.
    final = store.get(ASSETS, "A1")
    assert final is not None and final.properties["status"] == "closed"


# -- replacing whole tables --------------------------------------------------------------------

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


def test_version_changes_after_every_write_of_layer_data(location: str, store: Store) -> None:
    other = open_store(location)  # as another process would see the same data
    try:
        seen = {store.version(), other.version()}
        assert len(seen) == 1
        with store.transaction() as tx:
            tx.change(ASSETS, "A1", {"status": "closed"})
        assert other.version() not in seen
        seen.add(other.version())
        # Records (audit, corrections, users) are not layer data: caches keyed by the
        # version survive them, so a resident's suggestion does not rebuild the finder.
        unchanged = other.version()
        with store.transaction() as tx:
            tx.insert_record(AUDIT, audit_row("ann", "status", "open", "closed"))
        assert other.version() == unchanged
        with store.transaction() as tx:
            tx.add(ASSETS, {"id": "A7", "name": "Seventh", "category": "village_hall",
                            "status": "open"}, Point(452_500, 305_500))
        assert other.version() not in seen
        seen.add(other.version())
        store.replace_tables({"assetmap_metadata": tiny_tables()["assetmap_metadata"]})
        assert other.version() not in seen
    finally:
        other.close()


def test_metadata_is_set_with_the_data_or_not_at_all(location: str, store: Store) -> None:
    before = store.version()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.set_metadata({"attribution": "© OpenStreetMap contributors"})
        raise RuntimeError("the import failed after the metadata")
    assert "attribution" not in store.metadata() and store.version() == before
    with store.transaction() as tx:
        tx.set_metadata({"attribution": "© OpenStreetMap contributors", "title": "Leics"})
    assert store.metadata()["attribution"] == "© OpenStreetMap contributors"
    assert store.metadata()["title"] == "Leics"
    other = open_store(location)
    try:
        assert other.version() != before
    finally:
        other.close()


def test_a_named_lock_makes_check_then_write_safe(location: str, store: Store) -> None:
    """Eight writers each insert a record only if none exists yet: exactly one gets in."""
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        backend = open_store(location)
        try:
            barrier.wait()
            with backend.transaction() as tx:
                tx.lock("only-one")
                if not backend.count_records(AUDIT, where={"field": "claim"}):
                    tx.insert_record(AUDIT, audit_row(f"w{n}", "claim", None, "mine"))
        finally:
            backend.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count_records(AUDIT, where={"field": "claim"}) == 1



def test_a_table_that_no_longer_matches_its_layer_says_how_to_fix_it(store: Store) -> None:
    assets = tiny_tables()["assets"]
    store.replace_tables({"assets": assets.drop(columns=["name", "email"])})
    fix = r"; re-(import|load) the layer"
    with pytest.raises(StoreError, match=r"lacks required column\(s\) name declared in "
                                         rf"layers/assets\.yaml{fix}"):
        store.read(ASSETS)
    written = rf"has no column\(s\) name, email{fix} so its table matches layers/assets"
    with pytest.raises(StoreError, match=written), store.transaction() as transaction:
        transaction.add(ASSETS, new_hall(email="hall@example.org"), Point(452_100, 305_100))
    assert store.count(ASSETS) == 5
