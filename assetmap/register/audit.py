"""The audit log: every write to a layer, field by field (who, when, before, after).

Entries are written inside the same transaction as the change they describe,
so a change and its audit rows are committed or rolled back together.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry

from assetmap.layers import LayerSpec
from assetmap.store.base import Feature, Record, Store, Transaction

__all__ = ["ACTIONS", "AUDIT_TABLE", "audit_entries", "changed_fields", "log_write", "utc_now"]

AUDIT_TABLE = "assetmap_audit"
ACTIONS = (
    "create", "change", "move", "close", "delete", "import", "correction", "rename", "purge",
)
GEOMETRY_FIELD = "geometry"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any) -> str | None:
    """A field value as the audit log stores it: JSON text, geometry as WKT (EPSG:27700)."""
    if value is None:
        return None
    if isinstance(value, BaseGeometry):
        return str(value.wkt)
    return json.dumps(value, ensure_ascii=False, default=str)


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
) -> str:
    """Record one write (``before``/``after`` are None for a create/delete); returns its change id.

    A write that changes nothing still leaves one row (field ``""``) so that
    "verified, no change" is on the record too.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    change_id = uuid.uuid4().hex
    when = at or utc_now()
    changes = changed_fields(before, after) or {"": (None, None)}
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
