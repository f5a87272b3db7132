"""Benchmark the two store backends on the same data: GeoPackage and PostGIS.

Run from the repository root (PostGIS from scripts/postgis.sh, or any server)::

    .venv/bin/python benchmarks/bench_store.py
    .venv/bin/python benchmarks/bench_store.py --store benchmarks/out/county_100000_assets.gpkg
    .venv/bin/python benchmarks/bench_store.py --url postgresql://USER:PASSWORD@HOST/DB

The GeoPackage (default: the bundled sample, 746 assets) is loaded into a new
schema on the PostGIS server, which is dropped at the end. Both backends are
checked to return the same frame, then timed (median of ``--repeat`` runs) on:

* reading every asset; a 5 km box of assets; one filtered page of 50;
* reading every community area (polygons);
* ``get`` of one asset, ``count``, ``version``;
* a write transaction (change one asset, then change it back).

It also prints how long the load (``replace_tables``) took.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

from geopandas.testing import assert_geodataframe_equal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.store import Store, open_store
from assetmap.store.copying import read_tables
from assetmap.store.postgis import display_url

DEFAULT_URL = "postgresql://assetmap:assetmap@127.0.0.1:5432/assetmap_test"


def timed(action: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cases(store: Store) -> dict[str, Callable[[], Any]]:
    catalog = load_catalog(PROJECT_ROOT / "layers")
    assets, areas = catalog["assets"], catalog["community_areas"]
    first = store.read(assets, limit=1)
    point = first.geometry.iloc[0]
    feature_id = str(first["id"].iloc[0])
    box = (point.x - 2_500, point.y - 2_500, point.x + 2_500, point.y + 2_500)

    def write() -> None:
        feature = store.get(assets, feature_id)
        assert feature is not None
        for status in ("closed", feature.properties["status"]):
            with store.transaction() as tx:
                tx.change(assets, feature_id, {"status": status})

    return {
        "read all assets": lambda: store.read(assets),
        "read assets in a 5 km box": lambda: store.read(assets, bbox=box),
        "read a page of 50 open assets": lambda: store.read(
            assets, filters={"status": ["open"]}, limit=50, offset=50
        ),
        "read all community areas": lambda: store.read(areas),
        "get one asset": lambda: store.get(assets, feature_id),
        "count assets": lambda: store.count(assets),
        "version": store.version,
        "write transaction (x2)": write,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(PROJECT_ROOT / "data" / "sample.gpkg"))
    parser.add_argument("--url", default=DEFAULT_URL, help="PostGIS server to load into")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    catalog = load_catalog(PROJECT_ROOT / "layers")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = f"{args.url}{'&' if '?' in args.url else '?'}options=" + quote(
        f"-csearch_path={schema},public", safe=""
    )
    gpkg = open_store(args.store)
    postgis = open_store(url)
    try:
        tables = read_tables(gpkg, catalog)
        start = time.perf_counter()
        postgis.replace_tables(tables)
        load = time.perf_counter() - start
        rows = sum(len(frame) for frame in tables.values())
        print(f"GeoPackage {args.store} vs PostGIS {display_url(args.url)} (schema {schema})")
        print(f"load into PostGIS (replace_tables): {rows:,} rows in {load:.2f} s")
        for layer in catalog.values():
            assert_geodataframe_equal(gpkg.read(layer), postgis.read(layer))
        print(f"both return identical frames for every layer "
              f"({gpkg.count(catalog['assets']):,} assets)")
        print(f"{'median of ' + str(args.repeat) + ' runs':<34}{'GeoPackage':>12}{'PostGIS':>12}")
        gpkg_cases, postgis_cases = cases(gpkg), cases(postgis)
        for name in gpkg_cases:
            g = timed(gpkg_cases[name], args.repeat)
            p = timed(postgis_cases[name], args.repeat)
            print(f"{name:<34}{g:>10.2f}ms{p:>10.2f}ms")
    finally:
        gpkg.close()
        postgis.close()
        with psycopg.connect(args.url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


if __name__ == "__main__":
    main()
