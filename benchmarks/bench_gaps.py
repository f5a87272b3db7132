"""Benchmark the gap analysis at county and England scale.

Run from the repository root::

    .venv/bin/python benchmarks/bench_gaps.py              # both scales
    .venv/bin/python benchmarks/bench_gaps.py --scale county --repeat 5

Inputs come from ``assetmap.sample.generate_sample``; ``--fallback`` uses the plain
grid below instead, whose small areas carry no codes, centroids or urban flags, so
the analysis' spatial fallbacks (point-in-polygon, representative points, density
rule) are what gets timed. For each scale it prints:

* the full analysis, ``analyse(..., all_areas=True)`` over every district;
* the analysis' nearest-hub step on its own (KD-tree nearest hub plus hubs within
  each small area's catchment) and a plain ``cKDTree`` build + nearest query over
  the same points, with their ratio (target: within 4×);
* greedy siting (5 sites) for the district with the most small areas;
* peak memory: the process' maximum resident set size.

Targets: county ≤ 0.5 s; England ≤ 10 s and ≤ 4 GB peak.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

import geopandas as gpd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.analysis import GapThresholds, analyse, candidate_assets, propose_sites, select_hubs
from assetmap.analysis.access import (
    catchment_radii,
    hub_locations,
    nearest_hubs,
    small_area_locations,
    urban_flags,
)
from assetmap.sample import generate_sample

HUB_CATEGORIES = (
    "community_hub",
    "village_hall",
    "community_centre",
    "community_library",
    "council_library",
    "church_hall",
)
OTHER_CATEGORIES = ("community_cafe",)
# (community areas per side, small areas per community area, assets, districts per side)
FALLBACK_SCALES = {"county": (16, 8, 1_500, 3), "england": (100, 19, 100_000, 17)}
TARGET_SECONDS = {"county": 0.5, "england": 10.0}
TARGET_PEAK_GB = 4.0


def fallback_sample(scale: str, seed: int = 42) -> dict[str, gpd.GeoDataFrame]:
    """A plain grid county: square community areas split into small-area strips."""
    per_side, per_area, n_assets, district_side = FALLBACK_SCALES[scale]
    rng = np.random.default_rng(seed)
    side = 3600.0  # m: England's ~130,000 km² over ~10,000 community areas
    grid_col, grid_row = np.meshgrid(np.arange(per_side), np.arange(per_side), indexing="ij")
    col, row = grid_col.ravel(), grid_row.ravel()
    x0, y0 = 300_000 + col * side, 100_000 + row * side
    block = per_side // district_side + (per_side % district_side > 0)
    district = np.array(
        [f"E07{(c // block) * 100 + (r // block):06d}" for c, r in zip(col, row, strict=True)]
    )
    codes = np.array([f"E43{i:06d}" if i % 3 else f"E04{i:06d}" for i in range(len(col))])
    community_areas = gpd.GeoDataFrame(
        {
            "code": codes,
            "name": [f"Area {i}" for i in range(len(col))],
            "district_code": district,
            "governance": np.where(
                np.char.startswith(codes.astype(str), "E43"), "unparished", "parish_council"
            ),
        },
        geometry=shapely.box(x0, y0, x0 + side, y0 + side),
        crs="EPSG:27700",
    )
    urban_area = rng.random(len(col)) < 0.4
    strip = side / per_area
    area_index = np.repeat(np.arange(len(col)), per_area)
    k = np.tile(np.arange(per_area), len(col))
    sx0 = x0[area_index] + k * strip
    sy0 = y0[area_index]
    urban = urban_area[area_index]
    n_small = len(area_index)
    small_areas = gpd.GeoDataFrame(
        {
            "code": [f"E00{i:06d}" for i in range(n_small)],
            "community_area_code": codes[area_index],
            "district_code": district[area_index],
            "population": np.where(
                urban, rng.integers(200, 450, n_small), rng.integers(80, 300, n_small)
            ),
            "imd_decile": rng.integers(1, 11, n_small),
            "share_65_plus": rng.uniform(0.05, 0.4, n_small),
            "urban": urban,
            "pwc_easting": sx0 + rng.uniform(0.1, 0.9, n_small) * strip,
            "pwc_northing": sy0 + rng.uniform(0.1, 0.9, n_small) * side,
        },
        geometry=shapely.box(sx0, sy0, sx0 + strip, sy0 + side),
        crs="EPSG:27700",
    )
    extent = per_side * side
    ax = 300_000 + rng.uniform(0, extent, n_assets)
    ay = 100_000 + rng.uniform(0, extent, n_assets)
    categories = rng.choice(HUB_CATEGORIES + OTHER_CATEGORIES * 3, n_assets)
    assets = gpd.GeoDataFrame(
        {
            "id": [f"A{i:06d}" for i in range(n_assets)],
            "name": [f"Asset {i}" for i in range(n_assets)],
            "category": categories,
            "status": rng.choice(["open", "open", "open", "at_risk", "closed"], n_assets),
        },
        geometry=gpd.points_from_xy(ax, ay),
        crs="EPSG:27700",
    )
    return {"community_areas": community_areas, "small_areas": small_areas, "assets": assets}


def load_inputs(scale: str, use_sample: bool) -> tuple[dict[str, Any], str]:
    if use_sample:
        return generate_sample(seed=42, scale=scale, progress=True), "assetmap.sample"
    return fallback_sample(scale), "plain grid (no codes, centroids or urban flags)"


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - started)
    return best, value


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: kB


def bench(scale: str, repeat: int, use_sample: bool) -> dict[str, float]:
    started = time.perf_counter()
    inputs, source = load_inputs(scale, use_sample)
    built = time.perf_counter() - started
    small, areas, assets = inputs["small_areas"], inputs["community_areas"], inputs["assets"]
    districts = inputs.get("districts")
    print(
        f"\n== {scale}: {len(areas):,} community areas, {len(small):,} small areas, "
        f"{len(assets):,} assets ({source}, built in {built:.1f} s)"
    )
    thresholds = GapThresholds()

    def full() -> Any:
        return analyse(
            small, areas, assets, HUB_CATEGORIES, thresholds, all_areas=True, districts=districts
        )

    full()  # warm-up (imports, caches)
    t_full, result = best_of(repeat, full)

    # The nearest step on its own, on exactly the points the analysis uses.
    metric_small = small.to_crs(27700)
    hubs = select_hubs(assets, HUB_CATEGORIES)
    xy, _ = small_area_locations(metric_small)
    urban, _ = urban_flags(
        metric_small, metric_small["population"].to_numpy(float), thresholds.urban_density_per_km2
    )
    catchment = catchment_radii(urban, thresholds)
    hub_xy, _ = hub_locations(hubs)
    t_nearest, _ = best_of(repeat, lambda: nearest_hubs(xy, hub_xy, catchment))
    t_plain, _ = best_of(repeat, lambda: cKDTree(hub_xy).query(xy, k=1))

    access = result.small_areas
    biggest = access["district_code"].value_counts().index[0]
    district_access = access[access["district_code"] == biggest]
    candidates = candidate_assets(assets, HUB_CATEGORIES, district_code=biggest)
    t_siting, sites = best_of(
        repeat, lambda: propose_sites(district_access, candidates, thresholds, n=5)
    )

    peak = peak_rss_gb()
    summary = result.districts
    print(
        f"  full analysis (analyse, all areas, all districts): {t_full:8.3f} s"
        f"  (target ≤ {TARGET_SECONDS[scale]} s)"
    )
    print(f"  nearest step (KD-tree nearest + hubs in catchment): {t_nearest:8.3f} s")
    print(f"  plain cKDTree build + nearest query:               {t_plain:8.3f} s")
    print(
        f"  ratio nearest step / plain KD-tree:                {t_nearest / t_plain:8.2f} ×"
        "  (target ≤ 4×)"
    )
    print(
        f"  siting, 5 sites, district {biggest} ({len(district_access):,} small areas, "
        f"{len(candidates):,} candidate assets): {t_siting:.3f} s"
    )
    print(
        f"  peak memory (max RSS of this process so far):      {peak:8.2f} GB"
        f"  (target ≤ {TARGET_PEAK_GB} GB)"
    )
    uncovered = summary["uncovered_population"].sum() / summary["population"].sum()
    print(
        f"  sanity: {len(summary)} districts, {summary['population'].sum():,.0f} residents, "
        f"{uncovered:.1%} outside every catchment, {int(summary['areas_under_served'].sum()):,} "
        f"areas under-served, {len(sites)} sites proposed"
    )
    ok = t_full <= TARGET_SECONDS[scale] and t_nearest / t_plain <= 4 and peak <= TARGET_PEAK_GB
    print(f"  targets met: {'yes' if ok else 'NO'}")
    return {
        "full": t_full,
        "nearest": t_nearest,
        "plain": t_plain,
        "siting": t_siting,
        "peak_gb": peak,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["county", "england", "both"], default="both")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measure (best is kept)"
    )
    parser.add_argument(
        "--fallback", action="store_true", help="time the spatial fallbacks on a plain grid"
    )
    args = parser.parse_args(argv)
    scales = ["county", "england"] if args.scale == "both" else [args.scale]
    for scale in scales:
        bench(scale, args.repeat, use_sample=not args.fallback)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
