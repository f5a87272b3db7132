"""Open-loop load on a real ``assetmap serve``: requests arrive at a fixed rate, come what may.

Run from the repository root (PostGIS from scripts/postgis.sh, or any server)::

    .venv/bin/python benchmarks/bench_load.py                      # both runs below, 60 s each
    .venv/bin/python benchmarks/bench_load.py --duration 15 --rate 100 --only gpkg
    .venv/bin/python benchmarks/bench_load.py --fresh --duration 20   # no repeats

200 simulated users each making one request a second is 200 requests/s. Each request is
scheduled at its own time (``start + i / rate``) and sent then, on its own task, however
slowly earlier ones are answered; its latency counts from that scheduled time, so a server
falling behind shows as latency rather than as fewer requests (no coordinated omission).
The mix, in turn: the finder (``/api/hubs/nearest`` by point, ``/find`` by postcode),
a bbox of assets (``/api/layers/assets?bbox=``), map clusters, and district report pages
(cached, as after the first visitor: each is fetched once before the run).

The issue's mix is 400 rounds of those five, cycled: after its first 2,000 requests every
bbox is answered from the server's cache of small responses. ``--fresh`` is the honest
Monday morning: every finder, bbox and cluster request is distinct (a point and box of
its own, postcodes drawn from all the store holds; the warm-up uses others), so each one
is a cache miss; reports stay as in the mix (cached per district, by design). The first
line printed says which mode ran. ``--cold-reports`` skips fetching the reports before the
run, so each worker makes each report under load (a restart at a busy moment).

Two runs, one after the other, each with a server of its own on 127.0.0.1 (ports 8180+):
``--workers 2`` on PostGIS (the sample loaded into a fresh schema, dropped after), and one
process on a copy of the sample GeoPackage. Requests time out after ``--timeout`` seconds
(counted as errors); at most ``--max-open`` are open at once (more would be errors too).
Prints requests, errors and p50/p95/p99 per kind, the seconds of the run with the slowest
answers, the machine's load average, and the server's CPU time per request (all its
processes; steadier than latency when others share the machine).
``--profile PREFIX`` samples the server with py-spy (raw stacks of the thread holding the
GIL, per process) while the load runs, into ``PREFIX-gpkg.txt`` / ``PREFIX-postgis.txt``.
Targets: 0 errors; p99 <= 100 ms for finder, bbox and clusters; <= 300 ms for reports.
The load generator shares the machine's cores with the server: say so with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import quote

import aiohttp
import httpx
import numpy as np
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postgis_schema import DEFAULT_URL, copied_schema

from assetmap.config import PROJECT_ROOT
from assetmap.crs import to_web
from assetmap.layers import load_catalog
from assetmap.store import open_store

SAMPLE = PROJECT_ROOT / "data" / "sample.gpkg"
_HEADERS = {"Accept-Encoding": "gzip"}  # as a browser asks
FAILURES: Counter[str] = Counter()  # why requests failed, printed with the figures
SECONDS: defaultdict[int, list[float | None]] = defaultdict(list)  # latencies by second of run
TARGET_MS = {"finder": 100, "bbox": 100, "clusters": 100, "report": 300}


def request_mix(store_location: str, *, fresh: bool = False, count: int = 2000,
                seed: int = 15) -> list[tuple[str, str]]:
    """(kind, path) pairs drawn from the store: real points, postcodes and districts.

    The issue's mix is 400 rounds of five, cycled. ``fresh``: ``count`` requests, every
    finder, bbox and cluster one distinct (its own jittered point and box, postcodes drawn
    from all the store holds), so none is answered from a cache; reports as in the mix.
    """
    catalog = load_catalog(PROJECT_ROOT / "layers")
    store = open_store(store_location)
    try:
        assets = to_web(store.read(catalog["assets"]), "assets")
        postcodes = store.read(catalog["postcodes"], fields=["postcode"],
                               limit=None if fresh else 400)
        places = postcodes["postcode"].tolist()  # what residents type most
        districts = store.read(catalog["districts"], fields=["code"])["code"].tolist()
    finally:
        store.close()
    rng = np.random.default_rng(seed)
    if fresh:
        rng.shuffle(places)
    mix: list[tuple[str, str]] = []
    for n in range(-(-count // 5) if fresh else 400):
        point = assets.geometry.iloc[int(rng.integers(len(assets)))]
        lon, lat = point.x + rng.normal(0, 0.01), point.y + rng.normal(0, 0.01)
        box = f"{lon - 0.03:.5f},{lat - 0.02:.5f},{lon + 0.03:.5f},{lat + 0.02:.5f}"
        mix += [
            ("finder", f"/api/hubs/nearest?lat={lat:.5f}&lon={lon:.5f}"),
            ("bbox", f"/api/layers/assets?bbox={box}"),
            ("clusters", f"/api/layers/assets/clusters?zoom={9 + n % 5}&bbox={box}"),
            ("finder", f"/find?q={quote(places[n % len(places)])}"),
            ("report", f"/reports/{districts[n % len(districts)]}"),
        ]
    return mix


@contextmanager
def server(store_location: str, workers: int, port: int) -> Iterator[tuple[str, int]]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    command = [sys.executable, "-m", "assetmap.cli", "serve", "--store", store_location,
               "--port", str(port), "--workers", str(workers)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            yield _wait_for(process, f"http://127.0.0.1:{port}", log), process.pid
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)


def _wait_for(process: subprocess.Popen[bytes], base: str, log: IO[bytes]) -> str:
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"serve exited {process.returncode}: {log.read().decode()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return base
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"serve did not answer on {base} within 120 s")
        time.sleep(0.5)


def warm(base: str, mix: list[tuple[str, str]], workers: int,
         others: list[tuple[str, str]], *, reports: bool = True) -> None:
    """Every distinct report and each kind, on fresh connections so that every worker sees
    them (a kept-alive connection stays with one worker); reports are cached per process.
    The other kinds warm with ``others`` (the mix itself, or in ``--fresh`` mode paths
    the run does not ask for)."""
    with httpx.Client(base_url=base, timeout=120, headers={"Connection": "close"}) as client:
        paths = sorted({path for kind, path in mix if kind == "report"}) if reports else []
        for path in paths * (4 * workers):  # connections land on workers unevenly
            client.get(path)
        for _, path in [(k, p) for k, p in others if k != "report"][:40 * workers]:
            client.get(path)


async def run(base: str, mix: list[tuple[str, str]], rate: float, duration: float,
              timeout: float, max_open: int) -> dict[str, list[float | None]]:
    """Latency in ms per kind (None for an error), each request sent at its scheduled time.

    aiohttp, not httpx: at 200 requests/s httpx's client alone used a whole core here
    (94 % against the server's 44 %), so the generator, not the server, set the latencies.
    """
    results: dict[str, list[float | None]] = defaultdict(list)
    failures = FAILURES
    connector = aiohttp.TCPConnector(limit=max_open, limit_per_host=max_open)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    gate = asyncio.Semaphore(max_open)
    async with aiohttp.ClientSession(base, connector=connector, timeout=client_timeout,
                                     auto_decompress=False) as client:

        async def one(kind: str, path: str, due: float) -> None:
            if gate.locked():  # the generator will not pile up more than max_open
                results[kind].append(None)
                failures["over --max-open"] += 1
                return
            async with gate:
                try:
                    async with client.get(path, headers=_HEADERS) as response:
                        await response.read()
                        ok = response.status in (200, 304)
                        if not ok:
                            failures[f"HTTP {response.status}"] += 1
                except (TimeoutError, aiohttp.ClientError) as error:
                    ok = False
                    failures[type(error).__name__] += 1
            latency = (time.perf_counter() - due) * 1000 if ok else None
            results[kind].append(latency)
            SECONDS[int(due - start)].append(latency)

        start = time.perf_counter() + 0.5
        tasks = []
        for i in range(int(rate * duration)):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind, path = mix[i % len(mix)]
            tasks.append(asyncio.create_task(one(kind, path, due)))
        await asyncio.gather(*tasks)
    return results


def report(title: str, results: dict[str, list[float | None]], seconds: float) -> None:
    total = sum(len(v) for v in results.values())
    errors = sum(1 for v in results.values() for x in v if x is None)
    print(f"\n{title}: {total:,} requests in {seconds:.1f} s ({total / seconds:.0f}/s), "
          f"{errors:,} errors; load average {os.getloadavg()[0]:.2f}")
    print(f"{'kind':<10}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'target':>8}")
    for kind in ("finder", "bbox", "clusters", "report"):
        values = results.get(kind, [])
        good = sorted(x for x in values if x is not None)
        if not good:
            print(f"{kind:<10}{len(values):>9}{len(values):>8}")
            continue
        p50, p95, p99 = (float(np.percentile(good, q)) for q in (50, 95, 99))
        met = "met" if p99 <= TARGET_MS[kind] and len(good) == len(values) else "MISSED"
        print(f"{kind:<10}{len(values):>9}{len(values) - len(good):>8}{p50:>9.1f}{p95:>9.1f}"
              f"{p99:>9.1f}{met:>8}")
    if FAILURES:
        print("failures: " + ", ".join(f"{n:,} {why}" for why, n in FAILURES.most_common()))
        FAILURES.clear()
    if results:
        every = [x for v in results.values() for x in v if x is not None]
        print(f"all: median {statistics.median(every):.1f} ms" if every else "all: no replies")
    _slowest_seconds()


def _slowest_seconds(shown: int = 3) -> None:
    """The seconds of the run with the slowest answers: a stall shows where it happened."""
    worst = []
    for second, values in SECONDS.items():
        good = [x for x in values if x is not None]
        errors = len(values) - len(good)
        worst.append((max(good, default=float("inf")) if not errors else float("inf"),
                      second, errors, float(np.percentile(good, 99)) if good else 0.0))
    worst.sort(reverse=True)
    print("slowest seconds: " + "; ".join(
        f"{second}s p99 {p99:.0f} ms" + (f", {errors} errors" if errors else "")
        for _, second, errors, p99 in worst[:shown]))
    SECONDS.clear()


def measure(title: str, location: str, workers: int, port: int,
            args: argparse.Namespace) -> None:
    count = int(args.rate * args.duration)
    mix = request_mix(location, fresh=args.fresh, count=count)
    # Fresh mode warms with paths of another seed: the run's own are all first asks.
    others = request_mix(location, fresh=True, count=250 * workers, seed=1) if args.fresh else mix
    with server(location, workers, port) as (base, pid):
        warm(base, mix, workers, others, reports=not args.cold_reports)
        # The generator's own start-up objects out of its collector's way: a full collection
        # here would pause the sending, which would show as the server's latency.
        gc.collect()
        gc.freeze()
        cpu_before = server_cpu_seconds(pid)
        with profiled(pid, args.profile, title, args.duration):
            started = time.perf_counter()
            results = uvloop.run(run(base, mix, args.rate, args.duration, args.timeout,
                                      args.max_open))
        report(title, results, time.perf_counter() - started)
        cpu = server_cpu_seconds(pid) - cpu_before
        answered = sum(1 for v in results.values() for x in v if x is not None)
        print(f"server CPU: {cpu:.1f} s ({1000 * cpu / max(answered, 1):.2f} ms a request, "
              "every process; steadier than latency on a shared machine)")


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU of ``pid`` and its descendants (the workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        process = pending.pop()
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{process}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


@contextmanager
def profiled(pid: int, prefix: str | None, title: str, seconds: float) -> Iterator[None]:
    """py-spy sampling the server (and its workers) during the run, when ``--profile``."""
    if prefix is None:
        yield
        return
    name = f"{prefix}-{'postgis' if 'PostGIS' in title else 'gpkg'}.txt"
    # --gil: the thread holding the GIL (what one process can do at once); --nonblocking:
    # pausing the server for each sample doubled its latencies.
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(pid),
                            "--subprocesses", "--threads", "--nonblocking", "--gil",
                            "-r", "200", "-f", "raw", "-o", name, "-d", str(int(seconds) + 2)],
                           stdout=subprocess.DEVNULL)
    time.sleep(1)  # py-spy attaches
    try:
        yield
    finally:
        spy.wait(timeout=60)
        print(f"profile: {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="requests per second (200)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--timeout", type=float, default=10, help="per request, seconds")
    parser.add_argument("--max-open", type=int, default=400, help="requests open at once")
    parser.add_argument("--store", default=str(SAMPLE), help="GeoPackage to serve (a copy)")
    parser.add_argument("--url", default=DEFAULT_URL, help="PostGIS server (a schema is made)")
    parser.add_argument("--only", choices=("gpkg", "postgis"), default=None)
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--profile", default=None, metavar="PREFIX",
                        help="py-spy the server during the run into PREFIX-<backend>.txt")
    parser.add_argument("--cold-reports", action="store_true",
                        help="no report fetched before the run: each is first made under load")
    parser.add_argument("--fresh", action="store_true",
                        help="every finder, bbox and cluster request distinct (no cache hits)")
    args = parser.parse_args()
    mode = ("fresh: every finder, bbox and cluster request distinct" if args.fresh
            else "the issue's mix: 2,000 paths, cycled")
    if args.cold_reports:
        mode += "; reports cold (none made before the run)"
    print(f"open loop: {args.rate:g} requests/s for {args.duration:g} s; {mode}; "
          f"load average before: {os.getloadavg()}")
    if args.only in (None, "postgis"):
        with copied_schema(args.url, args.store) as located:
            measure("PostGIS, --workers 2", located, 2, args.port, args)
    if args.only in (None, "gpkg"):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "store.gpkg"
            shutil.copyfile(args.store, copy)
            measure("GeoPackage, one process", str(copy), 1, args.port + 1, args)


if __name__ == "__main__":
    main()
