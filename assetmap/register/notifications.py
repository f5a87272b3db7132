"""What the register tells people by email: decisions to residents, a digest to officers.

Mail is written from templates in ``web/templates/mail/`` (a ``.txt`` and an ``.html``
of each, the same words) and queued in the outbox (:mod:`assetmap.register.outbox`):
a resident's decision inside the deciding transaction, so it goes only if the decision
commits; the officers' digest once a day however many workers look.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assetmap.layers import LayerCatalog
from assetmap.register.corrections import CORRECTIONS_TABLE, Correction
from assetmap.register.outbox import OUTBOX_TABLE, Message, checked_address, enqueue
from assetmap.register.users import USERS_TABLE
from assetmap.store.base import Record, Store, Transaction, plain_text

__all__ = [
    "DIGEST_ROLES",
    "MailContext",
    "MailTemplates",
    "decision_message",
    "long_date",
    "notify_decision",
    "queue_digests",
]

DIGEST_ROLES = ("officer", "admin")
# What each kind of suggestion is called in a digest (K2's queue kinds).
KIND_LABELS = {
    "correction": ("correction", "corrections"),
    "new_place": ("new place", "new places"),
    "steward_edit": ("steward's edit", "stewards' edits"),
}
DIGEST_ITEMS = 20


def long_date(text: str | None) -> str:
    """``2026-12-01T12:00:00Z`` as "1 December 2026" (GOV.UK style); "" when missing."""
    if not text:
        return ""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return f"{moment.day} {moment:%B %Y}"


class MailTemplates:
    """Renders ``mail/<name>.txt`` and ``mail/<name>.html`` with the same context."""

    def __init__(self, templates_dir: Path) -> None:
        self._environment = Environment(
            loader=FileSystemLoader(templates_dir),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined, keep_trailing_newline=True,
        )

    def message(
        self, name: str, recipient: str, subject: str, *, kind: str,
        dedupe_key: str | None = None, **context: Any,
    ) -> Message:
        values = {"subject": subject, **context}
        text = self._environment.get_template(f"mail/{name}.txt").render(values)
        html = self._environment.get_template(f"mail/{name}.html").render(values)
        return Message(recipient, subject, text, html, kind=kind, dedupe_key=dedupe_key)


@dataclass(frozen=True)
class MailContext:
    """What every mail needs to know about the service (built from the settings)."""

    templates: MailTemplates
    public_url: str
    service_name: str = "the community assets register"
    contact_retention_days: int = 90
    digest_hour: int = 7
    link_days: int = 14

    def link(self, path: str) -> str:
        return self.public_url.rstrip("/") + path


def _place_name(transaction: Transaction, catalog: LayerCatalog, correction: Correction) -> str:
    layer = catalog.get(correction.layer)
    feature = (transaction.get(layer, correction.feature_id)
               if layer is not None and correction.feature_id else None)
    name = feature.properties.get("name") if feature is not None else None
    return str(name or correction.changes.get("name") or correction.feature_id or "the place")


def decision_message(context: MailContext, correction: Correction, place: str) -> Message | None:
    """The mail telling a resident what was decided, or None when they left no email address."""
    address = checked_address(correction.contact)
    if address is None or correction.status not in ("accepted", "rejected"):
        return None
    accepted = correction.status == "accepted"
    kind = getattr(correction, "kind", "correction")
    new_place = kind == "new_place"
    subject = (f"We have added {place} to the register" if accepted and new_place
               else f"We have updated {place}" if accepted
               else f"Your suggestion of {place}: we did not add it" if new_place
               else f"Your suggestion about {place}: we did not make the change")
    link = (context.link(f"/hubs/{quote(correction.feature_id, safe='')}")
            if accepted and correction.layer == "assets" and correction.feature_id else None)
    return context.templates.message(
        "decision", address, subject[:200], kind="decision", place=place, accepted=accepted,
        kind_of_suggestion=kind, note=correction.decision_note or "",
        sent_on=long_date(correction.created_at), reference=f"#{correction.id}",
        link=link, retention_days=context.contact_retention_days,
        service_name=context.service_name,
    )


def notify_decision(
    context: MailContext, catalog: LayerCatalog
) -> Callable[[Transaction, Correction], None]:
    """A hook for :func:`assetmap.register.corrections.decide`: queues the resident's mail in
    the deciding transaction (``on_decided``)."""

    def on_decided(transaction: Transaction, correction: Correction) -> None:
        message = decision_message(context, correction,
                                   _place_name(transaction, catalog, correction))
        if message is not None:
            enqueue(transaction, message)

    return on_decided


# -- the officers' daily digest -------------------------------------------------------------
def _officers(store: Store) -> list[tuple[str, str]]:
    """(name, email) of every active officer and admin who has an email address."""
    found = []
    for row in store.records(USERS_TABLE, where={"revoked_at": None}):
        address = checked_address(plain_text(row.get("email")))
        if row["role"] in DIGEST_ROLES and address:
            found.append((str(row["name"]), address))
    return found


def _waiting(created_at: str, now: dt.datetime) -> str:
    days = (now.date() - dt.date.fromisoformat(created_at[:10])).days
    return "since today" if days <= 0 else f"{days} day{'s' if days != 1 else ''}"


def _digest_context(
    store: Store, catalog: LayerCatalog, rows: list[Record], now: dt.datetime
) -> dict[str, Any]:
    kinds = Counter(str(row.get("kind") or "correction") for row in rows)
    counts = [(KIND_LABELS.get(kind, (kind, kind))[count != 1], count)
              for kind, count in sorted(kinds.items())]
    items = []
    for row in rows[:DIGEST_ITEMS]:
        kind = str(row.get("kind") or "correction")
        layer = catalog.get(str(row["layer"]))
        feature = (store.get(layer, str(row["feature_id"]))
                   if layer is not None and row.get("feature_id") else None)
        name = (feature.properties.get("name") if feature is not None
                else json.loads(str(row.get("changes") or "{}")).get("name"))
        items.append({"what": KIND_LABELS.get(kind, (kind,))[0].capitalize(),
                      "place": str(name or row.get("feature_id") or "a new place"),
                      "waiting": _waiting(str(row["created_at"]), now)})
    return {"total": len(rows), "counts": counts, "items": items,
            "more": max(0, len(rows) - DIGEST_ITEMS)}


def queue_digests(
    store: Store, catalog: LayerCatalog, context: MailContext, *, now: dt.datetime | None = None,
) -> int:
    """Queue today's digest to each officer, once a day from ``digest_hour`` (UTC), and only
    when suggestions are waiting; returns how many were queued now."""
    moment = now or dt.datetime.now(dt.UTC)
    if moment.hour < context.digest_hour:
        return 0
    rows = store.records(CORRECTIONS_TABLE, where={"status": "pending"})
    officers = _officers(store) if rows else []
    if not officers:
        return 0
    values = _digest_context(store, catalog, rows, moment) | {
        "link": context.link("/corrections"), "service_name": context.service_name}
    subject = f"{len(rows)} suggestion{'s' if len(rows) != 1 else ''} waiting for a decision"
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
