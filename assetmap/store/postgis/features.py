"""Reading features from PostGIS: the SELECT (filters, bbox, id order, optional lock) and its
rows as a GeoDataFrame typed as the GeoPackage backend types it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

import geopandas as gpd
import shapely

from assetmap.crs import METRIC_CRS
from assetmap.errors import StoreError
from assetmap.layers import LayerSpec
from assetmap.store.base import BBox, Filters
from assetmap.store.postgis.load import SRID
from assetmap.store.postgis.queries import Columns, as_text, table_columns
from assetmap.store.validation import (
    PANDAS_DTYPES,
    convert_filters,
    require_columns,
    require_spatial,
    wanted_fields,
)

__all__ = ["count_features", "geometry_column_of", "select_features"]

# Column types whose values psycopg returns as pandas takes them (the types replace_tables makes).
_NATIVE_TYPES = {"text", "bigint", "integer", "smallint", "double precision", "real", "boolean"}
_GEOMETRY = re.compile(r"^geometry(?:\((\w+)(?:,\s*(\d+))?\))?$", re.IGNORECASE)


def select_features(
    connection: psycopg.Connection[Any],
    layer: LayerSpec,
    display: str,
    *,
    bbox: BBox | None = None,
    filters: Filters | None = None,
    fields: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    lock: bool = False,
) -> gpd.GeoDataFrame:
    """Features of ``layer`` read on ``connection`` (``lock``: FOR UPDATE, in a transaction)."""
    wanted = wanted_fields(layer, fields)
    existing = table_columns(connection, layer.table)
    if not existing:
        return _to_frame(layer, wanted, wanted, [])
    require_columns(layer, existing, display, "re-load the layer (`assetmap copy`)")
    geometry, srid = None, SRID
    if layer.is_spatial:
        geometry, _, srid = geometry_column_of(layer.table, existing, display)
    present = [f for f in wanted if f in existing]
    where, parameters = _where_clause(layer, existing, filters, bbox, geometry, srid)
    query = sql.SQL("SELECT {fields}{geometry} FROM {table} {where} "
                    "ORDER BY {order} LIMIT %s OFFSET %s{lock}").format(
        fields=sql.SQL(", ").join(map(sql.Identifier, present)),
        geometry=(sql.SQL(", ST_AsBinary({})").format(sql.Identifier(geometry))
                  if geometry is not None else sql.SQL("")),
        table=sql.Identifier(layer.table),
        where=where,
        order=_order_by(layer.id_field, existing),
        lock=sql.SQL(" FOR UPDATE") if lock else sql.SQL(""),
    )
    # Binary results: geometries arrive as bytes with no hex decoding.
    with connection.cursor(binary=True) as cursor:
        rows = cursor.execute(query, [*parameters, limit, offset]).fetchall()
    return _to_frame(layer, wanted, present, rows, existing)



def geometry_column_of(table: str, existing: Columns, display: str) -> tuple[str, str, int]:
    """(column, geometry type, SRID) of the table's geometry column."""
    for name, kind in existing.items():
        match = _GEOMETRY.match(kind)
        if match:
            return name, match.group(1) or "Geometry", int(match.group(2) or SRID)
    raise StoreError(f"Table {table!r} in {display} has no geometry column")


def _order_by(id_field: str, existing: Columns) -> sql.Composable:
    # Bytewise order for text ids, as SQLite sorts them, whatever the database's collation.
    if existing.get(id_field) in ("text", "character varying") or existing.get(
        id_field, ""
    ).startswith("character varying"):
        return sql.SQL('{} COLLATE "C"').format(sql.Identifier(id_field))
    return sql.Identifier(id_field)


def count_features(
    connection: psycopg.Connection[Any], layer: LayerSpec, filters: Filters | None
) -> int:
    existing = table_columns(connection, layer.table)
    if not existing:
        return 0
    where, parameters = _where_clause(layer, existing, filters, None, "", 0)
    query = sql.SQL("SELECT count(*) FROM {} {}").format(sql.Identifier(layer.table), where)
    row = connection.execute(query, parameters).fetchone()
    return int(row[0]) if row else 0


def _where_clause(
    layer: LayerSpec,
    existing: Columns,
    filters: Filters | None,
    bbox: BBox | None,
    geometry: str | None,
    srid: int,
) -> tuple[sql.Composable, list[Any]]:
    clauses: list[sql.Composable] = []
    parameters: list[Any] = []
    for name, converted in convert_filters(layer, filters).items():
        if name not in existing:
            clauses.append(sql.SQL("false"))  # an absent column holds no value
            continue
        # Values travel as text and are cast to the column's own type, whatever it is.
        clauses.append(
            sql.SQL("{} = ANY(CAST(%s AS {}[]))").format(
                sql.Identifier(name), sql.SQL(existing[name])
            )
        )
        parameters.append([as_text(v) for v in converted])
    if bbox is not None:
        require_spatial(layer, "bbox")
        assert geometry is not None  # a spatial layer's table has one (geometry_column_of)
        envelope = sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, %s)")
        clauses.append(
            sql.SQL("{g} && {e} AND ST_Intersects({g}, {e})").format(
                g=sql.Identifier(geometry), e=envelope
            )
        )
        parameters.extend([*bbox, srid, *bbox, srid])
    if not clauses:
        return sql.SQL(""), parameters
    return sql.SQL("WHERE ") + sql.SQL(" AND ").join(clauses), parameters


def _to_frame(
    layer: LayerSpec,
    wanted: list[str],
    present: list[str],
    rows: list[tuple[Any, ...]],
    existing: Columns | None = None,
) -> gpd.GeoDataFrame:
    # Spatial rows end with the geometry; rows of a plain table (geometry_type: none) do not.
    width = len(present) + (1 if layer.is_spatial else 0)
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    data: dict[str, Any] = {}
    for name in wanted:
        values = columns[present.index(name)] if name in present else [None] * len(rows)
        kind = layer.field(name).type
        if rows and (existing or {}).get(name, "text") not in _NATIVE_TYPES:
            values = [_cell(v, kind) for v in values]  # only for unusual column types
        data[name] = pd.array(list(values), dtype=PANDAS_DTYPES.get(kind, "object"))
    if not layer.is_spatial:
        geometry = np.full(len(rows), None, dtype=object)
    elif rows:
        geometry = shapely.from_wkb(list(columns[-1]))
    else:
        geometry = np.array([], dtype=object)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=METRIC_CRS)


def _cell(value: Any, kind: str) -> Any:
    """A database value as the GeoPackage backend returns it (dates as ISO 8601 text)."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if kind == "int" and not isinstance(value, int):
        return int(value)
    if kind == "float" and not isinstance(value, float):
        return float(value)
    return value
