"""GeoPackage bytes: every layer and table written, always GeoPackage 1.2."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import Point, box

from assetmap.formats.gpkg import GPKG_VERSION, GpkgLayer, geopackage_bytes, write_layers

# GeoPackage 1.2 writes application_id "GPKG" and user_version 10200.
_GPKG_APPLICATION_ID = 0x47504B47


def _open(data: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "out.gpkg"
    path.write_bytes(data)
    return path


def test_layers_and_tables_are_written_as_geopackage_1_2(tmp_path: Path) -> None:
    points = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(1, 2), Point(3, 4)],
                              crs="EPSG:27700")
    polygons = gpd.GeoDataFrame({"code": ["X"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:27700")
    table = pd.DataFrame({"key": ["k"], "value": ["v"]})
    data = geopackage_bytes({
        "points": points,
        "areas": GpkgLayer(polygons, geometry_type="MultiPolygon", promote_to_multi=True,
                           identifier="The areas", description="Made in a test"),
        "metadata": table,
    })
    path = _open(data, tmp_path)
    assert GPKG_VERSION == "1.2"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == _GPKG_APPLICATION_ID
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        identifier, description = db.execute(
            "SELECT identifier, description FROM gpkg_contents WHERE table_name = 'areas'"
        ).fetchone()
    assert (identifier, description) == ("The areas", "Made in a test")
    names = [name for name, _ in pyogrio.list_layers(path)]
    assert names == ["points", "areas", "metadata"]
    areas = gpd.read_file(path, layer="areas")
    assert list(areas.geom_type) == ["MultiPolygon"]
    assert areas.crs.to_epsg() == 27700
    assert list(gpd.read_file(path, layer="points")["name"]) == ["a", "b"]
    assert pd.read_sql("SELECT key, value FROM metadata", sqlite3.connect(path)).to_dict(
        "records") == [{"key": "k", "value": "v"}]


def test_no_layers_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one layer"):
        geopackage_bytes({})


def test_write_layers_passes_layer_options(tmp_path: Path) -> None:
    path = tmp_path / "x.gpkg"
    table = gpd.GeoDataFrame({"id": [7], "name": ["a"]}, geometry=[Point(1, 2)], crs="EPSG:27700")
    write_layers(path, {"t": GpkgLayer(table, options={"FID": "id"})})
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT id, name FROM t").fetchall() == [(7, "a")]
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
