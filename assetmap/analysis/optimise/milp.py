"""One call to SciPy's ``milp`` (HiGHS), and what a solve found, stated honestly.

SciPy's ``milp`` accepts no starting solution, so the greedy answer is not passed in as
a warm start: it is solved beside the model, kept as the fallback when the time limit
stops the solver before it finds anything as good, and is what the result is compared
with. The gap is HiGHS's own: (incumbent − dual bound) ÷ |incumbent|.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["MIP_REL_GAP", "STATUS_OPTIMAL", "STATUS_TIME_LIMIT", "STATUS_TOO_LARGE",
           "STATUS_TRIVIAL", "STATUS_UNREACHABLE", "MilpOutcome", "Solution", "solve_milp"]

# Stop when the incumbent is proven within one part in a million of the best possible.
MIP_REL_GAP = 1e-6
STATUS_OPTIMAL = "optimal"
STATUS_TIME_LIMIT = "time limit reached"
STATUS_TRIVIAL = "optimal (no choice to make)"
STATUS_UNREACHABLE = "target not reachable"
STATUS_TOO_LARGE = "too large to solve exactly in the time limit"


@dataclass(frozen=True)
class MilpOutcome:
    x: np.ndarray | None  # None when the solver found no feasible point in time
    objective: float  # minimised objective of x (nan without x)
    dual_bound: float  # the solver's proven bound on the minimum (-inf when unknown)
    gap: float  # relative gap HiGHS reports (0 when proven optimal)
    proven: bool
    seconds: float
    infeasible: bool = False


@dataclass(frozen=True)
class Solution:
    """A choice of candidate sites and what is known about it, in the model's own units."""

    chosen: np.ndarray  # candidate positions (int)
    value: float  # the objective's value (residents, sites or metres)
    bound: float  # best value that could be possible (== value when proven)
    gap: float  # relative gap, 0 when proven optimal
    status: str
    seconds: float
    source: str  # "solver" or "greedy"


def solve_milp(
    cost: np.ndarray, integer: np.ndarray, rows: sparse.spmatrix, lower: np.ndarray,
    upper: np.ndarray, time_limit_s: float,
) -> MilpOutcome:
    """Minimise ``cost @ x`` with 0 ≤ x ≤ 1, ``integer`` marking the binaries, and
    ``lower ≤ rows @ x ≤ upper``."""
    started = time.perf_counter()
    result = milp(
        c=cost,
        integrality=integer.astype(np.uint8),
        bounds=Bounds(np.zeros(len(cost)), np.ones(len(cost))),
        constraints=LinearConstraint(sparse.csr_array(rows), lower, upper),
        options={"time_limit": max(time_limit_s, 0.01), "mip_rel_gap": MIP_REL_GAP,
                 "disp": False},
    )
    seconds = time.perf_counter() - started
    x = None if result.x is None else np.asarray(result.x, dtype=float)
    bound = getattr(result, "mip_dual_bound", None)
    gap = getattr(result, "mip_gap", None)
    objective = float(result.fun) if x is not None else float("nan")
    return MilpOutcome(
        x=x,
        objective=objective,
        dual_bound=float(bound) if bound is not None and np.isfinite(bound) else -np.inf,
        gap=float(gap) if gap is not None and x is not None else float("inf"),
        proven=result.status == 0,
        seconds=seconds,
        infeasible=result.status == 2,
    )
