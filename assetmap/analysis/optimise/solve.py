"""Exact siting for one district: build the problem, solve it, compare with greedy."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.optimise.covering import max_cover, set_cover
from assetmap.analysis.optimise.milp import Solution
from assetmap.analysis.optimise.options import (
    COVERAGE,
    OBJECTIVES,
    P_MEDIAN,
    SET_COVER,
    SitingOptions,
)
from assetmap.analysis.optimise.pmedian import nearer_candidates, p_median
from assetmap.analysis.optimise.problem import (
    SitingProblem,
    build_problem,
    candidate_table,
    equity_multipliers,
)
from assetmap.analysis.optimise.result import (
    SitingResult,
    coverage_order,
    distance_order,
    site_table,
)
from assetmap.crs import lonlat_to_metric

__all__ = ["solve_problem", "solve_siting"]

_UNITS = {
    COVERAGE: "residents newly within a catchment",
    SET_COVER: "new sites",
    P_MEDIAN: "metres, population-weighted mean distance to the nearest hub",
}
_SAME = 1e-6


def _planner_xy(points: tuple[tuple[float, float], ...]) -> np.ndarray:
    if not points:
        return np.zeros((0, 2))
    lon, lat = np.array(points, dtype=float).T
    x, y = lonlat_to_metric(lon, lat)
    return np.column_stack([x, y])


def solve_siting(
    access: pd.DataFrame, assets: gpd.GeoDataFrame | None, options: SitingOptions, *,
    unparished_codes: Collection[str] = (), deprived_deciles: int = 3,
    include_small_areas: bool = True,
) -> SitingResult:
    """Sites for one district's access table (``GapResult.small_areas``, EPSG:27700).

    ``assets`` are the open non-hub candidates (see ``siting.non_hub_assets``);
    ``unparished_codes`` the community areas whose residents the equity weights favour.
    """
    candidates = candidate_table(access, assets, _planner_xy(options.points),
                                 include_small_areas=include_small_areas)
    multipliers = equity_multipliers(access, options.equity, unparished_codes, deprived_deciles)
    problem = build_problem(access, candidates, multipliers)
    return solve_problem(problem, options, deprived_deciles)


def _solve(problem: SitingProblem, options: SitingOptions) -> tuple[Solution, Solution]:
    demand = problem.demand
    open_ = ~demand.covered
    reach = problem.cover[:, open_].tocsr()
    if options.objective == COVERAGE:
        return max_cover(reach, demand.weight[open_], options.sites, options.time_limit_s)
    if options.objective == SET_COVER:
        reached = float(demand.population[demand.covered].sum())
        target = options.target_share * demand.total_population - reached
        return set_cover(reach, demand.weight[open_], demand.population[open_], target,
                         options.time_limit_s)
    nearer = nearer_candidates(problem.candidate_xy, demand.xy, demand.nearest_m)
    return p_median(nearer, demand.weight, options.sites, len(problem.candidates),
                    options.time_limit_s)


def solve_problem(
    problem: SitingProblem, options: SitingOptions, deprived_deciles: int = 3
) -> SitingResult:
    """Solve ``problem`` for ``options``; see :func:`solve_siting`."""
    exact, greedy = _solve(problem, options)
    larger = options.objective == COVERAGE
    chosen = exact.chosen
    tied = abs(exact.value - greedy.value) <= _SAME * max(abs(greedy.value), 1.0)
    if tied and options.objective != SET_COVER:
        chosen = greedy.chosen  # as good: keep greedy's picks, in greedy's order
    elif options.objective == P_MEDIAN:
        chosen = distance_order(problem, chosen, problem.demand.weight)
    else:
        chosen = coverage_order(problem, chosen, problem.demand.weight)
    ids = problem.candidates["candidate_id"].astype(str).to_numpy()
    kinds = problem.candidates["kind"].value_counts()
    return SitingResult(
        objective=options.objective,
        description=OBJECTIVES[options.objective],
        unit=_UNITS[options.objective],
        sites=site_table(problem, chosen),
        exact=exact,
        greedy=greedy,
        greedy_site_ids=tuple(ids[greedy.chosen]),
        equity=options.equity.as_dict(deprived_deciles),
        requested_sites=options.sites,
        target_share=options.target_share if options.objective == SET_COVER else None,
        time_limit_s=options.time_limit_s,
        candidates={str(k): int(v) for k, v in kinds.items()},
        demand_areas=len(problem.demand.population),
        larger_is_better=larger,
    )
