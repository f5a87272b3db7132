"""The audit log is written in the same transaction as the change it describes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import PreconditionFailed
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE, audit_entries, log_creates
from assetmap.register.editing import create_feature, feature_etag, update_feature
from assetmap.store import Store, open_store
from assetmap.store.validation import checked_properties

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


def test_a_refused_write_leaves_no_audit_row(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    before = store.get(ASSETS, "A1")
    assert before is not None
    with pytest.raises(PreconditionFailed):
        update_feature(store, ASSETS, "A1", if_match='"stale"', actor="x",
                       properties={"name": "Nope"})
    assert store.count_records(AUDIT_TABLE) == 0
    assert store.get(ASSETS, "A1") == before


def test_create_then_change_lists_fields_newest_first(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    made = create_feature(
        store, ASSETS,
        {"id": "N1", "name": "New", "category": "village_hall", "status": "open"},
        Point(455_000, 305_000), actor="ann",
    )
    update_feature(store, ASSETS, "N1", if_match=feature_etag(made), actor="bob",
                   properties={"name": "Renamed", "phone": "0116 496 0000"})
    entries = audit_entries(store, where={"feature_id": "N1"})
    assert [(e["actor"], e["action"]) for e in entries[:2]] == [("bob", "change")] * 2
    assert {e["field"] for e in entries[:2]} == {"name", "phone"}
    assert {e["field"] for e in entries if e["action"] == "create"} >= {"name", "geometry"}
    assert len({e["change_id"] for e in entries}) == 2


def test_bulk_creates_read_back_as_the_values_given(store: Store) -> None:
    # Checked values go through the fast encoder, others through the standard one: both
    # read back as given (an integer past 64 bits exactly, non-ASCII as it is, a date as
    # str() writes it, no empty values, the geometry as WKT at full precision).
    checked = checked_properties(ASSETS, {"id": "B1", "name": "Bröughton Hall",
                                          "category": "village_hall", "status": "open",
                                          "capacity": 2**70, "phone": ""})
    unchecked = {"id": "B2", "name": "Big", "capacity": 12, "last_verified": dt.date(2026, 3, 1),
                 "phone": None}
    with store.transaction() as tx:
        change_ids = log_creates(tx, actor="ann", action="import", layer=ASSETS,
                                 ids=["B1", "B2"], properties=[checked, unchecked],
                                 geometries=[Point(455_000.125, 305_000), None])
    assert len(set(change_ids)) == 2
    rows = {row["feature_id"]: row for row in audit_entries(store)}
    assert {row["change_id"] for row in rows.values()} == set(change_ids)
    assert json.loads(str(rows["B1"]["after"])) == {
        "id": "B1", "name": "Bröughton Hall", "category": "village_hall", "status": "open",
        "capacity": 2**70, "geometry": "POINT (455000.125 305000)"}
    assert json.loads(str(rows["B2"]["after"])) == {
        "id": "B2", "name": "Big", "capacity": 12, "last_verified": "2026-03-01"}
    assert {(row["field"], row["before"], row["actor"]) for row in rows.values()} == {
        ("*", None, "ann")}
