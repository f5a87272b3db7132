"""PostGIS backend: the same contract as the GeoPackage, on a PostgreSQL server.

For councils that already run PostgreSQL, and for several service processes
sharing one store. Geometries are ``geometry(…, 27700)`` columns with a GiST
index; ``bbox`` is ``&&`` plus ``ST_Intersects``. SQL is parameterised and
identifiers go through :class:`psycopg.sql.Identifier`. A one-row table,
``assetmap_version``, is bumped by every write in the writing transaction, so
:meth:`PostGISStore.version` changes for every process at the moment the
write becomes visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from assetmap.crs import METRIC_CRS
from assetmap.errors import NotFound, StoreError, ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.store.base import (
    RECORD_TABLES,
    BBox,
    Feature,
    Filters,
    Record,
    feature_from_row,
)
from assetmap.store.postgis.load import SRID, create_record_table, plan_table, write_table
from assetmap.store.validation import (
    PANDAS_DTYPES,
    clean_geometry,
    clean_properties,
    convert_filters,
    record_columns,
    record_value_names,
    wanted_fields,
)

__all__ = ["PostGISStore", "display_url"]

_METADATA_TABLE = "assetmap_metadata"
_VERSION_TABLE = "assetmap_version"
# Column types whose values psycopg returns as pandas takes them (the types replace_tables makes).
_NATIVE_TYPES = {"text", "bigint", "integer", "smallint", "double precision", "real", "boolean"}
_GEOMETRY = re.compile(r"^geometry(?:\((\w+)(?:,\s*(\d+))?\))?$", re.IGNORECASE)
_FIX = (
    "start the server (`docker compose up db`, or scripts/postgis.sh for tests) or correct "
    "the URL in ASSETMAP_STORE"
)
# Writes the server undid because another transaction got in the way.
_CLASHES = (
    psycopg.errors.TransactionRollback,
    psycopg.errors.DeadlockDetected,
    psycopg.errors.SerializationFailure,
)
_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*):[^@\s]*@")
Columns = dict[str, str]  # column name -> SQL type, in table order


def display_url(url: str) -> str:
    """The connection target without its password, for messages and logs."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unreadable URL)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def _table_ref(table: str) -> str:
    # to_regclass() parses a (possibly quoted) name and honours the search_path.
    return '"' + table.replace('"', '""') + '"'


class PostGISStore:
    """A store in a PostgreSQL database with PostGIS (EPSG:27700)."""

    name = "postgis"

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        self.display = display_url(url)
        _check_server(url, self.display)
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            timeout=15,
            name="assetmap",
            open=True,
        )

    def __repr__(self) -> str:
        return f"PostGISStore({self.display!r})"

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as connection:
                yield connection
        except _CLASHES as exc:
            raise StoreError(
                f"A write to {self.display} clashed with another made at the same moment and "
                f"was undone ({_first_line(exc)}); try again"
            ) from exc
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreError(
                f"The PostGIS store at {self.display} failed: {_first_line(exc)}; if the server "
                f"is down, {_FIX}"
            ) from exc

    # -- reading ---------------------------------------------------------------------------
    def has_layer(self, layer: LayerSpec) -> bool:
        with self._connection() as connection:
            return bool(_columns(connection, layer.table))

    def read(
        self,
        layer: LayerSpec,
        *,
        bbox: BBox | None = None,
        filters: Filters | None = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> gpd.GeoDataFrame:
        with self._connection() as connection:
            return self._select(
                connection, layer, bbox=bbox, filters=filters, fields=fields,
                limit=limit, offset=offset,
            )

    def _select(
        self,
        connection: psycopg.Connection[Any],
        layer: LayerSpec,
        *,
        bbox: BBox | None = None,
        filters: Filters | None = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        lock: bool = False,
    ) -> gpd.GeoDataFrame:
        wanted = wanted_fields(layer, fields)
        existing = _columns(connection, layer.table)
        if not existing:
            return _frame(layer, wanted, wanted, [])
        self._require_columns(layer, existing)
        geometry, _, srid = self._geometry_column(layer.table, existing)
        present = [f for f in wanted if f in existing]
        where, parameters = _where(layer, existing, filters, bbox, geometry, srid)
        query = sql.SQL("SELECT {fields}, ST_AsBinary({geometry}) FROM {table} {where} "
                        "ORDER BY {order} LIMIT %s OFFSET %s{lock}").format(
            fields=sql.SQL(", ").join(map(sql.Identifier, present)),
            geometry=sql.Identifier(geometry),
            table=sql.Identifier(layer.table),
            where=where,
            order=_order_by(layer.id_field, existing),
            lock=sql.SQL(" FOR UPDATE") if lock else sql.SQL(""),
        )
        # Binary results: geometries arrive as bytes with no hex decoding.
        with connection.cursor(binary=True) as cursor:
            rows = cursor.execute(query, [*parameters, limit, offset]).fetchall()
        return _frame(layer, wanted, present, rows, existing)

    def _require_columns(self, layer: LayerSpec, existing: Columns) -> None:
        missing = [f.name for f in layer.fields if f.required and f.name not in existing]
        if missing:
            raise StoreError(
                f"Table {layer.table!r} in {self.display} lacks required column(s) "
                f"{', '.join(missing)} declared in layers/{layer.name}.yaml; re-load the layer "
                "(`assetmap copy`) or correct the declaration."
            )

    def _geometry_column(self, table: str, existing: Columns) -> tuple[str, str, int]:
        """(column, geometry type, SRID) of the table's geometry column."""
        for name, kind in existing.items():
            match = _GEOMETRY.match(kind)
            if match:
                return name, match.group(1) or "Geometry", int(match.group(2) or SRID)
        raise StoreError(f"Table {table!r} in {self.display} has no geometry column")

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        frame = self.read(layer, filters={layer.id_field: [feature_id]})
        return None if frame.empty else feature_from_row(layer, frame.iloc[0])

    def count(self, layer: LayerSpec) -> int:
        with self._connection() as connection:
            if not _columns(connection, layer.table):
                return 0
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(layer.table))
            return int(_one(connection, query)[0])

    def metadata(self) -> dict[str, str]:
        with self._connection() as connection:
            if not _columns(connection, _METADATA_TABLE):
                return {}
            query = sql.SQL("SELECT key, value FROM {}").format(sql.Identifier(_METADATA_TABLE))
            rows = connection.execute(query).fetchall()
        return {str(key): str(value) for key, value in rows}

    def version(self) -> str:
        with self._connection() as connection:
            try:
                row = connection.execute(
                    sql.SQL("SELECT n, xmin::text FROM {}").format(sql.Identifier(_VERSION_TABLE))
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                return "0"
        # xmin (the writing transaction) tells a recreated table from the old one.
        return "0" if row is None else f"{row[0]}-{row[1]}"

    def records(
        self,
        table: str,
        *,
        where: Mapping[str, str | None] | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Record]:
        columns = record_columns(table)
        clause, parameters = _record_where(table, where)
        with self._connection() as connection:
            if not _columns(connection, table):
                return []
            query = sql.SQL("SELECT id, {columns} FROM {table} {where} ORDER BY id {order} "
                            "LIMIT %s OFFSET %s").format(
                columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
                table=sql.Identifier(table),
                where=clause,
                order=sql.SQL("DESC" if newest_first else "ASC"),
            )
            with connection.cursor(row_factory=dict_row) as cursor:
                return list(cursor.execute(query, [*parameters, limit, offset]).fetchall())

    def count_records(self, table: str, *, where: Mapping[str, str | None] | None = None) -> int:
        record_columns(table)
        clause, parameters = _record_where(table, where)
        with self._connection() as connection:
            if not _columns(connection, table):
                return 0
            query = sql.SQL("SELECT count(*) FROM {} {}").format(sql.Identifier(table), clause)
            return int(_one(connection, query, parameters)[0])

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[_PostGISTransaction]:
        with self._connection() as connection, connection.transaction():
            transaction = _PostGISTransaction(self, connection)
            yield transaction
            if transaction.changed_layers:  # records alone leave caches of layer data valid
                _bump_version(connection)

    def replace_tables(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Drop, recreate, COPY and index every table in one transaction."""
        plans = [plan_table(name, frame) for name, frame in tables.items()]
        with self._connection() as connection:
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    for plan in plans:
                        write_table(cursor, plan)
                    if set(tables) - set(RECORD_TABLES):
                        _bump_version(connection)
            except psycopg.errors.DependentObjectsStillExist as exc:
                raise StoreError(
                    f"Cannot replace tables in {self.display}: {_first_line(exc)}; drop or "
                    "recreate the views that use them. Nothing was changed."
                ) from exc

    def close(self) -> None:
        self._pool.close()


class _PostGISTransaction:
    def __init__(self, store: PostGISStore, connection: psycopg.Connection[Any]) -> None:
        self._store = store
        self._connection = connection
        self.changed_layers = False

    def _table(self, layer: LayerSpec) -> tuple[str, str, int, Columns]:
        existing = _columns(self._connection, layer.table)
        if not existing:
            raise StoreError(f"Layer {layer.name!r} has no table in {self._store.display} yet")
        geometry, kind, srid = self._store._geometry_column(layer.table, existing)
        return geometry, kind, srid, existing

    def _lock_id(self, layer: LayerSpec, feature_id: str) -> None:
        # Two writers adding the same new id wait for each other, so the second sees the first.
        self._connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"assetmap:{layer.table}:{feature_id}"],
        )

    def _exists(self, layer: LayerSpec, feature_id: str) -> bool:
        query = sql.SQL("SELECT 1 FROM {} WHERE {} = %s FOR UPDATE").format(
            sql.Identifier(layer.table), sql.Identifier(layer.id_field)
        )
        return self._connection.execute(query, [feature_id]).fetchone() is not None

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        frame = self._store._select(
            self._connection, layer, filters={layer.id_field: [feature_id]}, lock=True
        )
        return None if frame.empty else feature_from_row(layer, frame.iloc[0])

    def add(self, layer: LayerSpec, properties: Mapping[str, Any], geometry: BaseGeometry) -> str:
        self.changed_layers = True
        values = clean_properties(layer, properties)
        geometry = clean_geometry(layer, geometry)
        geometry_column, kind, srid, existing = self._table(layer)
        feature_id = str(values[layer.id_field])
        self._lock_id(layer, feature_id)
        if self._exists(layer, feature_id):
            raise ValidationFailed(f"A {layer.name} feature with id {feature_id!r} already exists")
        self._check_columns(layer, values, existing)
        names = [sql.Identifier(n) for n in (*values, geometry_column)]
        placeholders = [sql.Placeholder()] * len(values) + [_geometry_input(kind)]
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(layer.table), sql.SQL(", ").join(names), sql.SQL(", ").join(placeholders)
        )
        self._connection.execute(query, [*values.values(), shapely.to_wkb(geometry), srid])
        return feature_id

    def change(
        self,
        layer: LayerSpec,
        feature_id: str,
        properties: Mapping[str, Any] | None = None,
        geometry: BaseGeometry | None = None,
    ) -> None:
        self.changed_layers = True
        values = clean_properties(layer, properties or {}, partial=True)
        geometry_column, kind, srid, existing = self._table(layer)
        if not self._exists(layer, feature_id):
            raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
        if layer.id_field in values and str(values[layer.id_field]) != feature_id:
            raise ValidationFailed(f"The id of a {layer.name} feature cannot be changed")
        self._check_columns(layer, values, existing)
        assignments = [
            sql.SQL("{} = %s").format(sql.Identifier(name)) for name in values
        ]
        parameters: list[Any] = list(values.values())
        if geometry is not None:
            geometry = clean_geometry(layer, geometry)
            assignments.append(
                sql.SQL("{} = {}").format(sql.Identifier(geometry_column), _geometry_input(kind))
            )
            parameters += [shapely.to_wkb(geometry), srid]
        if not assignments:
            return
        query = sql.SQL("UPDATE {} SET {} WHERE {} = %s").format(
            sql.Identifier(layer.table),
            sql.SQL(", ").join(assignments),
            sql.Identifier(layer.id_field),
        )
        self._connection.execute(query, [*parameters, feature_id])

    def delete(self, layer: LayerSpec, feature_id: str) -> None:
        self.changed_layers = True
        self._table(layer)
        query = sql.SQL("DELETE FROM {} WHERE {} = %s").format(
            sql.Identifier(layer.table), sql.Identifier(layer.id_field)
        )
        if self._connection.execute(query, [feature_id]).rowcount == 0:
            raise NotFound(f"No {layer.name} feature with id {feature_id!r}")

    def _check_columns(
        self, layer: LayerSpec, values: Mapping[str, Any], existing: Columns
    ) -> None:
        missing = [name for name, v in values.items() if v is not None and name not in existing]
        if missing:
            raise StoreError(
                f"Table {layer.table!r} has no column(s) {', '.join(missing)}; re-load the layer "
                f"so its table matches layers/{layer.name}.yaml"
            )

    def lock(self, key: str) -> None:
        # Transaction-scoped advisory lock: released by COMMIT or ROLLBACK, never leaked.
        self._connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:lock:{key}"]
        )

    def set_metadata(self, values: Mapping[str, str]) -> None:
        self.changed_layers = True  # pages show metadata: caches must refresh
        table = sql.Identifier(_METADATA_TABLE)
        self._connection.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (key text, value text)").format(table)
        )
        for key, value in values.items():
            self._connection.execute(sql.SQL("DELETE FROM {} WHERE key = %s").format(table), [key])
            self._connection.execute(
                sql.SQL("INSERT INTO {} (key, value) VALUES (%s, %s)").format(table),
                [key, str(value)],
            )

    def insert_record(self, table: str, values: Mapping[str, str | None]) -> int:
        names = record_value_names(table, values)
        self._ensure_record_table(table)
        if names:
            query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
                sql.Identifier(table),
                sql.SQL(", ").join(map(sql.Identifier, names)),
                sql.SQL(", ").join([sql.Placeholder()] * len(names)),
            )
        else:
            query = sql.SQL("INSERT INTO {} DEFAULT VALUES RETURNING id").format(
                sql.Identifier(table)
            )
        return int(_one(self._connection, query, [_text(values[n]) for n in names])[0])

    def update_record(self, table: str, record_id: int, values: Mapping[str, str | None]) -> None:
        names = record_value_names(table, values)
        if not _columns(self._connection, table):
            raise NotFound(f"No record {record_id} in {table}")
        assignments: list[sql.Composable] = [
            sql.SQL("{} = %s").format(sql.Identifier(n)) for n in names
        ]
        # With nothing to set, still say whether the record exists.
        query = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(table), sql.SQL(", ").join(assignments or [sql.SQL("id = id")])
        )
        parameters = [_text(values[n]) for n in names]
        if self._connection.execute(query, [*parameters, record_id]).rowcount == 0:
            raise NotFound(f"No record {record_id} in {table}")

    def _ensure_record_table(self, table: str) -> None:
        if _columns(self._connection, table):
            return
        # Serialise first use, so two writers do not both try to create the table.
        self._connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:{table}"]
        )
        with self._connection.cursor() as cursor:
            create_record_table(cursor, table)


def _check_server(url: str, display: str) -> None:
    """Fail at start-up, with the fix, when the server or PostGIS is not there."""
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as connection:
            installed = connection.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"
            ).fetchone()
            on_path = connection.execute("SELECT to_regtype('geometry')").fetchone()
    except psycopg.ProgrammingError as exc:  # a malformed URL
        raise StoreError(
            f"ASSETMAP_STORE is not a usable PostgreSQL URL ({_first_line(exc)}); write it as "
            "postgresql://USER:PASSWORD@HOST:5432/DATABASE"
        ) from exc
    except psycopg.OperationalError as exc:
        raise StoreError(
            f"Cannot connect to the PostGIS store at {display}: {_first_line(exc)}; {_FIX}"
        ) from exc
    if installed is None:
        raise StoreError(
            f"PostGIS is not installed in {display}: run `CREATE EXTENSION postgis;` in that "
            "database as a superuser (the postgis/postgis image and scripts/postgis.sh do this)"
        )
    if on_path is None or on_path[0] is None:
        raise StoreError(
            f"PostGIS is installed in {display} but not on the search_path; add its schema "
            "(usually public) to the search_path"
        )


def _first_line(exc: BaseException) -> str:
    """The driver's message, minus any password it quotes back from the URL."""
    text = _PASSWORD_IN_URL.sub(r"\1@", str(exc).strip())
    return text.splitlines()[0] if text else type(exc).__name__


def _columns(connection: psycopg.Connection[Any], table: str) -> Columns:
    """Column names and types of a table on the search_path; empty if there is none."""
    rows = connection.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = to_regclass(%s::text) AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum",
        [_table_ref(table)],
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def _one(
    connection: psycopg.Connection[Any],
    query: sql.SQL | sql.Composed,
    parameters: Sequence[Any] = (),
) -> tuple[Any, ...]:
    row = connection.execute(query, list(parameters)).fetchone()
    assert row is not None  # aggregates and RETURNING always give a row
    return tuple(row)


def _order_by(id_field: str, existing: Columns) -> sql.Composable:
    # Bytewise order for text ids, as SQLite sorts them, whatever the database's collation.
    if existing.get(id_field) in ("text", "character varying") or existing.get(
        id_field, ""
    ).startswith("character varying"):
        return sql.SQL('{} COLLATE "C"').format(sql.Identifier(id_field))
    return sql.Identifier(id_field)


def _where(
    layer: LayerSpec,
    existing: Columns,
    filters: Filters | None,
    bbox: BBox | None,
    geometry: str,
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
        parameters.append([_text(v) for v in converted])
    if bbox is not None:
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


def _geometry_input(kind: str) -> sql.Composable:
    # Multi* columns take single geometries too (the layer contract allows them).
    if kind.lower().startswith("multi"):
        return sql.SQL("ST_Multi(ST_GeomFromWKB(%s, %s))")
    return sql.SQL("ST_GeomFromWKB(%s, %s)")


def _frame(
    layer: LayerSpec,
    wanted: list[str],
    present: list[str],
    rows: list[tuple[Any, ...]],
    existing: Columns | None = None,
) -> gpd.GeoDataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(present) + 1)
    data: dict[str, Any] = {}
    for name in wanted:
        values = columns[present.index(name)] if name in present else [None] * len(rows)
        kind = layer.field(name).type
        if rows and (existing or {}).get(name, "text") not in _NATIVE_TYPES:
            values = [_cell(v, kind) for v in values]  # only for unusual column types
        data[name] = pd.array(list(values), dtype=PANDAS_DTYPES.get(kind, "object"))
    geometry = shapely.from_wkb(list(columns[-1])) if rows else np.array([], dtype=object)
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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)








def _record_where(
    table: str, where: Mapping[str, str | None] | None
) -> tuple[sql.Composable, list[Any]]:
    columns = ("id", *record_columns(table))
    clauses: list[sql.Composable] = []
    parameters: list[Any] = []
    for name, value in (where or {}).items():
        if name not in columns:
            raise ValidationFailed(f"Cannot select {table} records by {name!r}")
        if value is None:
            clauses.append(sql.SQL("{} IS NULL").format(sql.Identifier(name)))
        elif name == "id":
            record_id = _whole_number(value)
            # An id that is not a number simply matches nothing, as in SQLite.
            clauses.append(sql.SQL("id = %s") if record_id is not None else sql.SQL("false"))
            parameters.extend([] if record_id is None else [record_id])
        else:
            clauses.append(sql.SQL("{} = %s").format(sql.Identifier(name)))
            parameters.append(_text(value))
    if not clauses:
        return sql.SQL(""), parameters
    return sql.SQL("WHERE ") + sql.SQL(" AND ").join(clauses), parameters


def _whole_number(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _bump_version(connection: psycopg.Connection[Any]) -> None:
    """Count this write; taken last in the transaction so the row lock is held briefly."""
    table = sql.Identifier(_VERSION_TABLE)
    if not _columns(connection, _VERSION_TABLE):
        connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:{_VERSION_TABLE}"]
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
