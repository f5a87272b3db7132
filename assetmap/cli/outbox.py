"""``assetmap outbox send|list``: send the mail that is due (once, e.g. from cron) and see
what waits, went or failed. The app sends by itself while it runs with ASSETMAP_SMTP_HOST set."""

from __future__ import annotations

import argparse

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings

__all__ = ["add_outbox_command"]


def _send(settings: Settings) -> int:
    from assetmap.api.mail import mail_round
    from assetmap.layers import load_catalog
    from assetmap.register.mail_worker import run_round
    from assetmap.store import open_store

    store = open_store(settings.store)
    try:
        report = run_round(mail_round(settings, store, load_catalog(settings.layers_dir)))
    finally:
        store.close()
    print(f"queued {report.digests} digest(s) and asked stewards about {report.asks} "
          f"record(s); sent {report.sent}, failed {report.failed} (retried later); removed the "
          f"words of {report.purged} old sent mail(s)")
    if not settings.smtp_host:
        print("no mail was sent: ASSETMAP_SMTP_HOST is not set (messages wait in the outbox)")
    return 0


def _list(settings: Settings, status: str, limit: int) -> int:
    from assetmap.register.outbox import count_outbox, list_outbox
    from assetmap.store import open_store

    store = open_store(settings.store)
    try:
        total = count_outbox(store, status)
        entries = list_outbox(store, status, limit=limit)
    finally:
        store.close()
    print(f"{total} {status} message(s)" + (f", the first {limit}:" if total > limit else ":"))
    for entry in entries:
        when = entry.sent_at if status == "sent" else entry.next_attempt_at or "not again"
        print(f"#{entry.id}\t{entry.created_at}\t{entry.message.kind}\t{entry.message.recipient}"
              f"\t{entry.message.subject}\ttries {entry.attempts}\t{when}"
              + (f"\t{entry.last_error}" if entry.last_error else ""))
    return 0


def _outbox(args: argparse.Namespace, settings: Settings) -> int:
    settings = with_store(settings, args.store)
    if args.outbox_command == "send":
        return _send(settings)
    return _list(settings, args.status, args.limit)


def add_outbox_command(commands: Commands) -> None:
    outbox = commands.add_parser("outbox", help="mail waiting to be sent, sent and failed")
    actions = outbox.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    send = actions.add_parser("send", help="queue today's digest and stewards' questions, send "
                                           "what is due, purge old bodies (once)")
    listing = actions.add_parser("list", help="list messages by status")
    listing.add_argument("--status", choices=("waiting", "sent", "failed"), default="waiting")
    listing.add_argument("--limit", type=int, default=50, help="most messages shown (50)")
    for command in (send, listing):
        command.add_argument("--store", default=None, help="store (default: ASSETMAP_STORE)")
        command.set_defaults(handler=_outbox)
