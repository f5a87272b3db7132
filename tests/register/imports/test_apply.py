"""Writing a bulk import's new rows on both backends: every row and its one audit row, found by
place afterwards; an id someone added meanwhile, or a failure part-way, writes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.history import changes_of
from assetmap.register.imports import ImportConflict, apply_import
from assetmap.register.imports import apply as applying
from assetmap.store import Store
from tests.register.imports.asset_files import ASSETS, HEADER, csv_row, plan_csv

# 300 halls on a 100 m grid: more than the tiny county holds, so the GeoPackage's R-tree is
# packed afresh.
HALLS = HEADER + "".join(csv_row(f"H{n:03d}", f"Grid Hall {n}", 452_000 + n % 20 * 100,
                                 302_000 + n // 20 * 100) for n in range(300))


def _sound_r_tree(store_location: str) -> None:
    if store_location.endswith(".gpkg"):
        with sqlite3.connect(store_location) as connection:
            assert connection.execute(
                "SELECT rtreecheck('rtree_assets_geom')").fetchone() == ("ok",)


def test_new_rows_are_written_found_by_place_and_audited_once_each(
    any_store: Store, store_location: str
) -> None:
    before = any_store.count(ASSETS)
    plan = plan_csv(any_store, HALLS)
    assert plan.ok and len(plan.creates) == 300
    assert apply_import(any_store, plan, actor="olive").created == 300
    assert any_store.count(ASSETS) == before + 300
    # H021 is the second hall of the second row of the grid, near (452 100, 302 100).
    near = any_store.read(ASSETS, bbox=(452_050, 302_050, 452_150, 302_150))
    assert "H021" in set(near["id"])
    rows = any_store.records(AUDIT_TABLE, where={"actor": "olive"})
    assert len(rows) == 300 and len({row["change_id"] for row in rows}) == 300
    after = json.loads(str(next(r for r in rows if r["feature_id"] == "H021")["after"]))
    assert after["name"] == "Grid Hall 21" and after["geometry"].startswith("POINT (4521")
    (change,) = changes_of(any_store, ASSETS, "H021")
    assert {field.field: field.after_value for field in change.fields}["name"] == "Grid Hall 21"
    _sound_r_tree(store_location)


def test_an_id_added_by_someone_else_meanwhile_stops_the_import(
    any_store: Store, store_location: str
) -> None:
    plan = plan_csv(any_store, HALLS)
    first = plan_csv(any_store, HEADER + csv_row("H150", "Officer's Hall", 452_000, 302_000))
    apply_import(any_store, first, actor="officer")  # after the big file was checked
    with pytest.raises(ImportConflict, match="'H150' was added by someone else"):
        apply_import(any_store, plan, actor="late")
    assert any_store.get(ASSETS, "H000") is None
    assert any_store.count_records(AUDIT_TABLE, where={"actor": "late"}) == 0
    _sound_r_tree(store_location)


def test_a_failure_after_the_rows_are_in_writes_nothing(
    any_store: Store, store_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = any_store.count(ASSETS)

    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log could not be written")

    monkeypatch.setattr(applying, "log_creates", failing)
    with pytest.raises(RuntimeError, match="audit log"):
        apply_import(any_store, plan_csv(any_store, HALLS), actor="olive")
    assert any_store.count(ASSETS) == before and any_store.get(ASSETS, "H000") is None
    assert any_store.read(ASSETS, bbox=(451_990, 301_990, 454_000, 303_600)).empty
    _sound_r_tree(store_location)
