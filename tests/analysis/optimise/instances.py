"""Small siting instances built as the analysis sees them: small areas with locations,
populations and urban flags, existing hubs, candidate assets (EPSG:27700)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.analysis import GapThresholds, select_hubs, small_area_access

BNG = "EPSG:27700"
HUBS = ("village_hall",)


def small_areas(
    xy: Sequence[tuple[float, float]], population: Sequence[float],
    urban: Sequence[bool] | None = None, imd: Sequence[int] | None = None,
    community: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Small areas as 20 m squares around each location (its population-weighted centroid)."""
    n = len(xy)
    frame = gpd.GeoDataFrame(
        {
            "code": [f"S{i + 1:03d}" for i in range(n)],
            "population": list(population),
            "urban": list(urban) if urban is not None else [True] * n,
            "pwc_easting": [float(x) for x, _ in xy],
            "pwc_northing": [float(y) for _, y in xy],
        },
        geometry=[box(x - 10, y - 10, x + 10, y + 10) for x, y in xy],
        crs=BNG,
    )
    if imd is not None:
        frame["imd_decile"] = list(imd)
    if community is not None:
        frame["community_area_code"] = list(community)
    return frame


def assets(
    hubs: Sequence[tuple[float, float]] = (), candidates: Sequence[tuple[float, float]] = ()
) -> gpd.GeoDataFrame:
    """Open village halls (hubs) H1… and open cafés (candidate sites) C1…."""
    rows = [(f"H{i + 1}", f"Hall {i + 1}", "village_hall", Point(p)) for i, p in enumerate(hubs)]
    rows += [(f"C{i + 1}", f"Café {i + 1}", "community_cafe", Point(p))
             for i, p in enumerate(candidates)]
    frame = pd.DataFrame(rows, columns=["id", "name", "category", "geometry"])
    frame["status"] = "open"
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=BNG)


def access(areas: gpd.GeoDataFrame, all_assets: gpd.GeoDataFrame,
           thresholds: GapThresholds | None = None) -> gpd.GeoDataFrame:
    """The small-area access table the siting reads (as GapResult.small_areas)."""
    return small_area_access(areas, select_hubs(all_assets, HUBS), thresholds or GapThresholds())


def candidates_of(all_assets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return all_assets[all_assets["category"] != "village_hall"]


def random_instance(
    rng: np.random.Generator, n_areas: int, n_hubs: int, n_candidates: int, side_m: float
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Random small areas (populations 0–500, a quarter rural) and assets in a square."""
    xy = rng.uniform(0, side_m, (n_areas, 2)) + 400_000
    population = rng.integers(0, 500, n_areas).astype(float)
    urban = rng.random(n_areas) < 0.75
    hubs = rng.uniform(0, side_m, (n_hubs, 2)) + 400_000
    sites = rng.uniform(0, side_m, (n_candidates, 2)) + 400_000
    return (small_areas([tuple(p) for p in xy], population.tolist(), urban.tolist()),
            assets([tuple(p) for p in hubs], [tuple(p) for p in sites]))
