"""SQLite under the GeoPackage backend: connections with the functions GDAL's R-tree triggers
call, quoting, table shapes, the ``last_change`` stamp and record filters.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from assetmap.errors import StoreError, ValidationFailed
from assetmap.store.base import RECORD_DEFAULTS, RecordWhere, record_filter
from assetmap.store.geopackage.blob import envelope
from assetmap.store.validation import record_columns

__all__ = [
    "METADATA_TABLE",
    "connect",
    "geometry_column_of",
    "last_change_now",
    "quote",
    "record_where",
    "table_columns",
    "upgrade_record_table",
]

METADATA_TABLE = "assetmap_metadata"


def _bound(index: int) -> Any:
    def extract(blob: bytes | None) -> float | None:
        box = envelope(blob) if blob else None
        return None if box is None else box[index]

    return extract


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    # Functions GDAL's R-tree triggers call on insert and update.
    connection.create_function("ST_IsEmpty", 1, lambda b: 1 if not b or envelope(b) is None else 0)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, _bound(index), deterministic=True)
    return connection


def quote(identifier: str) -> str:
    # Identifiers come from validated layer specs (lower-case, digits, _), never from users.
    return '"' + identifier.replace('"', '""') + '"'



def table_columns(connection: sqlite3.Connection, table: str) -> list[str]:
    """Column names of ``table``; empty if there is no such table."""
    return [row[1] for row in connection.execute(f"PRAGMA table_info({quote(table)})")]


def geometry_column_of(connection: sqlite3.Connection, table: str, path: Path) -> tuple[str, int]:
    """(column, srs_id) of the table's geometry column, from ``gpkg_geometry_columns``."""
    row = connection.execute(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchone()
    if row is None:
        raise StoreError(f"Table {table!r} in {path} has no geometry column")
    return row[0], row[1]


def last_change_now() -> str:
    """The time now as ``gpkg_contents.last_change`` holds it (as GDAL writes it)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def upgrade_record_table(connection: sqlite3.Connection, table: str, existing: list[str]) -> None:
    """Add the columns declared since ``table`` was made (older rows get RECORD_DEFAULTS)."""
    defaults = RECORD_DEFAULTS.get(table, {})
    for column in record_columns(table):
        if column in existing:
            continue
        default = defaults.get(column)
        clause = "" if default is None else " DEFAULT '" + default.replace("'", "''") + "'"
        try:
            connection.execute(
                f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} TEXT{clause}"
            )
        except sqlite3.OperationalError as exc:  # another connection added it first
            if "duplicate column" not in str(exc):
                raise


def record_where(table: str, where: RecordWhere | None) -> tuple[str, list[Any]]:
    chosen = record_filter(where)
    columns = ("id", *record_columns(table))
    unknown = sorted(chosen.columns() - set(columns))
    if unknown:
        raise ValidationFailed(f"Cannot select {table} records by {unknown[0]!r}")
    clauses: list[str] = []
    parameters: list[Any] = []
    for name, value in chosen.equal.items():
        if value is None:
            clauses.append(f"{quote(name)} IS NULL")
        else:
            clauses.append(f"{quote(name)} = ?")
            parameters.append(value)
    for name, values in chosen.one_of.items():
        listed = list(values)
        clauses.append(f"{quote(name)} IN ({', '.join('?' * len(listed))})" if listed else "0")
        parameters.extend(listed)
    for name, value in chosen.at_least.items():
        clauses.append(f"{quote(name)} >= ?")
        parameters.append(value)
    for name, value in chosen.below.items():
        clauses.append(f"{quote(name)} < ?")
        parameters.append(value)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", parameters
