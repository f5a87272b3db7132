"""Earlier versions of a record, rebuilt from the audit log, and putting one back.

A version is the record as it stood right after one change: the current values with every
later change undone (each changed field set back to its ``before``). Restoring it is an
ordinary audited write (action ``restore``), made only if the record is still at the
version the officer looked at (``If-Match``; 412 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assetmap.errors import Conflict, NotFound, ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.activity_rules import check_links
from assetmap.register.audit import (
    ALL_FIELDS,
    AUDIT_TABLE,
    NOTES,
    RESTORED_FROM_NOTE,
    changed_fields,
)
from assetmap.register.editing import change_in_transaction, feature_etag
from assetmap.register.history import Change, FieldChange, changes_of
from assetmap.register.history_values import decoded, field_label, geometry_of, moved, readable
from assetmap.store.base import Feature, Record, Store

__all__ = ["Version", "restore_version", "version_after"]

_GEOMETRY = "geometry"


@dataclass(frozen=True)
class Version:
    """The record as it was right after ``change``, beside how it is now."""

    change: Change
    current: Feature
    feature: Feature
    etag: str  # the current version's: a restore must start from it
    differences: tuple[FieldChange, ...]  # now -> then, in words

    @property
    def is_current(self) -> bool:
        return not self.differences


def _undo(values: dict[str, Any], rows: list[Record], layer: LayerSpec) -> None:
    """Set each field a later change wrote back to what it was before that change."""
    for row in rows:
        field = str(row["field"] or "")
        if not field or field in NOTES or field == layer.id_field:
            continue
        if field == _GEOMETRY or field in layer.field_names:
            values[field] = decoded(row["before"])


def _later_rows(store: Store, layer: LayerSpec, feature_id: str, change_id: str) -> list[Record]:
    """Rows of the changes after ``change_id`` to undo, newest first; NotFound if it is not
    this record's change."""
    rows = store.records(AUDIT_TABLE, where={"layer": layer.name, "feature_id": feature_id},
                         newest_first=True)
    later: dict[str, list[Record]] = {}
    for row in rows:
        if row["change_id"] == change_id:
            return [r for change in later.values() if _undoable(change) for r in change]
        later.setdefault(str(row["change_id"]), []).append(row)
    raise NotFound(f"No change {change_id!r} in the history of {layer.name} {feature_id}")


def _undoable(rows: list[Record]) -> bool:
    """False for a removal and the archive restore that undid it (they cancel out)."""
    action = rows[0]["action"]
    fields = {r["field"] for r in rows}
    if action == "create" or ALL_FIELDS in fields:
        raise Conflict("That version belongs to an earlier record that had the same id; "
                       "it cannot be put back over this one.")
    removal = action == "delete" or (action == "import" and all(r["after"] is None
                                                                for r in rows))
    readded = action == "restore" and RESTORED_FROM_NOTE not in fields
    return not (removal or readded)


def version_after(store: Store, layer: LayerSpec, feature_id: str, change_id: str) -> Version:
    """The record as it stood right after change ``change_id`` (from the audit log)."""
    current = store.get(layer, feature_id)
    if current is None:
        raise NotFound(f"No {layer.name} record {feature_id!r} (a deleted record is restored "
                       "from the archive first)")
    later = _later_rows(store, layer, feature_id, change_id)
    values: dict[str, Any] = {**current.properties, _GEOMETRY: current.geometry}
    _undo(values, later, layer)  # newest first, so the earliest later change has the last word
    geometry = geometry_of(values.pop(_GEOMETRY)) if layer.is_spatial else None
    then = Feature(feature_id, {k: values.get(k) for k in layer.field_names}, geometry)
    differences = tuple(
        FieldChange(field=name, label=field_label(layer, name),
                    before=readable(layer, name, decoded(now)),
                    after=readable(layer, name, decoded(was)),
                    before_value=decoded(now), after_value=decoded(was),
                    summary=moved(now, was) if name == _GEOMETRY else None)
        for name, (now, was) in changed_fields(current, then).items()
    )
    (change,) = [c for c in changes_of(store, layer, feature_id) if c.change_id == change_id]
    return Version(change, current, then, feature_etag(current), differences)


def restore_version(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, feature_id: str, change_id: str,
    *, if_match: str | None, actor: str,
) -> Feature:
    """Put back the version after ``change_id``, if the record is still at ``if_match``.

    Audited as ``restore`` with a note naming the change whose version came back.
    """
    version = version_after(store, layer, feature_id, change_id)
    if version.is_current:
        raise ValidationFailed("That version is the record as it is now; nothing to restore.")
    changes = {f.field: version.feature.properties.get(f.field) for f in version.differences
               if f.field != _GEOMETRY}
    moved_back = any(f.field == _GEOMETRY for f in version.differences)
    check_links(store, catalog, layer, changes)
    with store.transaction() as transaction:
        return change_in_transaction(
            transaction, layer, feature_id, if_match=if_match, actor=actor,
            properties=changes, geometry=version.feature.geometry if moved_back else None,
            action="restore", notes={RESTORED_FROM_NOTE: change_id},
        )

