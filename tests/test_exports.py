"""Layer exports: CSV a council officer can open in Excel, GeoJSON, GeoPackage; provenance kept."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

import geopandas as gpd
import pyogrio
import shapely

from assetmap.config import PROJECT_ROOT
from assetmap.crs import METRIC_CRS, WEB_CRS, transformer
from assetmap.errors import ValidationFailed
from assetmap.exports import export_layer, resolve_format
from assetmap.formats.files import write_files
from assetmap.layers import LayerSpec, load_catalog
from assetmap.store import Store, open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import XSS_NAME, tiny_tables

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS, AREAS = CATALOG["assets"], CATALOG["community_areas"]
NOTICE = "Synthetic test data: invented places."
ATTRIBUTION = "Contains OS data © Crown copyright and database right 2024."
TO_LONLAT = transformer(METRIC_CRS, WEB_CRS)
MakeStore = Callable[..., Store]


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[MakeStore]:
    """A tiny store, with asset names and metadata replaced as a test needs."""
    opened: list[Store] = []

    def make(names: dict[str, str] | None = None, metadata: dict[str, str] | None = None,
             **columns: list[object]) -> Store:
        tables = tiny_tables()
        assets = tables["assets"]
        for asset_id, name in (names or {}).items():
            assets.loc[assets["id"] == asset_id, "name"] = name
        for column, values in columns.items():
            assets[column] = values
        if metadata is not None:
            tables["assetmap_metadata"] = pd.DataFrame(
                {"key": list(metadata), "value": list(metadata.values())}
            )
        path = tmp_path / f"store{len(opened)}.gpkg"
        write_geopackage(path, tables)
        store = open_store(str(path))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_points_have_fields_then_both_coordinates_then_attribution(
    make_store: MakeStore,
) -> None:
    export = export_layer(make_store(), ASSETS, "csv")
    assert export.data.startswith(b"\xef\xbb\xbfid,name,"), "UTF-8 BOM so Excel reads Café"
    assert b"\r\n" in export.data
    rows = read_csv(export.data)
    assert list(rows[0]) == [*ASSETS.field_names, "longitude", "latitude", "easting",
                             "northing", "attribution"]
    assert export.count == len(rows) == 5
    first = rows[0]
    assert first["id"] == "A1" and first["name"] == "Ashby Village Hall"
    assert (float(first["easting"]), float(first["northing"])) == (452000.0, 305000.0)
    lon, lat = TO_LONLAT.transform(452000, 305000)
    assert float(first["longitude"]) == pytest.approx(lon, abs=1e-6)
    assert float(first["latitude"]) == pytest.approx(lat, abs=1e-6)
    assert len(first["latitude"].split(".")[1]) <= 6
    assert first["attribution"] == NOTICE
    assert rows[1]["address"] == "", "missing values are empty cells, not 'nan'"
    assert "Cotes Café" in {row["name"] for row in rows}


def test_csv_polygons_carry_wkt_in_british_national_grid(make_store: MakeStore) -> None:
    rows = read_csv(export_layer(make_store(), AREAS, "csv").data)
    assert list(rows[0]) == [*AREAS.field_names, "wkt", "attribution"]
    shape = shapely.from_wkt(rows[0]["wkt"])
    assert shape.equals(shapely.box(450_000, 300_000, 455_000, 310_000))


def test_csv_defuses_formulas_but_not_numbers(make_store: MakeStore) -> None:
    evil = '=HYPERLINK("http://evil.example","click")'
    store = make_store(names={"A1": evil, "A2": "@SUM(A1)", "A4": "-1+2"},
                       phone=["+44 116 000 0000", None, None, None, "\t=cmd"])
    rows = {row["id"]: row for row in read_csv(export_layer(store, ASSETS, "csv").data)}
    assert rows["A1"]["name"] == "'" + evil
    assert rows["A2"]["name"] == "'@SUM(A1)"
    assert rows["A4"]["name"] == "'-1+2"
    assert rows["A1"]["phone"] == "'+44 116 000 0000"
    assert rows["A5"]["phone"] == "'\t=cmd"
    assert rows["A3"]["name"] == XSS_NAME, "not a formula: left as it is"
    assert rows["A1"]["longitude"].startswith("-1.2"), "negative numbers stay numbers"


def test_attribution_joins_notice_and_attribution_when_both_are_known(
    make_store: MakeStore,
) -> None:
    store = make_store(metadata={"synthetic": "false", "notice": "Real data, 2024.",
                                 "attribution": ATTRIBUTION})
    rows = read_csv(export_layer(store, ASSETS, "csv").data)
    assert {row["attribution"] for row in rows} == {f"Real data, 2024. {ATTRIBUTION}"}
    body = json.loads(export_layer(store, ASSETS, "geojson").data)
    assert (body["synthetic"], body["notice"], body["attribution"]) == (
        False, "Real data, 2024.", [ATTRIBUTION])


def test_no_provenance_no_attribution_column(make_store: MakeStore) -> None:
    store = make_store(metadata={"title": "Untitled"})
    rows = read_csv(export_layer(store, ASSETS, "csv").data)
    assert "attribution" not in rows[0]
    body = json.loads(export_layer(store, ASSETS, "geojson").data)
    assert body["synthetic"] is False and "notice" not in body and "attribution" not in body


def test_extra_columns_never_overwrite_a_declared_field(make_store: MakeStore) -> None:
    spec = ASSETS.model_dump()
    spec["fields"] = [*spec["fields"], {"name": "latitude", "type": "str"}]
    layer = LayerSpec.model_validate(spec)
    rows = read_csv(export_layer(make_store(latitude=["declared"] * 5), layer, "csv").data)
    assert rows[0]["latitude"] == "declared"
    assert float(rows[0]["latitude_"]) == pytest.approx(52.64, abs=0.01)


def test_geojson_is_rfc7946_lonlat_with_provenance_members(make_store: MakeStore) -> None:
    body = json.loads(export_layer(make_store(), ASSETS, "geojson").data)
    assert body["type"] == "FeatureCollection" and "crs" not in body
    assert (body["name"], body["synthetic"], body["notice"]) == ("assets", True, NOTICE)
    assert "attribution" not in body, "absent from the store: not invented"
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    expected = TO_LONLAT.transform(452000, 305000)
    assert (lon, lat) == (pytest.approx(expected[0], abs=1e-6),
                          pytest.approx(expected[1], abs=1e-6))
    names = {f["id"]: f["properties"]["name"] for f in body["features"]}
    assert names["A3"] == XSS_NAME, "JSON carries data unchanged"


def test_geojson_records_the_selection(make_store: MakeStore) -> None:
    export = export_layer(make_store(), ASSETS, "geojson",
                          bbox=(449_000, 299_000, 463_000, 311_000), filters={"status": ["open"]})
    body = json.loads(export.data)
    assert [f["id"] for f in body["features"]] == ["A1", "A2", "A3"] and export.count == 3
    assert body["selection"] == {"bbox_27700": "449000.00,299000.00,463000.00,311000.00",
                                 "filter:status": "open"}


def test_gpkg_is_british_national_grid_with_metadata_table(
    make_store: MakeStore, tmp_path: Path
) -> None:
    store = make_store(metadata={"synthetic": "true", "notice": NOTICE,
                                 "attribution": ATTRIBUTION})
    path = tmp_path / "assets.gpkg"
    path.write_bytes(export_layer(store, ASSETS, "gpkg").data)
    assert [name for name, _ in pyogrio.list_layers(path)] == ["assets", "export_metadata"]
    frame = gpd.read_file(path, layer="assets")
    assert frame.crs.to_epsg() == 27700
    assert list(frame.columns) == [*ASSETS.field_names, "geometry"]
    assert frame.geometry.iloc[0].equals(shapely.Point(452000, 305000))
    assert frame["name"].iloc[2] == XSS_NAME
    metadata = dict(pyogrio.read_dataframe(path, layer="export_metadata")[["key", "value"]]
                    .itertuples(index=False))
    assert metadata["attribution"] == ATTRIBUTION and metadata["notice"] == NOTICE
    assert metadata["synthetic"] == "true" and metadata["crs"] == "EPSG:27700"
    assert metadata["feature_count"] == "5"
    assert ATTRIBUTION in pyogrio.read_info(path, layer="assets")["layer_metadata"]["DESCRIPTION"]


def test_gpkg_polygons_and_an_empty_selection_are_valid_files(
    make_store: MakeStore, tmp_path: Path
) -> None:
    store = make_store()
    path = tmp_path / "areas.gpkg"
    path.write_bytes(export_layer(store, AREAS, "gpkg").data)
    areas = gpd.read_file(path, layer="community_areas")
    assert len(areas) == 4 and set(areas.geom_type) == {"MultiPolygon"}
    empty = tmp_path / "none.gpkg"
    nowhere = {"district_code": ["E07000000"]}
    empty.write_bytes(export_layer(store, ASSETS, "gpkg", filters=nowhere).data)
    assert pyogrio.read_info(empty, layer="assets")["features"] == 0
    assert pyogrio.read_info(empty, layer="assets")["geometry_type"] == "Point"


def test_resolve_format_from_name_or_suffix() -> None:
    assert resolve_format(None, Path("a.GeoJSON")).name == "geojson"
    assert resolve_format("gpkg", Path("folder")).name == "gpkg"
    with pytest.raises(ValidationFailed, match=re.escape("ends in .gpkg but the format is csv")):
        resolve_format("csv", Path("a.gpkg"))
    with pytest.raises(ValidationFailed, match=re.escape("--format csv|geojson|gpkg")):
        resolve_format(None, Path("a.xlsx"))
    with pytest.raises(ValidationFailed, match="use one of csv, geojson, gpkg"):
        resolve_format("shp")


def test_write_files_is_all_or_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    first, second = tmp_path / "a.csv", blocker / "b.csv"
    with pytest.raises(OSError):
        write_files({first: b"one", second: b"two"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"], "nothing left behind"
    write_files({first: b"one", tmp_path / "sub" / "b.csv": b"two"})
    assert first.read_bytes() == b"one" and (tmp_path / "sub" / "b.csv").read_bytes() == b"two"
    assert first.stat().st_mode & 0o044 == 0o044, "readable by colleagues"


def test_plain_layers_export_without_positions(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store(metadata={"synthetic": "true", "notice": NOTICE})
    activities = CATALOG["activities"]
    rows = read_csv(export_layer(store, activities, "csv").data)
    assert list(rows[0]) == [*activities.field_names, "attribution"]
    assert [r["id"] for r in rows] == ["AC1", "AC2", "AC3", "AC4"]
    assert rows[2]["asset_ids"] == "A3;A2" and rows[1]["age_max"] == "4"
    collection = json.loads(export_layer(store, activities, "geojson").data)
    assert [f["geometry"] for f in collection["features"]] == [None] * 4
    assert collection["features"][0]["properties"]["schedule"] == "We 12:00-14:00"
    path = tmp_path / "organisations.gpkg"
    path.write_bytes(export_layer(store, CATALOG["organisations"], "gpkg").data)
    assert dict(pyogrio.list_layers(path).tolist())["organisations"] is None
    table = pyogrio.read_dataframe(path, layer="organisations", read_geometry=False)
    assert table["name"].tolist()[1] == "Westtown Good Neighbours"
