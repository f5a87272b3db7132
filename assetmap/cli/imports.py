"""``assetmap import DATASET``: postcodes, the open-data kinds, and (from
:mod:`assetmap.cli.asset_imports`) assets, OSM and a council register.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from assetmap.cli._common import Commands, with_store
from assetmap.cli.asset_imports import add_asset_import_commands
from assetmap.cli.oruk_import import add_oruk_import_command
from assetmap.config import Settings
from assetmap.errors import ValidationFailed
from assetmap.sources import GOVERNANCE_TYPES, IMPORT_KIND_HELP, PARISH_TYPE_UNKNOWN

__all__ = ["add_import_command"]


def _import_postcodes(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.register.reference import replace_reference_table
    from assetmap.sources.postcodes import read_postcodes
    from assetmap.store import location_label, open_store

    result = read_postcodes(args.file)
    print(f"{args.file}: {result.summary()}")
    if result.postcodes.empty:
        raise ValidationFailed(f"{args.file}: no usable postcodes; the store was not changed")
    location = with_store(settings, args.store).store
    store = open_store(location)
    try:
        replace_reference_table(store, "postcodes", result.postcodes)
    finally:
        store.close()
    print(
        f"replaced the postcodes table in {location_label(location)} "
        f"({len(result.postcodes):,} postcodes)"
    )
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.layers import load_catalog
    from assetmap.register.imports.libraries import import_libraries
    from assetmap.register.reference import import_reference
    from assetmap.sources.importing import ImportOptions
    from assetmap.store import open_store

    settings = with_store(settings, args.store)
    options = ImportOptions(
        crs=getattr(args, "crs", None),
        reject_invalid=getattr(args, "reject_invalid", False),
        governance=getattr(args, "governance", None),
        default_governance=getattr(args, "default_governance", None),
        county=getattr(args, "county", None),
        attribution=args.attribution,
        border_km=getattr(args, "border_km", 5.0),
    )
    created = _create_if_missing(settings.store)
    try:
        store = open_store(settings.store)
        try:
            catalog = load_catalog(settings.layers_dir)
            actor = f"cli:{getpass.getuser()}"
            # Both through the register: assets it changes are audited and version-checked.
            if args.import_command == "libraries":
                lines = import_libraries(store, catalog, args.file, actor=actor,
                                         border_km=options.border_km,
                                         attribution=options.attribution)
            else:
                lines = import_reference(store, catalog, args.import_command, args.file,
                                         options, actor=actor)
        finally:
            store.close()
    except BaseException:
        if created is not None:  # a store this command made holds nothing: remove it
            created.unlink(missing_ok=True)
        raise
    print("\n".join(lines))
    return 0


def _create_if_missing(location: str) -> Path | None:
    """Start a new, empty GeoPackage store (so imports can build one from nothing)."""
    import pandas as pd

    from assetmap.sources.importing import METADATA_TABLE
    from assetmap.store.gpkg_write import write_geopackage

    path = Path(location.removeprefix("gpkg:"))
    if "://" in location or path.suffix.lower() != ".gpkg" or path.exists():
        return None
    write_geopackage(path, {METADATA_TABLE: pd.DataFrame({"key": ["synthetic"],
                                                          "value": ["false"]})})
    return path


def _add_open_data_commands(import_commands: Commands) -> None:
    """Add ``assetmap import KIND`` for every kind the importers know."""
    for kind, description in IMPORT_KIND_HELP.items():
        command = import_commands.add_parser(kind, help=description)
        command.add_argument("file", type=Path)
        command.add_argument("--store", default=None,
                             help="GeoPackage to update (default: ASSETMAP_STORE)")
        command.add_argument("--attribution", default=None,
                             help="licence line(s) the data requires, added to every page")
        if kind in ("districts", "county", "parishes", "oa", "lsoa"):
            command.add_argument("--crs", default=None,
                                 help="CRS of a file that lacks one (or states it wrongly), "
                                      "e.g. EPSG:27700")
            command.add_argument("--reject-invalid", action="store_true",
                                 help="refuse invalid geometries instead of repairing them")
        if kind == "districts":
            command.add_argument("--county", type=Path, default=None,
                                 help="keep only districts inside this county boundary file")
        if kind == "parishes":
            command.add_argument("--governance", type=Path, default=None,
                                 help="CSV of code,governance for E04 parishes "
                                      f"({'|'.join(GOVERNANCE_TYPES)})")
            command.add_argument("--default-governance",
                                 choices=(*GOVERNANCE_TYPES, PARISH_TYPE_UNKNOWN), default=None,
                                 help="type for parishes missing from --governance "
                                      "(default: refuse and list them; a file without parish "
                                      f"codes gives {PARISH_TYPE_UNKNOWN})")
        if kind == "libraries":
            command.add_argument("--border-km", type=float, default=5.0,
                                 help="keep neighbouring authorities' libraries this close to "
                                      "the districts (0: none)")
        command.set_defaults(handler=_import)


def _add_postcodes_command(import_commands: Commands) -> None:
    postcodes = import_commands.add_parser(
        "postcodes", help="replace the postcode table from Code-Point Open or ONSPD CSV"
    )
    postcodes.add_argument("file", type=Path, help="Code-Point Open or ONSPD CSV file")
    postcodes.add_argument(
        "--store", default=None, help="GeoPackage to update (default: the sample)"
    )
    postcodes.set_defaults(handler=_import_postcodes)


def add_import_command(commands: Commands) -> None:
    """Add ``assetmap import`` and every DATASET under it, in the order ``--help`` lists them."""
    imports = commands.add_parser("import", help="import open data into the store")
    import_commands = imports.add_subparsers(dest="import_command", required=True,
                                             metavar="DATASET")
    _add_postcodes_command(import_commands)
    add_asset_import_commands(import_commands)
    add_oruk_import_command(import_commands)
    _add_open_data_commands(import_commands)
