"""Bulk import of assets: every row checked, every problem named with its fix, all or nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import CRSError, DataError, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.imports import (
    FileTooLarge,
    ImportConflict,
    ImportLimits,
    ImportPlan,
    apply_import,
    plan_import,
    plan_text,
    problems_csv,
)
from assetmap.store import Store, open_store
from tests.conftest import XSS_NAME
from tests.sources.conftest import lonlat

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
HEADER = "id,name,category,status,longitude,latitude,postcode,website\n"


def csv_row(feature_id: str, name: str, x: float, y: float, *, category: str = "village_hall",
            status: str = "open", postcode: str = "", website: str = "") -> str:
    lon, lat = lonlat(x, y)
    return f"{feature_id},{name},{category},{status},{lon},{lat},{postcode},{website}\n"


@pytest.fixture
def store(tiny_gpkg: Path) -> Store:
    return open_store(str(tiny_gpkg))


def plan_csv(store: Store, text: str, name: str = "assets.csv") -> ImportPlan:
    return plan_import(store, CATALOG, text.encode("utf-8"), name)


def errors_by_field(plan: ImportPlan) -> dict[tuple[str, str], str]:
    return {(p.where, p.field): f"{p.problem} | {p.fix}" for p in plan.errors}


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
    assert saved.geometry.distance(Point(457_500, 306_000)) < 1
    assert store.get(ASSETS, "N2").properties["community_area_code"] == "E04999003"  # type: ignore[union-attr]

    audit = store.records(AUDIT_TABLE, where={"feature_id": "N1"})
    assert {row["action"] for row in audit} == {"import"}
    assert {row["actor"] for row in audit} == {"olive.officer"}
    assert {"name", "category", "geometry", "district_code"} <= {row["field"] for row in audit}
    assert len({row["change_id"] for row in audit}) == 1


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
    assert "line 3: category = 'town_hall'" in out and "use one of: community_hub" in out
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


# -- where the points are --------------------------------------------------------------------
def test_swapped_latitude_and_longitude_are_named(store: Store) -> None:
    lon, lat = lonlat(452_500, 305_500)
    plan = plan_csv(store, HEADER + f"N1,Swap Hall,village_hall,open,{lat},{lon},,\n")
    [problem] = plan.errors
    assert (problem.where, problem.field) == ("line 2", "longitude/latitude")
    assert problem.value == f"{lat:g}, {lon:g}"
    assert "swapped" in problem.problem and "swap longitude and latitude" in problem.fix


def test_swapped_coordinates_in_geojson_are_named(store: Store) -> None:
    lon, lat = lonlat(452_500, 305_500)
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lat, lon]},
         "properties": {"id": "N1", "name": "Swap", "category": "village_hall",
                        "status": "open"}},
    ]}
    plan = plan_import(store, CATALOG, json.dumps(document).encode(), "halls.geojson")
    [problem] = plan.errors
    assert problem.where == "features[0]" and "swapped" in problem.problem


def test_grid_metres_given_as_degrees_are_named(store: Store) -> None:
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [452500, 305500]},
         "properties": {"id": "N1", "name": "Grid", "category": "village_hall",
                        "status": "open"}},
    ]}
    plan = plan_import(store, CATALOG, json.dumps(geojson).encode(), "halls.geojson")
    [problem] = plan.errors
    assert "British National Grid metres" in problem.problem
    assert "urn:ogc:def:crs:EPSG::27700" in problem.fix

    in_csv = plan_csv(store, HEADER + "N1,Grid,village_hall,open,452500,305500,,\n")
    assert "put them in columns named easting and northing" in in_csv.errors[0].fix


def test_degrees_in_easting_northing_columns_are_named(store: Store) -> None:
    lon, lat = lonlat(452_500, 305_500)
    plan = plan_csv(store, f"id,name,category,status,easting,northing\nN1,D,village_hall,open,"
                           f"{lon},{lat}\n")
    [problem] = plan.errors
    assert "look like longitude/latitude" in problem.problem
    assert "longitude and latitude" in problem.fix


def test_legacy_geojson_crs_member_is_honoured(store: Store) -> None:
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [{"type": "Feature", "id": "N7",
                      "geometry": {"type": "Point", "coordinates": [452500, 305500]},
                      "properties": {"name": "Grid Hall", "category": "village_hall",
                                     "status": "open"}}],
    }
    plan = plan_import(store, CATALOG, json.dumps(document).encode(), "halls.geojson")
    assert plan.ok, plan_text(plan)
    assert plan.creates[0].feature_id == "N7"  # the feature's id when properties have none
    assert plan.creates[0].geometry.distance(Point(452_500, 305_500)) < 0.01
    assert any("legacy crs member" in w.problem for w in plan.warnings)


def test_point_outside_the_county_names_row_coordinates_and_nearest_district(
    store: Store,
) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "Far Hall", 475_000, 305_000))
    [problem] = plan.errors
    assert problem.where == "line 2"
    assert problem.value == "{:g}, {:g}".format(*lonlat(475_000, 305_000))
    assert "outside the county: 5.0 km from the nearest district, Eastvale (E07999002)" \
        in problem.problem


def test_a_hall_just_over_the_county_line_is_accepted(store: Store) -> None:
    plan = plan_csv(store, "id,name,category,status,easting,northing\n"
                           "N1,Edge Hall,village_hall,open,470050,305000\n")
    assert plan.ok, plan_text(plan)
    assert plan.creates[0].properties["district_code"] == "E07999002"


def test_rows_without_coordinates_are_placed_by_postcode(store: Store) -> None:
    plan = plan_csv(store, "id,name,category,status,postcode\n"
                           "N1,Hall One,village_hall,open,lz21aa\n"
                           "N2,Hall Two,village_hall,open,LE1 9ZZ\n"
                           "N3,Hall Three,village_hall,open,\n")
    found = errors_by_field(plan)
    assert set(found) == {("line 3", "postcode"), ("line 4", "location")}
    assert "not in the store's postcode table" in found[("line 3", "postcode")]
    assert "give longitude and latitude" in found[("line 4", "location")]
    assert [p.feature_id for p in plan.creates] == ["N1"]  # written once the others are fixed
    good = plan_csv(store, "id,name,category,status,postcode\nN1,Hall One,village_hall,open,"
                           "lz21aa\n")
    [planned] = good.creates
    assert planned.properties["postcode"] == "LZ2 1AA"
    assert planned.geometry.equals(Point(462_010, 305_010))


# -- duplicates ------------------------------------------------------------------------------
def test_duplicate_id_in_the_file(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "One", 452_500, 305_500)
                    + csv_row("N1", "Two", 453_500, 305_500))
    [problem] = plan.errors
    assert (problem.where, problem.field, problem.value) == ("line 3", "id", "N1")
    assert "same id as line 2" in problem.problem


def test_duplicate_name_and_postcode_against_another_asset(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "ASHBY village hall", 459_000, 309_000,
                                            postcode="lz1 1aa"))
    [problem] = plan.errors
    assert problem.field == "name"
    assert "existing asset A1 (Ashby Village Hall)" in problem.problem
    assert "give this row its id, A1" in problem.fix


def test_same_name_close_by_is_a_duplicate_and_same_id_is_an_update(store: Store) -> None:
    near = plan_csv(store, HEADER + csv_row("N1", "Beeby Church Hall", 457_020, 305_020))
    assert "within 50 m" in near.errors[0].problem
    same_id = plan_csv(store, HEADER + csv_row("A2", "Beeby Church Hall", 457_020, 305_020,
                                               category="church_hall"))
    assert same_id.ok and [p.feature_id for p in same_id.updates] == ["A2"]


def test_duplicate_name_and_postcode_within_the_file(store: Store) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "St. Mary's Hall", 452_500, 305_500,
                                            postcode="LZ1 1AA")
                    + csv_row("N2", "St Marys Hall", 458_000, 305_500, postcode="LZ1 1AA"))
    [problem] = plan.errors
    assert problem.where == "line 3" and "same place as line 2" in problem.problem


# -- what text is kept and what is refused ---------------------------------------------------
def test_html_in_names_is_stored_verbatim(store: Store) -> None:
    name = "<script>alert('x')</script> & Hall"
    text = "id,name,category,status,easting,northing\n" \
        f"N1,\"{name}\",village_hall,open,452500,305500\n"
    plan = plan_csv(store, text)
    assert plan.ok
    apply_import(store, plan, actor="a")
    assert store.get(ASSETS, "N1").properties["name"] == name  # type: ignore[union-attr]
    assert store.get(ASSETS, "A3").properties["name"] == XSS_NAME  # type: ignore[union-attr]


def test_control_characters_and_direction_overrides_in_names_are_refused(store: Store) -> None:
    text = ("id,name,category,status,easting,northing,address\n"
            "N1,Bell\x07 Hall,village_hall,open,452500,305500,\n"
            "N2,\u202eLLAH,village_hall,open,453500,305500,\n"
            "N3,Ok Hall,village_hall,open,454500,305500,\"1 Main St\nAshby\"\n")
    plan = plan_csv(store, text)
    assert [(p.where, p.field) for p in plan.errors] == [("line 2", "name"), ("line 3", "name")]
    found = errors_by_field(plan)
    assert "control character (U+0007)" in found[("line 2", "name")]
    assert "text-direction control" in found[("line 3", "name")]


def test_formula_like_text_is_kept_as_typed_and_defused_in_the_error_report(
    store: Store,
) -> None:
    text = ("id,name,category,status,easting,northing,phone\n"
            "N1,=HYPERLINK(\"http://x\"),village_hall,open,452500,305500,+44 116 496 0000\n"
            "N2,=SUM(A1),bogus,open,453500,305500,\n")
    assert errors_by_field(plan_csv(store, text)).keys() == {("line 3", "category")}
    ok = plan_csv(store, text.replace("bogus", "village_hall").replace("=SUM(A1)", "-Hall"))
    assert ok.ok, plan_text(ok)
    assert ok.creates[0].properties["name"] == '=HYPERLINK("http://x")'
    assert ok.creates[0].properties["phone"] == "+44 116 496 0000"
    bad_value = plan_csv(store, "id,name,category,status,easting,northing\n"
                                "N1,X,=cmd|' /C calc'!A0,open,452500,305500\n")
    assert "'=cmd" in problems_csv(bad_value).decode("utf-8-sig")


# -- files and guard rails -------------------------------------------------------------------
def test_huge_file_is_refused_before_it_is_read(store: Store) -> None:
    limits = ImportLimits(max_bytes=1_000, max_rows=10)
    with pytest.raises(FileTooLarge, match="ASSETMAP_IMPORT_MAX_BYTES"):
        plan_import(store, CATALOG, b"\xff" * 1_001, "huge.csv", limits=limits)


def test_huge_file_is_refused_by_the_cli_before_reading(
    tiny_gpkg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(b"\x00" * 5_000)  # not even CSV: the size is checked first
    monkeypatch.setenv("ASSETMAP_IMPORT_MAX_BYTES", "4096")
    assert main(["import", "assets", str(path), "--store", str(tiny_gpkg)]) == 2
    assert "huge.csv is 5,000 bytes; the largest file one import takes is 4,096 bytes" \
        in capsys.readouterr().err


def test_too_many_rows_are_refused(store: Store) -> None:
    text = HEADER + "".join(csv_row(f"N{i}", f"Hall {i}", 452_500, 305_500) for i in range(4))
    with pytest.raises(DataError, match="more than 3 rows"):
        plan_import(store, CATALOG, text.encode(), "a.csv", limits=ImportLimits(max_rows=3))


def test_windows_1252_is_read_with_a_warning_and_utf16_refused(store: Store) -> None:
    text = ("id,name,category,status,easting,northing\n"
            "N1,Café Hall,village_hall,open,452500,305500\n")
    plan = plan_import(store, CATALOG, text.encode("cp1252"), "a.csv")
    assert plan.ok and plan.creates[0].properties["name"] == "Café Hall"
    assert "read as Windows-1252" in plan.warnings[0].problem
    with_bom = plan_import(store, CATALOG, text.encode("utf-8-sig"), "a.csv")
    assert with_bom.ok and not with_bom.warnings
    with pytest.raises(DataError, match="UTF-16"):
        plan_import(store, CATALOG, text.encode("utf-16"), "a.csv")


def test_unknown_columns_are_named_and_line_numbers_survive_multiline_cells(
    store: Store,
) -> None:
    text = ("id,name,category,status,easting,northing,address,notes\n"
            "N1,One,village_hall,open,452500,305500,\"1 Main St\nAshby\",x\n"
            "N2,Two,village_hall,nope,453500,305500,,y\n")
    plan = plan_csv(store, text)
    assert [p.where for p in plan.errors] == ["line 4"]
    assert "'notes'" in plan.warnings[0].problem


def test_file_level_mistakes_are_named(store: Store) -> None:
    with pytest.raises(DataError, match="semicolons"):
        plan_csv(store, "id;name;category\nN1;x;village_hall\n")
    with pytest.raises(DataError, match="longitude column but no latitude"):
        plan_csv(store, "id,name,longitude\nN1,x,-1.2\n")
    with pytest.raises(DataError, match="line 1, column 2"):
        plan_import(store, CATALOG, b"{oops", "a.geojson")
    with pytest.raises(DataError, match=r"import a \.csv, \.geojson or \.gpkg"):
        plan_import(store, CATALOG, b"x", "a.xlsx")


def write_gpkg(path: Path, crs: str | None, x: float = 452_500, y: float = 305_500) -> Path:
    frame = gpd.GeoDataFrame(
        {"id": ["G1"], "name": ["Gpkg Hall"], "category": ["village_hall"], "status": ["open"],
         "last_verified": ["2025-06-30"]},
        geometry=[Point(x, y)], crs=crs,
    )
    pyogrio.write_dataframe(frame, path, layer="halls", driver="GPKG")
    return path


def test_geopackage_with_a_crs_imports_and_without_one_is_refused(
    store: Store, tmp_path: Path
) -> None:
    good = write_gpkg(tmp_path / "good.gpkg", "EPSG:27700")
    plan = plan_import(store, CATALOG, good.read_bytes(), "good.gpkg")
    assert plan.ok, plan_text(plan)
    assert plan.creates[0].where == "fid 1"
    assert plan.creates[0].properties["last_verified"] == "2025-06-30"

    lon, lat = lonlat(452_500, 305_500)
    in_degrees = write_gpkg(tmp_path / "wgs.gpkg", "EPSG:4326", lon, lat)
    assert plan_import(store, CATALOG, in_degrees.read_bytes(), "wgs.gpkg").creates[0] \
        .geometry.distance(Point(452_500, 305_500)) < 0.5

    with pytest.warns(UserWarning):
        no_crs = write_gpkg(tmp_path / "nocrs.gpkg", None)
    with pytest.raises(CRSError, match="no coordinate reference system") as caught:
        plan_import(store, CATALOG, no_crs.read_bytes(), "nocrs.gpkg")
    assert "ogr2ogr -a_srs EPSG:27700" in caught.value.message
