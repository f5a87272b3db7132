"""Sending the outbox through SMTP: claimed under a lock, retried with back-off.

A sender *claims* due messages in one transaction (a named lock, then ``claimed_by`` and
``claimed_until`` set on each), so two workers or processes never take the same message;
a claim left by a sender that died expires after :data:`CLAIM_SECONDS` and the message
is taken again. Each message goes as ``multipart/alternative`` (plain text, then HTML)
with no tracking pixel or tracked link. A failure is recorded (the error's type and the
server's words, never a credential) and retried after 1, 2, 4 … minutes up to six
hours, until the most attempts, when it is ``failed``.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from assetmap.register.outbox import OUTBOX_TABLE, OutboxEntry, outbox_time
from assetmap.store.base import Store

__all__ = [
    "CLAIM_SECONDS",
    "MailSettings",
    "SendReport",
    "claim_due",
    "email_message",
    "retry",
    "retry_delay",
    "send_due",
]

CLAIM_SECONDS = 300
FIRST_DELAY = dt.timedelta(minutes=1)
LONGEST_DELAY = dt.timedelta(hours=6)
SMTP_TIMEOUT = 20
MAX_ERROR = 300


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server (from ``ASSETMAP_SMTP_*`` and ``ASSETMAP_MAIL_FROM``)."""

    host: str | None
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = "assetmap@council.example"
    max_attempts: int = 8

    def __repr__(self) -> str:  # never show the password in a log or traceback
        return f"MailSettings(host={self.host!r}, port={self.port}, user={self.user!r})"


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # attempts that failed this round (retried later or given up)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most six hours."""
    doubled: dt.timedelta = FIRST_DELAY * 2 ** min(max(0, attempts - 1), 20)
    return min(doubled, LONGEST_DELAY)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def claim_due(
    store: Store, worker: str, *, now: dt.datetime | None = None, limit: int = 20
) -> list[OutboxEntry]:
    """Take up to ``limit`` waiting messages that are due and not claimed by a live sender."""
    moment = _now(now)
    when = outbox_time(moment)
    until = outbox_time(moment + dt.timedelta(seconds=CLAIM_SECONDS))
    with store.transaction() as transaction:
        # One claimer at a time across every process; it reads what the last one committed.
        transaction.lock("outbox:claim")
        rows = store.records(OUTBOX_TABLE, where={"status": "waiting"})
        due = [
            row for row in rows
            if str(row["next_attempt_at"] or "") <= when
            and str(row["claimed_until"] or "") <= when
        ][:limit]
        for row in due:
            transaction.update_record(OUTBOX_TABLE, int(row["id"]), {
                "claimed_by": worker, "claimed_until": until,
            })
    return [OutboxEntry.from_record(row) for row in due]


def email_message(entry: OutboxEntry, sender: str) -> EmailMessage:
    """The mail as sent: plain text first, the HTML alternative after it."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = entry.message.recipient
    mail["Subject"] = entry.message.subject
    mail["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    mail["Message-ID"] = make_msgid(idstring=f"outbox-{entry.id}",
                                    domain=sender.rpartition("@")[2] or None)
    # Tells auto-responders not to answer, and mail systems that a program sent it.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(entry.message.text)
    if entry.message.html:
        mail.add_alternative(entry.message.html, subtype="html")
    return mail


def _error_text(error: BaseException, settings: MailSettings) -> str:
    """What went wrong, in a line, with any credential blanked out."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    for secret in (settings.password, settings.user):
        if secret:
            text = text.replace(secret, "***")
    return text[:MAX_ERROR]


@contextmanager
def _connection(settings: MailSettings) -> Iterator[smtplib.SMTP]:
    assert settings.host is not None
    with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        yield smtp


def _sent(store: Store, entry: OutboxEntry, now: dt.datetime) -> None:
    with store.transaction() as transaction:
        transaction.update_record(OUTBOX_TABLE, entry.id, {
            "status": "sent", "sent_at": outbox_time(now), "attempts": str(entry.attempts + 1),
            "claimed_by": None, "claimed_until": None, "last_error": None,
        })


def _failed(
    store: Store, entry: OutboxEntry, error: str, now: dt.datetime, max_attempts: int
) -> None:
    attempts = entry.attempts + 1
    gave_up = attempts >= max_attempts
    with store.transaction() as transaction:
        transaction.update_record(OUTBOX_TABLE, entry.id, {
            "status": "failed" if gave_up else "waiting", "attempts": str(attempts),
            "next_attempt_at": None if gave_up else outbox_time(now + retry_delay(attempts)),
            "claimed_by": None, "claimed_until": None, "last_error": error,
        })


def _deliver(
    store: Store, entries: Sequence[OutboxEntry], settings: MailSettings, now: dt.datetime
) -> SendReport:
    sent = failed = 0
    try:
        with _connection(settings) as smtp:
            for entry in entries:
                try:
                    smtp.send_message(email_message(entry, settings.sender))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as refused:
                    # This address or message is refused; the rest of the batch still goes.
                    _failed(store, entry, _error_text(refused, settings), now,
                            settings.max_attempts)
                    failed += 1
                    continue
                _sent(store, entry, now)
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        # The server is down or refused us: everything not yet sent waits for a retry.
        text = _error_text(error, settings)
        for entry in entries[sent + failed:]:
            _failed(store, entry, text, now, settings.max_attempts)
            failed += 1
    return SendReport(sent=sent, failed=failed)


def send_due(
    store: Store, settings: MailSettings, *, now: dt.datetime | None = None,
    worker: str | None = None, limit: int = 20,
) -> SendReport:
    """Send what is due now (nothing without a host); how many went and how many failed."""
    if not settings.host:
        return SendReport()
    moment = _now(now)
    entries = claim_due(store, worker or uuid.uuid4().hex, now=moment, limit=limit)
    if not entries:
        return SendReport()
    return _deliver(store, entries, settings, moment)


def retry(store: Store, entry_id: int, *, now: dt.datetime | None = None) -> bool:
    """Put a failed message back in the queue, due at once; False if it is not failed, or its
    words were removed after the retention."""
    with store.transaction() as transaction:
        transaction.lock("outbox:claim")
        rows = store.records(OUTBOX_TABLE, where={
            "id": str(entry_id), "status": "failed", "purged_at": None})
        if not rows:
            return False
        transaction.update_record(OUTBOX_TABLE, entry_id, {
            "status": "waiting", "attempts": "0", "next_attempt_at": outbox_time(_now(now)),
        })
    return True
