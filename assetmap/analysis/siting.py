"""Where would a new hub help most? Greedy maximal covering for one district.

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
from scipy import sparse
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.analysis.access import catchment_radii
from assetmap.analysis.inputs import (
    point_coordinates,
    prepare_access_table,
    prepare_assets,
    prepare_located,
)
from assetmap.analysis.thresholds import GapThresholds
from assetmap.crs import METRIC_CRS
from assetmap.errors import ValidationFailed
from assetmap.hubs import not_closed

__all__ = [
    "KIND_ASSET",
    "KIND_SMALL_AREA",
    "candidate_assets",
    "greedy_sites",
    "non_hub_assets",
    "propose_sites",
]

KIND_ASSET = "existing asset"
KIND_SMALL_AREA = "small-area centroid"
_SITE_COLUMNS = [
    "rank",
    "kind",
    "candidate_id",
    "name",
    "newly_covered_population",
    "newly_covered_small_areas",
    "uncovered_population_after",
    "uncovered_share_before",
    "uncovered_share_after",
]


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


def _candidate_table(
    access: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame | None, include_small_areas: bool
) -> pd.DataFrame:
    """Every candidate with kind, id, name and x, y; existing assets first."""
    parts = []
    if candidates is not None and len(candidates):
        assets = candidates
        xy = point_coordinates(assets.geometry)
        ids = assets["id"] if "id" in assets.columns else pd.Series(assets.index)
        names = assets["name"] if "name" in assets.columns else ids
        table = pd.DataFrame(
            {
                "kind": KIND_ASSET,
                "candidate_id": ids.to_numpy(),
                "name": names.to_numpy(),
                "x": xy[:, 0],
                "y": xy[:, 1],
            }
        )
        parts.append(table[np.isfinite(xy).all(axis=1)])
    if include_small_areas and len(access):
        codes = access["code"] if "code" in access.columns else pd.Series(access.index)
        parts.append(
            pd.DataFrame(
                {
                    "kind": KIND_SMALL_AREA,
                    "candidate_id": codes.to_numpy(),
                    "name": [f"Centre of small area {code}" for code in codes],
                    "x": access["location_easting"].to_numpy(float),
                    "y": access["location_northing"].to_numpy(float),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["kind", "candidate_id", "name", "x", "y"])
    return pd.concat(parts, ignore_index=True)


def _coverage_matrix(
    candidate_xy: np.ndarray, area_xy: np.ndarray, catchment_m: np.ndarray
) -> sparse.csr_matrix:
    """Sparse (candidates × small areas) matrix: 1 where the candidate covers the area."""
    shape = (len(candidate_xy), len(area_xy))
    if not len(candidate_xy) or not len(area_xy):
        return sparse.csr_matrix(shape)
    hits = cKDTree(candidate_xy).query_ball_point(
        area_xy, r=catchment_m, return_sorted=False, workers=-1
    )
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    rows = (
        np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])
        if lengths.sum()
        else np.zeros(0, dtype=np.int64)
    )
    cols = np.repeat(np.arange(len(area_xy)), lengths)
    data = np.ones(len(cols), dtype=float)
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


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

    table = _candidate_table(access, candidates, include_small_areas)
    area_xy = access[["location_easting", "location_northing"]].to_numpy(float)
    cover = _coverage_matrix(
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
