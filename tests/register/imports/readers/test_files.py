"""Reading an import's file: size and row limits, encodings, columns, GeoJSON, GeoPackage."""

from __future__ import annotations

from pathlib import Path

import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from assetmap.cli import main
from assetmap.errors import CRSError, DataError
from assetmap.register.imports import (
    FileTooLarge,
    ImportLimits,
    plan_import,
    plan_text,
)
from assetmap.store import Store
from tests.register.imports.asset_files import (
    CATALOG,
    HEADER,
    csv_row,
    plan_csv,
)
from tests.sources.conftest import lonlat


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
