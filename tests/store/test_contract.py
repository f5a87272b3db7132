"""The storage contract, run against every backend: GeoPackage and PostGIS: reads, feature
writes, versions, metadata and locks.

Each test gets the tiny county (tests/conftest.py) in a fresh store: a new
GeoPackage file, or a new schema on the PostGIS test server (tests/store/conftest.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import pyogrio
from shapely.geometry import MultiPolygon, Point, Polygon, box

from assetmap.errors import NotFound, StoreError, ValidationFailed
from assetmap.store import GeoPackageStore, Store, open_store
from tests.conftest import tiny_tables
from tests.store.contract import AREAS, ASSETS, AUDIT, CATALOG, audit_row, ids, new_hall


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


def test_a_table_made_before_an_optional_field_still_takes_writes(store: Store) -> None:
    """The assets table of tiny_tables() predates the optional ``capacity`` field."""
    assert "capacity" not in tiny_tables()["assets"].columns
    assert "capacity" in ASSETS.field_names
    with store.transaction() as transaction:
        new_id = transaction.add(ASSETS, new_hall(), Point(452_100, 305_100))
        transaction.change(ASSETS, new_id, {"name": "Renamed Hall", "capacity": None})
    written = store.get(ASSETS, new_id)
    assert written is not None and written.properties["name"] == "Renamed Hall"
    with pytest.raises(StoreError, match=r"has no column\(s\) capacity; re-(import|load) "
                                         r"the layer"), store.transaction() as transaction:
        transaction.add(ASSETS, new_hall(id="NEW2", capacity=80), Point(452_200, 305_200))
