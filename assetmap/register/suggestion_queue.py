"""The moderated queue every suggestion waits in until an officer decides: its table, the
shape of one entry and the limit on how often one client may add to it.

Three kinds wait here: a resident's ``correction`` to a place the register has, a resident's
``new_place`` (name, what it is, where; accepting creates the asset) and a steward's
``steward_edit`` when the council reviews stewards' edits before they go live. An entry's
``author`` is the signed-in steward who wrote it; residents are never named (their
``contact``, if they left one, is purged after the decision, see ``contact_retention``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely import wkt
from shapely.geometry.base import BaseGeometry

from assetmap.errors import NotFound, TooManyRequests
from assetmap.store.base import Record, Store

__all__ = [
    "CORRECTIONS_TABLE",
    "KINDS",
    "KIND_LABELS",
    "STATUSES",
    "TIME_FORMAT",
    "Correction",
    "get_correction",
    "queue_suggestion",
    "timestamp",
]

CORRECTIONS_TABLE = "assetmap_corrections"
STATUSES = ("pending", "accepted", "rejected")
KINDS = ("correction", "new_place", "steward_edit")
KIND_LABELS = {"correction": "Correction", "new_place": "New place",
               "steward_edit": "Steward's edit"}
WINDOW = dt.timedelta(hours=1)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Correction:
    """One suggestion as stored; ``changes`` maps field -> proposed value (None clears it).

    A pending ``new_place`` has no ``feature_id`` yet (``""``): accepting gives it the new
    asset's id; its ``position`` is the point the resident gave (WKT, EPSG:27700).
    """

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
    kind: str = "correction"
    author: str | None = None
    district: str | None = None
    position: str | None = None

    @classmethod
    def from_record(cls, record: Record) -> Correction:
        return cls(
            id=int(record["id"]),
            created_at=str(record["created_at"]),
            layer=str(record["layer"]),
            feature_id=str(record.get("feature_id") or ""),
            changes=json.loads(record["changes"] or "{}"),
            message=record.get("message"),
            contact=record.get("contact"),
            status=str(record["status"]),
            decided_by=record.get("decided_by"),
            decided_at=record.get("decided_at"),
            decision_note=record.get("decision_note"),
            # Rows stored before kinds existed are residents' corrections.
            kind=str(record.get("kind") or "correction"),
            author=record.get("author"),
            district=record.get("district"),
            position=record.get("position"),
        )

    @property
    def point(self) -> BaseGeometry | None:
        """A new place's position (EPSG:27700), None for the other kinds."""
        return wkt.loads(self.position) if self.position else None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def when(now: dt.datetime | None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=dt.UTC)


def timestamp(now: dt.datetime | None = None) -> str:
    """The queue's time stamps: UTC to the second, e.g. ``2026-12-01T15:20:00Z``."""
    return when(now).strftime(TIME_FORMAT)


def _parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=dt.UTC)


def _check_rate(store: Store, client: str, now: dt.datetime, per_hour: int) -> None:
    """At most ``per_hour`` suggestions (of any kind) from one client in any hour."""
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


def queue_suggestion(
    store: Store,
    values: Mapping[str, str | None],
    *,
    client_key: str | None,
    now: dt.datetime,
    per_hour: int,
) -> Correction:
    """Store one checked suggestion as pending; with a ``client_key`` (the public's), only if
    that client sent fewer than ``per_hour`` in the last hour (429 otherwise)."""
    row = {"created_at": timestamp(now), "status": "pending", "client": client_key, **values}
    with store.transaction() as transaction:
        if client_key:
            # Checked under a lock per client, so parallel requests cannot all slip under.
            transaction.lock(f"corrections:{client_key}")
            _check_rate(store, client_key, when(now), per_hour)
        correction_id = transaction.insert_record(CORRECTIONS_TABLE, row)
    return Correction.from_record({"id": correction_id, **row})


def get_correction(store: Store, correction_id: int) -> Correction:
    rows = store.records(CORRECTIONS_TABLE, where={"id": str(correction_id)}, limit=1)
    if not rows:
        raise NotFound(f"No suggested correction #{correction_id}")
    return Correction.from_record(rows[0])
