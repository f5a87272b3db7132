"""Residents' contact details on suggestions (corrections and new places alike) are kept only
as long as they are needed.

An officer may write back while deciding and for a while after; then the contact
is removed (``ASSETMAP_CONTACT_RETENTION_DAYS`` after the decision, 90 by default).
Purging runs when the app starts and by ``assetmap purge-contacts`` (daily from cron
for a service that runs for months). Each removal is audited as ``purge`` naming the
suggestion, never the contact itself; the suggestion and its decision stay.
"""

from __future__ import annotations

import datetime as dt
import uuid

from assetmap.register.audit import AUDIT_TABLE, utc_now
from assetmap.register.corrections import CORRECTIONS_TABLE
from assetmap.store.base import Record, Store

__all__ = ["PURGE_ACTOR", "purge_contacts"]

PURGE_ACTOR = "assetmap (contact retention)"
_DECIDED = ("accepted", "rejected")


def _decided_before(record: Record, cutoff: dt.datetime) -> bool:
    text = record.get("decided_at")
    if not text or not record.get("contact"):
        return False
    decided = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return decided <= cutoff


def purge_contacts(store: Store, *, retention_days: int, now: dt.datetime | None = None) -> int:
    """Remove the contacts of suggestions decided ``retention_days`` ago or more; how many."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=retention_days)
    due = [record for status in _DECIDED
           for record in store.records(CORRECTIONS_TABLE, where={"status": status})
           if _decided_before(record, cutoff)]
    if not due:
        return 0
    when = utc_now()
    with store.transaction() as transaction:
        for record in due:
            transaction.update_record(CORRECTIONS_TABLE, int(record["id"]), {"contact": None})
            transaction.insert_record(AUDIT_TABLE, {
                "change_id": uuid.uuid4().hex, "at": when, "actor": PURGE_ACTOR,
                "action": "purge", "layer": str(record["layer"]),
                "feature_id": str(record["feature_id"]),
                "field": f"contact of suggestion #{record['id']}", "before": None, "after": None,
            })
    return len(due)
