"""The audit log: every write to a layer, field by field (who, when, before, after).

Entries are written inside the same transaction as the change they describe,
so a change and its audit rows are committed or rolled back together.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import orjson

import shapely
from shapely.geometry.base import BaseGeometry

from assetmap.layers import LayerSpec
from assetmap.store.base import Feature, Record, Store, Transaction
from assetmap.store.validation import CheckedProperties

__all__ = [
    "ACTIONS", "ALL_FIELDS", "AUDIT_TABLE", "CHECK_METHOD_NOTE", "IMPACT_NOTE", "NOTES",
    "RESTORED_FROM_NOTE", "audit_entries", "changed_fields", "log_creates", "log_write", "utc_now",
]

AUDIT_TABLE = "assetmap_audit"
ACTIONS = (
    "create", "change", "move", "close", "delete", "import", "correction", "rename", "purge",
    "restore",
)
GEOMETRY_FIELD = "geometry"
# A note row of a change (field = the note's name, before empty, after its JSON text): what
# the officer was shown before saving, e.g. the residents a closure leaves without a hub.
IMPACT_NOTE = "impact"
# How an officer checked a record ("phone", "visit", …), a note of the change that set
# last_verified (see register/stale.py).
CHECK_METHOD_NOTE = "check_method"
# The change whose version a ``restore`` put back (register/versions.py).
RESTORED_FROM_NOTE = "restored_from"
# Rows of a change that are notes, not fields of the record.
NOTES = (IMPACT_NOTE, CHECK_METHOD_NOTE, RESTORED_FROM_NOTE)
# The ``field`` of a row that records every field of a new feature at once (see log_creates).
ALL_FIELDS = "*"
# One encoder for every value: json.dumps with options builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
_AUDIT_COLUMNS = (
    "change_id", "at", "actor", "action", "layer", "feature_id", "field", "before", "after",
)


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any) -> str | None:
    """A field value as the audit log stores it: JSON text, geometry as WKT (EPSG:27700)."""
    if value is None:
        return None
    if isinstance(value, BaseGeometry):
        return str(value.wkt)
    return _JSON.encode(value)


def _fields(feature: Feature | None) -> dict[str, Any]:
    if feature is None:
        return {}
    values: dict[str, Any] = dict(feature.properties)
    values[GEOMETRY_FIELD] = feature.geometry
    return values


def changed_fields(
    before: Feature | None, after: Feature | None
) -> dict[str, tuple[str | None, str | None]]:
    """Field -> (before, after) as audit text, for fields whose value differs."""
    old, new = _fields(before), _fields(after)
    changes: dict[str, tuple[str | None, str | None]] = {}
    for name in dict.fromkeys([*old, *new]):
        was, now = _text(old.get(name)), _text(new.get(name))
        if was != now:
            changes[name] = (was, now)
    return changes


def log_write(
    transaction: Transaction,
    *,
    actor: str,
    action: str,
    layer: LayerSpec,
    feature_id: str,
    before: Feature | None,
    after: Feature | None,
    at: str | None = None,
    notes: Mapping[str, Any] | None = None,
) -> str:
    """Record one write (``before``/``after`` are None for a create/delete); returns its change id.

    A write that changes nothing still leaves one row (field ``""``) so that
    "verified, no change" is on the record too. Each of ``notes`` (e.g.
    :data:`IMPACT_NOTE`) adds one more row of the same change: field = its name,
    before empty, after its value as JSON text; the table keeps its columns.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    change_id = uuid.uuid4().hex
    when = at or utc_now()
    # Notes first, so a newest-first listing shows the changed fields before them.
    changes: dict[str, tuple[str | None, str | None]] = {
        name: (None, _text(value)) for name, value in (notes or {}).items()
    }
    changes.update(changed_fields(before, after) or {"": (None, None)})
    for name, (was, now) in changes.items():
        transaction.insert_record(
            AUDIT_TABLE,
            {
                "change_id": change_id,
                "at": when,
                "actor": actor,
                "action": action,
                "layer": layer.name,
                "feature_id": feature_id,
                "field": name,
                "before": was,
                "after": now,
            },
        )
    return change_id


def audit_entries(
    store: Store,
    *,
    where: Mapping[str, str | None] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Record]:
    """The newest audit rows first, optionally for one layer/feature/actor."""
    return store.records(AUDIT_TABLE, where=where, limit=limit, offset=offset, newest_first=True)


def _uuid4_hexes(count: int) -> list[str]:
    """``count`` random version-4 UUIDs as ``uuid4().hex`` gives them, from one read of the
    system's randomness (one call per id is a second of a 100,000-row import)."""
    octets = np.frombuffer(os.urandom(16 * count), dtype=np.uint8).reshape(count, 16).copy()
    octets[:, 6] = (octets[:, 6] & 0x0F) | 0x40  # version 4
    octets[:, 8] = (octets[:, 8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = octets.tobytes().hex()
    return [text[i:i + 32] for i in range(0, 32 * count, 32)]


def _json_of_checked(values: dict[str, Any]) -> str:
    """``_JSON.encode(values)`` of checked values (str, int, finite float, bool: no type whose
    JSON orjson writes differently), ten times faster; the same JSON but for the spaces.
    An integer past 64 bits, which orjson refuses, is written by the standard encoder."""
    try:
        return orjson.dumps(values).decode()
    except orjson.JSONEncodeError:
        return _JSON.encode(values)


def _wkt(geometries: Sequence[BaseGeometry | None], chunk: int = 10_000) -> Iterator[str | None]:
    """Each geometry as WKT at the full precision BaseGeometry.wkt gives, vectorised a chunk
    at a time (so the first rows can be sent before the last are written)."""
    for start in range(0, len(geometries), chunk):
        shapes = np.asarray(geometries[start:start + chunk], dtype=object)
        yield from shapely.to_wkt(shapes, rounding_precision=-1).tolist()


def _after(given: Mapping[str, Any], geometry: str | None) -> str:
    """The ``after`` of a create's one row: every value given, the geometry as WKT."""
    values = {name: value for name, value in given.items() if value is not None}
    if geometry is not None:
        values[GEOMETRY_FIELD] = geometry
    # Values not checked by the store's rules may be of any type: the standard encoder.
    return _json_of_checked(values) if type(given) is CheckedProperties else _JSON.encode(values)


def log_creates(
    transaction: Transaction,
    *,
    actor: str,
    action: str,
    layer: LayerSpec,
    ids: Sequence[str],
    properties: Sequence[Mapping[str, Any]],
    geometries: Sequence[BaseGeometry | None],
    at: str | None = None,
) -> list[str]:
    """Record many creates (a bulk import) in one insert: one row per new feature (``ids``,
    ``properties`` and ``geometries`` side by side), its field ``*`` and its ``after`` a JSON
    object of every value given (geometry as WKT, EPSG:27700); returns the change ids.

    Field by field, 100,000 new assets would be 1.2 million rows: most of an import's time
    and 24,000 pages of the audit log. A change to an existing feature is still logged
    field by field by :func:`log_write`.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    when = at or utc_now()
    # In order, the new ids go into the change_id index one leaf after another instead of
    # at random places all over it: the insert takes half the time in a long audit log.
    change_ids = sorted(_uuid4_hexes(len(ids)))
    # Made as they are sent: PostGIS stores the first rows while the last are encoded.
    rows = (
        (change_id, when, actor, action, layer.name, feature_id, ALL_FIELDS, None,
         _after(given, geometry))
        for feature_id, given, geometry, change_id in zip(
            ids, properties, _wkt(geometries), change_ids, strict=True)
    )
    transaction.insert_records(AUDIT_TABLE, _AUDIT_COLUMNS, rows)
    return change_ids
