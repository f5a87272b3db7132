"""``assetmap export``: write a layer, or every layer, as CSV, GeoJSON or GeoPackage."""

from __future__ import annotations

import argparse
from pathlib import Path

from assetmap.cli._common import Commands, with_store
from assetmap.config import Settings
from assetmap.errors import ValidationFailed
from assetmap.formats.files import write_files

__all__ = ["add_export_command"]


def _check_arguments(args: argparse.Namespace) -> None:
    if args.all == (args.layer is not None):
        raise ValidationFailed("name one LAYER to export, or give --all for every layer")
    if args.all and args.format is None:
        raise ValidationFailed("--all writes one file per layer into the folder --out: "
                               "say which kind with --format csv|geojson|gpkg")
    if args.all and args.out.is_file():
        raise ValidationFailed(f"--out {args.out} is a file; with --all give a folder")


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.exports import export_layer, resolve_format
    from assetmap.layers import load_catalog
    from assetmap.store import open_store

    _check_arguments(args)
    form = resolve_format(args.format, None if args.all else args.out)
    settings = with_store(settings, args.store)
    catalog = load_catalog(settings.layers_dir)
    layers = list(catalog.values()) if args.all else [catalog[args.layer]]
    store = open_store(settings.store)
    try:
        exports = [export_layer(store, layer, form.name) for layer in layers]
    finally:
        store.close()
    paths = [args.out / e.filename if args.all else args.out for e in exports]
    write_files({path: e.data for path, e in zip(paths, exports, strict=True)})
    for path, e in zip(paths, exports, strict=True):
        print(f"wrote {path} ({e.count:,} features, {form.crs}, {len(e.data) / 1024:.0f} KB)")
    if exports[0].provenance.statement:
        print(exports[0].provenance.statement)
    return 0


def add_export_command(commands: Commands) -> None:
    export = commands.add_parser("export", help="write a layer as CSV, GeoJSON or GeoPackage")
    export.add_argument("layer", nargs="?", help="layer name, e.g. assets")
    export.add_argument("--all", action="store_true", help="every layer, one file each in --out")
    export.add_argument("--format", choices=("csv", "geojson", "gpkg"), default=None,
                        help="file format (default: from the --out suffix)")
    export.add_argument("--out", type=Path, required=True, help="FILE, or a folder with --all")
    export.add_argument("--store", default=None, help="GeoPackage to read (default: the sample)")
    export.set_defaults(handler=_export)
