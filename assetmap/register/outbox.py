"""The outbox: mail waits in the store until a sender delivers it.

A write that should tell someone (a decision on a suggestion, a digest) queues a
:class:`Message` with :func:`enqueue` *inside its own transaction*, so the mail exists
only if the action commits, and sending never holds up or breaks the request. Senders
(:mod:`assetmap.register.mail_sending`) claim due messages under a lock with an expiry,
so several workers never send one twice; a failure is retried later with back-off.

Statuses: ``waiting`` (queued or to be retried), ``sent``, ``failed`` (gave up after
the most attempts; an officer may retry it from the outbox page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assetmap.errors import ValidationFailed
from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import FieldSpec
from assetmap.store.base import Record, Store, Transaction, plain_int, plain_text

__all__ = [
    "KINDS",
    "OUTBOX_TABLE",
    "STATUSES",
    "Message",
    "OutboxEntry",
    "checked_address",
    "count_outbox",
    "enqueue",
    "list_outbox",
    "outbox_time",
]

OUTBOX_TABLE = "assetmap_outbox"
STATUSES = ("waiting", "sent", "failed")
# What a message is for; shown on the outbox page.
KINDS = ("decision", "digest", "still_right", "other")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
MAX_SUBJECT = 200
_ADDRESS = FieldSpec(name="recipient", format="email")


def outbox_time(moment: dt.datetime | None = None) -> str:
    """A moment as the outbox stores it (UTC, whole seconds; sorts as text)."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime(TIME_FORMAT)


def checked_address(text: str | None) -> str | None:
    """``text`` as one email address (domain lower-cased), or None when it is not one.

    A resident's contact may be a phone number or a name: such a contact is never mailed.
    """
    if not text or "\n" in text or "," in text:
        return None
    try:
        return check_text(_ADDRESS, text)
    except FieldProblem:
        return None


@dataclass(frozen=True)
class Message:
    """One mail to send: plain text and HTML bodies of the same words (no tracking)."""

    recipient: str
    subject: str
    text: str
    html: str
    kind: str = "other"
    # Set for mail that must be queued at most once (a day's digest to one officer).
    dedupe_key: str | None = None


@dataclass(frozen=True)
class OutboxEntry:
    """A queued message as stored, with how sending it has gone."""

    id: int
    message: Message
    created_at: str
    status: str
    attempts: int
    next_attempt_at: str | None
    sent_at: str | None
    last_error: str | None
    purged_at: str | None = None

    @classmethod
    def from_record(cls, record: Record) -> OutboxEntry:
        message = Message(
            recipient=str(record["recipient"]),
            subject=str(record["subject"] or ""),
            text=str(record["text_body"] or ""),
            html=str(record["html_body"] or ""),
            kind=str(record["kind"] or "other"),
            dedupe_key=plain_text(record.get("dedupe_key")),
        )
        return cls(
            id=int(record["id"]),
            message=message,
            created_at=str(record["created_at"]),
            status=str(record["status"]),
            attempts=plain_int(record.get("attempts")) or 0,
            next_attempt_at=plain_text(record.get("next_attempt_at")),
            sent_at=plain_text(record.get("sent_at")),
            last_error=plain_text(record.get("last_error")),
            purged_at=plain_text(record.get("purged_at")),
        )


def _checked(message: Message) -> Message:
    problems: list[dict[str, Any]] = []
    address = checked_address(message.recipient)
    if address is None:
        problems.append({"field": "recipient", "problem": "is not one email address",
                         "fix": "give one address like name@example.org", "code": "invalid"})
    subject = " ".join(message.subject.split())
    if not subject or len(subject) > MAX_SUBJECT:
        problems.append({"field": "subject", "problem": f"must be 1 to {MAX_SUBJECT} characters",
                         "fix": "give a short subject line", "code": "invalid"})
    if message.kind not in KINDS:
        problems.append({"field": "kind", "problem": f"is not one of {', '.join(KINDS)}",
                         "fix": "use a known kind", "code": "invalid"})
    if not message.text.strip():
        problems.append({"field": "text", "problem": "is empty",
                         "fix": "give the plain-text body", "code": "invalid"})
    if problems:
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ValidationFailed(f"The message was not queued: {summary}", details=problems)
    return Message(str(address), subject, message.text, message.html or "", message.kind,
                   message.dedupe_key)


def _values(message: Message, now: dt.datetime | None) -> dict[str, str | None]:
    when = outbox_time(now)
    return {
        "kind": message.kind, "recipient": message.recipient, "subject": message.subject,
        "text_body": message.text, "html_body": message.html, "created_at": when,
        "status": "waiting", "attempts": "0", "next_attempt_at": when,
        "claimed_by": None, "claimed_until": None, "sent_at": None, "last_error": None,
        "dedupe_key": message.dedupe_key, "purged_at": None,
    }


def enqueue(
    target: Store | Transaction, message: Message, *, now: dt.datetime | None = None
) -> int:
    """Queue ``message``; returns its outbox id. :class:`ValidationFailed` if it is not fit.

    Given the caller's transaction, the message is committed or rolled back with the
    action it reports; given a store, it is queued in a transaction of its own.
    """
    values = _values(_checked(message), now)
    if isinstance(target, Transaction):
        return target.insert_record(OUTBOX_TABLE, values)
    with target.transaction() as transaction:
        return transaction.insert_record(OUTBOX_TABLE, values)


def list_outbox(
    store: Store, status: str, *, limit: int = 50, offset: int = 0
) -> list[OutboxEntry]:
    """Messages with ``status``: waiting ones oldest first (the queue), others newest first."""
    _check_status(status)
    rows = store.records(OUTBOX_TABLE, where={"status": status}, limit=limit, offset=offset,
                         newest_first=status != "waiting")
    return [OutboxEntry.from_record(row) for row in rows]


def count_outbox(store: Store, status: str) -> int:
    _check_status(status)
    return store.count_records(OUTBOX_TABLE, where={"status": status})


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValidationFailed(
            f"status {status!r} is not one of {', '.join(STATUSES)}",
            details=[{"field": "status", "problem": "unknown status",
                      "fix": f"use one of {', '.join(STATUSES)}"}],
        )
