"""Write whole tables to a new GeoPackage, atomically.

Used to create stores (the sample county, test fixtures, imports): the file is
written beside its destination and moved into place only when complete, so a
failure never leaves a half-written store.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

import geopandas as gpd
import pyogrio

from assetmap.crs import to_metric

__all__ = ["layer_options", "write_geopackage"]


def layer_options(name: str) -> dict[str, str]:
    """GDAL options for one table: record tables keep their ``id`` as the primary key."""
    from assetmap.store.base import RECORD_TABLES

    return {"FID": "id"} if name in RECORD_TABLES else {}


def write_geopackage(path: Path, tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Write every table (GeoDataFrames in EPSG:27700, plain frames as attribute tables).

    Returns the row count per table. ``path`` is replaced only on success.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    os.unlink(temporary)  # GDAL creates the file itself
    try:
        for name, frame in tables.items():
            if isinstance(frame, gpd.GeoDataFrame):
                frame = to_metric(frame, name)
            # GeoPackage 1.2: what older GDAL (ogrinfo 3.6) and QGIS read without warnings.
            pyogrio.write_dataframe(
                frame, temporary, layer=name, driver="GPKG", dataset_options={"VERSION": "1.2"},
                layer_options=layer_options(name),
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return {name: len(frame) for name, frame in tables.items()}
