"""Benchmark the first OGC API Features ``/ogc/…/items`` page at 100,000 assets, on both backends.

Run from the repository root (PostGIS from scripts/postgis.sh, or any server)::

    .venv/bin/python benchmarks/bench_ogc.py [--url postgresql://USER:PW@HOST/DB] [--repeat 5]

Uses ``benchmarks/out/county_100000_assets.gpkg`` (made with ``write_sample`` when missing)
and a fresh PostGIS schema loaded from it. Each request is made on a new app (so no cache
of features is warm: what the first GIS client after a change waits for; the app has answered
the landing page, so its own first-request costs are not counted), through the ASGI stack:

* ``/collections/assets/items`` (the first page of 10) — target 100 ms;
* ``…/items?status=open&offset=5000`` (a filtered page further on);
* ``…/items?bbox=…`` (a 2 km box: ids found by geometry, then cached);
* beside them, the way the first page was made before: every matching id read
  (``matched_ids``), then the page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postgis_schema import DEFAULT_URL, copied_schema

from assetmap.api import create_app
from assetmap.api.cache import ResponseCache
from assetmap.api.ogc_query import matched_ids
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.sample import write_sample
from assetmap.store import Store, open_store

STORE = PROJECT_ROOT / "benchmarks" / "out" / "county_100000_assets.gpkg"
ITEMS = "/ogc/collections/assets/items"


def cold_ms(store: Store, location: str, url: str, repeat: int) -> float:
    """Median time of one request on a fresh app (cold caches), in milliseconds."""
    times = []
    for _ in range(repeat):
        app = create_app(Settings(store=location), store=store)
        client = TestClient(app)  # no lifespan: the map's warm-up threads stay out of it
        assert client.get("/ogc/").status_code == 200  # the app's own first-request costs
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text[:200]
    return statistics.median(times)


def old_first_page_ms(store: Store, repeat: int) -> float:
    assets = load_catalog(PROJECT_ROOT / "layers")["assets"]

    def once() -> None:
        ids = matched_ids(ResponseCache(), store, assets, None, {})
        store.read(assets, filters={"id": ids[:10].tolist()})

    return timed(once, repeat)


def timed(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="PostGIS server (a schema is made)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not STORE.is_file():
        STORE.parent.mkdir(parents=True, exist_ok=True)
        write_sample(STORE, n_assets=100_000)
    cases = {
        "first page (target 100 ms)": ITEMS,
        "status=open, offset 5000": f"{ITEMS}?status=open&offset=5000",
        "2 km bbox": f"{ITEMS}?bbox=-1.15,52.62,-1.12,52.64",
    }
    with copied_schema(args.url, str(STORE)) as located:
        print(f"{'cold, median of ' + str(args.repeat):<34}{'GeoPackage':>12}{'PostGIS':>12}")
        stores = {"GeoPackage": (open_store(str(STORE)), str(STORE)),
                  "PostGIS": (open_store(located), located)}
        for name, url in cases.items():
            figures = [cold_ms(store, where, url, args.repeat) for store, where in stores.values()]
            print(f"{name:<34}{figures[0]:>10.1f}ms{figures[1]:>10.1f}ms")
        before = [old_first_page_ms(store, args.repeat) for store, _ in stores.values()]
        print(f"{'before: every id, then the page':<34}{before[0]:>10.1f}ms{before[1]:>10.1f}ms")
        for store, _ in stores.values():
            store.close()


if __name__ == "__main__":
    main()
