"""``assetmap fetch`` and ``assetmap build-real``: a real county's open data, then a store of it."""

from __future__ import annotations

import argparse
from pathlib import Path

from assetmap.cli._common import Commands
from assetmap.config import PROJECT_ROOT, Settings

__all__ = ["add_build_real_command", "add_fetch_command"]

DEFAULT_REAL = PROJECT_ROOT.parent / "shared" / "data" / "real"


def _fetch(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.sources import IMPORT_KIND_HELP, fetch

    endpoints = fetch.load_endpoints(args.endpoints or settings.fetch_endpoints)
    out = args.out or PROJECT_ROOT / "out" / "fetched" / args.county.strip().upper()
    summary = fetch.fetch_county(
        args.county, out, endpoints=endpoints, cache_dir=args.cache or fetch.default_cache_dir(),
        refresh=args.refresh, progress=not args.quiet,
    )
    print("\n".join(summary.lines(import_kinds=IMPORT_KIND_HELP)))
    return 0


def _build_real(args: argparse.Namespace, settings: Settings) -> int:
    from assetmap.layers import load_catalog
    from assetmap.sources.real import build_real

    build = build_real(args.source, args.out, load_catalog(settings.layers_dir),
                       border_km=args.border_km)
    print("\n".join(build.lines()))
    print(f"serve it with: assetmap serve --store {args.out}")
    return 0


def add_fetch_command(commands: Commands) -> None:
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


def add_build_real_command(commands: Commands) -> None:
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
