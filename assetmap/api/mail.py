"""The app's mail from its settings: what mail says about the service, how it is sent, and
the sender thread started with the app when ``ASSETMAP_SMTP_HOST`` is set."""

from __future__ import annotations

from collections.abc import Callable

from assetmap.config import Settings
from assetmap.layers import LayerCatalog
from assetmap.register.corrections import Correction
from assetmap.register.mail_sending import MailSettings
from assetmap.register.mail_worker import OutboxWorker, Round
from assetmap.register.notifications import MailContext, MailTemplates, notify_decision
from assetmap.store import Store
from assetmap.store.base import Transaction

__all__ = [
    "DecisionHook", "decision_hook", "mail_context", "mail_round", "mail_settings", "start_sender",
]

DecisionHook = Callable[[Transaction, Correction], None]


def mail_settings(settings: Settings) -> MailSettings:
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return MailSettings(
        host=settings.smtp_host or None, port=settings.smtp_port, user=settings.smtp_user,
        password=password, starttls=settings.smtp_starttls, sender=settings.mail_from,
        max_attempts=settings.mail_max_attempts,
    )


def mail_context(settings: Settings) -> MailContext:
    return MailContext(
        templates=MailTemplates(settings.web_dir / "templates"),
        public_url=settings.public_url,
        service_name=settings.council_name,
        contact_retention_days=settings.contact_retention_days,
        digest_hour=settings.digest_hour,
        link_days=settings.still_right_days,
    )


def mail_round(settings: Settings, store: Store, catalog: LayerCatalog) -> Round:
    return Round(
        store=store, catalog=catalog, context=mail_context(settings),
        smtp=mail_settings(settings), retention_days=settings.outbox_retention_days,
        stale_after_days=settings.stale_after_days,
    )


def decision_hook(context: MailContext, catalog: LayerCatalog, store: Store) -> DecisionHook:
    """What ``decide`` calls in its transaction: the resident's (or steward's) mail is queued
    there."""
    return notify_decision(context, catalog, store)


def start_sender(settings: Settings, store: Store, catalog: LayerCatalog) -> OutboxWorker | None:
    """The background sender, started; None (nothing is sent) when no SMTP host is set."""
    if not settings.smtp_host:
        return None
    worker = OutboxWorker(mail_round(settings, store, catalog),
                          poll_seconds=settings.mail_poll_seconds)
    worker.start()
    return worker
