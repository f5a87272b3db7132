"""p-median with existing hubs fixed open: the lowest weighted mean distance to a hub.

Each small area's residents go to their nearest open hub. Existing hubs stay open, so
a small area's distance is at most D_i (its nearest existing hub); only candidates
closer than D_i can change it. With those candidates j_1 … j_K in order of distance
d_1 ≤ … ≤ d_K and d_{K+1} = D_i, the radius formulation (García, Labbé and Marín,
2011) is::

    minimise  Σ_i w_i (d_1 + Σ_k (d_{k+1} − d_k) u_ik)
    subject   u_i1 ≥ 1 − x_{j_1},  u_ik ≥ u_i,k−1 − x_{j_k}   (u_ik = 1: none of
              j_1 … j_k open),  Σ_j x_j = N,  x_j ∈ {0, 1},  0 ≤ u_ik ≤ 1

which is exact and needs three non-zeros per (area, nearer candidate) pair, not a
dense areas × candidates assignment. Where there is no hub at all, every candidate
is "nearer" (D_i is infinite) and the last term is dropped: some site is always open.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from assetmap.analysis.optimise.milp import (
    STATUS_OPTIMAL,
    STATUS_TIME_LIMIT,
    STATUS_TOO_LARGE,
    STATUS_TRIVIAL,
    Solution,
    solve_milp,
)

__all__ = ["Nearer", "greedy_median", "mean_distance", "nearer_candidates", "p_median"]

_TOLERANCE = 1e-9
# (area, nearer candidate) pairs past which HiGHS cannot keep to a time limit of seconds
# (building and presolving the model alone takes longer): greedy is given instead.
MAX_PAIRS = 1_000_000


@dataclass(frozen=True)
class Nearer:
    """(area, candidate, distance) for every candidate nearer than the area's nearest
    hub, sorted by area then distance."""

    area: np.ndarray
    candidate: np.ndarray
    distance: np.ndarray
    limit: np.ndarray  # D_i per area (inf where there is no hub)


def nearer_candidates(
    candidate_xy: np.ndarray, area_xy: np.ndarray, nearest_m: np.ndarray
) -> Nearer:
    """Every candidate strictly nearer to an area than its nearest existing hub."""
    empty = np.zeros(0, dtype=np.int64)
    if not len(candidate_xy) or not len(area_xy):
        return Nearer(empty, empty, np.zeros(0), nearest_m)
    tree = cKDTree(candidate_xy)
    radius = np.where(np.isfinite(nearest_m), nearest_m, np.inf)
    hits = tree.query_ball_point(area_xy, r=radius, return_sorted=False, workers=-1)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    area = np.repeat(np.arange(len(area_xy)), lengths)
    candidate = (np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])
                 if lengths.sum() else empty)
    distance = np.hypot(*(candidate_xy[candidate] - area_xy[area]).T) if len(area) else \
        np.zeros(0)
    strictly = distance < radius[area]
    area, candidate, distance = area[strictly], candidate[strictly], distance[strictly]
    order = np.lexsort((candidate, distance, area))
    return Nearer(area[order], candidate[order], distance[order], nearest_m)


def mean_distance(weight: np.ndarray, distance: np.ndarray) -> float:
    total = float(weight.sum())
    return float((weight * distance).sum() / total) if total > 0 else 0.0


def _distances_with(nearer: Nearer, chosen: np.ndarray) -> np.ndarray:
    """Each area's distance to its nearest hub once ``chosen`` candidates are open."""
    out = nearer.limit.astype(float).copy()
    if len(chosen):
        open_ = np.isin(nearer.candidate, chosen)
        np.minimum.at(out, nearer.area[open_], nearer.distance[open_])
    return out


def greedy_median(nearer: Nearer, weight: np.ndarray, n: int, n_candidates: int) -> np.ndarray:
    """Greedy picks: each the candidate cutting the weighted distance sum most."""
    current = nearer.limit.astype(float).copy()
    finite = np.isfinite(current)
    picks: list[int] = []
    for _ in range(n):
        # With no hub at all the saving is unbounded; count it from the farthest candidate.
        reference = np.where(finite, current, np.nan)
        far = np.nanmax(np.where(finite[nearer.area], np.nan, nearer.distance),
                        initial=0.0) if (~finite).any() else 0.0
        reference = np.where(np.isfinite(reference), reference, far + 1.0)
        saving = np.maximum(reference[nearer.area] - nearer.distance, 0.0) * weight[nearer.area]
        gain = np.bincount(nearer.candidate, weights=saving, minlength=n_candidates)
        if picks:
            gain[picks] = -1.0
        if not len(gain) or gain.max() <= 0:
            break
        best = int(np.argmax(gain))
        picks.append(best)
        mine = nearer.candidate == best
        np.minimum.at(current, nearer.area[mine], nearer.distance[mine])
        finite = np.isfinite(current)
    return np.array(picks, dtype=np.int64)


def _rows(nearer: Nearer, n_candidates: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The chain rows over variables [x, u] and their right-hand sides (all ≥)."""
    m = len(nearer.area)
    first = np.ones(m, dtype=bool)
    first[1:] = nearer.area[1:] != nearer.area[:-1]
    row = np.arange(m)
    rows = [row, row]
    cols = [nearer.candidate, n_candidates + row]
    data = [np.ones(m), np.ones(m)]
    chained = row[~first]
    rows.append(chained)
    cols.append(n_candidates + chained - 1)
    data.append(-np.ones(len(chained)))
    matrix = sparse.csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(m, n_candidates + m),
    )
    return matrix, first.astype(float)


def _step_costs(nearer: Nearer, weight: np.ndarray) -> np.ndarray:
    """w_i (d_{k+1} − d_k) for every chain variable u_ik (0 past the last with no hub)."""
    nxt = np.empty(len(nearer.area))
    if len(nxt):
        nxt[:-1] = nearer.distance[1:]
        last = np.ones(len(nxt), dtype=bool)
        last[:-1] = nearer.area[1:] != nearer.area[:-1]
        limit = nearer.limit[nearer.area]
        nxt[last] = np.where(np.isfinite(limit[last]), limit[last], nearer.distance[last])
    costs: np.ndarray = weight[nearer.area] * (nxt - nearer.distance)
    return costs


def _gap(value: float, bound: float) -> float:
    """Relative gap of a minimisation; infinite when no bound is known."""
    if not np.isfinite(bound):
        return float("inf")
    return (value - bound) / value if value > 0 else 0.0


def p_median(
    nearer: Nearer, weight: np.ndarray, n: int, n_candidates: int, time_limit_s: float
) -> tuple[Solution, Solution]:
    """(exact, greedy) N new sites; values are weighted mean distances in metres."""
    started = time.perf_counter()
    greedy_picks = greedy_median(nearer, weight, n, n_candidates)
    greedy_value = mean_distance(weight, _distances_with(nearer, greedy_picks))
    greedy = Solution(greedy_picks, greedy_value, np.nan, np.nan, "greedy",
                      time.perf_counter() - started, "greedy")
    useful = np.unique(nearer.candidate)
    if len(nearer.area) > MAX_PAIRS and n > 0 and len(useful) > n:
        return Solution(greedy.chosen, greedy.value, np.nan, float("inf"), STATUS_TOO_LARGE,
                        0.0, "greedy"), greedy
    if n <= 0 or len(useful) <= n:
        chosen = useful if n > 0 else np.zeros(0, dtype=np.int64)
        value = mean_distance(weight, _distances_with(nearer, chosen))
        return Solution(chosen, value, value, 0.0, STATUS_TRIVIAL, 0.0, "solver"), greedy
    matrix, rhs = _rows(nearer, n_candidates)
    m = len(nearer.area)
    count_row = sparse.csr_matrix(
        (np.ones(n_candidates), (np.zeros(n_candidates, dtype=np.int64),
                                 np.arange(n_candidates))), shape=(1, n_candidates + m))
    first = rhs > 0
    base = np.where(np.isfinite(nearer.limit), nearer.limit, 0.0) * weight
    areas_with = nearer.area[first]
    base[areas_with] = weight[areas_with] * nearer.distance[first]
    cost = np.concatenate([np.zeros(n_candidates), _step_costs(nearer, weight)])
    total = float(weight.sum())
    outcome = solve_milp(
        cost / total, np.arange(n_candidates + m) < n_candidates,
        sparse.vstack([matrix, count_row]), np.concatenate([rhs, [float(n)]]),
        np.concatenate([np.full(m, np.inf), [float(n)]]), time_limit_s,
    )
    constant = float(base.sum()) / total
    bound = constant + outcome.dual_bound if np.isfinite(outcome.dual_bound) else np.nan
    status = STATUS_OPTIMAL if outcome.proven else STATUS_TIME_LIMIT
    if outcome.x is not None:
        chosen = np.flatnonzero(outcome.x[:n_candidates] > 0.5)
        value = mean_distance(weight, _distances_with(nearer, chosen))
        if value <= greedy.value + _TOLERANCE:
            bound = min(bound, value)
            gap = _gap(value, bound)
            return Solution(chosen, value, bound, gap, status, outcome.seconds,
                            "solver"), greedy
    bound = min(bound, greedy.value)
    gap = _gap(greedy.value, bound)
    return Solution(greedy.chosen, greedy.value, bound, gap, status, outcome.seconds,
                    "greedy"), greedy
