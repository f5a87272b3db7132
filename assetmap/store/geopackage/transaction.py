"""Writes to a GeoPackage inside one ``BEGIN IMMEDIATE`` transaction: features, whole tables,
metadata and records; each layer write stamps ``gpkg_contents.last_change``, which keys the
store's version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from shapely.geometry.base import BaseGeometry

from assetmap.errors import NotFound, StoreError, ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.store.base import Feature, feature_from_row
from assetmap.store.bulk import clean_batch, refuse_existing
from assetmap.store.geopackage import bulk
from assetmap.store.geopackage.blob import encode_blob
from assetmap.store.geopackage.features import geometry_select, to_frame
from assetmap.store.geopackage.search import after_write, before_write
from assetmap.store.geopackage.sqlite import (
    METADATA_TABLE,
    geometry_column_of,
    last_change_now,
    quote,
    record_where,
    table_columns,
    upgrade_record_table,
)
from assetmap.store.geopackage.tables import replace_table_in_file
from assetmap.store.record_rules import check_deletion
from assetmap.store.validation import (
    clean_geometry,
    clean_properties,
    record_columns,
    record_value_names,
    require_value_columns,
)

if TYPE_CHECKING:
    from assetmap.store.geopackage.store import GeoPackageStore

__all__ = ["GeoPackageTransaction"]


class GeoPackageTransaction:
    """Writes inside one ``BEGIN IMMEDIATE`` (see :meth:`GeoPackageStore.transaction`)."""

    def __init__(self, store: GeoPackageStore, connection: sqlite3.Connection) -> None:
        self._store = store
        self._connection = connection
        # Table shapes cannot change under us while we hold the write lock: look them up once.
        self._tables: dict[str, tuple[str | None, int, list[str]]] = {}
        self._record_tables: set[str] = set()

    def _table(self, layer: LayerSpec) -> tuple[str | None, int, list[str]]:
        """(geometry column or None for a plain table, srs id, columns) of the layer's table."""
        if layer.table in self._tables:
            return self._tables[layer.table]
        existing = table_columns(self._connection, layer.table)
        if not existing:
            raise StoreError(f"Layer {layer.name!r} has no table in {self._store.path} yet")
        geometry_column, srs_id = (
            geometry_column_of(self._connection, layer.table, self._store.path)
            if layer.is_spatial else (None, 0)
        )
        self._tables[layer.table] = (geometry_column, srs_id, existing)
        return geometry_column, srs_id, existing

    def _exists(self, layer: LayerSpec, feature_id: str) -> bool:
        sql = f"SELECT 1 FROM {quote(layer.table)} WHERE {quote(layer.id_field)} = ?"
        return self._connection.execute(sql, (feature_id,)).fetchone() is not None

    def _touch(self, layer: LayerSpec) -> None:
        now = last_change_now()
        self._connection.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, layer.table)
        )

    def add(
        self, layer: LayerSpec, properties: Mapping[str, Any], geometry: BaseGeometry | None = None
    ) -> str:
        values = clean_properties(layer, properties)
        geometry = clean_geometry(layer, geometry)
        geometry_column, srs_id, existing = self._table(layer)
        feature_id = str(values[layer.id_field])
        if self._exists(layer, feature_id):
            raise ValidationFailed(f"A {layer.name} feature with id {feature_id!r} already exists")
        values = require_value_columns(layer, values, existing, "re-import the layer")
        pending = before_write(self._connection, layer, feature_id)
        row = dict(values)
        if geometry_column is not None and geometry is not None:
            row[geometry_column] = encode_blob(geometry, srs_id)
        sql = (
            f"INSERT INTO {quote(layer.table)} ({', '.join(quote(n) for n in row)}) "
            f"VALUES ({', '.join('?' * len(row))})"
        )
        self._connection.execute(sql, list(row.values()))
        self._touch(layer)
        after_write(self._connection, pending)
        return feature_id

    def add_many(
        self,
        layer: LayerSpec,
        features: Sequence[tuple[Mapping[str, Any], BaseGeometry | None]],
    ) -> list[str]:
        geometry_column, srs_id, existing = self._table(layer)
        batch = clean_batch(layer, features, existing, "re-import the layer")
        refuse_existing(layer, self.existing_ids(layer, batch.ids))
        bulk.insert_features(self._connection, layer, batch, geometry_column, srs_id)
        if batch.ids:
            self._touch(layer)
        return batch.ids

    def existing_ids(self, layer: LayerSpec, ids: Sequence[str]) -> set[str]:
        self._table(layer)
        return bulk.existing_ids(self._connection, layer, ids)

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
        values = require_value_columns(layer, values, existing, "re-import the layer")
        assignments = {name: value for name, value in values.items()}
        geometry = clean_geometry(layer, geometry) if geometry is not None else None
        if geometry is not None and geometry_column is not None:
            assignments[geometry_column] = encode_blob(geometry, srs_id)
        if not assignments:
            return
        pending = before_write(self._connection, layer, feature_id)
        sql = (
            f"UPDATE {quote(layer.table)} SET "
            f"{', '.join(f'{quote(n)} = ?' for n in assignments)} "
            f"WHERE {quote(layer.id_field)} = ?"
        )
        self._connection.execute(sql, [*assignments.values(), feature_id])
        self._touch(layer)
        after_write(self._connection, pending)

    def get(self, layer: LayerSpec, feature_id: str) -> Feature | None:
        # BEGIN IMMEDIATE already holds the write lock: this read cannot go stale.
        geometry_column, _, existing = self._table(layer)
        names = [f for f in layer.field_names if f in existing]
        sql = (
            f"SELECT {', '.join(quote(n) for n in names)}{geometry_select(geometry_column)} "
            f"FROM {quote(layer.table)} WHERE {quote(layer.id_field)} = ?"
        )
        row = self._connection.execute(sql, (feature_id,)).fetchone()
        if row is None:
            return None
        frame = to_frame(layer, list(layer.field_names), names, [row])
        return feature_from_row(layer, frame.iloc[0])

    def lock(self, key: str) -> None:
        """Nothing to do: BEGIN IMMEDIATE already serialises every writer of the file."""

    def replace_table(self, name: str, frame: pd.DataFrame) -> None:
        replace_table_in_file(self._connection, name, frame)
        # Its shape may have changed: look it up again when next written.
        self._tables.pop(name, None)
        self._record_tables.discard(name)

    def set_metadata(self, values: Mapping[str, str]) -> None:
        if not table_columns(self._connection, METADATA_TABLE):
            self._connection.execute(
                f"CREATE TABLE {METADATA_TABLE} "
                "(fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, value TEXT)"
            )
            self._connection.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES (?, 'attributes', ?)",
                (METADATA_TABLE, METADATA_TABLE),
            )
        for key, value in values.items():
            self._connection.execute(f"DELETE FROM {METADATA_TABLE} WHERE key = ?", (key,))
            self._connection.execute(
                f"INSERT INTO {METADATA_TABLE} (key, value) VALUES (?, ?)", (key, str(value))
            )
        now = last_change_now()
        self._connection.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, METADATA_TABLE)
        )

    def insert_record(self, table: str, values: Mapping[str, str | None]) -> int:
        record_value_names(table, values)
        self._ensure_record_table(table, record_columns(table))
        names = list(values)
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' * len(names))})"
        )
        cursor = self._connection.execute(sql, [values[n] for n in names])
        return int(cursor.lastrowid or 0)

    def insert_records(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
    ) -> None:
        record_value_names(table, dict.fromkeys(columns))
        self._ensure_record_table(table, record_columns(table))
        bulk.insert_records(self._connection, table, columns, rows)

    def update_record(self, table: str, record_id: int, values: Mapping[str, str | None]) -> None:
        record_value_names(table, values)
        self._ensure_record_table(table, record_columns(table))
        if not values:
            return
        sql = (
            f"UPDATE {quote(table)} SET {', '.join(f'{quote(n)} = ?' for n in values)} "
            "WHERE id = ?"
        )
        cursor = self._connection.execute(sql, [*values.values(), record_id])
        if cursor.rowcount == 0:
            raise NotFound(f"No record {record_id} in {table}")

    def delete_records(self, table: str, where: Mapping[str, str | None]) -> int:
        check_deletion(table, where)
        if not table_columns(self._connection, table):
            return 0
        clause, parameters = record_where(table, where)
        return int(self._connection.execute(f"DELETE FROM {quote(table)} {clause}",
                                            parameters).rowcount)

    def _ensure_record_table(self, table: str, columns: tuple[str, ...]) -> None:
        if table in self._record_tables:
            return
        existing = table_columns(self._connection, table)
        if existing:
            if set(columns) - set(existing):
                upgrade_record_table(self._connection, table, existing)
            self._record_tables.add(table)
            return
        definitions = ", ".join(f"{quote(c)} TEXT" for c in columns)
        self._connection.execute(
            f"CREATE TABLE {quote(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, {definitions})"
        )
        # Registered as a GeoPackage attributes table, so GDAL and QGIS list it.
        now = last_change_now()
        self._connection.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, last_change)"
            " VALUES (?, 'attributes', ?, ?)",
            (table, table, now),
        )
        self._record_tables.add(table)

    def delete(self, layer: LayerSpec, feature_id: str) -> None:
        self._table(layer)
        pending = before_write(self._connection, layer, feature_id)
        cursor = self._connection.execute(
            f"DELETE FROM {quote(layer.table)} WHERE {quote(layer.id_field)} = ?", (feature_id,)
        )
        if cursor.rowcount == 0:
            raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
        self._touch(layer)
        after_write(self._connection, pending)
