"""Command-line parts for the importers: ``assetmap import KIND FILE`` and ``build-real``.

Kept here so ``assetmap/cli.py`` only has to call :func:`add_import_commands`
and :func:`add_build_real_command`.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from assetmap.config import PROJECT_ROOT, Settings
from assetmap.sources import GOVERNANCE_TYPES, IMPORT_KIND_HELP

__all__ = ["add_build_real_command", "add_import_commands"]

DEFAULT_REAL = PROJECT_ROOT.parent / "shared" / "data" / "real"


def _import(args: argparse.Namespace) -> int:
    from assetmap.layers import load_catalog
    from assetmap.register.imports.libraries import import_libraries
    from assetmap.sources.importing import ImportOptions, import_file
    from assetmap.store import open_store

    settings = Settings(**({"store": args.store} if args.store else {}))
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
            if args.import_command == "libraries":  # assets: audited, through the register
                lines = import_libraries(store, catalog, args.file,
                                         actor=f"cli:{getpass.getuser()}",
                                         border_km=options.border_km,
                                         attribution=options.attribution)
            else:
                lines = import_file(store, catalog, args.import_command, args.file, options)
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


def _build_real(args: argparse.Namespace) -> int:
    from assetmap.layers import load_catalog
    from assetmap.sources.real import build_real

    build = build_real(args.source, args.out, load_catalog(Settings().layers_dir),
                       border_km=args.border_km)
    print("\n".join(build.lines()))
    print(f"serve it with: assetmap serve --store {args.out}")
    return 0


def add_import_commands(import_commands: argparse._SubParsersAction) -> None:
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
            command.add_argument("--default-governance", choices=GOVERNANCE_TYPES, default=None,
                                 help="type for parishes missing from --governance "
                                      "(default: refuse and list them)")
        if kind == "libraries":
            command.add_argument("--border-km", type=float, default=5.0,
                                 help="keep neighbouring authorities' libraries this close to "
                                      "the districts (0: none)")
        command.set_defaults(handler=_import)


def add_build_real_command(commands: argparse._SubParsersAction) -> None:
    """Add ``assetmap build-real``."""
    command = commands.add_parser(
        "build-real", help="build a store from the real Leicestershire open data"
    )
    command.add_argument("--from", dest="source", type=Path, default=DEFAULT_REAL,
                         help="the real data folder (default: ../shared/data/real)")
    command.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "real.gpkg",
                         help="GeoPackage to write (default: data/real.gpkg)")
    command.add_argument("--border-km", type=float, default=5.0,
                         help="keep Leicester's and Rutland's libraries this close to the "
                              "county (0: none)")
    command.set_defaults(handler=_build_real)
