"""``assetmap import oruk URL|FILE``: another directory's Open Referral UK 3.0 feed.

The feed is checked against the profile's schemas first (``--schemas`` or
``ASSETMAP_ORUK_SCHEMAS``); a feed that breaks them prints its first problems with
their JSON paths and exits 2, and so does a plan with any error: nothing is written.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings
from assetmap.errors import ValidationFailed

__all__ = ["add_oruk_import_command"]


def _schemas_folder(args: argparse.Namespace, settings: Settings) -> Path:
    folder: Path | None = args.schemas or settings.oruk_schemas
    if folder is None:
        raise ValidationFailed(
            "the feed is checked against the Open Referral UK profile's schemas first: pass "
            "--schemas DIR or set ASSETMAP_ORUK_SCHEMAS to a copy of "
            "https://github.com/OpenReferralUK/uk-profile"
        )
    return folder


def _check_choices(args: argparse.Namespace, asset_categories: tuple[str, ...],
                   activity_categories: tuple[str, ...]) -> None:
    if args.category is not None and args.category not in activity_categories:
        raise ValidationFailed(f"--category {args.category!r} is not an activity category; "
                               f"choose from {', '.join(activity_categories)}")
    if args.new_places is not None and args.new_places not in asset_categories:
        raise ValidationFailed(f"--new-places {args.new_places!r} is not an asset category; "
                               f"choose from {', '.join(asset_categories)}")


def _import_oruk(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.activities import TAXONOMY
    from assetmap.layers import load_catalog
    from assetmap.oruk import ProfileSchemas
    from assetmap.oruk.feed import read_feed
    from assetmap.oruk.importing import OrukOptions, apply_oruk, oruk_plan_text, plan_oruk
    from assetmap.register.imports.report import plan_text
    from assetmap.store import open_store

    settings = with_store(settings, args.store)
    catalog = load_catalog(settings.layers_dir)
    _check_choices(args, tuple(catalog["assets"].field("category").choices or ()),
                   tuple(c.code for c in TAXONOMY))
    schemas = ProfileSchemas(_schemas_folder(args, settings))
    feed = read_feed(args.source, schemas, max_bytes=settings.import_max_bytes,
                     max_services=settings.import_max_rows)
    store = open_store(settings.store)
    try:
        plan = plan_oruk(store, catalog, feed, OrukOptions(args.category, args.new_places))
        print("\n".join(oruk_plan_text(plan)))
        for layer_plan in plan.plans:
            print(plan_text(layer_plan))
        if not plan.ok:
            raise ValidationFailed(f"{feed.source}: nothing was written; fix the "
                                   f"{len(plan.errors):,} error(s) above and import again")
        if args.dry_run:
            print("dry run: nothing was written")
            return 0
        for result in apply_oruk(store, plan, args.actor):
            print(f"{result.summary()} (audited as {args.actor})")
    finally:
        store.close()
    return 0


def add_oruk_import_command(import_commands: Commands) -> None:
    oruk = import_commands.add_parser(
        "oruk", help="services, organisations and places from an Open Referral UK 3.0 feed"
    )
    oruk.add_argument("source", help="a JSON file, or the base URL of an ORUK API "
                                     "(its /services pages are read)")
    oruk.add_argument("--schemas", type=Path, default=None, metavar="DIR",
                      help="the profile's schemas (default: ASSETMAP_ORUK_SCHEMAS)")
    oruk.add_argument("--category", default=None, metavar="CODE",
                      help="activity category for services whose taxonomy terms name none")
    oruk.add_argument("--new-places", default=None, metavar="CATEGORY",
                      help="add places the register lacks as assets of this category "
                           "(default: only link services to assets already held)")
    oruk.add_argument("--dry-run", action="store_true",
                      help="check the feed and print the plan; write nothing")
    oruk.add_argument("--actor", default=f"cli:{getpass.getuser()}",
                      help="who is importing, for the audit log (default: cli:<login>)")
    oruk.add_argument("--store", default=None, help="store to update (default: ASSETMAP_STORE)")
    oruk.set_defaults(handler=_import_oruk)
