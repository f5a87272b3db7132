"""Benchmark the new-place form's checks and the officers' queue on the sample county, on a
copy of the GeoPackage and (with ``--url``) of PostGIS, side by side.

Run from the repository root::

    .venv/bin/python benchmarks/bench_new_places.py [--store data/sample.gpkg] [--url URL]
        [--queued 500] [--repeat 50]

Prints p50/p99 in milliseconds of: checking a new place at a random postcode (the postcode
looked up, the point placed and checked inside the county), finding its possible duplicates
(rapidfuzz over the assets at that postcode or within 150 m), and building one page of the
officers' queue (20 suggestions with their assets, sketches and duplicates) over ``--queued``
waiting suggestions, first and last page, with a filter by kind. No target is set; the
figures say what a resident or an officer waits for beyond the network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postgis_schema import copied_schema
from timing import p50_p99

from assetmap.api.correction_queue_view import PAGE_SIZE, QueueQuery, queue_context
from assetmap.config import PROJECT_ROOT
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.register.corrections import submit_correction
from assetmap.register.new_places import NewPlace, check_new_place, submit_new_place
from assetmap.register.place_duplicates import possible_duplicates
from assetmap.store import Store, open_store


def _fill_queue(store: Store, catalog: LayerCatalog, postcodes: list[str], ids: list[str],
                count: int) -> None:
    """``count`` waiting suggestions: two corrections for each new place, each its own client."""
    pick = random.Random(7)
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    layer = catalog["assets"]
    for number in range(count):
        client = f"bench-{number}"
        if number % 3 == 2:
            submit_new_place(store, catalog, layer, NewPlace(
                name=f"Bench Hall {number}", category="village_hall",
                postcode=pick.choice(postcodes)), client, now)
        else:
            submit_correction(store, layer, pick.choice(ids), None, f"Message {number}", None,
                              client, now)


def _measure(label: str, location: str, catalog: LayerCatalog, queued: int,
             repeat: int) -> dict[str, tuple[float, float]]:
    store = open_store(location)
    layer = catalog["assets"]
    postcodes = list(store.read(catalog["postcodes"], fields=["postcode"])["postcode"])
    assets = store.read(layer, fields=["status"])
    ids = list(assets.loc[assets["status"] != "closed", "id"])
    pick = random.Random(42)

    def checked() -> Any:
        return check_new_place(store, catalog, layer, NewPlace(
            name="Village Hall", category="village_hall", postcode=pick.choice(postcodes)))

    sample = [checked() for _ in range(20)]
    figures = {
        "check a new place (by postcode)": p50_p99(checked, repeat),
        "its possible duplicates": p50_p99(lambda: possible_duplicates(
            store, layer, "Village Hall", (place := pick.choice(sample)).point,
            place.properties.get("postcode")), repeat),
    }
    _fill_queue(store, catalog, postcodes, ids, queued)
    last = -(-queued // PAGE_SIZE)
    figures[f"queue page 1 of {last}"] = p50_p99(
        lambda: queue_context(store, catalog, QueueQuery()), max(5, repeat // 5))
    figures[f"queue page {last} of {last}"] = p50_p99(
        lambda: queue_context(store, catalog, QueueQuery(page=last)), max(5, repeat // 5))
    figures["queue, new places only"] = p50_p99(
        lambda: queue_context(store, catalog, QueueQuery(kind="new_place")), max(5, repeat // 5))
    store.close()
    print(f"{label}: {len(assets):,} assets, {len(postcodes):,} postcodes, {queued} waiting")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=PROJECT_ROOT / "data" / "sample.gpkg")
    parser.add_argument("--url", help="a PostGIS server to measure beside the GeoPackage")
    parser.add_argument("--queued", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    catalog = load_catalog(PROJECT_ROOT / "layers")
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        copy = scratch / "bench.gpkg"
        shutil.copy(args.store, copy)
        results["GeoPackage"] = _measure("GeoPackage", str(copy), catalog, args.queued,
                                         args.repeat)
        if args.url:
            located = stack.enter_context(copied_schema(args.url, str(args.store)))
            results["PostGIS"] = _measure("PostGIS", located, catalog, args.queued,
                                          args.repeat)
    backends = list(results)
    print(f"{'ms, p50 / p99':36}" + "".join(f"{name:>22}" for name in backends))
    for row in results[backends[0]]:
        cells = "".join(f"{results[b][row][0]:>12.1f} / {results[b][row][1]:<7.1f}"
                        for b in backends)
        print(f"{row:36}{cells}")


if __name__ == "__main__":
    main()
