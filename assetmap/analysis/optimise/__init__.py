"""Exact siting: maximal covering, set covering and p-median, solved with SciPy's
``milp`` (HiGHS), each compared with its greedy answer.

Modules: ``options`` (what a planner asks, checked), ``problem`` (demand, candidates
and the sparse reach between them), ``milp`` (one HiGHS call, reported honestly),
``covering`` (maximal and set covering), ``pmedian`` (p-median, radius formulation),
``result`` (the sites table and :class:`SitingResult`), ``solve`` (one district).
"""

from assetmap.analysis.optimise.milp import STATUS_TOO_LARGE
from assetmap.analysis.optimise.options import (
    COVERAGE,
    OBJECTIVES,
    P_MEDIAN,
    SET_COVER,
    EquityWeights,
    SitingOptions,
    parse_planner_points,
    parse_siting_options,
)
from assetmap.analysis.optimise.result import SitingResult
from assetmap.analysis.optimise.solve import solve_problem, solve_siting

__all__ = [
    "COVERAGE",
    "OBJECTIVES",
    "P_MEDIAN",
    "SET_COVER",
    "STATUS_TOO_LARGE",
    "EquityWeights",
    "SitingOptions",
    "SitingResult",
    "parse_planner_points",
    "parse_siting_options",
    "solve_problem",
    "solve_siting",
]
