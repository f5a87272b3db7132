"""``assetmap import places``: ONS Index of Place Names and OS Open Names CSVs, on small files
made here over the tiny county (districts west and east of x=460000, y 300000-310000)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.crs import metric_to_lonlat
from assetmap.finder import FinderData
from assetmap.layers import load_catalog
from assetmap.sources.places import OPEN_NAMES_COLUMNS
from assetmap.store import open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")


def ipn_file(path: Path) -> Path:
    rows = [("IPN0001", "Lowby Magna", "LOC", 452_000, 305_000),
            ("IPN0002", "Highby", "BUA", 466_000, 306_000),
            ("IPN0003", "Westshire", "CTY", 455_000, 305_000),  # a county: not a place to meet
            ("IPN0004", "Farfield", "LOC", 520_000, 305_000)]  # 60 km east: outside
    lines = ["placeid,place22cd,place22nm,descnm,lad22cd,lat,long"]
    for code, name, kind, x, y in rows:
        lon, lat = metric_to_lonlat(float(x), float(y))
        lines.append(f"{code},{code},{name},{kind},E07999001,{lat:.6f},{lon:.6f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_names_file(path: Path, *, header: bool) -> Path:
    def row(**values: object) -> str:
        return ",".join(str(values.get(c, "")) for c in OPEN_NAMES_COLUMNS)

    lines = [",".join(OPEN_NAMES_COLUMNS)] if header else []
    lines += [row(ID="osgb1", NAME1="Nether Stowe", TYPE="populatedPlace", LOCAL_TYPE="Village",
                  GEOMETRY_X=458_000, GEOMETRY_Y=301_000),
              row(ID="osgb2", NAME1="Mill Lane", TYPE="transportNetwork",
                  LOCAL_TYPE="Named Road", GEOMETRY_X=458_100, GEOMETRY_Y=301_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ipn_places_are_imported_and_found(tiny_gpkg: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(tiny_gpkg)]
    assert main(["import", "places", str(ipn_file(tmp_path / "IPN_GB_2022.csv")), *store]) == 0
    out = capsys.readouterr().out
    assert "4 rows read, 2 places kept (IPN 2022)" in out
    assert "1 not a town, village, locality, parish or ward" in out
    assert "1 outside the store's districts" in out
    places = open_store(str(tiny_gpkg)).read(CATALOG["places"]).set_index("id")
    assert places.loc["IPN0002", ["name", "kind", "district_code", "source"]].tolist() == [
        "Highby", "town", "E07999002", "ONS IPN"]
    data = FinderData.from_store(open_store(str(tiny_gpkg)), CATALOG)
    found = data.locate_text("Lowby Magnaa")  # one letter too many
    assert found.label == "Lowby Magna" and found.corrected_from == "Lowby Magnaa"
    assert abs(found.easting - 452_000) < 1 and abs(found.northing - 305_000) < 1


@pytest.mark.parametrize("header", [True, False])
def test_open_names_with_or_without_its_header(header: bool, tiny_gpkg: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(tiny_gpkg)]
    assert main(["import", "places", str(ipn_file(tmp_path / "ipn.csv")), *store]) == 0
    path = open_names_file(tmp_path / "SK_open_names.csv", header=header)
    assert main(["import", "places", str(path), *store]) == 0
    out = capsys.readouterr().out
    assert "1 not a populated place (roads, landforms, …)" in out
    places = open_store(str(tiny_gpkg)).read(CATALOG["places"])
    # Each source replaces only its own rows.
    assert sorted(zip(places["name"], places["source"], strict=True)) == [
        ("Highby", "ONS IPN"), ("Lowby Magna", "ONS IPN"), ("Nether Stowe", "OS Open Names")]
    assert places.set_index("name").loc["Nether Stowe", "kind"] == "village"


def test_a_file_that_is_not_a_gazetteer_says_what_was_expected(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    before = tiny_gpkg.read_bytes()
    assert main(["import", "places", str(path), "--store", str(tiny_gpkg)]) == 2
    assert "expected the ONS Index of Place Names" in capsys.readouterr().err
    assert tiny_gpkg.read_bytes() == before
