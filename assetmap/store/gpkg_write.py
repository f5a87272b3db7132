"""Write whole tables to a new GeoPackage, atomically.

Used to create stores (the sample county, test fixtures, imports): the file is
written beside its destination and moved into place only when complete, so a
failure never leaves a half-written store.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

import geopandas as gpd

from assetmap.crs import to_metric
from assetmap.formats.files import replacing
from assetmap.formats.gpkg import GpkgLayer, write_layers

__all__ = ["layer_options", "write_geopackage"]


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
    return {name: len(frame) for name, frame in tables.items()}
