"""The audit log read as changes: one :class:`Change` per write, with the record's name and
each field's value before and after in words.

:func:`~assetmap.register.audit.log_write` leaves one row per changed field; the rows of one
write share ``change_id``. Pages of changes are cut by the store (``Store.record_keys``), so
the audit page reads 25 changes, not the whole log.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.archive import archived_names
from assetmap.register.audit import ALL_FIELDS, AUDIT_TABLE, NOTES
from assetmap.register.history_values import decoded, field_label, moved, readable
from assetmap.store.base import Record, RecordFilter, Store

__all__ = [
    "LONDON",
    "PER_PAGE",
    "Change",
    "ChangeFilters",
    "ChangePage",
    "FieldChange",
    "changes_of",
    "current_names",
    "group_changes",
    "name_field",
    "readable_time",
    "recent_changes",
]

LONDON = ZoneInfo("Europe/London")
PER_PAGE = 25
_GEOMETRY = "geometry"


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: its value before and after, stored and in words."""

    field: str
    label: str
    before: str
    after: str
    before_value: Any = None
    after_value: Any = None
    # A move says how far and which way ("moved 140 m north-east").
    summary: str | None = None


@dataclass(frozen=True)
class Change:
    """One write to one record, as the audit log holds it."""

    change_id: str
    at: dt.datetime  # UTC
    actor: str
    action: str
    layer: str
    feature_id: str
    name: str | None
    fields: tuple[FieldChange, ...] = ()
    # Notes kept with the change (what a closure left without a hub; how a check was made).
    notes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The record's name, or its id when the name is not known."""
        return self.name or self.feature_id

    @property
    def when(self) -> str:
        return readable_time(self.at)


@dataclass(frozen=True)
class ChangeFilters:
    """Which changes to list; ``since``/``until`` are days in Europe/London, inclusive."""

    layer: str | None = None
    action: str | None = None
    actor: str | None = None
    feature_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def where(self) -> RecordFilter:
        if self.since and self.until and self.since > self.until:
            raise ValidationFailed(
                "The ‘from’ date is after the ‘to’ date; swap them or change one",
                details=[{"field": "since", "problem": "after the ‘to’ date"}],
            )
        equal = {name: value for name, value in (
            ("layer", self.layer), ("action", self.action), ("actor", self.actor),
            ("feature_id", self.feature_id)) if value}
        at_least = {"at": _utc_text(self.since)} if self.since else {}
        below = {"at": _utc_text(self.until + dt.timedelta(days=1))} if self.until else {}
        return RecordFilter(equal=equal, at_least=at_least, below=below)


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_number(self) -> int:
        """The position of the page's first change in the whole list (1-based)."""
        return (self.page - 1) * self.per_page + 1 if self.changes else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.per_page + len(self.changes)


def readable_time(at: dt.datetime) -> str:
    """"1 December 2026, 3:04pm" in the county's time (GMT or BST)."""
    local = at.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def _utc_text(day: dt.date) -> str:
    """The UTC moment a London day starts, as the audit log writes times."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=LONDON).astimezone(dt.UTC)
    return start.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str | None) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.fromtimestamp(0, dt.UTC)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def name_field(layer: LayerSpec | None) -> str | None:
    """The field holding a record's name ("name", else the layer's tooltip)."""
    if layer is None:
        return None
    return "name" if "name" in layer.field_names else layer.tooltip


def _field_changes(layer: LayerSpec | None, rows: Sequence[Record]) -> list[FieldChange]:
    found: list[FieldChange] = []
    for row in rows:
        name = str(row["field"] or "")
        if name == ALL_FIELDS:  # a bulk create: every value in one JSON object
            values = decoded(row["after"])
            found.extend(_one(layer, key, None, value)
                         for key, value in (values if isinstance(values, dict) else {}).items())
        elif name and name not in NOTES:
            found.append(_one(layer, name, decoded(row["before"]), decoded(row["after"])))
    return found


def _one(layer: LayerSpec | None, name: str, before: Any, after: Any) -> FieldChange:
    summary = moved(before, after) if name == _GEOMETRY else None
    return FieldChange(
        field=name, label=field_label(layer, name), before=readable(layer, name, before),
        after=readable(layer, name, after), before_value=before, after_value=after,
        summary=summary,
    )


def _name_in(layer: LayerSpec | None, fields: Iterable[FieldChange]) -> str | None:
    key = name_field(layer)
    for change in fields:
        if change.field == key:
            value = change.after_value if change.after_value is not None else change.before_value
            return None if value is None else str(value)
    return None


def group_changes(
    rows: Iterable[Record], catalog: LayerCatalog | None, names: Mapping[tuple[str, str], str]
) -> list[Change]:
    """Audit rows as changes, in the order each change's first row comes in ``rows``.

    ``names`` gives (layer, feature id) -> the record's name now, for changes that do not
    touch the name.
    """
    grouped: dict[str, list[Record]] = {}
    for row in rows:
        grouped.setdefault(str(row["change_id"]), []).append(row)
    changes = []
    for change_id, members in grouped.items():
        members.sort(key=lambda r: int(r["id"]))
        first = members[0]
        layer = _layer(catalog, str(first["layer"]))
        fields = _field_changes(layer, members)
        key = (str(first["layer"]), str(first["feature_id"]))
        changes.append(Change(
            change_id=change_id, at=_parse_time(first["at"]), actor=str(first["actor"] or ""),
            action=str(first["action"] or ""), layer=key[0], feature_id=key[1],
            name=_name_in(layer, fields) or names.get(key), fields=tuple(fields),
            notes={str(r["field"]): decoded(r["after"]) for r in members if r["field"] in NOTES},
        ))
    return changes


def _layer(catalog: LayerCatalog | None, name: str) -> LayerSpec | None:
    return None if catalog is None else catalog.get(name)


def current_names(
    store: Store, catalog: LayerCatalog | None, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(layer, id) -> name, read in one query per layer; deleted records from the archive."""
    by_layer: dict[str, set[str]] = {}
    for layer_name, feature_id in keys:
        by_layer.setdefault(layer_name, set()).add(feature_id)
    names: dict[tuple[str, str], str] = {}
    for layer_name, ids in by_layer.items():
        layer = _layer(catalog, layer_name)
        key = name_field(layer)
        if layer is None or key is None or not store.has_layer(layer):
            continue
        frame = store.read(layer, filters={layer.id_field: sorted(ids)}, fields=[key])
        for feature_id, name in zip(frame[layer.id_field], frame[key], strict=True):
            if isinstance(name, str) and name:
                names[(layer_name, str(feature_id))] = name
    missing = [k for k in {(layer, i) for layer, ids in by_layer.items() for i in ids}
               if k not in names]
    names.update(archived_names(store, missing))
    return names


def changes_of(
    store: Store, layer: LayerSpec, feature_id: str, *, catalog: LayerCatalog | None = None
) -> list[Change]:
    """Every change to one record, newest first (a deleted record's too)."""
    rows = store.records(AUDIT_TABLE, where={"layer": layer.name, "feature_id": feature_id},
                         newest_first=True)
    names = current_names(store, catalog or _catalog_of(layer), [(layer.name, feature_id)])
    return group_changes(rows, catalog or _catalog_of(layer), names)


def _catalog_of(layer: LayerSpec) -> LayerCatalog:
    return LayerCatalog([layer])


def recent_changes(
    store: Store,
    filters: ChangeFilters | None = None,
    page: int = 1,
    *,
    catalog: LayerCatalog | None = None,
    per_page: int = PER_PAGE,
) -> ChangePage:
    """One page of changes, newest first, matching ``filters`` (paged by the store)."""
    where = (filters or ChangeFilters()).where()
    page = max(1, page)
    total = store.count_records(AUDIT_TABLE, where=where, distinct="change_id")
    keys = store.record_keys(AUDIT_TABLE, "change_id", where=where, limit=per_page,
                             offset=(page - 1) * per_page)
    rows = store.records(AUDIT_TABLE, where=RecordFilter(one_of={"change_id": keys})) if keys \
        else []
    order = {key: index for index, key in enumerate(keys)}
    rows.sort(key=lambda r: order[str(r["change_id"])])
    names = current_names(store, catalog, {(str(r["layer"]), str(r["feature_id"])) for r in rows})
    return ChangePage(group_changes(rows, catalog, names), total, page, per_page)
