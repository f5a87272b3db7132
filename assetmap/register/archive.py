"""Deleted records kept whole, so that nothing an officer deletes is lost.

Every delete (``editing.delete_feature``, an import that removes rows) writes the feature's
last properties and geometry to ``assetmap_archive`` in the same transaction as the delete
and its audit rows. An officer can restore it: it comes back with those values, audited as
``restore``, unless its id has been given to another record meanwhile (409).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from assetmap.errors import Conflict, NotFound
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.activity_rules import check_links
from assetmap.register.audit import log_write, utc_now
from assetmap.store.base import Feature, Record, RecordFilter, Store, Transaction
from assetmap.store.validation import clean_geometry, clean_properties

__all__ = [
    "ARCHIVE_TABLE",
    "ArchivedRecord",
    "archive_feature",
    "archived_names",
    "archived_record",
    "archived_records",
    "count_archived",
    "restore_archived",
]

ARCHIVE_TABLE = "assetmap_archive"
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


@dataclass(frozen=True)
class ArchivedRecord:
    """A deleted feature as it was when deleted."""

    id: int
    layer: str
    feature_id: str
    name: str | None
    properties: dict[str, Any]
    geometry: BaseGeometry | None
    archived_at: dt.datetime
    archived_by: str
    change_id: str
    restored_at: str | None = None
    restored_by: str | None = None

    @property
    def title(self) -> str:
        return self.name or self.feature_id

    @classmethod
    def from_record(cls, record: Record) -> ArchivedRecord:
        try:
            properties = json.loads(record["properties"] or "{}")
        except ValueError:
            properties = {}
        try:
            geometry = shapely.from_wkt(record["geometry"]) if record["geometry"] else None
        except (ShapelyError, ValueError):
            geometry = None
        when = dt.datetime.fromisoformat(str(record["archived_at"]).replace("Z", "+00:00"))
        return cls(
            id=int(record["id"]), layer=str(record["layer"]),
            feature_id=str(record["feature_id"]), name=record["name"],
            properties=properties if isinstance(properties, dict) else {},
            geometry=geometry, archived_at=when, archived_by=str(record["archived_by"] or ""),
            change_id=str(record["change_id"] or ""), restored_at=record["restored_at"],
            restored_by=record["restored_by"],
        )


def _name_of(layer: LayerSpec, feature: Feature) -> str | None:
    field = "name" if "name" in layer.field_names else layer.tooltip
    value = feature.properties.get(field) if field else None
    return None if value is None else str(value)


def archive_feature(
    transaction: Transaction, layer: LayerSpec, feature: Feature, *, actor: str,
    change_id: str, at: str | None = None,
) -> int:
    """Keep a feature being deleted (call in the deleting transaction); returns the row id."""
    geometry = None if feature.geometry is None else shapely.to_wkt(
        feature.geometry, rounding_precision=-1)
    return transaction.insert_record(ARCHIVE_TABLE, {
        "layer": layer.name,
        "feature_id": feature.id,
        "name": _name_of(layer, feature),
        "properties": _JSON.encode(feature.properties),
        "geometry": geometry,
        "archived_at": at or utc_now(),
        "archived_by": actor,
        "change_id": change_id,
        "restored_at": None,
        "restored_by": None,
    })


def _waiting(layer: str | None) -> RecordFilter:
    equal: dict[str, str | None] = {"restored_at": None}
    if layer:
        equal["layer"] = layer
    return RecordFilter(equal=equal)


def archived_records(
    store: Store, *, layer: str | None = None, limit: int | None = None, offset: int = 0
) -> list[ArchivedRecord]:
    """Deleted records not restored, the latest deleted first (paged by the store)."""
    rows = store.records(ARCHIVE_TABLE, where=_waiting(layer), limit=limit, offset=offset,
                         newest_first=True)
    return [ArchivedRecord.from_record(row) for row in rows]


def count_archived(store: Store, *, layer: str | None = None) -> int:
    return store.count_records(ARCHIVE_TABLE, where=_waiting(layer))


def archived_record(store: Store, archive_id: int) -> ArchivedRecord:
    rows = store.records(ARCHIVE_TABLE, where={"id": str(archive_id)})
    if not rows:
        raise NotFound(f"No archived record {archive_id}")
    return ArchivedRecord.from_record(rows[0])


def archived_names(
    store: Store, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(layer, id) -> the name a deleted record had, for the ids given."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = store.records(ARCHIVE_TABLE, where=RecordFilter(
        one_of={"feature_id": sorted({feature_id for _, feature_id in wanted})}))
    return {(str(r["layer"]), str(r["feature_id"])): str(r["name"]) for r in rows
            if (str(r["layer"]), str(r["feature_id"])) in wanted and r["name"]}


def restore_archived(
    store: Store, catalog: LayerCatalog, archive_id: int, *, actor: str
) -> Feature:
    """Bring a deleted record back with its archived values; audited as ``restore``.

    Refused (409) when it was restored already or its id now names another record;
    an activity whose place or organisation has gone since is refused as its create would be.
    """
    archived = archived_record(store, archive_id)
    if archived.layer not in catalog:
        raise NotFound(f"No layer {archived.layer!r} to restore {archived.feature_id} into")
    layer = catalog[archived.layer]
    properties = clean_properties(layer, archived.properties)
    geometry = clean_geometry(layer, archived.geometry) if layer.is_spatial else None
    check_links(store, catalog, layer, properties)
    with store.transaction() as transaction:
        transaction.lock(f"{ARCHIVE_TABLE}:{archive_id}")
        again = archived_record(store, archive_id)
        if again.restored_at:
            raise Conflict(f"{archived.title} ({archived.feature_id}) was restored already, by "
                           f"{again.restored_by}; nothing was changed.")
        if transaction.get(layer, archived.feature_id) is not None:
            raise Conflict(
                f"The id {archived.feature_id} now belongs to another {layer.name} record, so "
                f"{archived.title} cannot come back under it; nothing was changed. Rename that "
                "record or add this one again as new.",
                details=[{"feature_id": archived.feature_id, "archive_id": archive_id}],
            )
        transaction.add(layer, properties, geometry)
        after = transaction.get(layer, archived.feature_id)
        assert after is not None  # just added in this transaction
        log_write(transaction, actor=actor, action="restore", layer=layer,
                  feature_id=archived.feature_id, before=None, after=after)
        transaction.update_record(ARCHIVE_TABLE, archive_id,
                                  {"restored_at": utc_now(), "restored_by": actor})
    return after
