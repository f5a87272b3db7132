"""GeoPackage backend: the embedded default store, one file that QGIS and GDAL open.

Reads and writes go through ``sqlite3`` with GeoPackage geometry blobs, so
filters are parameterised SQL, the R-tree index answers ``bbox`` queries, and
writes are real SQLite transactions (all or nothing). The spatial functions
GDAL's R-tree triggers call (``ST_MinX`` …) are registered on each connection.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

from assetmap.crs import METRIC_CRS, to_metric
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
from assetmap.store.geopackage.blob import decode_blobs, encode_blob, envelope
from assetmap.store.gpkg_write import layer_options
from assetmap.store.validation import (
    PANDAS_DTYPES,
    clean_geometry,
    clean_properties,
    convert_filters,
    record_columns,
    record_value_names,
    wanted_fields,
)

__all__ = ["GeoPackageStore"]

_METADATA_TABLE = "assetmap_metadata"


def _bound(index: int) -> Any:
    def extract(blob: bytes | None) -> float | None:
        box = envelope(blob) if blob else None
        return None if box is None else box[index]

    return extract


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    # Functions GDAL's R-tree triggers call on insert and update.
    connection.create_function("ST_IsEmpty", 1, lambda b: 1 if not b or envelope(b) is None else 0)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, _bound(index), deterministic=True)
    return connection


def _quote(identifier: str) -> str:
    # Identifiers come from validated layer specs (lower-case, digits, _), never from users.
    return '"' + identifier.replace('"', '""') + '"'


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
        connection = _connect(self.path)
        try:
            yield connection
        finally:
            connection.close()

    def _columns(self, connection: sqlite3.Connection, table: str) -> list[str]:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({_quote(table)})")]

    def _geometry_column(self, connection: sqlite3.Connection, table: str) -> tuple[str, int]:
        row = connection.execute(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
        ).fetchone()
        if row is None:
            raise StoreError(f"Table {table!r} in {self.path} has no geometry column")
        return row[0], row[1]

    def has_layer(self, layer: LayerSpec) -> bool:
        with self._connection() as connection:
            return bool(self._columns(connection, layer.table))

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
            existing = self._columns(connection, layer.table)
            if not existing:
                return self._empty(layer, wanted)
            self._require_columns(layer, existing)
            geometry_column, _ = self._geometry_column(connection, layer.table)
            fields = [f for f in wanted if f in existing]
            where, parameters = self._where(layer, filters, bbox, geometry_column)
            sql = (
                f"SELECT {', '.join(_quote(f) for f in fields)}, {_quote(geometry_column)} "
                f"FROM {_quote(layer.table)} {where} ORDER BY {_quote(layer.id_field)}"
            )
            if limit is not None or offset:
                sql += " LIMIT ? OFFSET ?"
                parameters += [-1 if limit is None else limit, offset]
            rows = connection.execute(sql, parameters).fetchall()
        frame = self._frame(layer, wanted, fields, rows)
        if bbox is not None and layer.geometry_type != "Point" and len(frame):
            # The R-tree matched envelopes; keep only true intersections.
            frame = frame[frame.intersects(shapely.box(*bbox))]
        return frame

    def _require_columns(self, layer: LayerSpec, existing: list[str]) -> None:
        missing = [f.name for f in layer.fields if f.required and f.name not in existing]
        if missing:
            raise StoreError(
                f"Table {layer.table!r} in {self.path} lacks required column(s) "
                f"{', '.join(missing)} declared in layers/{layer.name}.yaml; re-import the layer "
                "or correct the declaration."
            )

    def _where(
        self,
        layer: LayerSpec,
        filters: Filters | None,
        bbox: BBox | None,
        geometry_column: str,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        parameters: list[Any] = []
        for name, converted in convert_filters(layer, filters).items():
            clauses.append(f"{_quote(name)} IN ({', '.join('?' * len(converted))})")
            parameters.extend(converted)
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            rtree = _quote(f"rtree_{layer.table}_{geometry_column}")
            clauses.append(
                f"fid IN (SELECT id FROM {rtree} WHERE minx <= ? AND maxx >= ? "
                "AND miny <= ? AND maxy >= ?)"
            )
            parameters.extend([maxx, minx, maxy, miny])
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", parameters

    def _frame(
        self, layer: LayerSpec, wanted: list[str], fields: list[str], rows: list[tuple]
    ) -> gpd.GeoDataFrame:
        columns = list(zip(*rows, strict=True)) if rows else [()] * (len(fields) + 1)
        data: dict[str, Any] = {}
        for name in wanted:
            values = columns[fields.index(name)] if name in fields else [None] * len(rows)
            dtype = PANDAS_DTYPES.get(layer.field(name).type, "object")
            data[name] = pd.array(list(values), dtype=dtype)
        geometry = decode_blobs(list(columns[-1])) if rows else np.array([], dtype=object)
        return gpd.GeoDataFrame(data, geometry=geometry, crs=METRIC_CRS)

    def _empty(self, layer: LayerSpec, wanted: list[str]) -> gpd.GeoDataFrame:
        return self._frame(layer, wanted, wanted, [])

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        frame = self.read(layer, filters={layer.id_field: [feature_id]})
        return None if frame.empty else feature_from_row(layer, frame.iloc[0])

    def count(self, layer: LayerSpec) -> int:
        with self._connection() as connection:
            if not self._columns(connection, layer.table):
                return 0
            sql = f"SELECT count(*) FROM {_quote(layer.table)}"
            return int(connection.execute(sql).fetchone()[0])

    def metadata(self) -> dict[str, str]:
        with self._connection() as connection:
            if not self._columns(connection, _METADATA_TABLE):
                return {}
            rows = connection.execute(f"SELECT key, value FROM {_METADATA_TABLE}").fetchall()
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
        where: Mapping[str, str | None] | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Record]:
        columns = record_columns(table)
        with self._connection() as connection:
            if not self._columns(connection, table):
                return []
            clause, parameters = _record_where(table, where)
            order = "DESC" if newest_first else "ASC"
            sql = (
                f"SELECT id, {', '.join(_quote(c) for c in columns)} FROM {_quote(table)} "
                f"{clause} ORDER BY id {order} LIMIT ? OFFSET ?"
            )
            rows = connection.execute(sql, [*parameters, -1 if limit is None else limit, offset])
            return [dict(zip(("id", *columns), row, strict=True)) for row in rows]

    def count_records(self, table: str, *, where: Mapping[str, str | None] | None = None) -> int:
        record_columns(table)
        with self._connection() as connection:
            if not self._columns(connection, table):
                return 0
            clause, parameters = _record_where(table, where)
            sql = f"SELECT count(*) FROM {_quote(table)} {clause}"
            return int(connection.execute(sql, parameters).fetchone()[0])

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
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            finally:
                connection.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[_GeoPackageTransaction]:
        with self._lock, self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield _GeoPackageTransaction(self, connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def close(self) -> None:
        """Nothing held open between calls."""


class _GeoPackageTransaction:
    def __init__(self, store: GeoPackageStore, connection: sqlite3.Connection) -> None:
        self._store = store
        self._connection = connection
        # Table shapes cannot change under us while we hold the write lock: look them up once.
        self._tables: dict[str, tuple[str, int, list[str]]] = {}
        self._record_tables: set[str] = set()

    def _table(self, layer: LayerSpec) -> tuple[str, int, list[str]]:
        if layer.table in self._tables:
            return self._tables[layer.table]
        existing = self._store._columns(self._connection, layer.table)
        if not existing:
            raise StoreError(f"Layer {layer.name!r} has no table in {self._store.path} yet")
        geometry_column, srs_id = self._store._geometry_column(self._connection, layer.table)
        self._tables[layer.table] = (geometry_column, srs_id, existing)
        return geometry_column, srs_id, existing

    def _exists(self, layer: LayerSpec, feature_id: str) -> bool:
        sql = f"SELECT 1 FROM {_quote(layer.table)} WHERE {_quote(layer.id_field)} = ?"
        return self._connection.execute(sql, (feature_id,)).fetchone() is not None

    def _touch(self, layer: LayerSpec) -> None:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self._connection.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, layer.table)
        )

    def add(self, layer: LayerSpec, properties: Mapping[str, Any], geometry: BaseGeometry) -> str:
        values = clean_properties(layer, properties)
        geometry = clean_geometry(layer, geometry)
        geometry_column, srs_id, existing = self._table(layer)
        feature_id = str(values[layer.id_field])
        if self._exists(layer, feature_id):
            raise ValidationFailed(f"A {layer.name} feature with id {feature_id!r} already exists")
        self._check_columns(layer, values, existing)
        names = [*values, geometry_column]
        sql = (
            f"INSERT INTO {_quote(layer.table)} ({', '.join(_quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' * len(names))})"
        )
        self._connection.execute(sql, [*values.values(), encode_blob(geometry, srs_id)])
        self._touch(layer)
        return feature_id

    def change(
        self,
        layer: LayerSpec,
        feature_id: str,
        properties: Mapping[str, Any] | None = None,
        geometry: BaseGeometry | None = None,
    ) -> None:
        values = clean_properties(layer, properties or {}, partial=True)
        geometry_column, srs_id, existing = self._table(layer)
        if not self._exists(layer, feature_id):
            raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
        if layer.id_field in values and str(values[layer.id_field]) != feature_id:
            raise ValidationFailed(f"The id of a {layer.name} feature cannot be changed")
        self._check_columns(layer, values, existing)
        assignments = {name: value for name, value in values.items()}
        if geometry is not None:
            assignments[geometry_column] = encode_blob(clean_geometry(layer, geometry), srs_id)
        if not assignments:
            return
        sql = (
            f"UPDATE {_quote(layer.table)} SET "
            f"{', '.join(f'{_quote(n)} = ?' for n in assignments)} "
            f"WHERE {_quote(layer.id_field)} = ?"
        )
        self._connection.execute(sql, [*assignments.values(), feature_id])
        self._touch(layer)

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        # BEGIN IMMEDIATE already holds the write lock: this read cannot go stale.
        geometry_column, _, existing = self._table(layer)
        names = [f for f in layer.field_names if f in existing]
        sql = (
            f"SELECT {', '.join(_quote(n) for n in names)}, {_quote(geometry_column)} "
            f"FROM {_quote(layer.table)} WHERE {_quote(layer.id_field)} = ?"
        )
        row = self._connection.execute(sql, (feature_id,)).fetchone()
        if row is None:
            return None
        frame = self._store._frame(layer, list(layer.field_names), names, [row])
        return feature_from_row(layer, frame.iloc[0])

    def lock(self, key: str) -> None:
        """Nothing to do: BEGIN IMMEDIATE already serialises every writer of the file."""

    def set_metadata(self, values: Mapping[str, str]) -> None:
        if not self._store._columns(self._connection, _METADATA_TABLE):
            self._connection.execute(
                f"CREATE TABLE {_METADATA_TABLE} "
                "(fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, value TEXT)"
            )
            self._connection.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES (?, 'attributes', ?)",
                (_METADATA_TABLE, _METADATA_TABLE),
            )
        for key, value in values.items():
            self._connection.execute(f"DELETE FROM {_METADATA_TABLE} WHERE key = ?", (key,))
            self._connection.execute(
                f"INSERT INTO {_METADATA_TABLE} (key, value) VALUES (?, ?)", (key, str(value))
            )
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self._connection.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, _METADATA_TABLE)
        )

    def insert_record(self, table: str, values: Mapping[str, str | None]) -> int:
        record_value_names(table, values)
        self._ensure_record_table(table, record_columns(table))
        names = list(values)
        sql = (
            f"INSERT INTO {_quote(table)} ({', '.join(_quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' * len(names))})"
        )
        cursor = self._connection.execute(sql, [values[n] for n in names])
        return int(cursor.lastrowid or 0)

    def update_record(self, table: str, record_id: int, values: Mapping[str, str | None]) -> None:
        record_value_names(table, values)
        self._ensure_record_table(table, record_columns(table))
        if not values:
            return
        sql = (
            f"UPDATE {_quote(table)} SET {', '.join(f'{_quote(n)} = ?' for n in values)} "
            "WHERE id = ?"
        )
        cursor = self._connection.execute(sql, [*values.values(), record_id])
        if cursor.rowcount == 0:
            raise NotFound(f"No record {record_id} in {table}")

    def _ensure_record_table(self, table: str, columns: tuple[str, ...]) -> None:
        if table in self._record_tables:
            return
        if self._store._columns(self._connection, table):
            self._record_tables.add(table)
            return
        definitions = ", ".join(f"{_quote(c)} TEXT" for c in columns)
        self._connection.execute(
            f"CREATE TABLE {_quote(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, {definitions})"
        )
        # Registered as a GeoPackage attributes table, so GDAL and QGIS list it.
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self._connection.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, last_change)"
            " VALUES (?, 'attributes', ?, ?)",
            (table, table, now),
        )
        self._record_tables.add(table)

    def delete(self, layer: LayerSpec, feature_id: str) -> None:
        self._table(layer)
        cursor = self._connection.execute(
            f"DELETE FROM {_quote(layer.table)} WHERE {_quote(layer.id_field)} = ?", (feature_id,)
        )
        if cursor.rowcount == 0:
            raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
        self._touch(layer)

    def _check_columns(
        self, layer: LayerSpec, values: Mapping[str, Any], existing: list[str]
    ) -> None:
        missing = [name for name, v in values.items() if v is not None and name not in existing]
        if missing:
            raise StoreError(
                f"Table {layer.table!r} has no column(s) {', '.join(missing)}; re-import the layer "
                "so its table matches layers/" + layer.name + ".yaml"
            )




def _record_where(table: str, where: Mapping[str, str | None] | None) -> tuple[str, list[Any]]:
    columns = ("id", *record_columns(table))
    clauses: list[str] = []
    parameters: list[Any] = []
    for name, value in (where or {}).items():
        if name not in columns:
            raise ValidationFailed(f"Cannot select {table} records by {name!r}")
        if value is None:
            clauses.append(f"{_quote(name)} IS NULL")
        else:
            clauses.append(f"{_quote(name)} = ?")
            parameters.append(value)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", parameters

