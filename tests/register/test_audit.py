"""The audit log is written in the same transaction as the change it describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import PreconditionFailed
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE, audit_entries
from assetmap.register.editing import create_feature, feature_etag, update_feature
from assetmap.store import open_store

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
