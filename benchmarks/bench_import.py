"""Benchmark ``assetmap import assets`` of many new rows on both backends, beside ``ogr2ogr``.

Run from the repository root (PostGIS from scripts/postgis.sh, or any server)::

    .venv/bin/python benchmarks/bench_import.py
    .venv/bin/python benchmarks/bench_import.py --rows 20000 --url postgresql://USER:PW@HOST/DB

Writes a CSV of ``--rows`` new assets (longitude/latitude inside the sample county,
names and postcodes of their own) to ``benchmarks/out/``, then, in the same run:

* ``ogr2ogr`` converting that CSV to a GeoPackage (no checks: the floor);
* ``assetmap import assets`` into a copy of the sample GeoPackage;
* ``assetmap import assets`` into a fresh PostGIS schema loaded from the sample.

Each import is the real command (a subprocess, end to end: reading, every check,
the writes and their audit rows in one transaction). Prints wall times, the rows
stored after each, and each import's ratio to the ogr2ogr floor (target: within 10x).
``--phases`` then times each step in one process per backend (``import_phases.py``).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postgis_schema import DEFAULT_URL, copied_schema

from assetmap.config import PROJECT_ROOT
from assetmap.crs import to_web
from assetmap.layers import load_catalog
from assetmap.store import open_store

SAMPLE = PROJECT_ROOT / "data" / "sample.gpkg"
OUT = PROJECT_ROOT / "benchmarks" / "out"
CATEGORIES = ("community_hub", "village_hall", "community_centre", "church_hall", "community_cafe")
HEADER = ["id", "name", "category", "status", "longitude", "latitude", "address", "postcode",
          "website", "email", "last_verified"]


def write_csv(path: Path, rows: int, seed: int = 15) -> None:
    """``rows`` new assets at random points inside the sample county's districts."""
    catalog = load_catalog(PROJECT_ROOT / "layers")
    store = open_store(str(SAMPLE))
    try:
        districts = store.read(catalog["districts"])
    finally:
        store.close()
    county = shapely.union_all(districts.geometry.to_numpy())
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = county.bounds
    points: list[shapely.Point] = []
    while len(points) < rows:
        xs = rng.uniform(minx, maxx, rows)
        ys = rng.uniform(miny, maxy, rows)
        candidates = shapely.points(xs, ys)
        points.extend(candidates[shapely.contains_xy(county, xs, ys)])
    import geopandas as gpd

    web = to_web(gpd.GeoDataFrame(geometry=points[:rows], crs="EPSG:27700"))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, point in enumerate(web.geometry, start=1):
            writer.writerow([
                f"bench-{number:06d}", f"Benchmark Hall {number:06d}",
                CATEGORIES[number % len(CATEGORIES)], "open",
                f"{point.x:.6f}", f"{point.y:.6f}", f"{number} Example Street", "",
                f"https://hall-{number}.example.org/", f"hall{number}@example.org",
                "2026-11-01",
            ])


def timed_run(command: list[str], env: dict[str, str]) -> float:
    start, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    # ``python -m`` puts the working directory first on sys.path: run from the code's own.
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900,
                          cwd=env.get("PYTHONPATH", str(PROJECT_ROOT)))
    seconds = time.perf_counter() - start
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    print(f"  {command[0].rsplit('/', 1)[-1]} … {command[-3] if len(command) > 3 else ''}: "
          f"{seconds:.2f} s wall, {cpu:.2f} s CPU (this process's; a server's is not counted)",
          flush=True)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-8:]
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n" + "\n".join(tail))
    return seconds


def count_assets(location: str) -> tuple[int, int]:
    """(assets, audit rows) stored at ``location``."""
    catalog = load_catalog(PROJECT_ROOT / "layers")
    store = open_store(location)
    try:
        return store.count(catalog["assets"]), store.count_records("assetmap_audit")
    finally:
        store.close()


def import_command(csv_path: Path, location: str) -> list[str]:
    return [sys.executable, "-m", "assetmap.cli", "import", "assets", str(csv_path),
            "--store", location, "--actor", "bench"]


def print_phases(csv_path: Path, env: dict[str, str], args: argparse.Namespace) -> None:
    """Each step's time, per backend (a process of its own, after the timed imports)."""
    script = str(PROJECT_ROOT / "benchmarks" / "import_phases.py")
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([sys.executable, script, str(Path(scratch) / "phases.gpkg"),
                        str(csv_path)], env=env, check=True, cwd=PROJECT_ROOT)
    if not args.skip_postgis:
        with copied_schema(args.url, str(SAMPLE)) as located:
            subprocess.run([sys.executable, script, located, str(csv_path)], env=env,
                           check=True, cwd=PROJECT_ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", default=DEFAULT_URL, help="PostGIS server (a schema is made)")
    parser.add_argument("--skip-postgis", action="store_true")
    parser.add_argument("--phases", action="store_true",
                        help="also time each step in one process (benchmarks/import_phases.py)")
    parser.add_argument("--compare-with", type=Path, default=None, metavar="DIR",
                        help="also run the import from another checkout (e.g. the code before "
                        "a change: git archive REV | tar -x -C DIR), side by side")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"import_{args.rows}_assets.csv"
    if not csv_path.is_file():
        write_csv(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT),
           "ASSETMAP_IMPORT_MAX_ROWS": str(max(args.rows, 100_000)),
           "ASSETMAP_IMPORT_MAX_BYTES": str(max(int(size_mb * 2e6), 20_000_000))}
    print(f"{args.rows:,} new assets, {csv_path} ({size_mb:.1f} MB); load: {os.getloadavg()}")
    results: dict[str, float] = {}
    codes = {"": env}
    if args.compare_with is not None:
        codes[" before"] = {**env, "PYTHONPATH": str(args.compare_with.resolve()),
                            "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        floor_gpkg = Path(scratch) / "ogr2ogr.gpkg"
        results["ogr2ogr CSV -> GeoPackage"] = timed_run([
            "ogr2ogr", "-f", "GPKG", str(floor_gpkg), str(csv_path), "-nln", "assets",
            "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude",
            "-s_srs", "EPSG:4326", "-t_srs", "EPSG:27700",
        ], env)
        for code, code_env in codes.items():
            gpkg = Path(scratch) / f"store{len(code)}.gpkg"
            shutil.copyfile(SAMPLE, gpkg)
            before = count_assets(str(gpkg))
            results[f"import assets (GeoPackage){code}"] = timed_run(
                import_command(csv_path, str(gpkg)), code_env)
            after = count_assets(str(gpkg))
            print(f"GeoPackage{code}: assets {before[0]:,} -> {after[0]:,}, "
                  f"audit rows {before[1]:,} -> {after[1]:,}", flush=True)
    for code, code_env in codes.items() if not args.skip_postgis else ():
        with copied_schema(args.url, str(SAMPLE)) as located:
            before = count_assets(located)
            results[f"import assets (PostGIS){code}"] = timed_run(
                import_command(csv_path, located), code_env)
            after = count_assets(located)
            print(f"PostGIS{code}: assets {before[0]:,} -> {after[0]:,}, "
                  f"audit rows {before[1]:,} -> {after[1]:,}", flush=True)
    if args.phases:
        print_phases(csv_path, env, args)
    floor = results["ogr2ogr CSV -> GeoPackage"]
    print(f"{'':<37}{'seconds':>9}{'x ogr2ogr':>11}   (load average {os.getloadavg()[0]:.1f})")
    for name, seconds in results.items():
        print(f"{name:<37}{seconds:>9.2f}{seconds / floor:>10.1f}x")


if __name__ == "__main__":
    main()
