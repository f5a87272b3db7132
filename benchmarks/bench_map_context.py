"""Benchmark: what maps with no tile server fetch to draw their context, before and after.

Run on purpose (not a test):

    .venv/bin/python benchmarks/bench_map_context.py [--real PATH.gpkg]

For the bundled sample (and the real build, when given), side by side in one run, gzipped
as served:
- finder map, before: the parish outlines it fetched whole (`/api/layers/community_areas`,
  names only, up to 60 in the view) and labelled only where 40 or fewer; after: district and
  parish outlines, each boundary once and simplified for the zoom, and the place names
  (`/api/map/context`, coarse for a county or district view, fine from zoom 12);
- officer map: its page and its own layers' data (unchanged), and what it adds now: the
  place names (`/api/map/context?outlines=false`) and the three new scripts;
- the time to build the context once the finder's index is built (the first visitor after
  a change waits for it).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from assetmap.api import create_app  # noqa: E402
from assetmap.config import Settings  # noqa: E402

NEW_SCRIPTS = ("map-context.js", "officer-move.js", "officer-search.js")


def _kb(client: TestClient, url: str) -> float:
    response = client.get(url)
    response.raise_for_status()
    return len(gzip.compress(response.content, compresslevel=6)) / 1024


def bench(store: Path) -> None:
    with TestClient(create_app(Settings(store=str(store)))) as client:
        client.get("/api/map/search", params={"q": "x"})  # the finder's index, built apart
        started = time.perf_counter()
        client.get("/api/map/context").raise_for_status()
        cold = time.perf_counter() - started
        before = _kb(client, "/api/layers/community_areas?properties=name&limit=60")
        coarse = _kb(client, "/api/map/context")
        fine = _kb(client, "/api/map/context?detail=fine")
        page = _kb(client, "/")
        own = _kb(client, "/api/layers/districts") + _kb(client, "/api/layers/community_areas")
        names = _kb(client, "/api/map/context?outlines=false")
        scripts = sum(_kb(client, f"/static/js/{name}") for name in NEW_SCRIPTS)
    print(f"{store.name}:")
    print(f"  finder map context: before {before:.0f} KB (parishes only, 60 at most); after "
          f"{coarse:.0f} KB coarse (districts, parishes, names), {fine:.0f} KB fine "
          f"(from zoom 12); built in {cold * 1000:.0f} ms on a cold cache")
    print(f"  officer map: page {page:.0f} KB + its layers' outlines {own:.0f} KB (unchanged); "
          f"added: place names {names:.1f} KB, scripts {scripts:.1f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="a real build's GeoPackage, measured too")
    args = parser.parse_args()
    bench(ROOT / "data" / "sample.gpkg")
    if args.real is not None:
        bench(args.real)


if __name__ == "__main__":
    main()
