"""Libraries Hacked CSVs as assets: categories, closures, placing by lon/lat or postcode."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import CRSError, DataError
from assetmap.layers import load_catalog
from assetmap.sources.libraries import read_libraries
from assetmap.store import open_store
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
