"""``assetmap purge-contacts``: remove residents' contact details from suggestions decided
more than ``ASSETMAP_CONTACT_RETENTION_DAYS`` ago (the app also does it when it starts)."""

from __future__ import annotations

import argparse

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings

__all__ = ["add_purge_command"]


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.register.contact_retention import purge_contacts
    from assetmap.store import open_store

    settings = with_store(settings, args.store)
    days = settings.contact_retention_days if args.days is None else args.days
    store = open_store(settings.store)
    try:
        removed = purge_contacts(store, retention_days=days)
    finally:
        store.close()
    print(f"removed the contact details of {removed} suggestion(s) decided {days} or more "
          "days ago (audited as purge)")
    return 0


def add_purge_command(commands: Commands) -> None:
    command = commands.add_parser(
        "purge-contacts", help="remove contact details from long-decided suggestions"
    )
    command.add_argument("--days", type=int, default=None,
                         help="keep contacts this many days after the decision "
                              "(default: ASSETMAP_CONTACT_RETENTION_DAYS, 90)")
    command.add_argument("--store", default=None, help="store to purge (default: ASSETMAP_STORE)")
    command.set_defaults(handler=_purge)
