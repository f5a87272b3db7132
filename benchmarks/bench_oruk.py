"""Benchmark ``/oruk`` on the sample county: the directory's one-off build, then in-process
latency (p50 and p99) of the calls the ORUK validator and directory consumers make.

Run from the repository root::

    .venv/bin/python benchmarks/bench_oruk.py [--store data/sample.gpkg] [--repeat 200]

Prints the build of the directory for one store version (read organisations, activities
and their assets; once per store version), then p50/p99 of: a page of 50 services, a page
by postcode within 5 km, a word search, one fully nested service, one organisation with
its services, and the taxonomy terms. No target is set; the figures say what a consumer
waits for beyond the network.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import p50_p99

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.oruk import Directory, ServiceQuery, load_directory
from assetmap.store import open_store


def _calls(directory: Directory, origin: tuple[float, float]) -> dict[str, Callable[[], Any]]:
    services = directory.services(ServiceQuery(per_page=200))["contents"]
    organisations = directory.organizations(1, 200)["contents"]
    pick = random.Random(42)
    return {
        "services, page of 50": lambda: directory.services(ServiceQuery()),
        "services within 5 km of a point": lambda: directory.services(
            ServiceQuery(origin=origin, proximity_m=5_000)),
        "services, search 'lunch club'": lambda: directory.services(
            ServiceQuery(search="lunch club")),
        "one service, fully nested": lambda: directory.service(pick.choice(services)["id"]),
        "one organisation with its services": lambda: directory.organization(
            pick.choice(organisations)["id"]),
        "taxonomy terms": lambda: directory.taxonomy_terms(1, 200),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=PROJECT_ROOT / "data" / "sample.gpkg")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    store = open_store(str(args.store))
    try:
        catalog = load_catalog(PROJECT_ROOT / "layers")
        start = time.perf_counter()
        directory = load_directory(store, catalog)
        built = time.perf_counter() - start
        first = next(iter(directory.places.values()))
        print(f"{args.store.name}: {len(directory.activities):,} services, "
              f"{len(directory.organisations):,} organisations, {len(directory.places):,} places")
        print(f"directory build (once per store version): {built:.2f} s")
        for name, call in _calls(directory, (first.easting, first.northing)).items():
            p50, p99 = p50_p99(call, args.repeat)
            print(f"{name:<40} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")
    finally:
        store.close()


if __name__ == "__main__":
    main()
