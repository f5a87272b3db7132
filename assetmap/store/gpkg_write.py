"""Write whole tables to a new GeoPackage, atomically.

Used to create stores (the sample county, test fixtures, imports): the file is
written beside its destination and moved into place only when complete, so a
failure never leaves a half-written store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import pandas as pd

import geopandas as gpd

from assetmap.crs import to_metric
from assetmap.formats.files import replacing
from assetmap.formats.gpkg import GpkgLayer, write_layers

__all__ = ["index_ids", "layer_options", "write_geopackage"]


def layer_options(name: str) -> dict[str, str]:
    """GDAL options for one table: record tables keep their ``id`` as the primary key."""
    from assetmap.store.base import RECORD_TABLES

    return {"FID": "id"} if name in RECORD_TABLES else {}


def write_geopackage(path: Path, tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Write every table (GeoDataFrames in EPSG:27700, plain frames as attribute tables).

    Returns the row count per table. ``path`` is replaced only on success.
    """
    layers = {
        name: GpkgLayer(
            to_metric(frame, name) if isinstance(frame, gpd.GeoDataFrame) else frame,
            options=layer_options(name),
        )
        for name, frame in tables.items()
    }
    with replacing(path) as temporary:
        write_layers(temporary, layers)
        index_ids(temporary, tables)
    return {name: len(frame) for name, frame in tables.items()}


def index_ids(path: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Index the leading column of each spatial table (its id: ``id``, ``code``, ``postcode``).

    Reads are ordered by it and writes find features by it: without an index the first page
    of 100,000 features sorts them all, and each lookup scans the table. PostGIS gets the
    same index (``store/postgis/load.py``).
    """
    def quote(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    with closing(sqlite3.connect(path)) as connection, connection:
        for name, frame in tables.items():
            if not isinstance(frame, gpd.GeoDataFrame):
                continue
            first = next((str(c) for c in frame.columns if c != frame.geometry.name), None)
            if first is not None:
                connection.execute(f"CREATE INDEX IF NOT EXISTS {quote(f'{name}_{first}_idx')} "
                                   f"ON {quote(name)} ({quote(first)})")
