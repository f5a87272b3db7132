"""Where an import's time goes: each step of ``assetmap import assets`` timed in one process.

Run from the repository root, after ``bench_import.py`` has written its CSV::

    .venv/bin/python benchmarks/import_phases.py STORE [CSV]

STORE is a GeoPackage (a copy of the sample is made there first) or a PostGIS URL whose
schema holds the sample (``bench_import.py --phases`` makes one). The steps are those of
``plan_table`` and ``apply_import``, called one by one (the collector paused around the
plan, as ``plan_table`` pauses it), so their sum is the command's time less its start-up.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.imports import apply as applying
from assetmap.register.imports import plan as planning
from assetmap.register.imports.coordinates import COUNTY_TOLERANCE_M, County
from assetmap.register.imports.duplicates import find_duplicates
from assetmap.register.imports.gc_pause import collection_paused
from assetmap.register.imports.plain import warn_unreadable_opening_times
from assetmap.register.imports.positions import fill_area_codes, place_rows, warn_far_postcodes
from assetmap.register.imports.readers import ImportLimits, read_asset_file
from assetmap.store import is_database, open_store

DEFAULT_CSV = PROJECT_ROOT / "benchmarks" / "out" / "import_100000_assets.csv"


def timed_steps(location: str, csv_path: Path) -> dict[str, float]:
    """Seconds per step of importing ``csv_path`` into the store at ``location``."""
    seconds: dict[str, float] = {}

    def step(name: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = work()
        seconds[name] = time.perf_counter() - start
        return result

    catalog = load_catalog(PROJECT_ROOT / "layers")
    layer = catalog["assets"]
    data = csv_path.read_bytes()
    table = step("read the CSV", lambda: read_asset_file(
        data, csv_path.name, layer, limits=ImportLimits(len(data) + 1, 1_000_000)))
    store = open_store(location)
    try:
        with collection_paused():
            planner = planning.Planner(store, catalog, table, layer, COUNTY_TOLERANCE_M)
            county = step("county outline", lambda: County.from_store(
                store, catalog, COUNTY_TOLERANCE_M))
            step("stored assets", planner.read_existing)
            step("field rules per value", planner.tidy_and_identify)
            planner.find_removals()
            step("positions", lambda: place_rows(planner, county))
            step("far postcodes", lambda: warn_far_postcodes(planner))
            step("district and area codes", lambda: fill_area_codes(planner))
            step("duplicates", lambda: find_duplicates(planner))
            built = step("schema check per row", planner.build)
            step("opening times", lambda: warn_unreadable_opening_times(planner, built))
            plan = step("plan", lambda: planner.classify(built))
        if not plan.ok:
            raise SystemExit(f"the file has {len(plan.errors):,} errors: {plan.errors[:3]}")
        step("write, with audit rows", lambda: applying.apply_import(store, plan, "bench"))
    finally:
        store.close()
    return seconds


def print_steps(title: str, seconds: dict[str, float]) -> None:
    print(f"\n{title}: where the time goes")
    for name, value in seconds.items():
        print(f"  {name:<28}{value:>7.2f} s")
    print(f"  {'all steps':<28}{sum(seconds.values()):>7.2f} s")


def main() -> None:
    location = sys.argv[1]
    csv_path = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_CSV
    if not is_database(location):
        shutil.copyfile(PROJECT_ROOT / "data" / "sample.gpkg", location)
    print_steps("PostGIS" if is_database(location) else "GeoPackage",
                timed_steps(location, csv_path))


if __name__ == "__main__":
    main()
