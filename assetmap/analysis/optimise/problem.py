"""One district's siting problem: residents to serve, candidate sites, who reaches whom.

Demand is the district's populated small areas, each at its residents' location with
its own catchment (urban or rural, as in the gap analysis) and its distance to the
nearest existing hub (hubs anywhere, fixed open). Candidates are existing non-hub
assets, planner-supplied points and the small areas' own location points. Which
candidate reaches which small area is a sparse matrix, so thousands of candidates ×
thousands of small areas stay cheap.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.analysis.inputs import point_coordinates
from assetmap.analysis.optimise.options import EquityWeights

__all__ = [
    "CANDIDATE_COLUMNS",
    "KIND_ASSET",
    "KIND_PLANNER",
    "KIND_SMALL_AREA",
    "Demand",
    "SitingProblem",
    "build_problem",
    "candidate_table",
    "coverage_matrix",
    "equity_multipliers",
]

KIND_ASSET = "existing asset"
KIND_SMALL_AREA = "small-area centroid"
KIND_PLANNER = "planner point"
CANDIDATE_COLUMNS = ["kind", "candidate_id", "name", "x", "y"]


@dataclass(frozen=True)
class Demand:
    """The populated small areas of one district (one entry each)."""

    code: np.ndarray
    population: np.ndarray  # residents
    weight: np.ndarray  # residents × equity multiplier (= population when weights are off)
    xy: np.ndarray  # (n, 2) EPSG:27700 metres
    catchment_m: np.ndarray
    covered: np.ndarray  # within an existing hub's catchment already
    nearest_m: np.ndarray  # distance to the nearest existing hub; inf where there is none
    total_population: float  # every resident of the district's small areas


@dataclass(frozen=True)
class SitingProblem:
    demand: Demand
    candidates: pd.DataFrame  # CANDIDATE_COLUMNS, existing assets first
    cover: sparse.csr_matrix  # candidates × demand: 1 where the candidate is in the catchment

    @property
    def candidate_xy(self) -> np.ndarray:
        xy: np.ndarray = self.candidates[["x", "y"]].to_numpy(float).reshape(-1, 2)
        return xy


def coverage_matrix(
    candidate_xy: np.ndarray, area_xy: np.ndarray, catchment_m: np.ndarray
) -> sparse.csr_matrix:
    """Sparse (candidates × small areas) matrix: 1 where the candidate lies within the
    small area's own catchment (the edge counts as inside)."""
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


def equity_multipliers(
    access: pd.DataFrame, equity: EquityWeights, unparished_codes: Collection[str],
    deprived_deciles: int,
) -> np.ndarray:
    """How many times each small area's residents count (1 everywhere when disabled)."""
    out = np.ones(len(access))
    if not equity.enabled:
        return out
    if "community_area_code" in access.columns and unparished_codes:
        unparished = access["community_area_code"].astype(object).isin(set(unparished_codes))
        out[unparished.to_numpy(bool)] *= equity.unparished
    if "imd_decile" in access.columns:
        decile = pd.to_numeric(access["imd_decile"], errors="coerce").to_numpy(float)
        out[np.isfinite(decile) & (decile <= deprived_deciles)] *= equity.deprived
    return out


def _demand(access: pd.DataFrame, multipliers: np.ndarray) -> Demand:
    population = access["population"].to_numpy(float)
    keep = population > 0
    nearest = access["distance_to_nearest_hub_m"].to_numpy(float)
    codes = access["code"] if "code" in access.columns else pd.Series(access.index)
    return Demand(
        code=codes.to_numpy(dtype=object)[keep],
        population=population[keep],
        weight=(population * multipliers)[keep],
        xy=access[["location_easting", "location_northing"]].to_numpy(float)[keep],
        catchment_m=access["catchment_m"].to_numpy(float)[keep],
        covered=access["within_catchment"].to_numpy(bool)[keep],
        nearest_m=np.where(np.isfinite(nearest), nearest, np.inf)[keep],
        total_population=float(population.sum()),
    )


def candidate_table(
    access: pd.DataFrame, assets: gpd.GeoDataFrame | None,
    planner_xy: np.ndarray | None = None, *, include_small_areas: bool = True,
) -> pd.DataFrame:
    """Every candidate with kind, id, name and x, y: existing assets, planner points,
    then small-area points (the order ties are broken in)."""
    parts = []
    if assets is not None and len(assets):
        xy = point_coordinates(assets.geometry)
        ids = assets["id"] if "id" in assets.columns else pd.Series(assets.index)
        names = assets["name"] if "name" in assets.columns else ids
        table = pd.DataFrame({"kind": KIND_ASSET, "candidate_id": ids.to_numpy(),
                              "name": names.to_numpy(), "x": xy[:, 0], "y": xy[:, 1]})
        parts.append(table[np.isfinite(xy).all(axis=1)])
    if planner_xy is not None and len(planner_xy):
        labels = [f"P{n}" for n in range(1, len(planner_xy) + 1)]
        parts.append(pd.DataFrame({
            "kind": KIND_PLANNER, "candidate_id": labels,
            "name": [f"Planner's point {label}" for label in labels],
            "x": planner_xy[:, 0], "y": planner_xy[:, 1],
        }))
    if include_small_areas and len(access):
        codes = access["code"] if "code" in access.columns else pd.Series(access.index)
        parts.append(pd.DataFrame({
            "kind": KIND_SMALL_AREA, "candidate_id": codes.to_numpy(),
            "name": [f"Centre of small area {code}" for code in codes],
            "x": access["location_easting"].to_numpy(float),
            "y": access["location_northing"].to_numpy(float),
        }))
    if not parts:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[CANDIDATE_COLUMNS]


def build_problem(
    access: pd.DataFrame, candidates: pd.DataFrame, multipliers: np.ndarray | None = None
) -> SitingProblem:
    """The problem for one district's access table (``GapResult.small_areas``)."""
    weights = np.ones(len(access)) if multipliers is None else multipliers
    demand = _demand(access, weights)
    xy = candidates[["x", "y"]].to_numpy(float).reshape(-1, 2)
    cover = coverage_matrix(xy, demand.xy, demand.catchment_m)
    return SitingProblem(demand=demand, candidates=candidates.reset_index(drop=True),
                         cover=cover)
