"""Libraries Hacked CSVs as assets: categories, closures, placing by lon/lat or postcode, and
`assetmap import libraries` through the register's audited, version-checked plan and apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import CRSError, DataError
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.imports import ImportConflict, ImportPlan, apply_import, plan_table
from assetmap.register.imports.readers.libraries import read_library_table
from assetmap.sources.libraries import read_libraries
from assetmap.store import Store, open_store
from tests.conftest import tiny_tables

CATALOG = load_catalog(PROJECT_ROOT / "layers")
HEADER = ("Local authority,Library name,Address 1,Address 2,Address 3,Postcode,Statutory,"
          "Type of library,Year opened,Year closed,Co-located,Co-located with,Notes,URL")


def libraries_csv(path: Path, rows: list[str], lon_lat: bool = False) -> Path:
    header = HEADER + (",lon,lat" if lon_lat else "")
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


ROWS = [
    # In Westshire (LZ1 1AA is at 452010, 305010), community run, open.
    "Tiny County Council,Ashby,1 Main St,Ashby Parva,,lz11aa,No,CRL,,,No,,,https://ashby.example",
    # In Eastvale, council run, closed in 2016.
    "Tiny County Council,Westtown,2 High St,Westtown,,LZ2 1AA,Yes,LAL,,2016,No,,,",
    # Postcode the store does not know.
    "Tiny County Council,Nowhere,,,,LZ9 9ZZ,No,ICL,,,No,,,",
]


def test_categories_status_and_postcode_placing(tmp_path: Path) -> None:
    tables = tiny_tables()
    result = read_libraries(libraries_csv(tmp_path / "lib.csv", ROWS),
                            districts=tables["districts"], postcodes=tables["postcodes"],
                            community_areas=tables["community_areas"])
    assets = result.assets.set_index("name")
    assert assets["category"].to_dict() == {"Ashby": "community_library",
                                            "Westtown": "council_library"}
    assert assets["status"].to_dict() == {"Ashby": "open", "Westtown": "closed"}
    assert assets["district_code"].to_dict() == {"Ashby": "E07999001", "Westtown": "E07999002"}
    assert assets["community_area_code"].to_dict() == {"Ashby": "E04999001",
                                                       "Westtown": "E43999001"}
    assert (assets.loc["Ashby", "geometry"].x, assets.loc["Ashby", "geometry"].y) == (
        452_010, 305_010)
    assert assets.loc["Ashby", "postcode"] == "LZ1 1AA"
    assert assets.loc["Ashby", "address"] == "1 Main St, Ashby Parva"
    assert result.report.skipped == {"no coordinates and postcode not found": 1}
    assert "Nowhere (LZ9 9ZZ)" in " ".join(result.report.warnings)
    assert assets["id"].str.startswith("lib-").all()


def test_lon_lat_are_used_and_checked(tmp_path: Path) -> None:
    ok = libraries_csv(tmp_path / "ok.csv", [ROWS[0] + ",-1.13,52.63"], lon_lat=True)
    point = read_libraries(ok).assets.geometry.iloc[0]
    assert 458_000 < point.x < 460_000 and 303_000 < point.y < 306_000  # central Leicester
    swapped = libraries_csv(tmp_path / "swapped.csv", [ROWS[0] + ",52.63,-1.13"], lon_lat=True)
    with pytest.raises(CRSError, match="longitude and latitude look swapped"):
        read_libraries(swapped)


def test_no_postcodes_to_place_by_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="Import postcodes first"):
        read_libraries(libraries_csv(tmp_path / "lib.csv", ROWS[:1]))
    not_libraries = tmp_path / "other.csv"
    not_libraries.write_text("name,x\nA,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a Libraries Hacked file"):
        read_libraries(not_libraries)


def test_cli_import_keeps_other_assets_and_replaces_earlier_libraries(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = libraries_csv(tmp_path / "lib.csv", ROWS[:2])
    args = ["import", "libraries", str(path), "--store", str(tiny_gpkg),
            "--attribution", "Libraries: Tiny Libraries Hacked, OGL v3.0."]
    assert main(args) == 0
    assert main(args) == 0  # a second import replaces, never duplicates
    assert "replaced 2 libraries from an earlier import; kept 5 other assets" in (
        capsys.readouterr().out
    )
    store = open_store(str(tiny_gpkg))
    assets = store.read(CATALOG["assets"])
    assert len(assets) == 7
    assert sorted(assets.loc[assets["id"].str.startswith("lib-"), "name"]) == ["Ashby",
                                                                                "Westtown"]
    assert store.metadata()["attribution"] == "Libraries: Tiny Libraries Hacked, OGL v3.0."


# -- through the register: audited, version-checked, replacing only earlier libraries ----------
def _import(store_path: Path | str, csv_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["import", "libraries", str(csv_path), "--store", str(store_path)]) == 0
    return capsys.readouterr().out


def _plan(store: Store, csv_path: Path) -> ImportPlan:
    _, table = read_library_table(store, CATALOG, csv_path, border_km=5.0, attribution=None)
    return plan_table(store, CATALOG, table)


@pytest.fixture
def imported(store_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Store:
    """The tiny store (either backend) after ``assetmap import libraries`` of Ashby, Westtown."""
    _import(store_location, libraries_csv(tmp_path / "lib.csv", ROWS[:2]), capsys)
    return open_store(store_location)


def _library_id(store: Store, name: str) -> str:
    assets = store.read(CATALOG["assets"])
    return str(assets.loc[assets["name"] == name, "id"].iloc[0])


def test_a_libraries_import_is_audited_as_import(
    store_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _import(store_location, libraries_csv(tmp_path / "lib.csv", ROWS[:2]), capsys)
    assert "2 rows: 2 new, 0 changed, 0 unchanged, 0 errors" in out
    assert "(audited as cli:" in out
    store = open_store(store_location)
    records = store.records(AUDIT_TABLE)
    assert {r["action"] for r in records} == {"import"}
    assert all(str(r["actor"]).startswith("cli:") for r in records)
    assert {r["feature_id"] for r in records} == {_library_id(store, "Ashby"),
                                                  _library_id(store, "Westtown")}
    ashby = [r for r in records if r["feature_id"] == _library_id(store, "Ashby")]
    assert [r["field"] for r in ashby] == ["*"]  # one row per new feature, every field in it
    assert set(json.loads(ashby[0]["after"])) >= {
        "name", "category", "status", "district_code", "geometry"}
    assert store.metadata()["source:libraries"] == "lib.csv | not stated | not stated"


def test_a_second_identical_import_changes_nothing(
    imported: Store, store_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, path = imported, tmp_path / "lib.csv"
    version, audited = store.version(), store.count_records(AUDIT_TABLE)
    before = store.read(CATALOG["assets"])
    out = _import(store_location, path, capsys)
    assert "2 rows: 0 new, 0 changed, 2 unchanged, 0 errors" in out
    assert "assets unchanged" in out
    assert store.version() == version
    assert store.count_records(AUDIT_TABLE) == audited
    assert store.read(CATALOG["assets"]).equals(before)


def test_an_officer_edit_made_after_the_plan_is_never_overwritten(
    imported: Store, tmp_path: Path
) -> None:
    store = imported
    ashby = _library_id(store, "Ashby")
    audited = store.count_records(AUDIT_TABLE)
    renamed = [ROWS[0].replace("https://ashby.example", "https://ashby.example/new"), ROWS[1]]
    plan = _plan(store, libraries_csv(tmp_path / "new.csv", renamed))
    assert [p.feature_id for p in plan.updates] == [ashby]
    with store.transaction() as tx:  # an officer edits the library meanwhile
        tx.change(CATALOG["assets"], ashby, {"website": "https://officer.example"})
    with pytest.raises(ImportConflict, match=f"{ashby}' was changed by someone else"):
        apply_import(store, plan, actor="cli:late")
    feature = store.get(CATALOG["assets"], ashby)
    assert feature is not None and feature.properties["website"] == "https://officer.example"
    assert store.count_records(AUDIT_TABLE) == audited


def test_an_officer_edit_to_a_library_the_file_drops_stops_the_removal(
    imported: Store, tmp_path: Path
) -> None:
    store = imported
    westtown = _library_id(store, "Westtown")
    plan = _plan(store, libraries_csv(tmp_path / "fewer.csv", ROWS[:1]))
    assert [f.id for f in plan.removes] == [westtown]
    with store.transaction() as tx:
        tx.change(CATALOG["assets"], westtown, {"phone": "0116 000"})
    with pytest.raises(ImportConflict, match="changed by someone else"):
        apply_import(store, plan, actor="cli:late")
    feature = store.get(CATALOG["assets"], westtown)
    assert feature is not None and feature.properties["phone"] == "0116 000"


def test_a_library_no_longer_listed_is_removed_and_audited(
    imported: Store, store_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = imported
    westtown = _library_id(store, "Westtown")
    out = _import(store_location, libraries_csv(tmp_path / "fewer.csv", ROWS[:1]), capsys)
    assert "replaced 2 libraries from an earlier import; kept 5 other assets" in out
    assert "1 unchanged, 1 removed" in out
    assert store.get(CATALOG["assets"], westtown) is None
    removal = [r for r in store.records(AUDIT_TABLE, where={"feature_id": westtown})
               if r["field"] == "name" and r["after"] is None]
    assert [r["action"] for r in removal] == ["import"]
    assert len(store.read(CATALOG["assets"])) == 6


def test_officer_edits_outside_the_file_survive_a_reimport(
    imported: Store, store_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, path = imported, tmp_path / "lib.csv"
    ashby = _library_id(store, "Ashby")
    with store.transaction() as tx:
        tx.change(CATALOG["assets"], ashby, {"phone": "0116 111", "status": "at_risk"})
    out = _import(store_location, path, capsys)
    assert "0 new, 0 changed, 2 unchanged" in out
    feature = store.get(CATALOG["assets"], ashby)
    assert feature is not None
    assert (feature.properties["phone"], feature.properties["status"]) == ("0116 111", "at_risk")


def test_a_library_already_in_the_register_by_hand_is_skipped_not_duplicated(
    store_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ashby Village Hall (A1) is at LZ1 1AA: a library of that name there is the same place.
    same = "Tiny County Council,Ashby Village Hall,1 Main St,,,LZ1 1AA,No,CRL,,,No,,,"
    out = _import(store_location, libraries_csv(tmp_path / "lib.csv", [same, ROWS[1]]), capsys)
    assert "2 rows: 1 new, 0 changed, 0 unchanged, 0 errors, 1 skipped" in out
    assert "skipped by the checks: 1 already in the register" in out
    names = open_store(store_location).read(CATALOG["assets"])["name"].tolist()
    assert names.count("Ashby Village Hall") == 1 and "Westtown" in names
