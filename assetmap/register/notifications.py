"""What the register tells residents by email, and how any mail is written.

Mail is written from templates in ``web/templates/mail/`` (a ``.txt`` and an ``.html``
of each, the same words) and queued in the outbox (:mod:`assetmap.register.outbox`):
a resident's decision inside the deciding transaction, so it goes only if the decision
commits. The officers' digest is :mod:`assetmap.register.digest`, stewards' yearly
question :mod:`assetmap.register.steward_asks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assetmap.layers import LayerCatalog
from assetmap.register.corrections import Correction
from assetmap.register.outbox import Message, checked_address, enqueue
from assetmap.register.users import active_user
from assetmap.store.base import Store, Transaction

__all__ = [
    "MailContext",
    "MailTemplates",
    "decision_message",
    "long_date",
    "notify_decision",
]


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


def _subject(kind: str, accepted: bool, place: str) -> str:
    if kind == "new_place":
        return (f"We have added {place} to the register" if accepted
                else f"Your suggestion of {place}: we did not add it")
    if kind == "steward_edit":
        return (f"Your edit to {place} is published" if accepted
                else f"Your edit to {place} was not published")
    return (f"We have updated {place}" if accepted
            else f"Your suggestion about {place}: we did not make the change")


def decision_message(
    context: MailContext, correction: Correction, place: str, *, steward_email: str | None = None
) -> Message | None:
    """The mail telling a resident what was decided (or a steward, given their account's
    ``steward_email``, about their edit held for review); None when there is nobody to tell."""
    steward = correction.kind == "steward_edit"
    address = checked_address(steward_email if steward else correction.contact)
    if address is None or correction.status not in ("accepted", "rejected"):
        return None
    accepted = correction.status == "accepted"
    link = (context.link(f"/hubs/{quote(correction.feature_id, safe='')}")
            if accepted and correction.layer == "assets" and correction.feature_id else None)
    return context.templates.message(
        "decision", address, _subject(correction.kind, accepted, place)[:200], kind="decision",
        place=place, accepted=accepted, kind_of_suggestion=correction.kind,
        note=correction.decision_note or "", sent_on=long_date(correction.created_at),
        reference=f"#{correction.id}", link=link,
        # A steward's address is their account's, not a contact kept for the suggestion.
        retention_days=None if steward else context.contact_retention_days,
        service_name=context.service_name,
    )


def notify_decision(
    context: MailContext, catalog: LayerCatalog, store: Store | None = None
) -> Callable[[Transaction, Correction], None]:
    """A hook for :func:`assetmap.register.corrections.decide`: queues the resident's mail in
    the deciding transaction (``on_decided``); with ``store``, a steward whose edit was
    held for review hears too."""

    def on_decided(transaction: Transaction, correction: Correction) -> None:
        author = (active_user(store, correction.author)
                  if store is not None and correction.author else None)
        message = decision_message(context, correction,
                                   _place_name(transaction, catalog, correction),
                                   steward_email=author.email if author else None)
        if message is not None:
            enqueue(transaction, message)

    return on_decided
