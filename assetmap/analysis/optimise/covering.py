"""Maximal covering and set covering, exactly (HiGHS) and greedily.

Only residents outside every existing catchment matter (existing hubs stay open, so
whoever they reach is reached already), and only candidates that reach some of them.

Maximal covering, N new sites::

    maximise  Σ_i w_i y_i
    subject   y_i ≤ Σ_{j reaches i} x_j   for every uncovered small area i
              Σ_j x_j ≤ N,  x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

Set covering, target T residents newly reached: minimise Σ_j x_j subject to the same
reach rows and Σ_i p_i y_i ≥ T; then, with that many sites, the set reaching the most
(weighted) residents is found by maximal covering with the target kept as a row.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse

from assetmap.analysis.optimise.milp import (
    STATUS_OPTIMAL,
    STATUS_TIME_LIMIT,
    STATUS_TRIVIAL,
    STATUS_UNREACHABLE,
    Solution,
    solve_milp,
)

__all__ = ["greedy_cover", "max_cover", "set_cover"]

_TOLERANCE = 1e-6


def greedy_cover(
    reach: sparse.csr_matrix, weight: np.ndarray, n: int, *,
    population: np.ndarray | None = None, target: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy picks (candidate positions) and the weight each newly reaches.

    Each pick is the candidate reaching the most weight not yet reached (first maximum:
    ties go to the earlier candidate). Stops after ``n`` picks, when nobody more can be
    reached, or, given ``target``, once ``population`` reached is at least ``target``.
    """
    remaining = weight.astype(float).copy()
    left = None if population is None else population.astype(float).copy()
    picks: list[int] = []
    gains: list[float] = []
    reached_people = 0.0
    while len(picks) < n:
        if target is not None and reached_people >= target - _TOLERANCE:
            break
        gain = reach @ remaining
        if not len(gain) or gain.max() <= 0:
            break
        best = int(np.argmax(gain))
        hit = reach.indices[reach.indptr[best]: reach.indptr[best + 1]]
        picks.append(best)
        gains.append(float(remaining[hit].sum()))
        remaining[hit] = 0.0
        if left is not None:
            reached_people += float(left[hit].sum())
            left[hit] = 0.0
    return np.array(picks, dtype=np.int64), np.array(gains)


def _reduce(reach: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
    """Candidates that reach someone, areas someone reaches, and the matrix between them."""
    useful = np.flatnonzero(reach.getnnz(axis=1) > 0)
    reachable = np.flatnonzero(reach.getnnz(axis=0) > 0)
    return useful, reachable, reach[useful][:, reachable].tocsr()


def _cover_rows(sub: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows ``y_i − Σ_j a_ji x_j ≤ 0`` over variables ``[x, y]``."""
    n_areas = sub.shape[1]
    return sparse.hstack([-sub.T, sparse.identity(n_areas)], format="csr")


def max_cover(
    reach: sparse.csr_matrix, weight: np.ndarray, n: int, time_limit_s: float, *,
    population: np.ndarray | None = None, target: float = 0.0,
) -> tuple[Solution, Solution]:
    """(exact, greedy) maximal covering of ``weight`` with at most ``n`` sites.

    ``reach`` is candidates × uncovered small areas. With ``population`` and ``target``,
    the chosen sites must also newly reach at least ``target`` residents (set covering's
    second stage)."""
    started = time.perf_counter()
    picks, gains = greedy_cover(reach, weight, n)
    greedy = Solution(picks, float(gains.sum()), np.nan, np.nan, "greedy", 0.0, "greedy")
    greedy = _timed(greedy, started)
    useful, reachable, sub = _reduce(reach)
    best_possible = float(weight[reachable].sum())
    if n <= 0 or len(useful) <= n:
        chosen = useful if n > 0 else np.zeros(0, dtype=np.int64)
        value = best_possible if n > 0 else 0.0
        return Solution(chosen, value, value, 0.0, STATUS_TRIVIAL, 0.0, "solver"), greedy
    n_c, n_a = sub.shape
    cost = np.concatenate([np.zeros(n_c), -weight[reachable]])
    rows = [_cover_rows(sub), sparse.csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_a)]))]
    lower: list[np.ndarray] = [np.full(n_a, -np.inf), np.zeros(1)]
    upper: list[np.ndarray] = [np.zeros(n_a), np.full(1, float(n))]
    if population is not None and target > 0:
        rows.append(sparse.csr_matrix(np.concatenate([np.zeros(n_c), population[reachable]])))
        lower.append(np.full(1, target))
        upper.append(np.full(1, np.inf))
    outcome = solve_milp(cost, np.arange(n_c + n_a) < n_c, sparse.vstack(rows), np.concatenate(
        lower), np.concatenate(upper), time_limit_s)
    bound = min(-outcome.dual_bound, best_possible)
    if outcome.x is None or -outcome.objective < greedy.value - _TOLERANCE:
        status = STATUS_OPTIMAL if outcome.proven else STATUS_TIME_LIMIT
        return _fallback(greedy, bound, status, outcome.seconds), greedy
    chosen = useful[outcome.x[:n_c] > 0.5]
    value = float(weight[np.unique(reach[chosen].indices)].sum())
    status = STATUS_OPTIMAL if outcome.proven else STATUS_TIME_LIMIT
    return Solution(chosen, value, max(bound, value), _gap(value, bound), status,
                    outcome.seconds, "solver"), greedy


def _fallback(greedy: Solution, bound: float, status: str, seconds: float) -> Solution:
    """The greedy picks, kept because the solver found nothing better in time."""
    bound = max(bound, greedy.value)
    return Solution(greedy.chosen, greedy.value, bound, _gap(greedy.value, bound),
                    status, seconds, "greedy")


def _gap(value: float, bound: float) -> float:
    """Relative gap of a maximisation: how far ``value`` might be below the best."""
    if not np.isfinite(bound):
        return float("inf")
    return max(bound - value, 0.0) / max(abs(value), 1e-9) if bound > value else 0.0


def _timed(solution: Solution, started: float) -> Solution:
    return Solution(solution.chosen, solution.value, solution.bound, solution.gap,
                    solution.status, time.perf_counter() - started, solution.source)


def set_cover(
    reach: sparse.csr_matrix, weight: np.ndarray, population: np.ndarray, target: float,
    time_limit_s: float,
) -> tuple[Solution, Solution]:
    """(exact, greedy) fewest sites newly reaching at least ``target`` residents.

    Values are numbers of sites (the exact one's ``bound`` is the proven fewest possible).
    """
    started = time.perf_counter()
    greedy_picks, _ = greedy_cover(reach, population, reach.shape[0], population=population,
                                   target=target)
    useful, reachable, sub = _reduce(reach)
    reached_all = float(population[reachable].sum())
    if target <= _TOLERANCE:
        none = np.zeros(0, dtype=np.int64)
        return (Solution(none, 0.0, 0.0, 0.0, STATUS_TRIVIAL, 0.0, "solver"),
                Solution(none, 0.0, np.nan, np.nan, "greedy", 0.0, "greedy"))
    greedy = _timed(Solution(greedy_picks, float(len(greedy_picks)), np.nan, np.nan, "greedy",
                             0.0, "greedy"), started)
    if reached_all < target - _TOLERANCE:
        return (Solution(np.zeros(0, dtype=np.int64), np.nan, np.nan, np.nan,
                         STATUS_UNREACHABLE, 0.0, "solver"), greedy)
    n_c, n_a = sub.shape
    cost = np.concatenate([np.ones(n_c), np.zeros(n_a)])
    rows = sparse.vstack([_cover_rows(sub), sparse.csr_matrix(
        np.concatenate([np.zeros(n_c), population[reachable]]))])
    outcome = solve_milp(cost, np.arange(n_c + n_a) < n_c, rows,
                         np.concatenate([np.full(n_a, -np.inf), [target]]),
                         np.concatenate([np.zeros(n_a), [np.inf]]), time_limit_s)
    # The fewest sites possible: the solver's bound rounded up (nan when it has none).
    lower = (max(float(np.ceil(outcome.dual_bound - _TOLERANCE)), 1.0)
             if np.isfinite(outcome.dual_bound) else np.nan)
    if outcome.x is None or outcome.objective > greedy.value + _TOLERANCE:
        gap = (greedy.value - lower) / greedy.value if np.isfinite(lower) else float("inf")
        return Solution(greedy.chosen, greedy.value, lower, gap,
                        STATUS_OPTIMAL if outcome.proven else STATUS_TIME_LIMIT,
                        outcome.seconds, "greedy"), greedy
    count = round(outcome.objective)
    chosen = useful[outcome.x[:n_c] > 0.5]
    # Second stage: with that many sites, the set reaching the most (weighted) residents.
    left = max(time_limit_s - outcome.seconds, 0.5)
    best, _ = max_cover(reach, weight, count, left, population=population, target=target)
    if best.source == "solver" and len(best.chosen) == count:
        chosen = best.chosen
    status = STATUS_OPTIMAL if outcome.proven else STATUS_TIME_LIMIT
    lower = min(lower, count) if np.isfinite(lower) else lower
    gap = (count - lower) / count if np.isfinite(lower) else float("inf")
    return Solution(chosen, float(count), lower, gap, status, outcome.seconds + best.seconds,
                    "solver"), greedy
