"""Benchmark the audit page's read: one page of changes cut by the store, beside reading the
whole log and grouping it in Python (what a page without store paging would do).

Run from the repository root (PostGIS from scripts/postgis.sh, or any server)::

    .venv/bin/python benchmarks/bench_audit.py
    .venv/bin/python benchmarks/bench_audit.py --changes 20000 --url postgresql://USER:PW@HOST/DB

Fills the audit log of a copy of the sample store (GeoPackage, and a fresh PostGIS schema)
with ``--changes`` changes of three fields each (one insert), then times, on each backend in
the same run: ``recent_changes`` page 1, a page deep in the log, page 1 filtered by one
officer and a date range, one record's history (``changes_of``), and the whole log read and
grouped (the floor a page without store paging cannot beat). Prints the median of
``--repeat`` runs in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postgis_schema import DEFAULT_URL, copied_schema

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.history import ChangeFilters, changes_of, group_changes, recent_changes
from assetmap.store import Store, open_store

SAMPLE = PROJECT_ROOT / "data" / "sample.gpkg"
CATALOG = load_catalog(PROJECT_ROOT / "layers")
COLUMNS = ("change_id", "at", "actor", "action", "layer", "feature_id", "field", "before",
           "after")
ACTORS = ("olive.officer", "bob.officer", "cy.officer", "dee.steward")


def fill(store: Store, changes: int) -> str:
    """``changes`` changes of three fields to the sample's assets; returns one asset's id."""
    ids = [str(i) for i in store.read(CATALOG["assets"], fields=["name"])["id"]]
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    rows = []
    for n in range(changes):
        change = uuid.uuid4().hex
        at = (start + dt.timedelta(minutes=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for field in ("opening_times", "phone", "last_verified"):
            rows.append((change, at, ACTORS[n % len(ACTORS)], "change", "assets",
                         ids[n % len(ids)], field, json.dumps(f"was {n}"),
                         json.dumps(f"now {n}")))
    with store.transaction() as transaction:
        transaction.insert_records(AUDIT_TABLE, COLUMNS, rows)
    return ids[0]


def timed(work: Callable[[], Any], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000


def measure(label: str, location: str, changes: int, repeat: int) -> None:
    store = open_store(location)
    try:
        one = fill(store, changes)
        deep = max(1, changes // 25 // 2)
        officer = ChangeFilters(actor="bob.officer", since=dt.date(2025, 2, 1),
                                until=dt.date(2025, 3, 31))
        cases: dict[str, Callable[[], Any]] = {
            "page 1": lambda: recent_changes(store, None, 1, catalog=CATALOG),
            f"page {deep}": lambda: recent_changes(store, None, deep, catalog=CATALOG),
            "page 1, one officer, two months": lambda: recent_changes(
                store, officer, 1, catalog=CATALOG),
            "one record's history": lambda: changes_of(store, CATALOG["assets"], one,
                                                       catalog=CATALOG),
            "whole log read and grouped": lambda: group_changes(
                store.records(AUDIT_TABLE, newest_first=True), CATALOG, {}),
        }
        print(f"\n{label}: {changes:,} changes ({changes * 3:,} audit rows), "
              f"median of {repeat}")
        for name, work in cases.items():
            print(f"  {name:<34} {timed(work, repeat):9.1f} ms")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default=DEFAULT_URL, help="PostGIS server ('' to skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "sample.gpkg"
        shutil.copyfile(SAMPLE, copy)
        measure("GeoPackage", str(copy), args.changes, args.repeat)
    if args.url:
        with copied_schema(args.url, str(SAMPLE)) as location:
            measure("PostGIS", location, args.changes, args.repeat)


if __name__ == "__main__":
    main()
