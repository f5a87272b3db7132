"""Bulk import of assets: every row checked, every problem named with its fix, all or nothing."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

import pytest

from shapely.geometry import Point

from assetmap.cli import main
from assetmap.errors import ValidationFailed
from assetmap.register.audit import ALL_FIELDS, AUDIT_TABLE
from assetmap.register.imports import (
    ImportConflict,
    apply_import,
    plan_text,
)
from assetmap.store import Store, open_store
from tests.register.imports.asset_files import (
    ASSETS,
    HEADER,
    csv_row,
    errors_by_field,
    plan_csv,
)


# -- the happy path ------------------------------------------------------------------------------
def test_good_csv_creates_features_with_areas_filled_and_audit_rows(store: Store) -> None:
    text = HEADER + csv_row("N1", "Beeby Pavilion", 457_500, 306_000, website="https://b.example") \
        + csv_row("N2", "Cotes Community Centre", 466_000, 302_000, category="community_centre")
    plan = plan_csv(store, text)
    assert plan.ok, plan_text(plan)
    assert plan.summary() == "2 rows: 2 new, 0 changed, 0 unchanged, 0 errors"
    result = apply_import(store, plan, actor="olive.officer")
    assert (result.created, result.changed) == (2, 0)

    saved = store.get(ASSETS, "N1")
    assert saved is not None
    assert saved.properties["name"] == "Beeby Pavilion"
    assert saved.properties["district_code"] == "E07999001"  # filled from the point
    assert saved.properties["community_area_code"] == "E04999002"
    assert saved.geometry is not None and saved.geometry.distance(Point(457_500, 306_000)) < 1
    assert store.get(ASSETS, "N2").properties["community_area_code"] == "E04999003"  # type: ignore[union-attr]

    audit = store.records(AUDIT_TABLE, where={"feature_id": "N1"})
    assert {row["action"] for row in audit} == {"import"}
    assert {row["actor"] for row in audit} == {"olive.officer"}
    # One row per new feature (field "*"), its values as one JSON object, geometry as WKT.
    assert [row["field"] for row in audit] == [ALL_FIELDS]
    after = json.loads(audit[0]["after"])
    assert after["name"] == "Beeby Pavilion" and after["district_code"] == "E07999001"
    assert after["category"] and after["geometry"].startswith("POINT (457")
    assert audit[0]["before"] is None


def test_the_same_file_again_changes_nothing(store: Store) -> None:
    # No id column: ids are made from the name and place, the same every time.
    text = "name,category,status,postcode\nLZ Hall,village_hall,open,LZ2 1AA\n"
    first = plan_csv(store, text)
    assert first.ok and first.creates[0].located_by == "postcode LZ2 1AA"
    apply_import(store, first, actor="a")
    again = plan_csv(store, text)
    assert again.summary() == "1 rows: 0 new, 0 changed, 1 unchanged, 0 errors"
    assert again.unchanged[0].feature_id == first.creates[0].feature_id


def test_update_of_an_existing_id_lists_field_diffs_and_audits_before_after(store: Store) -> None:
    # Only the columns in the file change; opening_times (not in the file) is kept.
    text = ("id,name,status,phone\n"
            "A1,Ashby Village Hall,at_risk,0116 496 0000\n"
            "A2,Beeby Church Hall,open,\n")
    plan = plan_csv(store, text)
    assert plan.ok, plan_text(plan)
    assert [p.feature_id for p in plan.updates] == ["A1"]
    assert plan.updates[0].changes == {"status": ("open", "at_risk"),
                                      "phone": (None, "0116 496 0000")}
    assert [p.feature_id for p in plan.unchanged] == ["A2"]
    assert "A1 Ashby Village Hall: status 'open' → 'at_risk'" in plan_text(plan)

    apply_import(store, plan, actor="olive")
    saved = store.get(ASSETS, "A1")
    assert saved is not None
    assert saved.properties["status"] == "at_risk"
    assert saved.properties["opening_times"] == "Mon-Fri 9-5"
    audit = {row["field"]: row for row in store.records(AUDIT_TABLE, where={"feature_id": "A1"})}
    assert set(audit) == {"status", "phone"}
    assert (audit["status"]["before"], audit["status"]["after"]) == ('"open"', '"at_risk"')
    assert store.count_records(AUDIT_TABLE, where={"feature_id": "A2"}) == 0


def test_a_moved_asset_reports_the_distance(store: Store) -> None:
    text = "id,easting,northing\nA1,452100,305000\n"
    plan = plan_csv(store, text)
    assert plan.ok, plan_text(plan)
    assert plan.updates[0].moved_m == pytest.approx(100)
    assert "moved 100 m" in plan_text(plan)


# -- all or nothing --------------------------------------------------------------------------
def test_one_bad_row_among_good_ones_writes_nothing_and_names_row_field_fix(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "halls.csv"
    path.write_text(
        HEADER + csv_row("N1", "Good Hall", 452_500, 305_500)
        + csv_row("N2", "Bad Hall", 453_000, 305_500, category="town_hall")
        + csv_row("N3", "Another Good Hall", 454_000, 305_500),
        encoding="utf-8",
    )
    report = tmp_path / "errors.csv"
    code = main(["import", "assets", str(path), "--store", str(tiny_gpkg), "--errors",
                 str(report)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "3 rows: 2 new, 0 changed, 0 unchanged, 1 error in 1 row" in out
    assert "line 3: category = 'town_hall'" in out
    assert "use one of: Community hub (community_hub)" in out
    assert "nothing was written" in err
    store = open_store(str(tiny_gpkg))
    assert store.count(ASSETS) == 5
    assert store.count_records(AUDIT_TABLE) == 0
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert rows == [{
        "severity": "error", "row": "3", "where": "line 3", "field": "category",
        "value": "town_hall", "problem": rows[0]["problem"], "fix": rows[0]["fix"],
    }]
    assert "village_hall" in rows[0]["fix"]


def test_every_problem_of_every_row_is_reported_at_once(store: Store) -> None:
    text = (HEADER
            + csv_row("N1", "", 452_500, 305_500, status="maybe")
            + "N2,Two,village_hall,open,not-a-number,52.6,,ftp://x\n")
    found = errors_by_field(plan_csv(store, text))
    assert set(found) == {("line 2", "name"), ("line 2", "status"), ("line 3", "longitude"),
                          ("line 3", "website")}
    assert "required" in found[("line 2", "name")]
    assert "give decimal degrees" in found[("line 3", "longitude")]


def test_dry_run_writes_nothing(tiny_gpkg: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "halls.csv"
    path.write_text(HEADER + csv_row("N1", "Dry Hall", 452_500, 305_500), encoding="utf-8")
    before = tiny_gpkg.read_bytes()
    code = main(["import", "assets", str(path), "--store", str(tiny_gpkg), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "1 rows: 1 new, 0 changed, 0 unchanged, 0 errors" in out
    assert "dry run: nothing was written" in out
    assert tiny_gpkg.read_bytes() == before


def test_cli_import_writes_and_names_the_actor(tiny_gpkg: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "halls.csv"
    path.write_text(HEADER + csv_row("N1", "Wet Hall", 452_500, 305_500), encoding="utf-8")
    assert main(["import", "assets", str(path), "--store", str(tiny_gpkg), "--actor", "jo"]) == 0
    assert "1 created, 0 changed, 0 unchanged" in capsys.readouterr().out
    store = open_store(str(tiny_gpkg))
    assert {r["actor"] for r in store.records(AUDIT_TABLE)} == {"jo"}


def test_a_feature_changed_after_checking_stops_the_whole_import(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "New Hall", 452_500, 305_500)
                    + "A1,Renamed Hall,village_hall,open,,,LZ1 1AA,\n")
    assert [p.feature_id for p in plan.updates] == ["A1"]
    with store.transaction() as tx:  # another officer edits A1 meanwhile
        tx.change(ASSETS, "A1", {"phone": "0116 000"})
    with pytest.raises(ImportConflict, match="changed by someone else"):
        apply_import(store, plan, actor="late")
    assert store.get(ASSETS, "N1") is None
    assert store.count_records(AUDIT_TABLE) == 0


def test_garbage_collection_runs_again_after_an_import_written_or_refused(store: Store) -> None:
    # The write pauses the collector; a service process must get it back either way.
    plan = plan_csv(store, HEADER + csv_row("N1", "New Hall", 452_500, 305_500))
    assert apply_import(store, plan, actor="a").created == 1 and gc.isenabled()
    with pytest.raises(ImportConflict, match="added by someone else"):
        apply_import(store, plan, actor="a")  # N1 exists now: refused inside the transaction
    assert gc.isenabled()
    gc.disable()  # paused by someone else: left paused
    try:
        apply_import(store, plan_csv(store, HEADER + csv_row("N2", "Hall", 452_600, 305_500)),
                     actor="a")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_plan_made_again_to_apply_is_refused_when_what_was_reviewed_changed(
    store: Store,
) -> None:
    text = HEADER + csv_row("N1", "New Hall", 452_500, 305_500) + (
        "A1,Renamed Hall,village_hall,open,,,LZ1 1AA,\n")
    reviewed = plan_csv(store, text)
    assert plan_csv(store, text).seen() == reviewed.seen()  # nothing changed: the same
    with store.transaction() as tx:  # an officer edits A1 after the file was reviewed
        tx.change(ASSETS, "A1", {"name": "Officer's Name"})
    again = plan_csv(store, text)  # made when applying: it would overwrite the officer's name
    assert again.updates[0].changes["name"] == ("Officer's Name", "Renamed Hall")
    with pytest.raises(ImportConflict, match="changed by someone else after it was checked"):
        apply_import(store, again, actor="late", checked=reviewed.seen())
    feature = store.get(ASSETS, "A1")
    assert feature is not None and feature.properties["name"] == "Officer's Name"
    assert store.get(ASSETS, "N1") is None and store.count_records(AUDIT_TABLE) == 0
    result = apply_import(store, again, actor="late", checked=again.seen())  # re-checked: ok
    assert (result.created, result.changed) == (1, 1)


def test_apply_refuses_a_plan_with_errors(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "X", 452_500, 305_500, category="nope"))
    with pytest.raises(ValidationFailed, match="nothing was written"):
        apply_import(store, plan, actor="a")
