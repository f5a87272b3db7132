"""Reading features from a GeoPackage: the WHERE clause (filters, the R-tree for ``bbox``) and
rows as a GeoDataFrame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.crs import METRIC_CRS
from assetmap.layers import LayerSpec
from assetmap.store.base import BBox, Filters
from assetmap.store.geopackage.blob import decode_blobs
from assetmap.store.geopackage.sqlite import quote
from assetmap.store.validation import PANDAS_DTYPES, convert_filters, require_spatial

__all__ = ["geometry_select", "to_frame", "where_clause"]


def geometry_select(geometry_column: str | None) -> str:
    """The geometry column as the SELECT's last item, or nothing for a plain table."""
    return "" if geometry_column is None else f", {quote(geometry_column)}"


def where_clause(
    layer: LayerSpec,
    filters: Filters | None,
    bbox: BBox | None,
    geometry_column: str | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    parameters: list[Any] = []
    for name, converted in convert_filters(layer, filters).items():
        clauses.append(f"{quote(name)} IN ({', '.join('?' * len(converted))})")
        parameters.extend(converted)
    if bbox is not None:
        require_spatial(layer, "bbox")
        minx, miny, maxx, maxy = bbox
        rtree = quote(f"rtree_{layer.table}_{geometry_column}")
        clauses.append(
            f"fid IN (SELECT id FROM {rtree} WHERE minx <= ? AND maxx >= ? "
            "AND miny <= ? AND maxy >= ?)"
        )
        parameters.extend([maxx, minx, maxy, miny])
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", parameters


def to_frame(
    layer: LayerSpec, wanted: list[str], fields: list[str], rows: list[tuple[Any, ...]]
) -> gpd.GeoDataFrame:
    # Spatial rows end with the geometry blob; rows of a plain table (geometry_type: none) do not.
    width = len(fields) + (1 if layer.is_spatial else 0)
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    data: dict[str, Any] = {}
    for name in wanted:
        values = columns[fields.index(name)] if name in fields else [None] * len(rows)
        dtype = PANDAS_DTYPES.get(layer.field(name).type, "object")
        data[name] = pd.array(list(values), dtype=dtype)
    if not layer.is_spatial:
        geometry = np.full(len(rows), None, dtype=object)
    elif rows:
        geometry = decode_blobs(list(columns[-1]))
    else:
        geometry = np.array([], dtype=object)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=METRIC_CRS)
