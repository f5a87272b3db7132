"""What a siting run found, said so a planner can check it: the sites, in a useful
order, with the objective, its value, the proven gap and the comparison with greedy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.optimise.covering import greedy_cover
from assetmap.analysis.optimise.milp import Solution
from assetmap.analysis.optimise.problem import SitingProblem
from assetmap.crs import METRIC_CRS

__all__ = ["SITE_COLUMNS", "SitingResult", "site_table"]

SITE_COLUMNS = [
    "rank",
    "kind",
    "candidate_id",
    "name",
    "newly_covered_population",
    "newly_covered_small_areas",
    "uncovered_population_after",
    "uncovered_share_before",
    "uncovered_share_after",
    "mean_distance_after_m",
]


def _mean_distances(problem: SitingProblem, order: np.ndarray) -> list[float]:
    """Population-weighted mean distance to the nearest hub after each pick in turn."""
    demand = problem.demand
    current = demand.nearest_m.copy()
    total = float(demand.population.sum())
    out = []
    xy = problem.candidate_xy
    for j in order:
        current = np.minimum(current, np.hypot(*(demand.xy - xy[j]).T))
        out.append(float((demand.population * current).sum() / total) if total else 0.0)
    return out


def site_table(problem: SitingProblem, order: np.ndarray) -> gpd.GeoDataFrame:
    """One row per chosen site in ``order`` (EPSG:27700 points), figures cumulative."""
    demand = problem.demand
    open_ = ~demand.covered
    reach = problem.cover[:, open_].tocsr()
    remaining = demand.population[open_].copy()
    uncovered = float(remaining.sum())
    total = demand.total_population
    rows = []
    for rank, (j, distance) in enumerate(zip(order, _mean_distances(problem, order),
                                             strict=True), start=1):
        hit = reach.indices[reach.indptr[j]: reach.indptr[j + 1]]
        hit = hit[remaining[hit] > 0]
        newly = float(remaining[hit].sum())
        remaining[hit] = 0.0
        before, uncovered = uncovered, uncovered - newly
        rows.append({
            "rank": rank,
            **problem.candidates.iloc[int(j)][["kind", "candidate_id", "name", "x", "y"]],
            "newly_covered_population": newly,
            "newly_covered_small_areas": len(hit),
            "uncovered_population_after": uncovered,
            "uncovered_share_before": before / total if total else 0.0,
            "uncovered_share_after": uncovered / total if total else 0.0,
            "mean_distance_after_m": distance,
        })
    sites = pd.DataFrame(rows, columns=[*SITE_COLUMNS, "x", "y"])
    geometry = gpd.points_from_xy(sites["x"].astype(float), sites["y"].astype(float))
    return gpd.GeoDataFrame(sites[SITE_COLUMNS], geometry=geometry, crs=METRIC_CRS)


def coverage_order(problem: SitingProblem, chosen: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``chosen`` in greedy order: each next the one newly reaching the most weight."""
    if not len(chosen):
        return chosen
    reach = problem.cover[chosen][:, ~problem.demand.covered].tocsr()
    picks, _ = greedy_cover(reach, weight[~problem.demand.covered], len(chosen))
    rest = [i for i in range(len(chosen)) if i not in set(picks.tolist())]
    ordered: np.ndarray = chosen[np.concatenate([picks, np.array(rest, dtype=np.int64)])]
    return ordered


def distance_order(problem: SitingProblem, chosen: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``chosen`` in greedy order: each next the one saving the most weighted distance."""
    demand = problem.demand
    # With no hub at all, any site saves everything: count from a far-off stand-in.
    current = np.where(np.isinf(demand.nearest_m), 1e12, demand.nearest_m)
    to_site = [np.hypot(*(demand.xy - xy).T) for xy in problem.candidate_xy[chosen]]
    order: list[int] = []
    left = list(range(len(chosen)))
    while left:
        savings = [float((weight * np.maximum(current - to_site[k], 0.0)).sum()) for k in left]
        best = left.pop(int(np.argmax(savings)))
        order.append(best)
        current = np.minimum(current, to_site[best])
    ordered: np.ndarray = chosen[np.array(order, dtype=np.int64)]
    return ordered


@dataclass(frozen=True)
class SitingResult:
    """A siting answer with everything needed to judge it (see :meth:`as_dict`)."""

    objective: str
    description: str
    unit: str
    sites: gpd.GeoDataFrame
    exact: Solution
    greedy: Solution
    greedy_site_ids: tuple[str, ...]
    equity: dict[str, Any]
    requested_sites: int
    target_share: float | None
    time_limit_s: float
    candidates: dict[str, int]
    demand_areas: int
    larger_is_better: bool

    @property
    def improvement(self) -> float | None:
        """How much better than greedy, in the objective's unit (≥ 0)."""
        a, b = self.exact.value, self.greedy.value
        if not (np.isfinite(a) and np.isfinite(b)):
            return None
        return (a - b) if self.larger_is_better else (b - a)

    @property
    def improvement_share(self) -> float | None:
        """:attr:`improvement` as a share of greedy's value (None when greedy's is 0)."""
        gain, base = self.improvement, self.greedy.value
        if gain is None or not np.isfinite(base) or base == 0:
            return None
        return gain / abs(base)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: objective, value, bound, gap, time, greedy, improvement, weights."""
        def number(value: float) -> float | None:
            return float(value) if value is not None and np.isfinite(value) else None

        return {
            "objective": self.objective,
            "description": self.description,
            "unit": self.unit,
            "status": self.exact.status,
            "solution_from": self.exact.source,
            "value": number(self.exact.value),
            "best_possible": number(self.exact.bound),
            "optimality_gap": number(self.exact.gap),
            "solve_seconds": round(self.exact.seconds, 3),
            "time_limit_seconds": self.time_limit_s,
            "greedy": {"value": number(self.greedy.value),
                       "seconds": round(self.greedy.seconds, 3),
                       "site_ids": list(self.greedy_site_ids)},
            "improvement_over_greedy": number(self.improvement or 0.0)
            if self.improvement is not None else None,
            "improvement_over_greedy_share": number(self.improvement_share or 0.0)
            if self.improvement_share is not None else None,
            "requested_sites": self.requested_sites,
            "target_share": self.target_share,
            "equity_weights": self.equity,
            "candidates": self.candidates,
            "demand_small_areas": self.demand_areas,
        }
