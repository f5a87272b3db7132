"""The officers' morning digest: suggestions waiting for a decision (residents' corrections and
new places, stewards' edits held for review) and the changes stewards made live since the
last one.

One mail a day to each active officer and admin with an email address, from
``digest_hour`` (UTC), only on days with something to tell; queued under a lock with a key
per officer and day, so several workers or servers send it once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from assetmap.layers import LayerCatalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.corrections import CORRECTIONS_TABLE
from assetmap.register.notifications import MailContext
from assetmap.register.outbox import OUTBOX_TABLE, checked_address, enqueue, outbox_time
from assetmap.register.users import USERS_TABLE
from assetmap.store.base import Record, Store

__all__ = ["DIGEST_ROLES", "queue_digests", "steward_changes_since"]

DIGEST_ROLES = ("officer", "admin")
# What each kind of suggestion is called (the corrections queue's kinds).
KIND_LABELS = {
    "correction": ("correction", "corrections"),
    "new_place": ("new place", "new places"),
    "steward_edit": ("steward's edit to review", "stewards' edits to review"),
}
DIGEST_ITEMS = 20
_AUDIT_PAGE = 500


def _officers(store: Store) -> list[tuple[str, str]]:
    """(name, email) of every active officer and admin who has an email address."""
    found = []
    for row in store.records(USERS_TABLE, where={"revoked_at": None}):
        address = checked_address(row.get("email"))
        if row["role"] in DIGEST_ROLES and address:
            found.append((str(row["name"]), address))
    return found


def _name(store: Store, catalog: LayerCatalog, layer_name: str, feature_id: str) -> str | None:
    layer = catalog.get(layer_name)
    feature = store.get(layer, feature_id) if layer is not None and feature_id else None
    name = feature.properties.get("name") if feature is not None else None
    return None if name is None else str(name)


def steward_changes_since(store: Store, since: str) -> list[Record]:
    """One row per change stewards made from ``since`` (audit time, UTC), newest first:
    ``steward``, ``layer``, ``feature_id``, ``at``."""
    stewards = {str(row["name"]) for row in store.records(USERS_TABLE, where={"role": "steward"})}
    changes: dict[str, Record] = {}
    offset = 0
    while stewards:
        rows = store.records(AUDIT_TABLE, newest_first=True, limit=_AUDIT_PAGE, offset=offset)
        for row in rows:
            if str(row["at"]) < since:
                return list(changes.values())
            # A steward's own edit is audited under their name ("name" or "name (…)").
            steward = str(row["actor"] or "").split(" (", 1)[0]
            if steward in stewards and row["change_id"] not in changes:
                changes[str(row["change_id"])] = {
                    "steward": steward, "layer": row["layer"], "feature_id": row["feature_id"],
                    "at": row["at"]}
        if len(rows) < _AUDIT_PAGE:
            break
        offset += _AUDIT_PAGE
    return list(changes.values())


def _waiting(created_at: str, now: dt.datetime) -> str:
    days = (now.date() - dt.date.fromisoformat(created_at[:10])).days
    return "since today" if days <= 0 else f"{days} day{'s' if days != 1 else ''}"


def _context(
    store: Store, catalog: LayerCatalog, rows: list[Record], edits: list[Record],
    now: dt.datetime,
) -> dict[str, Any]:
    kinds = Counter(str(row.get("kind") or "correction") for row in rows)
    counts = [(KIND_LABELS.get(kind, (kind, kind))[count != 1], count)
              for kind, count in sorted(kinds.items())]
    items = []
    for row in rows[:DIGEST_ITEMS]:
        kind = str(row.get("kind") or "correction")
        name = (_name(store, catalog, str(row["layer"]), str(row.get("feature_id") or ""))
                or json.loads(str(row.get("changes") or "{}")).get("name"))
        items.append({"what": KIND_LABELS.get(kind, (kind,))[0].capitalize(),
                      "place": str(name or row.get("feature_id") or "a new place"),
                      "waiting": _waiting(str(row["created_at"]), now)})
    changed = [{"steward": edit["steward"],
                "place": _name(store, catalog, str(edit["layer"]), str(edit["feature_id"]))
                or str(edit["feature_id"])} for edit in edits[:DIGEST_ITEMS]]
    return {"total": len(rows), "counts": counts, "items": items,
            "more": max(0, len(rows) - DIGEST_ITEMS), "edits": changed,
            "more_edits": max(0, len(edits) - DIGEST_ITEMS)}


def _subject(waiting: int, edits: int) -> str:
    parts = []
    if waiting:
        parts.append(f"{waiting} suggestion{'s' if waiting != 1 else ''} waiting for a decision")
    if edits:
        parts.append(f"{edits} change{'s' if edits != 1 else ''} by stewards")
    return "; ".join(parts)


def queue_digests(
    store: Store, catalog: LayerCatalog, context: MailContext, *, now: dt.datetime | None = None,
) -> int:
    """Queue today's digest to each officer, once a day from ``digest_hour`` (UTC), only when
    suggestions wait or stewards changed something in the last day; how many were queued."""
    moment = now or dt.datetime.now(dt.UTC)
    if moment.hour < context.digest_hour:
        return 0
    rows = store.records(CORRECTIONS_TABLE, where={"status": "pending"})
    edits = steward_changes_since(store, outbox_time(moment - dt.timedelta(days=1)))
    officers = _officers(store) if rows or edits else []
    if not officers:
        return 0
    values = _context(store, catalog, rows, edits, moment) | {
        "link": context.link("/corrections"), "audit_link": context.link("/audit"),
        "service_name": context.service_name}
    subject = _subject(len(rows), len(edits))
    queued = 0
    with store.transaction() as transaction:
        # Every worker may look; under the lock only the first finds the day's digest unsent.
        transaction.lock("outbox:digest")
        for name, address in officers:
            key = f"digest:{moment.date().isoformat()}:{name}"
            if store.count_records(OUTBOX_TABLE, where={"dedupe_key": key}):
                continue
            enqueue(transaction, context.templates.message(
                "digest", address, subject, kind="digest", dedupe_key=key, **values), now=moment)
            queued += 1
    return queued
