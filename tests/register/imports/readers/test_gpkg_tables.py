"""Imports that cannot be fooled (issue 15): rows are counted by SQLite, not taken from the
file's own record; views are refused; deeply nested JSON and empty files are one-line errors."""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import DataError
from assetmap.layers import load_catalog
from assetmap.register.imports.readers import ImportLimits, read_asset_file
from tests.register.imports.gpkg_tricks import (
    deeply_nested_geojson,
    halls_gpkg,
    miscounted_gpkg,
    recursive_view_gpkg,
    view_gpkg,
)

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


def test_an_honest_geopackage_is_read_whole(tmp_path: Path) -> None:
    table = read_asset_file(halls_gpkg(tmp_path, 300).read_bytes(), "halls.gpkg", ASSETS)
    assert len(table.rows) == 300


def test_a_stored_count_that_disagrees_with_the_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError) as raised:
        read_asset_file(miscounted_gpkg(tmp_path, 300, claimed=1), "halls.gpkg", ASSETS)
    message = raised.value.message
    assert "says it holds 1 features (gpkg_ogr_contents) but its table has 300 rows" in message
    assert "ogr2ogr -f GPKG fixed.gpkg halls.gpkg" in message and "\n" not in message


def test_the_row_limit_counts_the_rows_not_the_claim(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"has 300 features, more than the 100 one import"):
        read_asset_file(miscounted_gpkg(tmp_path, 300, claimed=1), "halls.gpkg", ASSETS,
                        limits=ImportLimits(max_rows=100))


def test_a_layer_that_is_a_view_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"layer 'assets' is a view \(a saved query\)"):
        read_asset_file(view_gpkg(tmp_path), "halls.gpkg", ASSETS)


def test_a_recursive_view_is_refused_without_running_it(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DataError, match="is a view"):
        read_asset_file(recursive_view_gpkg(tmp_path), "halls.gpkg", ASSETS)
    assert time.monotonic() - started < 5  # the ten million rows were never produced


def test_json_nested_100000_deep_is_one_line() -> None:
    with pytest.raises(DataError, match="JSON nested too deeply to read"):
        read_asset_file(deeply_nested_geojson(), "deep.geojson", ASSETS)


@pytest.mark.parametrize(("name", "data"), [
    ("empty.geojson", b""), ("empty.csv", b""), ("blank.geojson", b"  \n"),
    ("blank.csv", b"\n\n"), ("empty.gpkg", b""), ("junk.gpkg", b"not a database"),
])
def test_empty_and_junk_files_are_one_line_errors(name: str, data: bytes) -> None:
    with pytest.raises(DataError) as raised:
        read_asset_file(data, name, ASSETS)
    assert raised.value.message.startswith(name) and "\n" not in raised.value.message


def test_a_height_is_refused_not_dropped_in_geojson_and_geopackage(tmp_path: Path) -> None:
    feature = {"type": "Feature", "properties": {"id": "Z1", "name": "Hill Hall"},
               "geometry": {"type": "Point", "coordinates": [-1.24, 52.62, 120.0]}}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    [row] = read_asset_file(data, "z.geojson", ASSETS).rows
    [problem] = row.problems
    assert (problem.field, row.xy) == ("geometry", None)
    assert "height (a third coordinate, z)" in problem.problem and "-dim XY" in problem.fix
    frame = gpd.GeoDataFrame({"id": ["Z2"], "name": ["Hill Hall"]},
                             geometry=[Point(452_500, 305_500, 120.0)], crs="EPSG:27700")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(frame, tmp_path / "z.gpkg", layer="assets", driver="GPKG")
    [row] = read_asset_file((tmp_path / "z.gpkg").read_bytes(), "z.gpkg", ASSETS).rows
    assert row.xy is None and "has a height (z)" in row.problems[0].problem
