"""``assetmap repair-ids``: list features stored with ids no web address can reach, and
rename them (one by ``--rename OLD NEW``, or all to the suggested ids by ``--apply``)."""

from __future__ import annotations

import argparse
import getpass

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings
from assetmap.errors import ValidationFailed

__all__ = ["add_repair_command"]


def _changes(pairs: list[str]) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    for pair in pairs:
        field, equals, value = pair.partition("=")
        if not equals or not field:
            raise ValidationFailed(f"--set {pair!r}: write it as FIELD=VALUE (empty to clear)")
        changes[field.strip()] = value or None
    return changes


def _repair(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.layers import load_catalog
    from assetmap.register.renaming import rename_feature, unsafe_ids
    from assetmap.store import open_store

    settings = with_store(settings, args.store)
    catalog = load_catalog(settings.layers_dir)
    store = open_store(settings.store)
    try:
        if args.rename:
            old, new = args.rename
            feature = rename_feature(store, catalog[args.layer], old, new, actor=args.actor,
                                     changes=_changes(args.set))
            print(f"renamed {args.layer} {old!r} to {feature.id!r} (audited as {args.actor})")
            return 0
        found = unsafe_ids(store, catalog)
        for item in found:
            print(f"{item.layer} {item.feature_id!r}: {item.problem} -> {item.suggestion}")
        if not found:
            print("every stored id is safe")
        elif args.apply:
            for item in found:
                rename_feature(store, catalog[item.layer], item.feature_id, item.suggestion,
                               actor=args.actor)
            print(f"renamed {len(found)} feature(s) (audited as {args.actor})")
        else:
            print(f"{len(found)} unsafe id(s); rename them with --apply (to the ids shown) "
                  "or one at a time with --rename OLD NEW")
        return 0
    finally:
        store.close()


def add_repair_command(commands: Commands) -> None:
    command = commands.add_parser(
        "repair-ids", help="list and rename features stored with unsafe ids (../x, a/b)"
    )
    command.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"),
                         help="rename one feature (NEW must be a safe id)")
    command.add_argument("--layer", default="assets", help="the layer of --rename (assets)")
    command.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                         help="with --rename: also correct a field the rules refuse "
                              "(repeatable; FIELD= clears it)")
    command.add_argument("--apply", action="store_true",
                         help="rename every unsafe id to the suggested one")
    command.add_argument("--actor", default=f"cli:{getpass.getuser()}",
                         help="who renames, for the audit log (default: cli:<login>)")
    command.add_argument("--store", default=None, help="store to repair (default: ASSETMAP_STORE)")
    command.set_defaults(handler=_repair)
