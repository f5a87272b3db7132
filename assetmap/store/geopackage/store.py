"""GeoPackage backend: the embedded default store, one file that QGIS and GDAL open.

Reads and writes go through ``sqlite3`` with GeoPackage geometry blobs, so
filters are parameterised SQL, the R-tree index answers ``bbox`` queries, and
writes are real SQLite transactions (all or nothing). The spatial functions
GDAL's R-tree triggers call (``ST_MinX`` …) are registered on each connection.

Beside this module: ``sqlite.py`` (connections, quoting, table shapes),
``features.py`` (the WHERE clause and rows as a frame), ``transaction.py``
(writes) and ``blob.py`` (GeoPackage geometry blobs).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

import geopandas as gpd
import pyogrio
import shapely

from assetmap.crs import to_metric
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
from assetmap.store.geopackage.features import geometry_select, to_frame, where_clause
from assetmap.store.geopackage.search import search_layer
from assetmap.store.geopackage.sqlite import (
    METADATA_TABLE,
    connect,
    geometry_column_of,
    quote,
    record_where,
    table_columns,
    upgrade_record_table,
)
from assetmap.store.geopackage.transaction import GeoPackageTransaction
from assetmap.store.gpkg_write import index_ids, layer_options
from assetmap.store.validation import record_columns, record_key, require_columns, wanted_fields

__all__ = ["GeoPackageStore"]


class GeoPackageStore:
    """A store in one GeoPackage file (EPSG:27700)."""

    name = "geopackage"

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StoreError(
                f"GeoPackage {path} not found. Create the sample with `assetmap sample` "
                "or point ASSETMAP_STORE at an existing .gpkg file."
            )
        self.path = path
        self._version_key: tuple[int, int, int] | None = None
        self._version = ""
        self._lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = connect(self.path)
        try:
            yield connection
        finally:
            connection.close()

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
        wanted = wanted_fields(layer, fields)
        with self._connection() as connection:
            existing = table_columns(connection, layer.table)
            if not existing:
                return to_frame(layer, wanted, wanted, [])
            require_columns(layer, existing, str(self.path), "re-import the layer")
            geometry_column = (
                geometry_column_of(connection, layer.table, self.path)[0]
                if layer.is_spatial else None
            )
            fields = [f for f in wanted if f in existing]
            where, parameters = where_clause(layer, filters, bbox, geometry_column)
            sql = (
                f"SELECT {', '.join(quote(f) for f in fields)}{geometry_select(geometry_column)} "
                f"FROM {quote(layer.table)} {where} ORDER BY {quote(layer.id_field)}"
            )
            if limit is not None or offset:
                sql += " LIMIT ? OFFSET ?"
                parameters += [-1 if limit is None else limit, offset]
            rows = connection.execute(sql, parameters).fetchall()
        frame = to_frame(layer, wanted, fields, rows)
        if bbox is not None and layer.geometry_type != "Point" and len(frame):
            # The R-tree matched envelopes; keep only true intersections.
            frame = frame[frame.intersects(shapely.box(*bbox))]
        return frame

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        frame = self.read(layer, filters={layer.id_field: [feature_id]})
        return None if frame.empty else feature_from_row(layer, frame.iloc[0])

    def count(self, layer: LayerSpec, *, filters: Filters | None = None) -> int:
        with self._connection() as connection:
            if not table_columns(connection, layer.table):
                return 0
            where, parameters = where_clause(layer, filters, None, "")
            sql = f"SELECT count(*) FROM {quote(layer.table)} {where}"
            return int(connection.execute(sql, parameters).fetchone()[0])

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
            return search_layer(connection, layer, text, limit, within, self._lock, ranked=ranked)

    def metadata(self) -> dict[str, str]:
        with self._connection() as connection:
            if not table_columns(connection, METADATA_TABLE):
                return {}
            rows = connection.execute(f"SELECT key, value FROM {METADATA_TABLE}").fetchall()
        return {str(key): str(value) for key, value in rows}

    def version(self) -> str:
        # Layer writes stamp gpkg_contents.last_change (as GDAL does); record tables are left
        # out so audit rows and suggestions do not invalidate caches of layer data. The inode
        # changes when replace_tables moves a new file into place.
        stat = self.path.stat()
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if key == self._version_key:  # a stat is ~100 times cheaper than opening the file
            return self._version
        placeholders = ", ".join("?" * len(RECORD_TABLES))
        with self._connection() as connection:
            row = connection.execute(
                "SELECT max(last_change), count(*) FROM gpkg_contents "
                f"WHERE table_name NOT IN ({placeholders})",
                list(RECORD_TABLES),
            ).fetchone()
        # Stat first, read second: a write landing in between changes the stat, so the
        # next call reads again rather than keeping a stale answer.
        self._version = f"{row[0]}-{row[1]}-{stat.st_ino}"
        self._version_key = key
        return self._version

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
        with self._connection() as connection:
            if not self._record_table_ready(connection, table):
                return []
            clause, parameters = record_where(table, where)
            order = "DESC" if newest_first else "ASC"
            sql = (
                f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
                f"{clause} ORDER BY id {order} LIMIT ? OFFSET ?"
            )
            rows = connection.execute(sql, [*parameters, -1 if limit is None else limit, offset])
            return [dict(zip(("id", *columns), row, strict=True)) for row in rows]

    def count_records(
        self, table: str, *, where: RecordWhere | None = None, distinct: str | None = None
    ) -> int:
        counted = "*" if distinct is None else f"DISTINCT {quote(record_key(table, distinct))}"
        with self._connection() as connection:
            if not self._record_table_ready(connection, table):
                return 0
            clause, parameters = record_where(table, where)
            sql = f"SELECT count({counted}) FROM {quote(table)} {clause}"
            return int(connection.execute(sql, parameters).fetchone()[0])

    @staticmethod
    def _record_table_ready(connection: sqlite3.Connection, table: str) -> bool:
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
        column = quote(record_key(table, key))
        with self._connection() as connection:
            if not self._record_table_ready(connection, table):
                return []
            clause, parameters = record_where(table, where)
            sql = (
                f"SELECT {column} FROM {quote(table)} {clause} GROUP BY {column} "
                f"ORDER BY max(id) DESC LIMIT ? OFFSET ?"
            )
            rows = connection.execute(sql, [*parameters, -1 if limit is None else limit, offset])
            return [str(row[0]) for row in rows]

    # -- writing ---------------------------------------------------------------------------
    def replace_tables(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Rewrite tables in a copy of the file, then move the copy into place.

        The original is held with a write lock meanwhile, so no other writer
        (thread or process) can commit a change the copy would lose.
        """
        with self._lock, self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            prefix = f".{self.path.stem}.replacing-"
            # Copies left by a process killed mid-replace; none can be live while we hold the lock.
            for leftover in self.path.parent.glob(f"{prefix}*.gpkg"):
                leftover.unlink(missing_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=prefix, suffix=".gpkg", dir=self.path.parent
            )
            os.close(handle)
            try:
                shutil.copyfile(self.path, temporary)
                for name, frame in tables.items():
                    if isinstance(frame, gpd.GeoDataFrame):
                        frame = to_metric(frame, name)
                    pyogrio.write_dataframe(
                        frame, temporary, layer=name, driver="GPKG",
                        layer_options={"OVERWRITE": "YES", **layer_options(name)},
                    )
                index_ids(Path(temporary), tables)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            finally:
                connection.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[GeoPackageTransaction]:
        with self._lock, self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield GeoPackageTransaction(self, connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def close(self) -> None:
        """Nothing held open between calls."""

