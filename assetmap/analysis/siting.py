"""Where would a new hub help most? Greedy maximal covering for one district, and
the exact models (:func:`district_siting`, solved in :mod:`assetmap.analysis.optimise`).

Candidates are existing assets that are not hubs yet (and not closed) and the
location points of the district's small areas. A candidate covers a small area
when it lies within that small area's own catchment (800 m urban, 3 km rural
by default). Each pick is the candidate covering the most residents not yet
covered; its residents are then marked covered and the next pick is made, up
to ``n`` picks or until no candidate gains anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.access import catchment_radii
from assetmap.analysis.areas import is_unparished
from assetmap.analysis.inputs import (
    prepare_access_table,
    prepare_assets,
    prepare_located,
)
from assetmap.analysis.optimise import SitingOptions, SitingResult, solve_siting
from assetmap.analysis.optimise.problem import (
    KIND_ASSET,
    KIND_PLANNER,
    KIND_SMALL_AREA,
    candidate_table,
    coverage_matrix,
)
from assetmap.analysis.optimise.result import SITE_COLUMNS
from assetmap.analysis.thresholds import GapThresholds
from assetmap.crs import METRIC_CRS
from assetmap.errors import ValidationFailed
from assetmap.hubs import not_closed

__all__ = [
    "KIND_ASSET",
    "KIND_PLANNER",
    "KIND_SMALL_AREA",
    "candidate_assets",
    "district_siting",
    "greedy_sites",
    "non_hub_assets",
    "propose_sites",
]

# Greedy reports every column of the exact models' site table but the mean distance.
_SITE_COLUMNS = [c for c in SITE_COLUMNS if c != "mean_distance_after_m"]


def candidate_assets(
    assets: gpd.GeoDataFrame, hub_categories: Iterable[str], district_code: str | None = None
) -> gpd.GeoDataFrame:
    """Open or at-risk assets that are not hubs yet (optionally in one district)."""
    return non_hub_assets(prepare_assets(assets), hub_categories, district_code)


def non_hub_assets(
    assets: gpd.GeoDataFrame, hub_categories: Iterable[str], district_code: str | None = None
) -> gpd.GeoDataFrame:
    """:func:`candidate_assets` among prepared assets (EPSG:27700, checked)."""
    keep = ~assets["category"].isin(set(hub_categories)).to_numpy() & not_closed(assets)
    if district_code is not None and "district_code" in assets.columns:
        keep &= (assets["district_code"] == district_code).to_numpy()
    return assets[keep]


def _require_count(n: int) -> None:
    if n < 0:
        raise ValidationFailed(f"The number of sites must be 0 or more, not {n}.")


def _check_catchments(access: gpd.GeoDataFrame, thresholds: GapThresholds) -> None:
    catchment = access["catchment_m"].to_numpy(float)
    expected = catchment_radii(access["urban"].to_numpy(bool), thresholds)
    if not np.allclose(catchment, expected):
        raise ValidationFailed(
            "The small-area access table was computed with other catchment thresholds than "
            "the ones given to propose_sites; rerun small_area_access (or analyse) with "
            "these thresholds first."
        )


def propose_sites(
    access_table: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame | None,
    thresholds: GapThresholds,
    n: int = 5,
    *,
    include_small_areas: bool = True,
) -> gpd.GeoDataFrame:
    """Up to ``n`` sites that together bring the most uncovered residents within reach.

    ``access_table`` holds one district's small areas as returned by
    :func:`assetmap.analysis.gaps.small_area_access` (or ``GapResult.small_areas``
    filtered to a district). ``candidates`` are existing non-hub assets (see
    :func:`candidate_assets`); closed ones are ignored. Small-area location
    points are added as candidates unless ``include_small_areas`` is false.
    Ties go to the earlier candidate: existing assets before small areas.

    Returns one row per pick (EPSG:27700 points): ``rank``, ``kind``,
    ``candidate_id``, ``name``, ``newly_covered_population``,
    ``newly_covered_small_areas``, ``uncovered_population_after``,
    ``uncovered_share_before`` and ``uncovered_share_after`` (district-wide).
    """
    _require_count(n)
    access = prepare_access_table(
        access_table,
        ["population", "within_catchment", "catchment_m", "urban", "location_easting"],
        "propose_sites",
    )
    _check_catchments(access, thresholds)
    if candidates is not None and len(candidates):
        candidates = prepare_located(candidates, "candidate assets")
        if "status" in candidates.columns:
            candidates = candidates[not_closed(candidates)]
    return greedy_sites(access, candidates, n, include_small_areas=include_small_areas)


def greedy_sites(
    access: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame | None,
    n: int = 5,
    *,
    include_small_areas: bool = True,
) -> gpd.GeoDataFrame:
    """:func:`propose_sites` on a prepared access table and open candidates (EPSG:27700).

    ``access`` comes from the analysis itself (so its catchments are the run's own);
    ``candidates`` are already checked and none is closed.
    """
    _require_count(n)
    catchment = access["catchment_m"].to_numpy(float)
    population = access["population"].to_numpy(float)
    uncovered = ~access["within_catchment"].to_numpy(bool) & (population > 0)
    total_population = float(population.sum())

    table = candidate_table(access, candidates, include_small_areas=include_small_areas)
    area_xy = access[["location_easting", "location_northing"]].to_numpy(float)
    cover = coverage_matrix(
        table[["x", "y"]].to_numpy(float), area_xy[uncovered], catchment[uncovered]
    )
    remaining = population[uncovered].copy()
    uncovered_now = float(remaining.sum())

    picks = []
    for rank in range(1, n + 1):
        gain = cover @ remaining
        if not len(gain) or gain.max() <= 0:
            break
        best = int(np.argmax(gain))  # first maximum: ties go to the earlier candidate
        reached = cover.indices[cover.indptr[best] : cover.indptr[best + 1]]
        reached = reached[remaining[reached] > 0]
        newly = float(remaining[reached].sum())
        remaining[reached] = 0.0
        before, uncovered_now = uncovered_now, uncovered_now - newly
        picks.append(
            {
                "rank": rank,
                **table.iloc[best][["kind", "candidate_id", "name", "x", "y"]].to_dict(),
                "newly_covered_population": newly,
                "newly_covered_small_areas": len(reached),
                "uncovered_population_after": uncovered_now,
                "uncovered_share_before": before / total_population if total_population else 0.0,
                "uncovered_share_after": (
                    uncovered_now / total_population if total_population else 0.0
                ),
            }
        )
    sites = pd.DataFrame(picks, columns=[*_SITE_COLUMNS, "x", "y"])
    geometry = gpd.points_from_xy(sites["x"].astype(float), sites["y"].astype(float))
    return gpd.GeoDataFrame(sites[_SITE_COLUMNS], geometry=geometry, crs=METRIC_CRS)


def district_siting(
    access: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame | None,
    options: SitingOptions,
    community_areas: pd.DataFrame,
    thresholds: GapThresholds,
) -> SitingResult:
    """Exact siting (:mod:`assetmap.analysis.optimise`) for one district's analysis.

    ``access`` is the district's ``GapResult.small_areas``; ``candidates`` its open
    non-hub assets; ``community_areas`` says which areas are unparished, for the
    equity weights, and ``thresholds`` which IMD deciles count as deprived.
    """
    unparished = community_areas["code"][is_unparished(community_areas)].astype(str)
    return solve_siting(
        access, candidates, options, unparished_codes=set(unparished),
        deprived_deciles=thresholds.deprived_deciles,
    )
