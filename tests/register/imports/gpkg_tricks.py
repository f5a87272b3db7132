"""GeoPackages that lie about themselves (issue 15): a wrong stored feature count, a layer
that is a view, a recursive view. Each returns the file's bytes."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

__all__ = ["deeply_nested_geojson", "halls_gpkg", "miscounted_gpkg", "recursive_view_gpkg",
           "view_gpkg"]


def halls_gpkg(folder: Path, rows: int = 300) -> Path:
    frame = gpd.GeoDataFrame(
        {"id": [f"G{n}" for n in range(rows)], "name": [f"Hall {n}" for n in range(rows)],
         "category": ["village_hall"] * rows, "status": ["open"] * rows},
        geometry=[Point(452_500 + n, 305_500) for n in range(rows)], crs="EPSG:27700",
    )
    path = folder / "halls.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(frame, path, layer="assets", driver="GPKG")
    return path


def miscounted_gpkg(folder: Path, rows: int = 300, claimed: int = 1) -> bytes:
    """``rows`` halls in a file whose gpkg_ogr_contents says there are ``claimed``."""
    path = halls_gpkg(folder, rows)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE gpkg_ogr_contents SET feature_count = ?", (claimed,))
    return path.read_bytes()


def _register_view(path: Path, view: str, select: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(f"CREATE VIEW {view} AS {select}")
        connection.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES (?, 'features', ?, 27700)", (view, view))
        connection.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 27700, 0, 0)", (view,))


def _hidden_table(folder: Path) -> Path:
    """A GeoPackage whose halls table is renamed and no longer listed as a layer."""
    path = halls_gpkg(folder, 3)
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE assets RENAME TO hidden_halls")
        connection.execute("DELETE FROM gpkg_contents")
        connection.execute("DELETE FROM gpkg_geometry_columns")
        connection.execute("DELETE FROM gpkg_ogr_contents")
    return path


def view_gpkg(folder: Path) -> bytes:
    """One layer, ``assets``, that is a view over a table of halls."""
    path = _hidden_table(folder)
    _register_view(path, "assets", "SELECT * FROM hidden_halls")
    return path.read_bytes()


def recursive_view_gpkg(folder: Path) -> bytes:
    """A layer that is a recursive query of ten million rows."""
    path = _hidden_table(folder)
    _register_view(path, "assets", (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) "
        "SELECT i AS fid, 'Hall' AS name, NULL AS geom FROM n"))
    return path.read_bytes()


def deeply_nested_geojson(depth: int = 100_000) -> bytes:
    return b'{"type": "FeatureCollection", "features": ' + b"[" * depth + b"]" * depth + b"}"
