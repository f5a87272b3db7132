"""Writes to a PostGIS store inside one transaction: features, whole tables, metadata, records
and locks.

Ids being added are serialised with advisory locks; checks read ``FOR UPDATE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import psycopg
from psycopg import sql

import shapely
from shapely.geometry.base import BaseGeometry

from assetmap.errors import NotFound, StoreError, ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.store.base import RECORD_TABLES, Feature, feature_from_row
from assetmap.store.bulk import clean_batch, refuse_existing
from assetmap.store.postgis import bulk
from assetmap.store.postgis.features import geometry_column_of, select_features
from assetmap.store.postgis.load import SRID, create_record_table, plan_table, write_table
from assetmap.store.postgis.queries import (
    METADATA_TABLE,
    Columns,
    as_text,
    geometry_input,
    one_row,
    record_where,
    table_columns,
    upgrade_record_table,
)
from assetmap.store.postgis.server import first_line
from assetmap.store.record_rules import check_deletion
from assetmap.store.validation import (
    clean_geometry,
    clean_properties,
    record_value_names,
    require_value_columns,
)

if TYPE_CHECKING:
    from assetmap.store.postgis.store import PostGISStore

__all__ = ["PostGISTransaction", "dependent_views"]


def dependent_views(display: str, exc: psycopg.Error) -> StoreError:
    """A table others' views depend on cannot be dropped and recreated: say what to do."""
    return StoreError(
        f"Cannot replace tables in {display}: {first_line(exc)}; drop or "
        "recreate the views that use them. Nothing was changed."
    )


class PostGISTransaction:
    """Writes on one connection inside one transaction (see :meth:`PostGISStore.transaction`)."""

    def __init__(self, store: PostGISStore, connection: psycopg.Connection[Any]) -> None:
        self._store = store
        self._connection = connection
        self.changed_layers = False

    def _table(self, layer: LayerSpec) -> tuple[str | None, str, int, Columns]:
        """(geometry column or None for a plain table, its type, SRID, columns)."""
        existing = table_columns(self._connection, layer.table)
        if not existing:
            raise StoreError(f"Layer {layer.name!r} has no table in {self._store.display} yet")
        if not layer.is_spatial:
            return None, "", SRID, existing
        geometry, kind, srid = geometry_column_of(layer.table, existing, self._store.display)
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
        frame = select_features(
            self._connection, layer, self._store.display,
            filters={layer.id_field: [feature_id]}, lock=True,
        )
        return None if frame.empty else feature_from_row(layer, frame.iloc[0])

    def add(
        self, layer: LayerSpec, properties: Mapping[str, Any], geometry: BaseGeometry | None = None
    ) -> str:
        self.changed_layers = True
        values = clean_properties(layer, properties)
        geometry = clean_geometry(layer, geometry)
        geometry_column, kind, srid, existing = self._table(layer)
        feature_id = str(values[layer.id_field])
        self._lock_id(layer, feature_id)
        if self._exists(layer, feature_id):
            raise ValidationFailed(f"A {layer.name} feature with id {feature_id!r} already exists")
        values = require_value_columns(layer, values, existing, "re-load the layer")
        names = [sql.Identifier(n) for n in values]
        placeholders: list[sql.Composable] = [sql.Placeholder()] * len(values)
        parameters: list[Any] = list(values.values())
        if geometry_column is not None and geometry is not None:
            names.append(sql.Identifier(geometry_column))
            placeholders.append(geometry_input(kind))
            parameters += [shapely.to_wkb(geometry), srid]
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(layer.table), sql.SQL(", ").join(names), sql.SQL(", ").join(placeholders)
        )
        self._connection.execute(query, parameters)
        return feature_id

    def add_many(
        self,
        layer: LayerSpec,
        features: Sequence[tuple[Mapping[str, Any], BaseGeometry | None]],
    ) -> list[str]:
        self.changed_layers = True
        geometry_column, kind, srid, existing = self._table(layer)
        batch = clean_batch(layer, features, existing, "re-load the layer")
        refuse_existing(layer, self.existing_ids(layer, batch.ids))
        bulk.insert_features(self._connection, layer, batch, geometry_column, kind, srid)
        return batch.ids

    def existing_ids(self, layer: LayerSpec, ids: Sequence[str]) -> set[str]:
        self._table(layer)
        bulk.lock_layer(self._connection, layer)
        return bulk.existing_ids(self._connection, layer, ids)

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
        values = require_value_columns(layer, values, existing, "re-load the layer")
        assignments = [
            sql.SQL("{} = %s").format(sql.Identifier(name)) for name in values
        ]
        parameters: list[Any] = list(values.values())
        geometry = clean_geometry(layer, geometry) if geometry is not None else None
        if geometry is not None and geometry_column is not None:
            assignments.append(
                sql.SQL("{} = {}").format(sql.Identifier(geometry_column), geometry_input(kind))
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

    def replace_table(self, name: str, frame: pd.DataFrame) -> None:
        plan = plan_table(name, frame)  # checked before any SQL runs
        if name not in RECORD_TABLES:
            self.changed_layers = True
        try:
            with self._connection.cursor() as cursor:
                write_table(cursor, plan)
        except psycopg.errors.DependentObjectsStillExist as exc:
            raise dependent_views(self._store.display, exc) from exc

    def lock(self, key: str) -> None:
        # Transaction-scoped advisory lock: released by COMMIT or ROLLBACK, never leaked.
        self._connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:lock:{key}"]
        )

    def set_metadata(self, values: Mapping[str, str]) -> None:
        self.changed_layers = True  # pages show metadata: caches must refresh
        table = sql.Identifier(METADATA_TABLE)
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
        return int(one_row(self._connection, query, [as_text(values[n]) for n in names])[0])

    def insert_records(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
    ) -> None:
        record_value_names(table, dict.fromkeys(columns))
        self._ensure_record_table(table)
        bulk.insert_records(self._connection, table, columns, rows)

    def update_record(self, table: str, record_id: int, values: Mapping[str, str | None]) -> None:
        names = record_value_names(table, values)
        if not table_columns(self._connection, table):
            raise NotFound(f"No record {record_id} in {table}")
        assignments: list[sql.Composable] = [
            sql.SQL("{} = %s").format(sql.Identifier(n)) for n in names
        ]
        # With nothing to set, still say whether the record exists.
        query = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(table), sql.SQL(", ").join(assignments or [sql.SQL("id = id")])
        )
        parameters = [as_text(values[n]) for n in names]
        if self._connection.execute(query, [*parameters, record_id]).rowcount == 0:
            raise NotFound(f"No record {record_id} in {table}")

    def delete_records(self, table: str, where: Mapping[str, str | None]) -> int:
        check_deletion(table, where)
        if not table_columns(self._connection, table):
            return 0
        clause, parameters = record_where(table, where)
        query = sql.SQL("DELETE FROM {} ").format(sql.Identifier(table)) + clause
        return int(self._connection.execute(query, parameters).rowcount)

    def _ensure_record_table(self, table: str) -> None:
        existing = table_columns(self._connection, table)
        if existing:
            upgrade_record_table(self._connection, table, existing)
            return
        # Serialise first use, so two writers do not both try to create the table.
        self._connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"assetmap:{table}"]
        )
        with self._connection.cursor() as cursor:
            create_record_table(cursor, table)
