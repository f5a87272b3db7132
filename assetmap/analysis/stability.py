"""How stable each area's rank is when the thresholds and weights vary.

A rank depends on settings a planner chose: catchment radii, flag thresholds and
score weights. :func:`rank_stability` re-ranks a district's areas under many
settings drawn at random (seeded, so every run gives the same answer) within the
stated :class:`StabilityRanges`, and says for each area how often it stays in (or
enters) the top N and the range its rank keeps to in 90 % of settings.

Hubs, populations, locations, urban flags and IMD deciles stay as they are; only
the settings move. Distance to the nearest hub does not depend on any setting, so
every re-ranking is array arithmetic on the district's small areas (the same
formulas as :mod:`assetmap.analysis.areas`; a test checks that at the published
settings it gives the report's ranks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from assetmap.analysis.thresholds import GapThresholds

__all__ = ["Settings", "StabilityRanges", "draw_settings", "rank_stability", "ranks_under"]

_WEIGHTS = ("uncovered", "distance", "capacity", "need")


@dataclass(frozen=True)
class StabilityRanges:
    """How far each setting may move from the report's own (stated in the method)."""

    catchment: float = 0.25  # each catchment radius ± this share
    poor_access_share: float = 0.05  # ± this, in share points
    over_capacity: float = 0.25  # residents per hub threshold ± this share
    high_need_share: float = 0.05  # ± this, in share points
    weight: float = 0.05  # each weight ± this, then all rescaled to sum to 1
    settings: int = 200
    seed: int = 12
    top: int = 5

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Settings:
    """S settings as arrays of length S (weights: S × 4, in ``_WEIGHTS`` order)."""

    urban_m: np.ndarray
    rural_m: np.ndarray
    poor_access: np.ndarray
    over_capacity: np.ndarray
    high_need: np.ndarray
    weights: np.ndarray

    @classmethod
    def of(cls, t: GapThresholds) -> Settings:
        """The one setting ``t``."""
        w = t.weights.model_dump()

        def one(value: float) -> np.ndarray:
            return np.array([value], dtype=float)

        return cls(
            urban_m=one(t.urban_catchment_m), rural_m=one(t.rural_catchment_m),
            poor_access=one(t.poor_access_share),
            over_capacity=one(t.over_capacity_residents_per_hub),
            high_need=one(t.high_need_share),
            weights=np.array([[w[name] for name in _WEIGHTS]], dtype=float),
        )


def draw_settings(t: GapThresholds, ranges: StabilityRanges) -> Settings:
    """``ranges.settings`` settings drawn uniformly within ``ranges`` round ``t`` (seeded)."""
    rng = np.random.default_rng(ranges.seed)
    n = ranges.settings

    def scaled(value: float, share: float) -> np.ndarray:
        return value * rng.uniform(1 - share, 1 + share, n)

    def shifted(value: float, step: float) -> np.ndarray:
        return np.clip(value + rng.uniform(-step, step, n), 0.0, 1.0)

    base = Settings.of(t)
    weights = np.clip(base.weights + rng.uniform(-ranges.weight, ranges.weight, (n, 4)), 0, None)
    weights /= weights.sum(axis=1, keepdims=True)
    return Settings(
        urban_m=scaled(t.urban_catchment_m, ranges.catchment),
        rural_m=scaled(t.rural_catchment_m, ranges.catchment),
        poor_access=shifted(t.poor_access_share, ranges.poor_access_share),
        over_capacity=scaled(t.over_capacity_residents_per_hub, ranges.over_capacity),
        high_need=shifted(t.high_need_share, ranges.high_need_share),
        weights=weights,
    )


def _per_area(values: np.ndarray, members: sparse.csr_matrix) -> np.ndarray:
    """(S × small areas) summed into (S × areas)."""
    return np.asarray((members.T @ values.T).T)


def ranks_under(access: pd.DataFrame, areas: pd.DataFrame, s: Settings) -> np.ndarray:
    """(S × areas) ranks (1 = most under-served) of ``areas`` under each setting.

    ``areas`` is a district's ranked table (code, population, hub_count, deprived_share);
    ``access`` its small-area access table (population, urban, distance, community area).
    """
    codes = areas["code"].astype(str).to_numpy()
    where = pd.Index(codes).get_indexer(access["community_area_code"].astype(str).to_numpy())
    mine = where >= 0
    members = sparse.csr_matrix(
        (np.ones(int(mine.sum())), (np.flatnonzero(mine), where[mine])),
        shape=(len(access), len(areas)),
    )
    pop = access["population"].to_numpy(float)
    distance = access["distance_to_nearest_hub_m"].to_numpy(float)
    catchment = np.where(access["urban"].to_numpy(bool), s.urban_m[:, None], s.rural_m[:, None])
    with np.errstate(invalid="ignore"):
        outside = ~(distance <= catchment)
        reach = np.where(np.isnan(distance), 1.0, np.minimum(distance / catchment, 2.0) / 2.0)
    population = areas["population"].to_numpy(float)
    has_people = population > 0
    safe = np.where(has_people, population, 1.0)
    share_out = np.where(has_people, _per_area(outside * pop, members) / safe, 0.0)
    mean_reach = np.where(has_people, _per_area(reach * pop, members) / safe, 0.0)
    hubs = areas["hub_count"].to_numpy(float)
    per_hub = np.where(hubs > 0, population / np.where(hubs > 0, hubs, 1.0), 0.0)
    capacity = np.where(hubs == 0, 1.0,
                        np.minimum(per_hub / (2 * s.over_capacity[:, None]), 1.0)) * has_people
    need = np.nan_to_num(areas["deprived_share"].to_numpy(float))
    under = has_people & (
        (hubs == 0) | (share_out > s.poor_access[:, None])
        | ((hubs > 0) & (per_hub > s.over_capacity[:, None]))
    )
    w = s.weights
    score = 100 * (w[:, [0]] * share_out + w[:, [1]] * mean_reach + w[:, [2]] * capacity
                   + w[:, [3]] * need)
    code_order = np.argsort(np.argsort(codes, kind="stable"), kind="stable")
    ranks = np.empty(score.shape, dtype=np.int64)
    for k in range(len(score)):
        # Under-served first, then score, then population (both highest first), then code.
        order = np.lexsort((code_order, -population, -score[k], ~under[k]))
        ranks[k, order] = np.arange(1, len(order) + 1)
    return ranks


def rank_stability(
    access: pd.DataFrame,
    areas: pd.DataFrame,
    thresholds: GapThresholds,
    ranges: StabilityRanges | None = None,
) -> pd.DataFrame:
    """Per ranked area: its rank, how often it is in the top N, and its 90 % rank range."""
    ranges = ranges or StabilityRanges()
    out = pd.DataFrame({"code": areas["code"].astype(str).to_numpy(),
                        "rank": areas["rank"].to_numpy(int)})
    if not len(areas):
        return out.assign(top_share=[], rank_low=[], rank_high=[], stability=[])
    ranks = ranks_under(access, areas, draw_settings(thresholds, ranges))
    top = ranges.top
    out["top_share"] = (ranks <= top).mean(axis=0)
    out["rank_low"] = np.percentile(ranks, 5, axis=0, method="nearest").astype(int)
    out["rank_high"] = np.percentile(ranks, 95, axis=0, method="nearest").astype(int)
    out["stability"] = [
        (f"stays in the top {top} under {share:.0%} of settings" if rank <= top
         else f"enters the top {top} under {share:.0%} of settings")
        + (f"; rank {low} in 90% of them" if low == high
           else f"; rank {low}–{high} in 90% of them")
        for rank, share, low, high in zip(out["rank"], out["top_share"], out["rank_low"],
                                          out["rank_high"], strict=True)
    ]
    return out
