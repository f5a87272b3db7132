"""``assetmap import assets|osm|register|organisations|activities FILE``: check every row, print
the plan, then write it.

:mod:`assetmap.cli.imports` adds them under ``assetmap import`` through
:func:`add_asset_import_commands`. A file with any error writes nothing and
exits with status 2; ``--errors FILE`` writes every problem as CSV.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from pathlib import Path

from assetmap.cli._common import Commands, Handler, with_store
from assetmap.config import Settings
from assetmap.errors import DataError, ValidationFailed
from assetmap.formats.files import write_atomically
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.register.imports.apply import apply_import
from assetmap.register.imports.model import ImportPlan, SourceTable
from assetmap.register.imports.plain import PLAIN_IMPORT_LAYERS, plan_plain_table
from assetmap.register.imports.plan import plan_table
from assetmap.register.imports.readers import ImportLimits, check_size, read_asset_file
from assetmap.register.imports.report import plan_text, problems_csv
from assetmap.store.base import Store

__all__ = ["add_asset_import_commands"]

Reader = Callable[[bytes, argparse.Namespace, LayerCatalog, Settings, ImportLimits], SourceTable]
Plan = Callable[[Store, LayerCatalog, SourceTable], ImportPlan]


def _read_assets(data: bytes, args: argparse.Namespace, catalog: LayerCatalog,
                 settings: Settings, limits: ImportLimits) -> SourceTable:
    return read_asset_file(data, args.file.name, catalog["assets"], limits=limits,
                           source_layer=args.layer)


def _read_osm(data: bytes, args: argparse.Namespace, catalog: LayerCatalog,
              settings: Settings, limits: ImportLimits) -> SourceTable:
    from assetmap.register.imports.readers.osm import load_osm_mapping, read_osm

    mapping, _ = load_osm_mapping(args.mapping, catalog["assets"], settings.layers_dir)
    return read_osm(data, args.file.name, catalog["assets"], mapping, max_rows=limits.max_rows)


def _read_register(data: bytes, args: argparse.Namespace, catalog: LayerCatalog,
                   settings: Settings, limits: ImportLimits) -> SourceTable:
    from assetmap.register.imports.readers.council_register import (
        load_register_mapping,
        read_register,
    )

    mapping = load_register_mapping(args.mapping, catalog["assets"])
    return read_register(data, args.file.name, catalog["assets"], mapping, args.mapping,
                         max_rows=limits.max_rows)


def _read_plain(layer_name: str) -> Reader:
    def read(data: bytes, args: argparse.Namespace, catalog: LayerCatalog,
             settings: Settings, limits: ImportLimits) -> SourceTable:
        if not args.file.name.lower().endswith(".csv"):
            raise DataError(f"{args.file}: {layer_name} are imported from CSV; see "
                            f"docs/examples/{layer_name}_template.csv")
        return read_asset_file(data, args.file.name, catalog[layer_name], limits=limits)

    return read


def _plan_plain(layer_name: str) -> Plan:
    def plan(store: Store, catalog: LayerCatalog, table: SourceTable) -> ImportPlan:
        return plan_plain_table(store, catalog, table, layer_name=layer_name)

    return plan


def _run(reader: Reader, plan_rows: Plan = plan_table) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        from assetmap.store import open_store

        settings = with_store(settings, args.store)
        limits = ImportLimits(settings.import_max_bytes, settings.import_max_rows)
        path: Path = args.file
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        check_size(path.stat().st_size, path.name, limits)  # before reading a byte
        catalog = load_catalog(settings.layers_dir)
        table = reader(path.read_bytes(), args, catalog, settings, limits)
        store = open_store(settings.store)
        try:
            plan = plan_rows(store, catalog, table)
            print(plan_text(plan))
            if args.errors is not None:
                write_atomically(args.errors, problems_csv(plan))
                print(f"wrote {len(plan.errors):,} errors and {len(plan.warnings):,} warnings "
                      f"to {args.errors}")
            if not plan.ok:
                raise ValidationFailed(
                    f"{path}: nothing was written; fix the {len(plan.errors):,} error(s) above "
                    "and import again"
                )
            if args.dry_run:
                print("dry run: nothing was written")
                return 0
            result = apply_import(store, plan, args.actor)
            print(f"{result.summary()} (store {settings.store}, audited as {args.actor})")
        finally:
            store.close()
        return 0

    return handler


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--dry-run", action="store_true",
                         help="check every row and print the plan; write nothing")
    command.add_argument("--errors", type=Path, default=None, metavar="FILE",
                         help="write every error and warning to this CSV file")
    command.add_argument("--actor", default=f"cli:{getpass.getuser()}",
                         help="who is importing, for the audit log (default: cli:<login>)")
    command.add_argument("--store", default=None, help="store to update (default: ASSETMAP_STORE)")


def add_asset_import_commands(import_commands: Commands) -> None:
    """Add ``assetmap import`` assets, osm, register, organisations and activities."""
    assets = import_commands.add_parser(
        "assets", help="add or update assets from CSV, GeoJSON or GeoPackage, all or nothing"
    )
    assets.add_argument("file", type=Path, help="FILE.csv, FILE.geojson or FILE.gpkg")
    assets.add_argument("--layer", default=None,
                        help="the GeoPackage layer to read (default: the only one, or 'assets')")
    _common(assets)
    assets.set_defaults(handler=_run(_read_assets))

    osm = import_commands.add_parser(
        "osm", help="community facilities from OpenStreetMap (GeoJSON or Overpass JSON)"
    )
    osm.add_argument("file", type=Path, help="overpass-turbo GeoJSON or Overpass [out:json] file")
    osm.add_argument("--mapping", type=Path, default=None,
                     help="tags-to-categories file (default: layers/mappings/osm.yaml)")
    _common(osm)
    osm.set_defaults(handler=_run(_read_osm))

    register = import_commands.add_parser(
        "register", help="a council's own asset register CSV, through a column mapping"
    )
    register.add_argument("file", type=Path, help="the register as CSV")
    register.add_argument("--mapping", type=Path, required=True,
                          help="column mapping YAML (see layers/mappings/register_example.yaml)")
    _common(register)
    register.set_defaults(handler=_run(_read_register))

    for layer_name in PLAIN_IMPORT_LAYERS:
        plain = import_commands.add_parser(
            layer_name, help=f"add or update {layer_name} from CSV, all or nothing "
            f"(template: docs/examples/{layer_name}_template.csv)"
        )
        plain.add_argument("file", type=Path, help="FILE.csv")
        _common(plain)
        plain.set_defaults(handler=_run(_read_plain(layer_name), _plan_plain(layer_name)))
