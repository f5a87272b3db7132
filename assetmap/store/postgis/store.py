"""PostGIS backend: the same contract as the GeoPackage, on a PostgreSQL server.

For councils that already run PostgreSQL, and for several service processes
sharing one store. Geometries are ``geometry(…, 27700)`` columns with a GiST
index; ``bbox`` is ``&&`` plus ``ST_Intersects``. SQL is parameterised and
identifiers go through :class:`psycopg.sql.Identifier`. A one-row table,
``assetmap_version``, is bumped by every write in the writing transaction, so
:meth:`PostGISStore.version` changes for every process at the moment the
write becomes visible.

Beside this module: ``server.py`` (start-up check, URLs without passwords),
``features.py`` (the SELECT and its rows as a frame), ``transaction.py`` (writes),
``queries.py`` (shared SQL) and ``load.py`` (``replace_tables``: frames to tables).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

import geopandas as gpd

from assetmap.errors import StoreError
from assetmap.layers import LayerSpec
from assetmap.store.base import (
    RECORD_TABLES,
    BBox,
    Feature,
    Filters,
    Record,
    RecordWhere,
    feature_from_row,
)
from assetmap.store.postgis.features import count_features, select_features
from assetmap.store.postgis.load import plan_table, write_table
from assetmap.store.postgis.queries import (
    METADATA_TABLE,
    VERSION_TABLE,
    bump_version,
    one_row,
    record_where,
    table_columns,
    upgrade_record_table,
)
from assetmap.store.postgis.search import search_layer
from assetmap.store.postgis.server import CLASHES, FIX, check_server, display_url, first_line
from assetmap.store.postgis.transaction import PostGISTransaction, dependent_views
from assetmap.store.validation import record_columns, record_key

__all__ = ["PostGISStore", "display_url"]


class PostGISStore:
    """A store in a PostgreSQL database with PostGIS (EPSG:27700)."""

    name = "postgis"

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        self.display = display_url(url)
        check_server(url, self.display)
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
        except CLASHES as exc:
            raise StoreError(
                f"A write to {self.display} clashed with another made at the same moment and "
                f"was undone ({first_line(exc)}); try again"
            ) from exc
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreError(
                f"The PostGIS store at {self.display} failed: {first_line(exc)}; if the server "
                f"is down, {FIX}"
            ) from exc

    # -- reading ---------------------------------------------------------------------------
    def has_layer(self, layer: LayerSpec) -> bool:
        with self._connection() as connection:
            return bool(table_columns(connection, layer.table))

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
            return select_features(
                connection, layer, self.display, bbox=bbox, filters=filters, fields=fields,
                limit=limit, offset=offset,
            )

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        frame = self.read(layer, filters={layer.id_field: [feature_id]})
        return None if frame.empty else feature_from_row(layer, frame.iloc[0])

    def count(self, layer: LayerSpec, *, filters: Filters | None = None) -> int:
        with self._connection() as connection:
            return count_features(connection, layer, filters)

    def search(
        self,
        layer: LayerSpec,
        text: str,
        *,
        limit: int | None = None,
        within: Mapping[str, Collection[str]] | None = None,
        ranked: bool = True,
    ) -> list[str]:
        with self._connection() as connection:
            return search_layer(connection, layer, text, limit, within, ranked=ranked)

    def metadata(self) -> dict[str, str]:
        with self._connection() as connection:
            if not table_columns(connection, METADATA_TABLE):
                return {}
            query = sql.SQL("SELECT key, value FROM {}").format(sql.Identifier(METADATA_TABLE))
            rows = connection.execute(query).fetchall()
        return {str(key): str(value) for key, value in rows}

    def version(self) -> str:
        with self._connection() as connection:
            try:
                row = connection.execute(
                    sql.SQL("SELECT n, xmin::text FROM {}").format(sql.Identifier(VERSION_TABLE))
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                return "0"
        # xmin (the writing transaction) tells a recreated table from the old one.
        return "0" if row is None else f"{row[0]}-{row[1]}"

    def records(
        self,
        table: str,
        *,
        where: RecordWhere | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Record]:
        columns = record_columns(table)
        clause, parameters = record_where(table, where)
        with self._connection() as connection:
            if not self._record_table_ready(connection, table):
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

    def count_records(
        self, table: str, *, where: RecordWhere | None = None, distinct: str | None = None
    ) -> int:
        counted = sql.SQL("*") if distinct is None else (
            sql.SQL("DISTINCT ") + sql.Identifier(record_key(table, distinct)))
        clause, parameters = record_where(table, where)
        with self._connection() as connection:
            if not self._record_table_ready(connection, table):
                return 0
            query = sql.SQL("SELECT count({}) FROM {} {}").format(
                counted, sql.Identifier(table), clause)
            return int(one_row(connection, query, parameters)[0])

    @staticmethod
    def _record_table_ready(connection: psycopg.Connection[Any], table: str) -> bool:
        """Is there such a table (with every declared column, added now if it was older)?"""
        existing = table_columns(connection, table)
        if existing and set(record_columns(table)) - set(existing):
            upgrade_record_table(connection, table, existing)
        return bool(existing)

    def record_keys(
        self,
        table: str,
        key: str,
        *,
        where: RecordWhere | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[str]:
        column = sql.Identifier(record_key(table, key))
        clause, parameters = record_where(table, where)
        with self._connection() as connection:
            if not self._record_table_ready(connection, table):
                return []
            query = sql.SQL(
                "SELECT {c} FROM {t} {w} GROUP BY {c} ORDER BY max(id) DESC LIMIT %s OFFSET %s"
            ).format(c=column, t=sql.Identifier(table), w=clause)
            rows = connection.execute(query, [*parameters, limit, offset]).fetchall()
            return [str(row[0]) for row in rows]

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[PostGISTransaction]:
        with self._connection() as connection, connection.transaction():
            transaction = PostGISTransaction(self, connection)
            yield transaction
            if transaction.changed_layers:  # records alone leave caches of layer data valid
                bump_version(connection)

    def replace_tables(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Drop, recreate, COPY and index every table in one transaction."""
        plans = [plan_table(name, frame) for name, frame in tables.items()]
        with self._connection() as connection:
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    for plan in plans:
                        write_table(cursor, plan)
                    if set(tables) - set(RECORD_TABLES):
                        bump_version(connection)
            except psycopg.errors.DependentObjectsStillExist as exc:
                raise dependent_views(self.display, exc) from exc

    def close(self) -> None:
        self._pool.close()

