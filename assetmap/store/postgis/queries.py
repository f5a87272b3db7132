"""SQL the PostGIS backend shares: table shapes, one-row results, text values, records, version.

Every identifier goes through :class:`psycopg.sql.Identifier` and every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from assetmap.errors import ValidationFailed
from assetmap.store.base import RECORD_DEFAULTS, RecordWhere, record_filter
from assetmap.store.validation import record_columns

__all__ = [
    "METADATA_TABLE",
    "VERSION_TABLE",
    "Columns",
    "as_text",
    "bump_version",
    "geometry_input",
    "one_row",
    "record_where",
    "table_columns",
    "upgrade_record_table",
]

METADATA_TABLE = "assetmap_metadata"
VERSION_TABLE = "assetmap_version"
Columns = dict[str, str]  # column name -> SQL type, in table order


def _table_ref(table: str) -> str:
    # to_regclass() parses a (possibly quoted) name and honours the search_path.
    return '"' + table.replace('"', '""') + '"'


def table_columns(connection: psycopg.Connection[Any], table: str) -> Columns:
    """Column names and types of a table on the search_path; empty if there is none."""
    rows = connection.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = to_regclass(%s::text) AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum",
        [_table_ref(table)],
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def one_row(
    connection: psycopg.Connection[Any],
    query: sql.SQL | sql.Composed,
    parameters: Sequence[Any] = (),
) -> tuple[Any, ...]:
    row = connection.execute(query, list(parameters)).fetchone()
    assert row is not None  # aggregates and RETURNING always give a row
    return tuple(row)


def geometry_input(kind: str) -> sql.Composable:
    # Multi* columns take single geometries too (the layer contract allows them).
    if kind.lower().startswith("multi"):
        return sql.SQL("ST_Multi(ST_GeomFromWKB(%s, %s))")
    return sql.SQL("ST_GeomFromWKB(%s, %s)")


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def upgrade_record_table(
    connection: psycopg.Connection[Any], table: str, existing: Columns
) -> None:
    """Add the columns declared since ``table`` was made (older rows get RECORD_DEFAULTS),
    in a transaction (a savepoint within the caller's)."""
    missing = [c for c in record_columns(table) if c not in existing]
    if not missing:
        return
    defaults = RECORD_DEFAULTS.get(table, {})
    with connection.transaction():
        connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:{table}"]
        )
        for column in missing:
            default = defaults.get(column)
            clause = sql.SQL("") if default is None else sql.SQL(" DEFAULT {}").format(
                sql.Literal(default))
            connection.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} text{}").format(
                sql.Identifier(table), sql.Identifier(column), clause))


def record_where(table: str, where: RecordWhere | None) -> tuple[sql.Composable, list[Any]]:
    chosen = record_filter(where)
    columns = ("id", *record_columns(table))
    unknown = sorted(chosen.columns() - set(columns))
    if unknown:
        raise ValidationFailed(f"Cannot select {table} records by {unknown[0]!r}")
    clauses: list[sql.Composable] = []
    parameters: list[Any] = []
    for name, value in chosen.equal.items():
        if value is None:
            clauses.append(sql.SQL("{} IS NULL").format(sql.Identifier(name)))
        elif name == "id":
            record_id = _whole_number(value)
            # An id that is not a number simply matches nothing, as in SQLite.
            clauses.append(sql.SQL("id = %s") if record_id is not None else sql.SQL("false"))
            parameters.extend([] if record_id is None else [record_id])
        else:
            clauses.append(sql.SQL("{} = %s").format(sql.Identifier(name)))
            parameters.append(as_text(value))
    for name, values in chosen.one_of.items():
        clauses.append(sql.SQL("{}::text = ANY(%s)").format(sql.Identifier(name)))
        parameters.append([str(v) for v in values])
    # Bytewise, as in SQLite, whatever the database's collation.
    for name, value in chosen.at_least.items():
        clauses.append(sql.SQL('{} COLLATE "C" >= %s').format(sql.Identifier(name)))
        parameters.append(value)
    for name, value in chosen.below.items():
        clauses.append(sql.SQL('{} COLLATE "C" < %s').format(sql.Identifier(name)))
        parameters.append(value)
    if not clauses:
        return sql.SQL(""), parameters
    return sql.SQL("WHERE ") + sql.SQL(" AND ").join(clauses), parameters


def _whole_number(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def bump_version(connection: psycopg.Connection[Any]) -> None:
    """Count this write; taken last in the transaction so the row lock is held briefly."""
    table = sql.Identifier(VERSION_TABLE)
    if not table_columns(connection, VERSION_TABLE):
        connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:{VERSION_TABLE}"]
        )
        connection.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
                "n bigint NOT NULL)"
            ).format(table)
        )
    connection.execute(
        sql.SQL(
            "INSERT INTO {t} (one, n) VALUES (true, 1) "
            "ON CONFLICT (one) DO UPDATE SET n = {t}.n + 1"
        ).format(t=table)
    )
