"""Whole tables into PostGIS: column types from frames, DDL, and COPY.

Every frame is checked and converted before any SQL runs, so a bad frame
fails with a message naming the table, column and row, and nothing is
written. The caller runs :func:`write_table` for every plan inside one
transaction (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from psycopg import Cursor, sql

import geopandas as gpd
import shapely
from shapely.geometry import MultiLineString, MultiPoint, MultiPolygon
from shapely.geometry.base import BaseGeometry

from assetmap.crs import to_metric
from assetmap.errors import ValidationFailed
from assetmap.store.base import RECORD_INDEXES, RECORD_TABLES

__all__ = [
    "GEOMETRY_COLUMN",
    "SRID",
    "TablePlan",
    "create_record_table",
    "plan_table",
    "write_table",
]

SRID = 27700
GEOMETRY_COLUMN = "geom"  # as GDAL names it in a GeoPackage
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_MULTI = {"Point": MultiPoint, "LineString": MultiLineString, "Polygon": MultiPolygon}


@dataclass(frozen=True)
class TablePlan:
    """A table ready to write: name, typed columns, rows as plain Python values."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (name, SQL type), geometry last if any
    rows: list[tuple[Any, ...]]
    geometry_type: str | None = None  # e.g. "MultiPolygon"; None for attribute tables
    record: bool = False  # a register table: ``id`` is a bigserial key


def plan_table(name: str, frame: pd.DataFrame) -> TablePlan:
    """Check and convert one frame; raise ``ValidationFailed`` naming what is wrong."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValidationFailed(
            f"Table name {name!r}: use lower-case letters, digits and underscores "
            "(e.g. community_areas)"
        )
    if not isinstance(frame, pd.DataFrame):
        raise ValidationFailed(f"Table {name!r}: expected a (Geo)DataFrame, got {type(frame)}")
    duplicates = sorted({str(c) for c in frame.columns if list(frame.columns).count(c) > 1})
    if duplicates:
        raise ValidationFailed(f"Table {name!r}: column(s) {', '.join(duplicates)} appear twice")
    if name in RECORD_TABLES:
        return _plan_records(name, frame)
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        return _plan_spatial(name, frame)
    columns = [(_column_name(name, c), _sql_type(frame[c])) for c in frame.columns]
    return TablePlan(name, tuple(columns), _rows(name, frame, columns))


def _plan_spatial(name: str, frame: gpd.GeoDataFrame) -> TablePlan:
    frame = to_metric(frame, f"Table {name!r}")
    geometry_name = frame.geometry.name
    attributes = [c for c in frame.columns if c != geometry_name]
    for column in attributes:
        if isinstance(frame[column].dtype, gpd.array.GeometryDtype):
            raise ValidationFailed(
                f"Table {name!r}: column {column!r} is a second geometry column; keep one "
                "geometry per table"
            )
        if column == GEOMETRY_COLUMN:
            raise ValidationFailed(
                f"Table {name!r}: column {column!r} clashes with the geometry column; rename it"
            )
    columns = [(_column_name(name, c), _sql_type(frame[c])) for c in attributes]
    geometries = list(frame.geometry.array)
    geometry_type = _geometry_type(geometries)
    rows = _rows(name, frame, columns)
    wkb = _ewkb(geometries, geometry_type)
    rows = [(*row, geometry) for row, geometry in zip(rows, wkb, strict=True)]
    columns.append((GEOMETRY_COLUMN, f"geometry({geometry_type}, {SRID})"))
    return TablePlan(name, tuple(columns), rows, geometry_type=geometry_type)


def _plan_records(name: str, frame: pd.DataFrame) -> TablePlan:
    allowed = ("id", *RECORD_TABLES[name])
    unknown = [str(c) for c in frame.columns if c not in allowed]
    if unknown:
        raise ValidationFailed(
            f"Record table {name!r} has no column(s) {', '.join(unknown)}; "
            f"its columns are {', '.join(allowed)}"
        )
    columns = [(c, "bigint" if c == "id" else "text") for c in allowed if c in frame.columns]
    rows = _rows(name, frame, columns)
    if "id" in frame.columns:
        ids = [row[0] for row in rows]
        if None in ids or len(set(ids)) != len(ids):
            raise ValidationFailed(
                f"Record table {name!r}: every row needs its own id (some are missing or "
                "repeated); leave the id column out to number the rows afresh"
            )
    return TablePlan(name, tuple(columns), rows, record=True)


def _column_name(table: str, column: object) -> str:
    if not isinstance(column, str) or not column:
        raise ValidationFailed(f"Table {table!r}: column name {column!r} must be a non-empty text")
    return column


def _sql_type(series: pd.Series) -> str:
    """A column type from a pandas dtype (dates stay ISO 8601 text, as in a GeoPackage)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "bigint"
    if pd.api.types.is_float_dtype(dtype):
        return "double precision"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "timestamptz"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "timestamp"
    values = [v for v in series.tolist() if not _missing(v)]
    # Object columns: typed only when every value agrees, else text.
    if values and all(isinstance(v, bool | np.bool_) for v in values):
        return "boolean"
    if values and all(_is_int(v) for v in values):
        return "bigint"
    if values and all(_is_int(v) or isinstance(v, float | np.floating) for v in values):
        return "double precision"
    return "text"


def _rows(
    table: str, frame: pd.DataFrame, columns: Sequence[tuple[str, str]]
) -> list[tuple[Any, ...]]:
    converted = []
    for column, kind in columns:
        values = frame[column].tolist()
        try:
            converted.append([_value(v, kind) for v in values])
        except (TypeError, ValueError) as exc:
            row = next(i for i, v in enumerate(values) if not _convertible(v, kind))
            raise ValidationFailed(
                f"Table {table!r}, column {column!r}, row {row + 1}: {exc}; give a {kind} value"
            ) from exc
    return list(zip(*converted, strict=True)) if converted else [() for _ in range(len(frame))]


def _convertible(value: Any, kind: str) -> bool:
    try:
        _value(value, kind)
    except (TypeError, ValueError):
        return False
    return True


def _value(value: Any, kind: str) -> Any:
    """One cell as a plain Python value psycopg can send (missing -> None)."""
    if _missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if kind in ("timestamp", "timestamptz"):
        return pd.Timestamp(value).to_pydatetime()
    if kind == "boolean":
        return bool(value)
    if kind == "bigint":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)
    if kind == "double precision":
        return float(value)
    return _text(value)


def _text(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, bool | int | float | np.generic):
        return str(value.item() if isinstance(value, np.generic) else value)
    raise TypeError(f"cannot store a {type(value).__name__} ({value!r:.40}) as text")


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _geometry_type(geometries: Iterable[BaseGeometry | None]) -> str:
    """One declared type, promoting singles to multis as GDAL does for mixed layers."""
    kinds: set[str] = {g.geom_type for g in geometries if g is not None}
    if len(kinds) == 1:
        return kinds.pop()
    for single in _MULTI:
        if kinds == {single, f"Multi{single}"}:
            return f"Multi{single}"
    return "Geometry"


def _ewkb(geometries: Sequence[BaseGeometry | None], geometry_type: str) -> list[str | None]:
    """Hex EWKB with the SRID, which PostGIS reads as geometry input in COPY."""
    single = geometry_type.removeprefix("Multi")
    promoted = [
        _MULTI[single]([g]) if g is not None and geometry_type != single
        and single in _MULTI and g.geom_type == single else g
        for g in geometries
    ]
    array = shapely.set_srid(np.array(promoted, dtype=object), SRID)
    return list(shapely.to_wkb(array, hex=True, include_srid=True))


def create_record_table(cursor: Cursor[Any], table: str) -> None:
    """A register table: ``id`` bigserial key and every column text."""
    definitions: list[sql.Composable] = [sql.SQL("id bigserial PRIMARY KEY")] + [
        sql.SQL("{} text").format(sql.Identifier(c)) for c in RECORD_TABLES[table]
    ]
    cursor.execute(
        sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(definitions)
        )
    )
    for column in RECORD_INDEXES.get(table, ()):
        cursor.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
            sql.Identifier(f"{table}_{column}_idx"), sql.Identifier(table),
            sql.Identifier(column)))


def write_table(cursor: Cursor[Any], plan: TablePlan) -> None:
    """Drop and recreate one table, COPY its rows and index it (inside the caller's transaction)."""
    table = sql.Identifier(plan.name)
    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
    names = [name for name, _ in plan.columns]
    if plan.record:
        create_record_table(cursor, plan.name)
    else:
        # Text compares and sorts bytewise ("C"), as in SQLite, whatever the database's
        # collation: reads come back in the same id order from both backends, and one index
        # serves both id lookups and ORDER BY id.
        definitions: list[sql.Composable] = [
            sql.SQL("{} {}{}").format(
                sql.Identifier(name),
                sql.SQL(kind),
                sql.SQL(' COLLATE "C"') if kind == "text" else sql.SQL(""),
            )
            for name, kind in plan.columns
        ]
        if "fid" not in names:
            # A key GDAL and QGIS use to edit the layer, as in a GeoPackage.
            definitions.insert(
                0, sql.SQL("fid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
            )
        cursor.execute(
            sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(definitions))
        )
    if names:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            table, sql.SQL(", ").join(map(sql.Identifier, names))
        )
        with cursor.copy(statement) as copy:
            for row in plan.rows:
                copy.write_row(row)
    _index(cursor, plan)
    cursor.execute(sql.SQL("ANALYZE {}").format(table))


def _index(cursor: Cursor[Any], plan: TablePlan) -> None:
    if plan.record:
        if any(name == "id" for name, _ in plan.columns):
            # Rows kept their ids: new records continue after the largest.
            cursor.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "coalesce((SELECT max(id) FROM {}), 0) + 1, false)"
                ).format(sql.Identifier(plan.name)),
                [plan.name],
            )
        return
    if plan.geometry_type is not None:
        cursor.execute(
            sql.SQL("CREATE INDEX {} ON {} USING gist ({})").format(
                sql.Identifier(f"{plan.name}_{GEOMETRY_COLUMN}_gist"),
                sql.Identifier(plan.name),
                sql.Identifier(GEOMETRY_COLUMN),
            )
        )
        first = plan.columns[0][0]
        if first != GEOMETRY_COLUMN:
            # Layers lead with their id field (id, code, postcode): reads are ordered by it
            # and writes find features by it.
            cursor.execute(
                sql.SQL("CREATE INDEX {} ON {} ({})").format(
                    sql.Identifier(f"{plan.name}_{first}_idx"),
                    sql.Identifier(plan.name),
                    sql.Identifier(first),
                )
            )
