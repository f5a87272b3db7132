"""``assetmap gaps`` and ``assetmap report``: a district's gap analysis, as a table or a report."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assetmap.cli._common import Commands, with_store
from assetmap.cli.text_table import terminal_width
from assetmap.config import Settings
from assetmap.errors import ValidationFailed
from assetmap.formats.files import write_atomically

if TYPE_CHECKING:
    from assetmap.analysis import AnalysisInputs, Change, DistrictReport, SitingOptions

__all__ = ["add_analysis_commands"]


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


def _siting_options(args: argparse.Namespace) -> SitingOptions:
    """The siting options from the command line, checked as the API checks them."""
    from assetmap.analysis import parse_planner_points, parse_siting_options

    if args.sites < 0 or args.sites > 50:
        raise ValidationFailed(f"--sites {args.sites}: give a whole number from 0 to 50")
    given = {
        "objective": args.objective, "target_pct": args.target_pct,
        "equity_weights": "true" if args.equity_weights else "false",
        "equity_unparished": args.equity_unparished, "equity_deprived": args.equity_deprived,
        "time_limit": args.time_limit,
    }
    values = {k: str(v) for k, v in given.items() if v is not None}
    return parse_siting_options(values, args.sites, parse_planner_points(args.points))


def _district_report(args: argparse.Namespace, settings: Settings) -> DistrictReport:
    return _analysed(args, settings)[0]


def _analysed(
    args: argparse.Namespace, settings: Settings
) -> tuple[DistrictReport, AnalysisInputs]:
    from tqdm import tqdm

    from assetmap.analysis import AnalysisInputs, build_district_report, parse_thresholds
    from assetmap.layers import load_catalog
    from assetmap.store import open_store

    settings = with_store(settings, args.store)
    thresholds = parse_thresholds(_threshold_overrides(args.set), settings.thresholds)
    siting = _siting_options(args)
    # Only on a terminal (disable=None: not when piped) and only once it has taken a second.
    with tqdm(total=2, desc="gap analysis", unit="step", disable=True if args.quiet else None,
              delay=1.0) as progress:
        progress.set_postfix_str("reading layers")
        store = open_store(settings.store)
        inputs = AnalysisInputs.from_store(store, load_catalog(settings.layers_dir))
        progress.update()
        progress.set_postfix_str("analysing")
        report = build_district_report(
            inputs, args.district, thresholds, all_areas=args.all_areas, n_sites=args.sites,
            stale_after_days=settings.stale_after_days,
            siting=siting, decay=args.decay,
        )
        progress.update()
    return report, inputs


def _print_ranking(report: DistrictReport, all_areas: bool, width: int | None) -> None:
    """The ranking as a planner reads it: what it is, its warnings, the table, the sites."""
    from assetmap.cli.gaps_output import ranking_lines

    print("\n".join(ranking_lines(report, all_areas, width)))


def _gaps(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.reports import report_csv, report_geojson, report_gpkg

    writers = {".csv": report_csv, ".geojson": report_geojson, ".gpkg": report_gpkg}
    if args.out is not None and args.out.suffix.lower() not in writers:
        raise ValidationFailed(
            f"--out {args.out}: use a file ending in .csv, .geojson or .gpkg"
        )
    change = _change(args)
    report, inputs = _analysed(args, settings)
    # Checked before anything is printed or written: an unknown id refuses the whole run.
    scenario = None if change.empty else _scenario_lines(report, inputs, change)
    _print_ranking(report, args.all_areas, None if args.wide else terminal_width())
    if scenario:
        print("\n".join(scenario))
    if args.out is not None:
        write_atomically(args.out, writers[args.out.suffix.lower()](report))
        print(f"wrote {args.out}")
    return 0


def _change(args: argparse.Namespace) -> Change:
    """``--close ID,ID`` and ``--open LON,LAT;LON,LAT`` (repeatable), checked before any reading."""
    from assetmap.analysis import Change, parse_close, parse_open

    close = parse_close(",".join(args.close))
    return Change(close=close, open=parse_open(";".join(args.open)))


def _scenario_lines(report: DistrictReport, inputs: AnalysisInputs, change: Change) -> list[str]:
    from assetmap.analysis import build_coverage, check_change, evaluate_scenario
    from assetmap.reports.views import scenario_lines

    index = build_coverage(inputs, report.thresholds)
    outcome = evaluate_scenario(index, check_change(index, change), report.district_code)
    return scenario_lines(outcome)


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.reports import report_html, report_pdf

    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise ValidationFailed(f"--out {args.out}: use a file ending in .html or .pdf")
    report = _district_report(args, settings)
    if suffix == ".pdf":
        data = report_pdf(report)
    else:
        data = report_html(report, standalone=True).encode("utf-8")
    write_atomically(args.out, data)
    print(f"wrote {args.out} ({report.district_name}, {len(data) / 1024:.0f} KB)")
    return 0


def _add_analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--district", required=True, help="district name or code")
    parser.add_argument(
        "--all-areas", action="store_true", help="rank every community area, not only unparished"
    )
    parser.add_argument("--sites", type=int, default=5, help="candidate sites to propose")
    parser.add_argument(
        "--objective", choices=("coverage", "set_cover", "p_median"), default="coverage",
        help="what the sites should achieve: most residents newly within a catchment "
        "(coverage), fewest sites to reach --target-pct (set_cover), or the shortest "
        "population-weighted mean distance to a hub (p_median)",
    )
    parser.add_argument("--target-pct", type=float, default=None,
                        help="set_cover: share of residents to bring within a catchment, "
                        "0-100 (default 95)")
    parser.add_argument("--equity-weights", action="store_true",
                        help="count residents of unparished and IMD deciles 1-3 areas more")
    parser.add_argument("--equity-unparished", type=float, default=None,
                        help="weight of a resident of an unparished area (1-10, default 1.5)")
    parser.add_argument("--equity-deprived", type=float, default=None,
                        help="weight of a resident of a deprived area (1-10, default 1.5)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="solver time limit in seconds (0.1-60, default 10)")
    parser.add_argument("--points", default=None, metavar="LON,LAT;LON,LAT",
                        help="extra candidate sites of your own (WGS 84 degrees)")
    parser.add_argument("--decay", choices=("gaussian", "stepped"), default="gaussian",
                        help="distance decay of the hub places per 1,000 residents (E2SFCA)")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="override a threshold, e.g. --set urban_catchment_m=1000 (repeatable)",
    )
    parser.add_argument("--store", default=None, help="GeoPackage to read (default: the sample)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar (one shows only on a terminal, after a second)")


def add_analysis_commands(commands: Commands) -> None:
    """Add ``assetmap gaps`` and ``assetmap report``."""
    gaps = commands.add_parser("gaps", help="rank a district's community areas by gaps")
    _add_analysis_options(gaps)
    gaps.add_argument("--out", type=Path, default=None, help="also write FILE.csv|.geojson|.gpkg")
    gaps.add_argument("--wide", action="store_true",
                      help="print every column at full width (default: fit the terminal, "
                      "COLUMNS when set)")
    gaps.add_argument(
        "--close", action="append", default=[], metavar="ID,ID",
        help="scenario: close these hubs (asset ids) and show the impact against today",
    )
    gaps.add_argument(
        "--open", action="append", default=[], metavar="LON,LAT;LON,LAT",
        help="scenario: open hubs at these WGS84 points, e.g. --open=-1.13,52.63",
    )
    gaps.set_defaults(handler=_gaps)

    report = commands.add_parser("report", help="write a district gap report")
    _add_analysis_options(report)
    report.add_argument("--out", type=Path, required=True, help="report.html or report.pdf")
    report.set_defaults(handler=_report)
