"""The ``assetmap`` command line.

Errors print ``error: <message>`` (naming the file, row or field and the fix)
and exit with status 2; nothing is half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from assetmap import __version__
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.errors import AssetmapError, ValidationFailed
from assetmap.files import write_atomically, write_files
from assetmap.sources.assets.commands import add_asset_import_commands
from assetmap.sources.commands import add_build_real_command, add_import_commands

if TYPE_CHECKING:
    from assetmap.analysis import DistrictReport

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assetmap.api import create_app
    from assetmap.store import location_label

    overrides: dict[str, object] = {"host": args.host, "port": args.port}
    if args.store:
        overrides["store"] = args.store
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    app = create_app(settings)
    print(
        f"assetmap {__version__}: serving {location_label(settings.store)} "
        f"at http://{settings.host}:{settings.port}/"
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from assetmap.sample import write_sample

    counts = write_sample(
        args.out, seed=args.seed, scale=args.scale, n_assets=args.assets, progress=True
    )
    summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    print(f"wrote synthetic sample ({args.scale}, seed {args.seed}) to {args.out}: {summary}")
    return 0


def _layers_validate(args: argparse.Namespace) -> int:
    from assetmap.layers import load_catalog

    catalog = load_catalog(args.dir)
    print(f"ok: {len(catalog)} layers valid in {args.dir} ({', '.join(catalog)})")
    return 0


def _import_postcodes(args: argparse.Namespace) -> int:
    from assetmap.sources.postcodes import read_postcodes
    from assetmap.store import location_label, open_store

    result = read_postcodes(args.file)
    print(f"{args.file}: {result.summary()}")
    if result.postcodes.empty:
        raise ValidationFailed(f"{args.file}: no usable postcodes; the store was not changed")
    location = args.store or Settings().store
    store = open_store(location)
    try:
        store.replace_tables({"postcodes": result.postcodes})
    finally:
        store.close()
    print(
        f"replaced the postcodes table in {location_label(location)} "
        f"({len(result.postcodes):,} postcodes)"
    )
    return 0


def _users(args: argparse.Namespace) -> int:
    from assetmap.register.users import add_user, list_users, revoke_user
    from assetmap.store import open_store

    store = open_store(args.store or Settings().store)
    try:
        if args.users_command == "add":
            token = add_user(store, args.name, args.role)
            print(f"added {args.name} ({args.role}). Their token, shown only this once:")
            print(token)
        elif args.users_command == "revoke":
            revoke_user(store, args.name)
            print(f"revoked {args.name}: their token no longer works")
        else:
            rows = list_users(store)
            if not rows:
                print("no users yet: add one with `assetmap users add NAME --role officer`")
            for row in rows:
                state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
                print(f"{row['name']}\t{row['role']}\tadded {row['created_at']}\t{state}")
    finally:
        store.close()
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from assetmap.sources import IMPORT_KIND_HELP, fetch

    endpoints = fetch.load_endpoints(args.endpoints or Settings().fetch_endpoints)
    out = args.out or PROJECT_ROOT / "out" / "fetched" / args.county.strip().upper()
    summary = fetch.fetch_county(
        args.county, out, endpoints=endpoints, cache_dir=args.cache or fetch.default_cache_dir(),
        refresh=args.refresh, progress=not args.quiet,
    )
    print("\n".join(summary.lines(import_kinds=IMPORT_KIND_HELP)))
    return 0


def _threshold_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValidationFailed(
                f"--set {pair!r}: write it as NAME=VALUE, e.g. urban_catchment_m=1000"
            )
        overrides[name.strip()] = value.strip()
    return overrides


def _district_report(args: argparse.Namespace) -> DistrictReport:
    from tqdm import tqdm

    from assetmap.analysis import AnalysisInputs, build_district_report, parse_thresholds
    from assetmap.layers import load_catalog
    from assetmap.store import open_store

    settings = Settings(**({"store": args.store} if args.store else {}))
    thresholds = parse_thresholds(_threshold_overrides(args.set), settings.thresholds)
    with tqdm(total=2, desc="gap analysis", unit="step", disable=args.quiet) as progress:
        progress.set_postfix_str("reading layers")
        store = open_store(settings.store)
        inputs = AnalysisInputs.from_store(store, load_catalog(settings.layers_dir))
        progress.update()
        progress.set_postfix_str("analysing")
        report = build_district_report(
            inputs, args.district, thresholds, all_areas=args.all_areas, n_sites=args.sites
        )
        progress.update()
    return report


def _gaps(args: argparse.Namespace) -> int:
    import pandas as pd

    from assetmap.reports import ranked_table, report_csv, report_geojson, report_gpkg

    writers = {".csv": report_csv, ".geojson": report_geojson, ".gpkg": report_gpkg}
    if args.out is not None and args.out.suffix.lower() not in writers:
        raise ValidationFailed(
            f"--out {args.out}: use a file ending in .csv, .geojson or .gpkg"
        )
    report = _district_report(args)
    focus = "all community areas" if args.all_areas else "unparished areas"
    focus = report.focus_label if report.fallback_units else focus
    print(f"Gap analysis: {report.district_name} ({report.district_code}), {focus}")
    if report.synthetic:
        print("Synthetic sample data: invented places, people and assets.")
    thresholds = ", ".join(f"{k}={v:g}" for k, v in report.result.thresholds.items())
    print(f"Thresholds: {thresholds}")
    table = ranked_table(report)
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(table.to_string(index=False) if len(table) else "No community areas to rank.")
    for warning in report.warnings:
        print(f"warning: {warning}")
    if report.attribution:
        print(report.attribution)
    if args.out is not None:
        write_atomically(args.out, writers[args.out.suffix.lower()](report))
        print(f"wrote {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from assetmap.reports import report_html, report_pdf

    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise ValidationFailed(f"--out {args.out}: use a file ending in .html or .pdf")
    report = _district_report(args)
    if suffix == ".pdf":
        data = report_pdf(report)
    else:
        data = report_html(report, standalone=True).encode("utf-8")
    write_atomically(args.out, data)
    print(f"wrote {args.out} ({report.district_name}, {len(data) / 1024:.0f} KB)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from assetmap.export import export_layer, resolve_format
    from assetmap.layers import load_catalog
    from assetmap.store import open_store

    if args.all == (args.layer is not None):
        raise ValidationFailed("name one LAYER to export, or give --all for every layer")
    if args.all and args.format is None:
        raise ValidationFailed("--all writes one file per layer into the folder --out: "
                               "say which kind with --format csv|geojson|gpkg")
    if args.all and args.out.is_file():
        raise ValidationFailed(f"--out {args.out} is a file; with --all give a folder")
    form = resolve_format(args.format, None if args.all else args.out)
    settings = Settings(**({"store": args.store} if args.store else {}))
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


def _copy(args: argparse.Namespace) -> int:
    from assetmap.layers import load_catalog
    from assetmap.store.copying import copy_store

    result = copy_store(
        args.source, args.dest, load_catalog(Settings().layers_dir), if_empty=args.if_empty
    )
    if result.skipped:
        print(f"not copied: {result.skipped} (--if-empty)")
        return 0
    summary = ", ".join(f"{name} {count:,}" for name, count in result.counts.items())
    print(f"copied {len(result.counts)} tables into {result.destination}: {summary}")
    return 0


def _add_analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--district", required=True, help="district name or code")
    parser.add_argument(
        "--all-areas", action="store_true", help="rank every community area, not only unparished"
    )
    parser.add_argument("--sites", type=int, default=5, help="candidate sites to propose")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="override a threshold, e.g. --set urban_catchment_m=1000 (repeatable)",
    )
    parser.add_argument("--store", default=None, help="GeoPackage to read (default: the sample)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assetmap", description="Map community assets and find gaps in provision."
    )
    parser.add_argument("--version", action="version", version=f"assetmap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument("--store", default=None, help="GeoPackage to serve (default: the sample)")
    serve.set_defaults(handler=_serve)

    sample = commands.add_parser("sample", help="generate the synthetic sample county")
    sample.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "sample.gpkg")
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--scale", choices=("county", "england"), default="county")
    sample.add_argument("--assets", type=int, default=None, help="override the number of assets")
    sample.set_defaults(handler=_sample)

    gaps = commands.add_parser("gaps", help="rank a district's community areas by gaps")
    _add_analysis_options(gaps)
    gaps.add_argument("--out", type=Path, default=None, help="also write FILE.csv|.geojson|.gpkg")
    gaps.set_defaults(handler=_gaps)

    report = commands.add_parser("report", help="write a district gap report")
    _add_analysis_options(report)
    report.add_argument("--out", type=Path, required=True, help="report.html or report.pdf")
    report.set_defaults(handler=_report)

    export = commands.add_parser("export", help="write a layer as CSV, GeoJSON or GeoPackage")
    export.add_argument("layer", nargs="?", help="layer name, e.g. assets")
    export.add_argument("--all", action="store_true", help="every layer, one file each in --out")
    export.add_argument("--format", choices=("csv", "geojson", "gpkg"), default=None,
                        help="file format (default: from the --out suffix)")
    export.add_argument("--out", type=Path, required=True, help="FILE, or a folder with --all")
    export.add_argument("--store", default=None, help="GeoPackage to read (default: the sample)")
    export.set_defaults(handler=_export)

    copy = commands.add_parser(
        "copy", help="load every layer, metadata and record table of one store into another"
    )
    copy.add_argument("source", help="store to read: FILE.gpkg or postgresql://…")
    copy.add_argument("dest", help="store to write (all or nothing): FILE.gpkg or postgresql://…")
    copy.add_argument("--if-empty", action="store_true",
                      help="do nothing if DEST already has features (seeding a new database)")
    copy.set_defaults(handler=_copy)

    imports = commands.add_parser("import", help="import open data into the store")
    import_commands = imports.add_subparsers(dest="import_command", required=True,
                                             metavar="DATASET")
    postcodes = import_commands.add_parser(
        "postcodes", help="replace the postcode table from Code-Point Open or ONSPD CSV"
    )
    postcodes.add_argument("file", type=Path, help="Code-Point Open or ONSPD CSV file")
    postcodes.add_argument(
        "--store", default=None, help="GeoPackage to update (default: the sample)"
    )
    postcodes.set_defaults(handler=_import_postcodes)
    add_asset_import_commands(import_commands)
    add_import_commands(import_commands)
    add_build_real_command(commands)

    users = commands.add_parser("users", help="officers and admins who may edit the register")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add a user and print their token (once)")
    add.add_argument("name", help="who they are, e.g. 'j.smith'")
    add.add_argument("--role", choices=("officer", "admin"), default="officer")
    user_commands.add_parser("list", help="list users and whether they are active")
    revoke = user_commands.add_parser("revoke", help="revoke a user's token")
    revoke.add_argument("name")
    for command in (add, user_commands.choices["list"], revoke):
        command.add_argument("--store", default=None, help="store (default: ASSETMAP_STORE)")
        command.set_defaults(handler=_users)

    fetch = commands.add_parser(
        "fetch", help="download a county's open data (ONS, Nomis, IMD, libraries, OSM)"
    )
    fetch.add_argument("--county", required=True, help="county GSS code, e.g. E10000018")
    fetch.add_argument("--out", type=Path, default=None,
                       help="folder to write (default: out/fetched/<county>)")
    fetch.add_argument("--cache", type=Path, default=None,
                       help="response cache (default: ~/.cache/assetmap/fetch)")
    fetch.add_argument("--refresh", action="store_true", help="download again, ignore the cache")
    fetch.add_argument("--endpoints", type=Path, default=None,
                       help="endpoints YAML (default: ASSETMAP_FETCH_ENDPOINTS or the shipped one)")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")
    fetch.set_defaults(handler=_fetch)

    layers = commands.add_parser("layers", help="layer declarations")
    layer_commands = layers.add_subparsers(dest="layers_command", required=True, metavar="ACTION")
    validate = layer_commands.add_parser("validate", help="check every file in layers/")
    validate.add_argument("--dir", type=Path, default=Settings().layers_dir)
    validate.set_defaults(handler=_layers_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AssetmapError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # settings from the environment
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
        )
        print(f"error: invalid setting: {problems} (check ASSETMAP_* variables)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
