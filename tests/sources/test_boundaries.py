"""ONS boundary importers: parishes (three formats), districts of any vintage, CRS checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import MultiPolygon, Polygon, box

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import CRSError, DataError
from assetmap.layers import load_catalog
from assetmap.sources.boundaries import read_boundaries, read_governance
from assetmap.store import open_store
from tests.conftest import tiny_tables
from tests.sources.parish_files import (
    BNG,
    parish_frame,
    write_governance,
    write_parish_files,
)

CATALOG = load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture
def parish_files(tmp_path: Path) -> dict[str, Path]:
    return write_parish_files(tmp_path / "parishes")


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    return tiny_tables()["districts"]


@pytest.mark.parametrize("kind", ["geojson", "shapefile", "gpkg"])
def test_parishes_in_every_format(
    kind: str, parish_files: dict[str, Path], districts: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    result = read_boundaries(
        parish_files[kind], "parishes", districts=districts,
        governance=read_governance(write_governance(tmp_path)),
    )
    table = result.table
    assert table.crs.to_epsg() == 27700
    assert table["code"].tolist() == ["E04999101", "E04999102", "E04999103", "E43999101"]
    assert table["governance"].tolist() == [
        "parish_council", "parish_meeting", "town_council", "unparished"
    ]
    assert table["district_code"].tolist() == ["E07999001", "E07999001", "E07999002",
                                               "E07999002"]
    assert table.loc[0, "name"] == "Ashby Parva"
    assert (table.geom_type == "MultiPolygon").all()
    assert table.area.round().tolist() == [50_000_000.0] * 4  # 5 km × 10 km, to the m²
    assert result.vintages["PARNCP"] == 2021
    assert result.report.rows_read == 5 and result.report.kept == 4
    assert result.report.skipped == {"outside the store's districts": 1}
    assert "PARNCP 2021" in result.summary()


def test_missing_governance_is_an_error_listing_the_parishes(
    parish_files: dict[str, Path], districts: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    partial = read_governance(write_governance(tmp_path, {"E04999101": "parish_council"}))
    with pytest.raises(DataError) as error:
        read_boundaries(parish_files["gpkg"], "parishes", districts=districts,
                        governance=partial)
    message = error.value.message
    assert "2 parishes have no governance type" in message
    assert "E04999102 Beeby" in message and "E04999103 Cotes" in message
    assert "E04999101" not in message.split("(")[1].split(")")[0]
    assert "--governance FILE" in message and "--default-governance" in message

    result = read_boundaries(parish_files["gpkg"], "parishes", districts=districts,
                             governance=partial, default_governance="parish_meeting")
    assert result.table.set_index("code")["governance"].to_dict() == {
        "E04999101": "parish_council", "E04999102": "parish_meeting",
        "E04999103": "parish_meeting", "E43999101": "unparished",
    }
    assert any("default 'parish_meeting'" in w for w in result.report.warnings)


def test_bad_governance_value_names_the_row(tmp_path: Path) -> None:
    path = write_governance(tmp_path, {"E04999101": "parish_council", "E04999102": "mayor"})
    with pytest.raises(DataError, match=r"row 3: governance 'mayor' for 'E04999102'"):
        read_governance(path)


def test_cli_import_parishes_sets_community_areas_and_asset_codes(
    tiny_gpkg: Path, parish_files: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    governance = write_governance(tmp_path)
    code = main(["import", "parishes", str(parish_files["shapefile"]), "--store", str(tiny_gpkg),
                 "--governance", str(governance)])
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "5 rows read, 4 parishes and unparished areas kept (PARNCP 2021)" in out
    assert "skipped 1 outside the store's districts" in out
    store = open_store(str(tiny_gpkg))
    areas = store.read(CATALOG["community_areas"])
    assert areas["code"].tolist() == ["E04999101", "E04999102", "E04999103", "E43999101"]
    assets = store.read(CATALOG["assets"]).set_index("id")
    # A1 at x=452000 lies in Ashby Parva, A3 at 462000 in Westtown.
    assert assets.loc["A1", "community_area_code"] == "E04999101"
    assert assets.loc["A3", "community_area_code"] == "E43999101"
    metadata = store.metadata()
    assert metadata["vintage:PARNCP"] == "2021"
    assert metadata["source:parishes"].startswith("PARNCP_DEC_2021_EW_BGC.shp | PARNCP 2021")


def test_a_failed_import_leaves_the_store_untouched(
    tiny_gpkg: Path, parish_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = tiny_gpkg.read_bytes()
    assert main(["import", "parishes", str(parish_files["gpkg"]), "--store",
                 str(tiny_gpkg)]) == 2
    assert "have no governance type" in capsys.readouterr().err
    assert tiny_gpkg.read_bytes() == before
    assert [p.name for p in tiny_gpkg.parent.glob(".tiny-*")] == []


def test_shapefile_without_prj_needs_crs(
    parish_files: dict[str, Path], districts: gpd.GeoDataFrame
) -> None:
    parish_files["shapefile"].with_suffix(".prj").unlink()
    with pytest.raises(CRSError, match=r"--crs EPSG:27700"):
        read_boundaries(parish_files["shapefile"], "parishes", districts=districts,
                        default_governance="parish_council")
    result = read_boundaries(parish_files["shapefile"], "parishes", crs="EPSG:27700",
                             districts=districts, default_governance="parish_council")
    assert len(result.table) == 4


def _geojson(path: Path, features: list[tuple[dict[str, object], list[list[float]]]]) -> Path:
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {"type": "Feature", "properties": props,
             "geometry": {"type": "Polygon", "coordinates": [ring]}}
            for props, ring in features
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_grid_metres_in_a_crs84_geojson_are_refused(tmp_path: Path) -> None:
    ring: list[list[float]] = [[450_000, 300_000], [460_000, 300_000], [460_000, 310_000],
                               [450_000, 300_000]]
    path = _geojson(tmp_path / "lad.geojson", [({"LAD21CD": "E07000129", "LAD21NM": "Blaby"},
                                                ring)])
    with pytest.raises(CRSError) as error:
        read_boundaries(path, "districts")
    assert "look like British National Grid metres" in error.value.message
    assert "--crs EPSG:27700" in error.value.message
    fixed = read_boundaries(path, "districts", crs="EPSG:27700")
    assert fixed.table.total_bounds.tolist() == [450_000, 300_000, 460_000, 310_000]


def test_swapped_latitude_and_longitude_are_named(tmp_path: Path) -> None:
    # Blaby at about (-1.2, 52.57), written latitude first: it lands off Somalia.
    ring = [[52.55, -1.22], [52.60, -1.22], [52.60, -1.15], [52.55, -1.22]]
    path = _geojson(tmp_path / "swapped.geojson",
                    [({"LAD21CD": "E07000129", "LAD21NM": "Blaby"}, ring)])
    with pytest.raises(CRSError) as error:
        read_boundaries(path, "districts")
    assert "longitude and latitude look swapped" in error.value.message
    assert "off Somalia" in error.value.message


def test_degrees_labelled_as_british_national_grid_are_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"LAD21CD": ["E07000129"], "LAD21NM": ["Blaby"]},
                             geometry=[box(-1.22, 52.55, -1.15, 52.60)], crs=BNG)
    path = tmp_path / "degrees.gpkg"
    frame.to_file(path, driver="GPKG")
    with pytest.raises(CRSError, match="look like longitude/latitude degrees"):
        read_boundaries(path, "districts")


def test_districts_of_any_vintage_and_case(tmp_path: Path) -> None:
    old = gpd.GeoDataFrame({"LAD13CD": ["E07000129"], "LAD13NM": ["Blaby"]},
                           geometry=[box(450_000, 300_000, 460_000, 310_000)], crs=BNG)
    new = gpd.GeoDataFrame({"lad21cd": ["E07000129"], "lad21nm": ["Blaby"]},
                           geometry=[box(450_000, 300_000, 460_000, 310_000)], crs=BNG)
    both = old.assign(LAD21CD=["E07000129"], LAD21NM=["Blaby"])
    for frame, vintage in ((old, 2013), (new, 2021), (both, 2021)):
        path = tmp_path / f"lad{vintage}-{len(frame.columns)}.gpkg"
        frame.to_file(path, driver="GPKG")
        result = read_boundaries(path, "districts")
        assert result.vintages == {"LAD": vintage}
        assert result.table[["code", "name"]].values.tolist() == [["E07000129", "Blaby"]]
    assert any("LAD13CD" in w and "used LAD21CD" in w for w in result.report.warnings)


def test_invalid_geometries_are_repaired_and_reported_or_rejected(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    frame = parish_frame().iloc[:2].copy()
    # A bow-tie: two triangles crossing at (452500, 305000).
    bowtie = Polygon([(450_000, 300_000), (455_000, 310_000), (455_000, 300_000),
                      (450_000, 310_000)])
    frame.loc[0, "geometry"] = bowtie
    path = tmp_path / "bowtie.gpkg"
    frame.to_file(path, driver="GPKG")
    result = read_boundaries(path, "parishes", districts=districts,
                             default_governance="parish_council")
    assert result.report.repaired == ["E04999101"]
    assert "repaired 1 invalid geometry (E04999101)" in result.summary()
    repaired = result.table.set_index("code").geometry["E04999101"]
    assert repaired.is_valid and isinstance(repaired, MultiPolygon)
    assert repaired.area == pytest.approx(25_000_000)  # its two triangles, each 12.5 km²
    assert len(repaired.geoms) == 2
    with pytest.raises(DataError, match=r"1 invalid geometries \(E04999101; e\.g\. Self"):
        read_boundaries(path, "parishes", districts=districts,
                        default_governance="parish_council", reject_invalid=True)


def test_cli_reject_invalid_changes_nothing(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = parish_frame().iloc[:1].copy()
    frame.loc[0, "geometry"] = Polygon([(450_000, 300_000), (455_000, 310_000),
                                        (455_000, 300_000), (450_000, 310_000)])
    path = tmp_path / "bowtie.gpkg"
    frame.to_file(path, driver="GPKG")
    before = tiny_gpkg.read_bytes()
    assert main(["import", "parishes", str(path), "--store", str(tiny_gpkg),
                 "--default-governance", "parish_council", "--reject-invalid"]) == 2
    assert "invalid geometries (E04999101" in capsys.readouterr().err
    assert tiny_gpkg.read_bytes() == before


def test_duplicate_codes_are_refused_by_name(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    frame = parish_frame()
    frame.loc[1, "PARNCP21CD"] = "E04999101"
    path = tmp_path / "dupes.gpkg"
    frame.to_file(path, driver="GPKG")
    with pytest.raises(DataError, match=r"E04999101 ×2.*appear once|appear more than once"):
        read_boundaries(path, "parishes", districts=districts,
                        default_governance="parish_council")


def test_malformed_codes_name_the_rows(tmp_path: Path) -> None:
    frame = parish_frame()
    frame.loc[2, "PARNCP21CD"] = "not-a-code"
    path = tmp_path / "bad.gpkg"
    frame.to_file(path, driver="GPKG")
    with pytest.raises(DataError, match=r"row 3 \('not-a-code'\)"):
        read_boundaries(path, "parishes", default_governance="parish_council")


def test_unknown_fields_say_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "other.gpkg"
    parish_frame().rename(columns={"PARNCP21CD": "ID"}).to_file(path, driver="GPKG")
    with pytest.raises(DataError, match=r"expected a field named like LADyyCD"):
        read_boundaries(path, "districts")
    # A parish file without codes is read by district (below); with no district to go by
    # it says how to give one.
    with pytest.raises(DataError, match=r"no district field \(LADyyCD\).*import districts"):
        read_boundaries(path, "parishes")


def test_a_parish_file_with_no_codes_or_names_is_read_by_district(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    path = tmp_path / "lost.geojson"
    frame = parish_frame().drop(columns=["PARNCP21CD", "PARNCP21NM", "PARNCP21NMW"])
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    result = read_boundaries(path, "parishes", districts=districts)
    table = result.table
    # Each shape: its district and place among that district's shapes in the file.
    assert table["code"].tolist() == ["E07999001-P1", "E07999001-P2", "E07999002-P1",
                                      "E07999002-P2"]
    names = dict(zip(table["code"], table["name"], strict=True))
    west, east = districts.set_index("code")["name"]
    assert names["E07999001-P2"] == f"{west} parish 2 (name not known)"
    assert names["E07999002-P1"] == f"{east} parish 1 (name not known)"
    assert set(table["governance"]) == {"parish_type_unknown"}
    assert result.report.kept == 4 and result.vintages == {"PARNCP": None}
    assert any("no PARNCP codes in the file" in w for w in result.report.warnings)
    assert any("parish_type_unknown" in w for w in result.report.warnings)
    # A council's table of council types wins where it gives one.
    typed = read_boundaries(path, "parishes", districts=districts,
                            governance={"E07999002-P1": "town_council"})
    assert typed.table.set_index("code")["governance"].to_dict()["E07999002-P1"] == (
        "town_council")


def test_county_is_kept_as_metadata(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = gpd.GeoDataFrame({"CTY21CD": ["E10999999"], "CTY21NM": ["Tinyshire"]},
                              geometry=[box(449_000, 299_000, 471_000, 311_000)], crs=BNG)
    path = tmp_path / "county.gpkg"
    county.to_file(path, driver="GPKG")
    assert main(["import", "county", str(path), "--store", str(tiny_gpkg)]) == 0
    assert "2 of the store's 2 districts lie inside Tinyshire (E10999999)" in (
        capsys.readouterr().out
    )
    metadata = open_store(str(tiny_gpkg)).metadata()
    assert (metadata["county_code"], metadata["county_name"]) == ("E10999999", "Tinyshire")
    assert metadata["vintage:CTY"] == "2021"
    assert pyogrio.read_info(tiny_gpkg, layer="districts")["features"] == 2


def test_import_starts_a_new_store_and_a_failure_leaves_none(
    tmp_path: Path, parish_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lad = tmp_path / "lad.gpkg"
    tiny_tables()["districts"].rename(columns={"code": "LAD21CD", "name": "LAD21NM"}).to_file(
        lad, driver="GPKG"
    )
    failed = tmp_path / "failed.gpkg"
    assert main(["import", "parishes", str(parish_files["gpkg"]), "--store", str(failed)]) == 2
    assert "Import districts first" in capsys.readouterr().err
    assert not failed.exists()

    new = tmp_path / "new.gpkg"
    assert main(["import", "districts", str(lad), "--store", str(new)]) == 0
    assert main(["import", "parishes", str(parish_files["gpkg"]), "--store", str(new),
                 "--default-governance", "parish_council"]) == 0
    store = open_store(str(new))
    assert store.read(CATALOG["districts"])["code"].tolist() == ["E07999001", "E07999002"]
    assert len(store.read(CATALOG["community_areas"])) == 4
    assert store.metadata()["vintage:LAD"] == "2021"
