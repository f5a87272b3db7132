"""Activity search at 100,000 assets and 300,000 activities, GeoPackage and PostGIS side by side.

Run through ``benchmarks/bench_finder.py --only activities`` (see its docstring). The data is
the seeded sample at 100,000 assets with its activities topped up to 300,000 by copies at other
open assets (seeded too); it is built once into ``benchmarks/out/`` and a ``bench_finder``
schema on the PostGIS server, and reused while the counts match.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.api.finding import FinderService
from assetmap.api.routes.finder import search_activities
from assetmap.config import PROJECT_ROOT
from assetmap.crs import metric_to_lonlat
from assetmap.finder import FinderData
from assetmap.finder.whats_on import find_activities
from assetmap.finder.word_matches import WordMatches
from assetmap.layers import load_catalog
from assetmap.store import Store, open_store
from assetmap.store.gpkg_write import write_geopackage

ASSETS, ACTIVITIES = 100_000, 300_000
GPKG = PROJECT_ROOT / "benchmarks" / "out" / f"county_{ASSETS}_assets_{ACTIVITIES}_activities.gpkg"
SCHEMA = "bench_finder"
CATALOG = load_catalog(PROJECT_ROOT / "layers")
WORDS = ["dementia café", "yoga", "toddler", "toddlers", "lunch clubs", "warm space", "food bank",
         "youth club", "coffee morning", "choir", "knit and natter", "digital help", "advice",
         "memory cafe", "stay and play", ""]
# About one search in six asks for a day, one in six for an audience.
DAYS: list[str | None] = [None] * 10 + ["tu", "week"]
AUDIENCES: list[str | None] = [None] * 10 + ["children", "older_people"]


def county_tables(seed: int) -> dict[str, pd.DataFrame]:
    from assetmap.sample import generate_sample

    tables = generate_sample(seed, "county", ASSETS)
    activities = tables["activities"]
    rng = np.random.default_rng(seed)
    open_ids = tables["assets"].loc[tables["assets"]["status"] != "closed", "id"].to_numpy()
    copies = activities.sample(n=ACTIVITIES - len(activities), replace=True,
                               random_state=seed).reset_index(drop=True)
    copies["asset_ids"] = rng.choice(open_ids, size=len(copies))
    copies["id"] = [f"AX{i:07d}" for i in range(len(copies))]
    tables["activities"] = pd.concat([activities, copies], ignore_index=True)
    return tables


def _counts_match(store: Store) -> bool:
    return (store.count(CATALOG["assets"]) == ASSETS
            and store.count(CATALOG["activities"]) == ACTIVITIES)


def postgis_url(url: str | None) -> str:
    base = url or (PROJECT_ROOT / ".venv" / "assetmap-test-postgis-url").read_text().strip()
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    options = quote(f"-csearch_path={SCHEMA},public", safe="")
    return f"{base}{'&' if '?' in base else '?'}options={options}"


def ensure_stores(seed: int, url: str | None) -> dict[str, Store]:
    tables: dict[str, pd.DataFrame] | None = None
    stores: dict[str, Store] = {}
    for name, location in (("geopackage", str(GPKG)), ("postgis", postgis_url(url))):
        store = open_store(location) if name == "postgis" or GPKG.is_file() else None
        if store is None or not _counts_match(store):
            tables = tables or county_tables(seed)
            start = time.perf_counter()
            if name == "geopackage":
                write_geopackage(GPKG, tables)
                store = open_store(location)
            else:
                assert store is not None
                store.replace_tables(tables)
            print(f"  loaded {name}: {time.perf_counter() - start:.1f} s", flush=True)
        stores[name] = store
    return stores


def queries(service: FinderService, count: int, seed: int) -> list[dict[str, Any]]:
    venues = service.data().activities.venues
    rng = np.random.default_rng(seed)
    chosen = []
    for row in rng.integers(len(venues), size=count):
        venue = venues[int(row)]
        east, north = venue.easting + rng.normal(0, 2000), venue.northing + rng.normal(0, 2000)
        lon, lat = metric_to_lonlat(east, north)
        chosen.append({"what": WORDS[int(rng.integers(len(WORDS)))], "lat": lat, "lon": lon,
                       "day": DAYS[int(rng.integers(len(DAYS)))],
                       "audience": AUDIENCES[int(rng.integers(len(AUDIENCES)))]})
    return chosen


def timed(calls: list[Callable[[], Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and this process's CPU time per call, in ms (CPU time leaves out waiting for
    a core on a shared machine, and a PostgreSQL server's own work)."""
    for call in calls[:30]:  # warm up
        call()
    wall, cpu = [], []
    for call in calls:
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return np.array(wall) * 1000, np.array(cpu) * 1000


def figures(samples: tuple[np.ndarray, np.ndarray]) -> str:
    wall, cpu = samples
    return (f"p50 {np.percentile(wall, 50):6.2f} ms   p95 {np.percentile(wall, 95):6.2f} ms   "
            f"(CPU p50 {np.percentile(cpu, 50):5.2f} ms)   n={len(wall):,}")


class StoreEachTime:
    """The path before word matches were kept (for the side-by-side figures): every search
    asks the store, narrowed to the venues' ids (``within``), and probes for a rare word."""

    def __init__(self, data: FinderData) -> None:
        self.data = data

    def matching(self, text: str) -> _NarrowedByStore:
        return _NarrowedByStore(self.data, text)


class _NarrowedByStore:
    def __init__(self, data: FinderData, text: str) -> None:
        self.data, self.text, self.layer = data, text, CATALOG["activities"]

    def among(self, ids: list[str]) -> list[str]:
        activities = self.data.activities.activities
        venues = list(dict.fromkeys(v for i in ids for v in activities[i].asset_ids))
        found = set(self.data.store.search(self.layer, self.text, within={"asset_ids": venues},
                                           ranked=False))
        return [i for i in ids if i in found]

    def fewer_than(self, count: int) -> list[str] | None:
        ids = self.data.store.search(self.layer, self.text, limit=count, ranked=False)
        return ids if len(ids) < count else None


def first_searches(data: FinderData) -> str:
    """Each word's first search (its matches asked of the store), at one random venue."""
    words = WordMatches(data.store, CATALOG["activities"], data.activities.activities)
    venue = data.activities.venues[0]
    near = (venue.easting, venue.northing)
    took = []
    for text in WORDS[:-1]:
        start = time.perf_counter()
        find_activities(data.activities, data.store, CATALOG["activities"], text, words=words,
                        near=near)
        took.append((time.perf_counter() - start) * 1000)
    return (f"median {np.median(took):6.1f} ms   max {max(took):6.1f} ms   "
            f"({len(took)} phrases, {len(words._by_word)} words)")


def activity_search(count: int, seed: int, url: str | None) -> None:
    count = min(count, 1000)
    print(f"activity search: {ASSETS:,} assets, {ACTIVITIES:,} activities", flush=True)
    stores = ensure_stores(seed, url)
    services = {name: FinderService(store, CATALOG) for name, store in stores.items()}
    for name, service in services.items():
        start = time.perf_counter()
        data = service.data()
        built = time.perf_counter() - start
        start = time.perf_counter()
        stores[name].search(CATALOG["activities"], "yoga", limit=1)  # builds the index if needed
        print(f"  {name}: finder index {built:.1f} s ({len(data.activities):,} running "
              f"activities at {len(data.activities.venues):,} venues); first search "
              f"{time.perf_counter() - start:.1f} s", flush=True)
    asked = queries(services["geopackage"], count, seed)
    rows: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    for name, service in services.items():
        data = service.data()

        def core(q: dict[str, Any], data: Any = data) -> Callable[[], Any]:
            return lambda: data.find_activities(q["what"], near=data.locate_point(q["lat"],
                                                q["lon"]), day=q["day"], audience=q["audience"])

        def handler(q: dict[str, Any], service: FinderService = service) -> Callable[[], Any]:
            return lambda: search_activities(service, what=q["what"], lat=q["lat"], lon=q["lon"],
                                             postcode=None, place=None, day=q["day"],
                                             audience=q["audience"], n=10).body

        def before(q: dict[str, Any], data: Any = data) -> Callable[[], Any]:
            return lambda: find_activities(
                data.activities, data.store, CATALOG["activities"], q["what"],
                words=StoreEachTime(data), near=(lambda p: (p.easting, p.northing))(
                    data.locate_point(q["lat"], q["lon"])), day=q["day"], audience=q["audience"])

        first = first_searches(data)
        rows[name] = {"before": timed([before(q) for q in asked]),
                      "core": timed([core(q) for q in asked]),
                      "handler": timed([handler(q) for q in asked])}
        print(f"  {name}: first search of each word, before its matches are kept: {first}")
    print(f"in-process, side by side (same queries, same order; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    for part, label in (("before", "before: the store asked on every search"),
                        ("core", "find_activities (search + next sessions)"),
                        ("handler", "/api/activities/search handler (JSON body)")):
        for name in stores:
            print(f"  {label:44} {name:10} {figures(rows[name][part])}")
