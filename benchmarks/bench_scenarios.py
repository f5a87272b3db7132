"""Benchmark scenario impact: closing one hub at county scale (target p50 ≤ 200 ms).

Run from the repository root::

    .venv/bin/python benchmarks/bench_scenarios.py                    # sample (+ real build)
    .venv/bin/python benchmarks/bench_scenarios.py --hubs 100 --real data/real.gpkg

For each store (the synthetic county sample ``data/sample.gpkg`` and, when present,
the real build of ``assetmap build-real``) it prints:

* reading the store and building the county's coverage index once (what the web app
  does once per store version);
* for many hubs, one at a time: the district scenario of closing it
  (``check_change`` + ``evaluate_scenario`` for the hub's district: residents newly
  outside, their profile, every area's flags before and after) and the county-wide
  closure impact the confirmation page shows (``closure_impact``): p50, p95 and max;
* side by side, the floor without the index: a full re-run of the district's gap
  analysis with the hub closed (``analyse_prepared``), for a subset of the same hubs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.analysis import (
    AnalysisInputs,
    Change,
    CoverageIndex,
    GapThresholds,
    build_coverage,
    check_change,
    closure_impact,
    evaluate_scenario,
)
from assetmap.analysis.gaps import analyse_prepared
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.store import open_store

TARGET_MS = 200.0


def _ms(action: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    start = time.perf_counter()
    action(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def _scenario(index: CoverageIndex, hub: str, district: str) -> object:
    return evaluate_scenario(index, check_change(index, Change(close=(hub,))), district)


def _figures(label: str, times: list[float]) -> str:
    p50, p95 = np.percentile(times, [50, 95])
    return (f"  {label:<44} n={len(times):>4}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
            f"max {max(times):7.1f} ms")


def bench(path: Path, n_hubs: int, n_floor: int, seed: int) -> float:
    """Print one store's figures; returns the scenario p50 in ms."""
    catalog = load_catalog(PROJECT_ROOT / "layers")
    thresholds = GapThresholds()
    start = time.perf_counter()
    store = open_store(str(path))
    inputs = AnalysisInputs.from_store(store, catalog)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    index = build_coverage(inputs, thresholds)
    build_s = time.perf_counter() - start
    print(f"{path.name}: {len(index.access):,} small areas, {len(index.hub_ids):,} hubs, "
          f"{len(inputs.districts):,} districts")
    print(f"  read the store {read_s:.2f} s; build the coverage index {build_s:.2f} s (once "
          f"per store version)")
    rng = np.random.default_rng(seed)
    chosen = rng.permutation(len(index.hub_ids))[:n_hubs]
    # Each hub's district (of its own record; the first district where it has none).
    known = set(index.access["district_code"].astype(str))
    fallback = sorted(known)[0]
    district_of = (dict(zip(inputs.hubs["id"].astype(str),
                            inputs.hubs["district_code"].astype(str), strict=True))
                   if "district_code" in inputs.hubs.columns else {})
    scenario_ms: list[float] = []
    impact_ms: list[float] = []
    floor_ms: list[float] = []
    for k, column in enumerate(chosen):
        hub = str(index.hub_ids[column])
        district = district_of.get(hub, fallback)
        district = district if district in known else fallback
        scenario_ms.append(_ms(_scenario, index, hub, district))
        impact_ms.append(_ms(closure_impact, index, hub))
        if k < n_floor:
            others = inputs.hubs[inputs.hubs["id"].astype(str) != hub]
            floor_ms.append(_ms(
                analyse_prepared, inputs.small_areas, inputs.community_areas, others, thresholds,
                district_code=district, all_areas=True, districts=inputs.districts))
    print(_figures("district scenario, close one hub", scenario_ms))
    print(_figures("county-wide closure impact (confirmation)", impact_ms))
    print(_figures("floor: full district re-run without the hub", floor_ms))
    p50 = float(np.percentile(scenario_ms, 50))
    verdict = "meets" if p50 <= TARGET_MS else "MISSES"
    print(f"  scenario p50 {p50:.1f} ms {verdict} the target of {TARGET_MS:.0f} ms; "
          f"{np.percentile(floor_ms, 50) / p50:.1f}× faster than the floor at p50")
    store.close()
    return p50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=PROJECT_ROOT / "data" / "sample.gpkg")
    parser.add_argument("--real", type=Path, default=PROJECT_ROOT / "data" / "real.gpkg",
                        help="the real build (assetmap build-real); skipped when absent")
    parser.add_argument("--hubs", type=int, default=300, help="hubs closed, one at a time")
    parser.add_argument("--floor", type=int, default=30, help="of them, also re-run in full")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    stores = [args.sample] + ([args.real] if args.real.is_file() else [])
    if not args.real.is_file():
        print(f"{args.real} absent (build it with `assetmap build-real`): sample only")
    worst = max(bench(path, args.hubs, args.floor, args.seed) for path in stores)
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
