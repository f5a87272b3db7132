"""The storage contract for plain layers (``geometry_type: none``: organisations, activities),
on both backends: they read, filter, page, count, get, add, change and delete like spatial
layers, refuse geometries and bboxes by name, change the store's version, and copy across.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pyogrio
from shapely.geometry import Point

from assetmap.errors import NotFound, StoreError, ValidationFailed
from assetmap.store import Store, open_store
from assetmap.store.copying import copy_store
from assetmap.store.gpkg_write import write_geopackage
from assetmap.store.plain import empty_table
from tests.conftest import tiny_tables
from tests.store.contract import CATALOG, ids

ACTIVITIES = CATALOG["activities"]
ORGANISATIONS = CATALOG["organisations"]


def test_plain_layers_read_with_declared_fields_and_no_geometry(store: Store) -> None:
    frame = store.read(ACTIVITIES)
    assert list(frame.columns) == [*ACTIVITIES.field_names, "geometry"]
    assert ids(frame) == ["AC1", "AC2", "AC3", "AC4"]
    assert frame.geometry.isna().all()
    assert frame["age_max"].tolist()[1] == 4 and str(frame["age_max"].dtype) == "Int64"
    assert store.count(ORGANISATIONS) == 3 and store.has_layer(ORGANISATIONS)


def test_plain_layers_filter_page_and_get(store: Store) -> None:
    assert ids(store.read(ACTIVITIES, filters={"organisation_id": ["O3"]})) == ["AC1", "AC3"]
    assert ids(store.read(ACTIVITIES, filters={"age_min": ["0"]})) == ["AC2"]
    assert ids(store.read(ACTIVITIES, limit=2, offset=1)) == ["AC2", "AC3"]
    assert ids(store.read(ACTIVITIES, fields=["name"])) == ["AC1", "AC2", "AC3", "AC4"]
    feature = store.get(ORGANISATIONS, "O2")
    assert feature is not None and feature.geometry is None
    assert feature.properties["name"] == "Westtown Good Neighbours"
    assert store.get(ORGANISATIONS, "nope") is None


def test_plain_layers_add_change_delete_in_one_transaction(store: Store) -> None:
    before = store.version()
    with store.transaction() as tx:
        assert tx.add(ORGANISATIONS, {"id": "O9", "name": "Beeby Book Club",
                                      "kind": "voluntary_group"}) == "O9"
        tx.change(ACTIVITIES, "AC1", {"schedule": "We 12:00-14:30", "age_min": 60})
        tx.delete(ACTIVITIES, "AC4")
        inside = tx.get(ORGANISATIONS, "O9")
        assert inside is not None and inside.properties["kind"] == "voluntary_group"
    assert store.version() != before
    changed = store.get(ACTIVITIES, "AC1")
    assert changed is not None and changed.properties["schedule"] == "We 12:00-14:30"
    assert changed.properties["age_min"] == 60
    assert store.get(ACTIVITIES, "AC4") is None and store.count(ORGANISATIONS) == 4


def test_a_failed_transaction_leaves_plain_layers_untouched(store: Store) -> None:
    with pytest.raises(ValidationFailed, match="already exists"), store.transaction() as tx:
        tx.delete(ACTIVITIES, "AC2")
        tx.add(ORGANISATIONS, {"id": "O1", "name": "Twice", "kind": "charity"})
    assert store.get(ACTIVITIES, "AC2") is not None


def test_plain_layers_refuse_geometries_and_bboxes_by_name(store: Store) -> None:
    with pytest.raises(ValidationFailed, match="no positions"), store.transaction() as tx:
        tx.add(ORGANISATIONS, {"id": "O9", "name": "Placed", "kind": "charity"},
               Point(452_000, 305_000))
    with pytest.raises(ValidationFailed, match="'activities' has no positions"):
        store.read(ACTIVITIES, bbox=(450_000, 300_000, 470_000, 310_000))
    with pytest.raises(NotFound), store.transaction() as tx:
        tx.delete(ORGANISATIONS, "nope")
    assert store.count(ORGANISATIONS) == 3


def test_a_store_without_the_table_reads_empty_and_takes_one(tmp_path: Path) -> None:
    tables = tiny_tables()
    del tables["activities"]
    path = tmp_path / "older.gpkg"
    write_geopackage(path, tables)
    store = open_store(str(path))
    assert store.read(ACTIVITIES).empty and store.count(ACTIVITIES) == 0
    with pytest.raises(StoreError, match="no table"), store.transaction() as tx:
        tx.add(ACTIVITIES, {"id": "AC9", "name": "New", "category": "lunch_club",
                            "asset_ids": "A1", "status": "active"})
    with store.transaction() as tx:
        tx.replace_table(ACTIVITIES.table, empty_table(ACTIVITIES))
        tx.add(ACTIVITIES, {"id": "AC9", "name": "New", "category": "lunch_club",
                            "asset_ids": "A1", "status": "active", "age_min": 60})
    assert ids(store.read(ACTIVITIES)) == ["AC9"]
    assert store.read(ACTIVITIES)["age_min"].tolist() == [60]


def test_copy_keeps_plain_layers_plain(location: str, tmp_path: Path) -> None:
    destination = tmp_path / "copy.gpkg"
    result = copy_store(location, str(destination), CATALOG)
    assert result.counts["activities"] == 4 and result.counts["organisations"] == 3
    copied = open_store(str(destination))
    assert ids(copied.read(ACTIVITIES)) == ["AC1", "AC2", "AC3", "AC4"]
    assert dict(pyogrio.list_layers(destination).tolist())["activities"] is None
    frame = copied.read(ORGANISATIONS)
    source = open_store(location)
    try:
        pd.testing.assert_frame_equal(
            pd.DataFrame(frame.drop(columns="geometry")).astype(object),
            pd.DataFrame(source.read(ORGANISATIONS).drop(columns="geometry")).astype(object),
        )
    finally:
        source.close()
