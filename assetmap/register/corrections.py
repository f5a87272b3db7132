"""Corrections suggested by the public, queued until an officer accepts or rejects them.

A resident may suggest new values for the details they can check from the
street or a leaflet (name, address, contact details, opening times,
accessibility) and report that a place has closed. Nothing on the map changes
until an officer accepts: then the values are applied and audited as a
``correction`` in the same transaction that records the decision, and only if
the asset is still as the officer saw it (its ETag), so a decision is never
made against values that changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assetmap.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    TooManyRequests,
    ValidationFailed,
)
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.correction_values import (
    MAX_CONTACT,
    MAX_MESSAGE,
    MAX_NOTE,
    as_text,
    clean_changes,
    optional_text,
    problem,
    same,
)
from assetmap.register.editing import change_in_transaction, feature_etag, matches
from assetmap.register.users import User
from assetmap.store.base import Feature, Record, Store, Transaction
from assetmap.store.validation import clean_properties

__all__ = [
    "CORRECTIONS_TABLE",
    "STATUSES",
    "Correction",
    "DiffRow",
    "Review",
    "count_corrections",
    "decide",
    "get_correction",
    "list_corrections",
    "resident_asset",
    "submit_correction",
]

CORRECTIONS_TABLE = "assetmap_corrections"
STATUSES = ("pending", "accepted", "rejected")
WINDOW = dt.timedelta(hours=1)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Correction:
    """One suggestion as stored; ``changes`` maps field -> proposed value (None clears it)."""

    id: int
    created_at: str
    layer: str
    feature_id: str
    changes: dict[str, Any]
    message: str | None
    contact: str | None
    status: str
    decided_by: str | None = None
    decided_at: str | None = None
    decision_note: str | None = None

    @classmethod
    def from_record(cls, record: Record) -> Correction:
        return cls(
            id=int(record["id"]),
            created_at=str(record["created_at"]),
            layer=str(record["layer"]),
            feature_id=str(record["feature_id"]),
            changes=json.loads(record["changes"] or "{}"),
            message=record.get("message"),
            contact=record.get("contact"),
            status=str(record["status"]),
            decided_by=record.get("decided_by"),
            decided_at=record.get("decided_at"),
            decision_note=record.get("decision_note"),
        )


@dataclass(frozen=True)
class DiffRow:
    field: str
    current: Any
    proposed: Any

    @property
    def changed(self) -> bool:
        return as_text(self.current) != as_text(self.proposed)


@dataclass(frozen=True)
class Review:
    """A suggestion beside the asset as it is now (``feature`` None if it has gone)."""

    correction: Correction
    feature: Feature | None

    @property
    def etag(self) -> str | None:
        return None if self.feature is None else feature_etag(self.feature)

    @property
    def rows(self) -> list[DiffRow]:
        current = self.feature.properties if self.feature is not None else {}
        return [
            DiffRow(name, current.get(name), value)
            for name, value in self.correction.changes.items()
        ]


def resident_asset(store: Store, layer: LayerSpec, feature_id: str) -> Feature:
    """The asset as residents may see it: an asset layer's feature that is not closed."""
    feature = store.get(layer, feature_id) if layer.hub_categories else None
    if feature is None or feature.properties.get("status") == "closed":
        raise NotFound(
            f"No {layer.name} feature {feature_id!r} that residents can see "
            "(it may have closed, or the id is wrong)",
            key="hub.not_found",
        )
    return feature


# -- the public side ------------------------------------------------------------------------
def _when(now: dt.datetime | None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=dt.UTC)


def _parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)


def _check_rate(store: Store, client: str, now: dt.datetime, per_hour: int) -> None:
    """At most ``per_hour`` suggestions from one client in any hour (a sliding window)."""
    latest = store.records(
        CORRECTIONS_TABLE, where={"client": client}, limit=per_hour, newest_first=True
    )
    if len(latest) < per_hour:
        return
    oldest = _parse_time(str(latest[-1]["created_at"]))
    wait = oldest + WINDOW - now
    if wait > dt.timedelta(0):
        minutes = math.ceil(wait.total_seconds() / 60)
        raise TooManyRequests(
            f"You have sent {per_hour} suggestions in the last hour, the most we accept from "
            f"one place. Please try again in {minutes} minute{'s' if minutes != 1 else ''}, "
            "or email the details instead.",
            retry_after=math.ceil(wait.total_seconds()),
            key="correction.too_many",
            values={"minutes": minutes},
        )


def _checked_suggestion(
    layer: LayerSpec, feature: Feature, changes: Mapping[str, Any] | None,
    message: str | None, contact: str | None,
) -> tuple[dict[str, Any], str | None, str | None]:
    """The proposed values that differ from the asset's, the message and the contact, checked;
    :class:`ValidationFailed` with every problem when any is wrong or there is nothing to send."""
    if changes is not None and not isinstance(changes, Mapping):
        raise ValidationFailed(
            "changes must be an object of field names and proposed values",
            details=[problem("changes", "is not an object", 'send {"field": "value"}',
                              "invalid")],
        )
    # Values sent back unchanged (a prefilled form) are not suggestions, and are not checked:
    # a resident must not be blocked by an old value they did not touch.
    touched = {
        name: value for name, value in (changes or {}).items()
        if not same(value, feature.properties.get(name))
    }
    cleaned, problems = clean_changes(layer, touched, resident=True)
    text = optional_text("message", message, MAX_MESSAGE, problems, allow_breaks=True)
    reply_to = optional_text("contact", contact, MAX_CONTACT, problems, allow_breaks=False)
    proposed = {
        name: value for name, value in cleaned.items()
        if as_text(value) != as_text(feature.properties.get(name))
    }
    if not problems and not proposed and not text:
        problems.append(problem("message", "there is nothing to send",
                                 "change at least one detail or write a message", "nothing"))
    if problems:
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ValidationFailed(f"The suggestion was not sent: {summary}", details=problems)
    return proposed, text, reply_to


def submit_correction(
    store: Store,
    layer: LayerSpec,
    feature_id: str,
    changes: Mapping[str, Any] | None,
    message: str | None,
    contact: str | None,
    client_key: str,
    now: dt.datetime | None = None,
    *,
    per_hour: int = 5,
) -> Correction:
    """Queue a suggestion from the public; all is checked before anything is stored.

    Proposed values equal to the current ones are dropped. ``client_key`` is an
    opaque key for the sender (see :mod:`assetmap.register.client_keys`).
    """
    feature = resident_asset(store, layer, feature_id)
    proposed, text, reply_to = _checked_suggestion(layer, feature, changes, message, contact)
    now = _when(now)
    values = {
        "created_at": now.strftime(_TIME_FORMAT),
        "layer": layer.name,
        "feature_id": feature.id,
        "changes": json.dumps(proposed, ensure_ascii=False, sort_keys=True),
        "message": text,
        "contact": reply_to,
        "status": "pending",
        "client": client_key,
    }
    with store.transaction() as transaction:
        # Checked under a lock per client, so parallel requests cannot all slip under the limit.
        transaction.lock(f"corrections:{client_key}")
        _check_rate(store, client_key, now, per_hour)
        correction_id = transaction.insert_record(CORRECTIONS_TABLE, values)
    record: Record = {"id": correction_id, **values}
    return Correction.from_record(record)


# -- the officer side -----------------------------------------------------------------------
def get_correction(store: Store, correction_id: int) -> Correction:
    rows = store.records(CORRECTIONS_TABLE, where={"id": str(correction_id)}, limit=1)
    if not rows:
        raise NotFound(f"No suggested correction #{correction_id}")
    return Correction.from_record(rows[0])


def _note(note: str | None) -> str | None:
    problems: list[dict[str, Any]] = []
    text = optional_text("note", note, MAX_NOTE, problems, allow_breaks=True)
    if problems:
        raise ValidationFailed(f"note: {problems[0]['problem']}", details=problems)
    return text


def _to_apply(
    layer: LayerSpec, correction: Correction, edits: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The suggested values with the officer's edits, checked as every write is."""
    changes = dict(correction.changes)
    if edits:
        amended, problems = clean_changes(layer, edits, resident=False)
        if problems:
            summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
            raise ValidationFailed(f"The edits were not applied: {summary}", details=problems)
        changes.update(amended)
    return clean_properties(layer, changes, partial=True)


def _check_decidable(
    correction: Correction, before: Feature | None, *, accept: bool, etag: str | None
) -> None:
    """Refuse a decision on a suggestion already decided, or accepting one whose asset is gone
    or changed since the officer saw it (read in the deciding transaction)."""
    if correction.status != "pending":
        raise Conflict(
            f"Suggestion #{correction.id} was already {correction.status} by "
            f"{correction.decided_by} at {correction.decided_at}; nothing was changed."
        )
    if not accept:
        return
    if before is None:
        raise NotFound(
            f"{correction.layer} {correction.feature_id!r} no longer exists, so the "
            "suggestion cannot be applied; reject it instead."
        )
    if not matches(etag, before):
        raise PreconditionFailed(
            f"The asset {correction.feature_id} changed after you opened the suggestion; "
            "nothing was saved and the suggestion is still pending. Look at the current "
            "values again and decide.",
            details=[{"current_etag": feature_etag(before)}],
        )


def decide(
    store: Store,
    catalog: LayerCatalog,
    correction_id: int,
    *,
    accept: bool,
    officer: User,
    note: str | None = None,
    etag: str | None = None,
    edits: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    notes: Mapping[str, Any] | None = None,
    on_decided: Callable[[Transaction, Correction], None] | None = None,
) -> Correction:
    """Accept (apply, audited as ``correction``) or reject a pending suggestion.

    ``etag`` is the asset's ETag as the officer saw it beside the suggestion;
    accepting fails with 412 if the asset changed since, and the suggestion
    stays pending. ``edits`` lets the officer amend proposed values first (the
    suggestion keeps what the resident sent; the audit log has what was applied).
    ``notes`` (e.g. a closure's impact) go into the audit entry of the change.
    Deciding a suggestion that was already decided fails with 409. ``on_decided`` runs in
    the deciding transaction with the decided suggestion (it queues the resident's mail).
    """
    text = _note(note)
    correction = get_correction(store, correction_id)
    layer = catalog[correction.layer]
    changes = _to_apply(layer, correction, edits) if accept else {}
    if accept and not (etag or "").strip():
        raise PreconditionRequired(
            "Accepting needs the asset's etag as shown beside the suggestion, so that a change "
            "made meanwhile is never overwritten: list the suggestions again and send its etag."
        )
    decided_at = _when(now).strftime(_TIME_FORMAT)
    with store.transaction() as transaction:
        # Reading the asset in the transaction locks it: two officers deciding at once queue here.
        before = transaction.get(layer, correction.feature_id)
        correction = get_correction(store, correction_id)
        _check_decidable(correction, before, accept=accept, etag=etag)
        if changes:
            # In this transaction, so the change, its audit rows and the decision are
            # committed together or not at all.
            change_in_transaction(
                transaction, layer, correction.feature_id, if_match=etag,
                actor=f"{officer.name} (suggested #{correction_id})", properties=changes,
                action="correction", at=decided_at, notes=notes,
            )
        decision: dict[str, Any] = {
            "status": "accepted" if accept else "rejected",
            "decided_by": officer.name,
            "decided_at": decided_at,
            "decision_note": text,
        }
        transaction.update_record(CORRECTIONS_TABLE, correction_id, decision)
        if on_decided is not None:
            on_decided(transaction, replace(correction, **decision))
    return get_correction(store, correction_id)


def list_corrections(
    store: Store,
    catalog: LayerCatalog,
    status: str = "pending",
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[Review]:
    """Suggestions with a status, each beside its asset as it is now.

    Pending ones come oldest first (a queue); decided ones newest first.
    """
    _check_status(status)
    rows = store.records(
        CORRECTIONS_TABLE, where={"status": status}, limit=limit, offset=offset,
        newest_first=status != "pending",
    )
    features: dict[tuple[str, str], Feature | None] = {}  # an asset may have many suggestions
    reviews = []
    for row in rows:
        correction = Correction.from_record(row)
        key = (correction.layer, correction.feature_id)
        if key not in features:
            layer = catalog.get(correction.layer)
            features[key] = store.get(layer, correction.feature_id) if layer is not None else None
        reviews.append(Review(correction, features[key]))
    return reviews


def count_corrections(store: Store, status: str) -> int:
    _check_status(status)
    return store.count_records(CORRECTIONS_TABLE, where={"status": status})


def _check_status(status: str, allowed: Sequence[str] = STATUSES) -> None:
    if status not in allowed:
        raise ValidationFailed(
            f"status {status!r} is not one of {', '.join(allowed)}",
            details=[{"field": "status", "problem": "unknown status",
                      "fix": f"use one of {', '.join(allowed)}"}],
        )
