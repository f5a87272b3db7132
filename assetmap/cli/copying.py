"""``assetmap copy SOURCE DEST``: load one store into another, all or nothing."""

from __future__ import annotations

import argparse

from assetmap.cli._common import Commands
from assetmap.config import Settings

__all__ = ["add_copy_command"]


def _copy(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.layers import load_catalog
    from assetmap.store.copying import copy_store

    result = copy_store(
        args.source, args.dest, load_catalog(settings.layers_dir), if_empty=args.if_empty
    )
    if result.skipped:
        print(f"not copied: {result.skipped} (--if-empty)")
        return 0
    summary = ", ".join(f"{name} {count:,}" for name, count in result.counts.items())
    print(f"copied {len(result.counts)} tables into {result.destination}: {summary}")
    return 0


def add_copy_command(commands: Commands) -> None:
    copy = commands.add_parser(
        "copy", help="load every layer, metadata and record table of one store into another"
    )
    copy.add_argument("source", help="store to read: FILE.gpkg or postgresql://…")
    copy.add_argument("dest", help="store to write (all or nothing): FILE.gpkg or postgresql://…")
    copy.add_argument("--if-empty", action="store_true",
                      help="do nothing if DEST already has features (seeding a new database)")
    copy.set_defaults(handler=_copy)
