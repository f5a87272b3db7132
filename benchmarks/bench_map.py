"""Benchmark: the officer map's weight and time to first drawn markers in headless Chromium.

Run on purpose (not a test):

    .venv/bin/python benchmarks/bench_map.py [--runs 3] [--assets 100000]

For the bundled sample and for a generated county with --assets assets, it
serves the store on 127.0.0.1, loads `/` in Debian's Chromium and prints:
- page weight: the HTML and every script and style it loads, as transferred (gzip);
- data weight: the API responses the page fetched, as transferred;
- time from navigation start to the moment markers are drawn
  (the page's `assetmap:markers-drawn` performance mark), cold and warm.
Targets (issue 2): page <= 1 MB gzipped; markers drawn <= 2 s at 100,000 assets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assetmap.api import create_app  # noqa: E402
from assetmap.config import Settings  # noqa: E402
from assetmap.sample import write_sample  # noqa: E402
from tests.e2e.browser import chromium_page, live_server  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def measure_once(base_url: str) -> dict[str, float]:
    with chromium_page(viewport={"width": 1280, "height": 800}) as page:
        responses = []
        page.on("requestfinished", lambda request: responses.append(request))
        page.goto(base_url + "/")
        page.wait_for_selector("body[data-map-ready]", state="attached", timeout=120_000)
        drawn = page.evaluate(
            "() => performance.getEntriesByName('assetmap:markers-drawn')[0].startTime"
        )
        markers = int(page.get_attribute("body", "data-loaded-assets") or 0)
        page_bytes = data_bytes = 0
        for request in responses:
            size = request.sizes()["responseBodySize"]
            if "/api/" in request.url:
                data_bytes += size
            else:
                page_bytes += size
    return {"drawn_s": drawn / 1000, "page_kb": page_bytes / 1024, "data_kb": data_bytes / 1024,
            "markers": markers}


def bench(store: Path, runs: int) -> None:
    app = create_app(Settings(store=str(store)))
    with live_server(app) as url:
        results = [measure_once(url) for _ in range(runs)]
    cold, warm = results[0], results[1:] or results
    print(
        f"{store.name}: {cold['markers']:,} markers | page {cold['page_kb']:.0f} KB, "
        f"data {cold['data_kb']:.0f} KB transferred (gzip) | markers drawn: "
        f"cold {cold['drawn_s']:.2f} s, warm median "
        f"{statistics.median(r['drawn_s'] for r in warm):.2f} s over {len(warm)} run(s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--assets", type=int, default=100_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / f"county_{args.assets}_assets.gpkg"
    if not big.exists():
        started = time.perf_counter()
        write_sample(big, n_assets=args.assets)
        print(f"generated {big.name} in {time.perf_counter() - started:.1f} s")
    bench(ROOT / "data" / "sample.gpkg", args.runs)
    bench(big, args.runs)


if __name__ == "__main__":
    main()
