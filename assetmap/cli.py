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

if TYPE_CHECKING:
    from assetmap.reports import DistrictReport

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assetmap.api import create_app

    overrides: dict[str, object] = {"host": args.host, "port": args.port}
    if args.store:
        overrides["store"] = args.store
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    app = create_app(settings)
    print(
        f"assetmap {__version__}: serving {settings.store} at http://{settings.host}:{settings.port}/"
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
    from assetmap.sources.postcodes import read_postcodes, replace_postcodes

    result = read_postcodes(args.file)
    print(f"{args.file}: {result.summary()}")
    if result.postcodes.empty:
        raise ValidationFailed(f"{args.file}: no usable postcodes; the store was not changed")
    store = Path(args.store or Settings().store)
    replace_postcodes(store, result.postcodes)
    print(f"replaced the postcodes table in {store} ({len(result.postcodes):,} postcodes)")
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

    from assetmap.layers import load_catalog
    from assetmap.reports import AnalysisInputs, build_district_report
    from assetmap.store import open_store
    from assetmap.thresholds import parse_thresholds

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


def _write_atomically(path: Path, data: bytes) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
    print(f"Gap analysis: {report.district_name} ({report.district_code}), {focus}")
    if report.synthetic:
        print("Synthetic sample data: invented places, people and assets.")
    thresholds = ", ".join(f"{k}={v:g}" for k, v in report.result.thresholds.items())
    print(f"Thresholds: {thresholds}")
    table = ranked_table(report)
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(table.to_string(index=False) if len(table) else "No community areas to rank.")
    for warning in report.result.warnings:
        print(f"warning: {warning}")
    if args.out is not None:
        _write_atomically(args.out, writers[args.out.suffix.lower()](report))
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
    _write_atomically(args.out, data)
    print(f"wrote {args.out} ({report.district_name}, {len(data) / 1024:.0f} KB)")
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
