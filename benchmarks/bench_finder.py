"""Benchmark the public finder: nearest-hub latency at 100,000 assets, and throughput.

Run from the repository root::

    .venv/bin/python benchmarks/bench_finder.py
    .venv/bin/python benchmarks/bench_finder.py --queries 5000 --clients 8 --requests 4000

Uses ``benchmarks/out/county_100000_assets.gpkg`` (made with
``assetmap.sample.write_sample(path, n_assets=100_000)`` when missing). Prints:

* the one-off build of the finder's index and gazetteer for that store version;
* in-process latency, p50 and p99 over random points in the county: the core
  (locate the point, KD-tree nearest 5) and the whole route handler (with
  parameter checks and the GeoJSON body), for points, postcodes and a category;
* over HTTP: ``assetmap serve`` in its own process on 127.0.0.1 (uvicorn, one
  worker), sequential requests from one httpx client, p50 and p99 round trip;
* throughput: N concurrent clients (threads, keep-alive) on loopback;
* place search on the real Leicestershire build (``benchmarks/out/real.gpkg``,
  built from ../shared/data/real when missing): the gazetteer alone and the
  ``?place=`` handler, for town names as typed, in lower case, misspelled (a
  letter left out, two swapped), and unfinished (a prefix). ``--only places``
  runs just this part.

* activity search (``--only activities``): 100,000 assets and 300,000 activities (the
  seeded sample, its activities topped up with copies at other open assets), in a GeoPackage
  and in PostGIS (``--postgis URL``, default the test server; schema ``bench_finder``), side by
  side: words near a random point, some with a day or an audience, through
  ``FinderData.find_activities`` and through the ``/api/activities/search`` handler.

Targets: p50 ≤ 5 ms server-side (the in-process handler time); place search p50 < 1 ms;
activity search p50 ≤ 5 ms on both backends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.api.finding import FinderService
from assetmap.api.routes.finder import nearest_hubs
from assetmap.config import PROJECT_ROOT
from assetmap.crs import metric_to_lonlat
from assetmap.layers import load_catalog
from assetmap.store import open_store

STORE = PROJECT_ROOT / "benchmarks" / "out" / "county_100000_assets.gpkg"


def percentiles(samples_s: list[float]) -> str:
    ms = np.array(samples_s) * 1000
    return (f"p50 {np.percentile(ms, 50):6.3f} ms   p99 {np.percentile(ms, 99):6.3f} ms   "
            f"max {ms.max():6.2f} ms   (n={len(ms):,})")


def timed(calls: Sequence[Callable[[], Any]]) -> list[float]:
    for call in calls[:50]:  # warm up
        call()
    samples = []
    for call in calls:
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def ensure_store(path: Path) -> None:
    if path.is_file():
        return
    from assetmap.sample import write_sample

    print(f"creating {path} (100,000 assets)…", flush=True)
    write_sample(path, n_assets=100_000)


def random_points(service: FinderService, count: int, seed: int) -> list[tuple[float, float]]:
    hubs = service.data().hubs.hubs
    xs = np.array([h.easting for h in hubs])
    ys = np.array([h.northing for h in hubs])
    rng = np.random.default_rng(seed)
    eastings = rng.uniform(xs.min(), xs.max(), count)
    northings = rng.uniform(ys.min(), ys.max(), count)
    points = []
    for x, y in zip(eastings, northings, strict=True):
        lon, lat = metric_to_lonlat(float(x), float(y))
        points.append((lat, lon))
    return points


def in_process(service: FinderService, points: list[tuple[float, float]],
               postcodes: list[str]) -> None:
    data = service.data()

    def core(lat: float, lon: float) -> Callable[[], Any]:
        def run() -> Any:
            location = data.locate_point(lat, lon)
            return data.hubs.nearest(location.easting, location.northing, 5)
        return run

    def handler(**params: Any) -> Callable[[], Any]:
        query = {"lat": None, "lon": None, "postcode": None, "place": None, "n": 5,
                 "category": None, **params}
        return lambda: nearest_hubs(service, **query).body

    print("in-process (server-side):")
    print("  core: locate + KD-tree nearest 5          ",
          percentiles(timed([core(lat, lon) for lat, lon in points])))
    print("  handler ?lat=&lon= (n=5, GeoJSON body)     ",
          percentiles(timed([handler(lat=lat, lon=lon) for lat, lon in points])))
    print("  handler ?postcode= (n=5)                   ",
          percentiles(timed([handler(postcode=p) for p in postcodes])))
    print("  handler ?lat=&lon=&category=village_hall   ",
          percentiles(timed([handler(lat=lat, lon=lon, category=["village_hall"])
                             for lat, lon in points])))
    print("  handler ?lat=&lon=&n=50                    ",
          percentiles(timed([handler(lat=lat, lon=lon, n=50) for lat, lon in points])))


REAL_STORE = PROJECT_ROOT / "benchmarks" / "out" / "real.gpkg"
TOWNS = ["Loughborough", "Market Harborough", "Coalville", "Lutterworth", "Melton Mowbray",
         "Hinckley", "Oadby", "Wigston", "Ashby-de-la-Zouch", "Shepshed"]


def misspelled(name: str, rng: np.random.Generator) -> str:
    """The name with one letter left out, or two neighbours swapped."""
    i = int(rng.integers(1, len(name) - 1))
    if rng.random() < 0.5:
        return name[:i] + name[i + 1:]
    return name[:i - 1] + name[i] + name[i - 1] + name[i + 1:]


def place_queries(count: int, seed: int) -> dict[str, list[str]]:
    rng = np.random.default_rng(seed)
    towns = [TOWNS[int(i)] for i in rng.integers(len(TOWNS), size=count)]
    return {"as typed": towns, "lower case": [t.lower() for t in towns],
            "misspelled": [misspelled(t, rng) for t in towns],
            "prefix": [t[:5] for t in towns]}


def place_search(count: int, seed: int) -> None:
    if not REAL_STORE.is_file():
        from assetmap.sources.real import build_real

        print(f"building {REAL_STORE} from ../shared/data/real…", flush=True)
        REAL_STORE.parent.mkdir(parents=True, exist_ok=True)
        build_real(PROJECT_ROOT.parent / "shared" / "data" / "real", REAL_STORE,
                   load_catalog(PROJECT_ROOT / "layers"))
    service = FinderService(open_store(str(REAL_STORE)), load_catalog(PROJECT_ROOT / "layers"))
    gazetteer = service.data().gazetteer
    print(f"place search on {REAL_STORE.name} ({len(gazetteer.places):,} places, in-process):")
    def search(q: str) -> Callable[[], Any]:
        return lambda: gazetteer.search(q)

    def handler(q: str) -> Callable[[], Any]:
        return lambda: nearest_hubs(service, lat=None, lon=None, postcode=None, place=q, n=5,
                                    category=None).body

    for label, queries in place_queries(count, seed).items():
        found = sum(gazetteer.search(q).found is not None for q in queries)
        print(f"  gazetteer.search, {label:<11} {found / len(queries):5.0%} found  ",
              percentiles(timed([search(q) for q in queries])))
    misspelled_names = place_queries(count, seed)["misspelled"]
    print("  handler ?place=<misspelled town> (n=5)     ",
          percentiles(timed([handler(q) for q in misspelled_names
                             if gazetteer.search(q).found is not None])))


def start_server(store: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "assetmap.cli", "serve", "--store", str(store),
               "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def over_http(port: int, points: list[tuple[float, float]], clients: int, requests: int) -> None:
    import httpx

    base = f"http://127.0.0.1:{port}/api/hubs/nearest"
    with httpx.Client() as client:
        client.get(base, params={"lat": points[0][0], "lon": points[0][1]})  # builds the index
        calls = [
            (lambda lat=lat, lon=lon: client.get(base, params={"lat": lat, "lon": lon}))
            for lat, lon in points
        ]
        samples = timed(calls)
        response = client.get(base, params={"lat": points[0][0], "lon": points[0][1]})
        assert response.status_code == 200 and len(response.json()["features"]) == 5
    print("over HTTP (uvicorn, 1 worker, loopback, one client, keep-alive):")
    print("  round trip ?lat=&lon= (n=5)                ", percentiles(samples))

    per_client = requests // clients
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        rng = np.random.default_rng(index)
        mine: list[float] = []
        with httpx.Client() as client:
            for _ in range(per_client):
                lat, lon = points[int(rng.integers(len(points)))]
                start = time.perf_counter()
                response = client.get(base, params={"lat": lat, "lon": lon})
                mine.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors.append(str(response.status_code))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    total = per_client * clients
    print(f"throughput: {clients} concurrent clients, {total:,} requests in {elapsed:.2f} s "
          f"= {total / elapsed:,.0f} requests/s ({len(errors)} errors)")
    print("  latency under load                          ", percentiles(latencies))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=3000, help="random points to time")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000, help="total for throughput")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["places", "activities"], default=None,
                        help="run only the place search on the real build, or activity search")
    parser.add_argument("--postgis", default=None, help="PostGIS URL for --only activities")
    args = parser.parse_args()
    if args.only == "places":
        place_search(args.queries, args.seed)
        return
    if args.only == "activities":
        from bench_finder_activities import activity_search  # beside this file

        activity_search(args.queries, args.seed, args.postgis)
        return

    ensure_store(STORE)
    store = open_store(str(STORE))
    service = FinderService(store, load_catalog(PROJECT_ROOT / "layers"))
    start = time.perf_counter()
    data = service.data()
    print(f"store: {STORE.name}: {store.count(load_catalog(PROJECT_ROOT / 'layers')['assets']):,} "
          f"assets, {len(data.hubs):,} open or at-risk hubs, "
          f"{len(data.gazetteer.postcodes):,} postcodes, {len(data.gazetteer.places):,} places")
    print(f"index build (once per store version): {time.perf_counter() - start:.2f} s")
    points = random_points(service, args.queries, args.seed)
    rng = np.random.default_rng(args.seed)
    codes = list(data.gazetteer.postcodes)
    postcodes = [codes[int(i)] for i in rng.integers(len(codes), size=args.queries)]
    in_process(service, points, postcodes)

    process = start_server(STORE, args.port)
    try:
        over_http(args.port, points, args.clients, args.requests)
    finally:
        process.terminate()
        process.wait(timeout=10)
    place_search(args.queries, args.seed)
    print(json.dumps({"cpu_count": os.cpu_count()}))


if __name__ == "__main__":
    main()
