"""A district report's further views: equality, stale coverage and rank stability.

Built by :func:`~assetmap.analysis.build_district_report` from the district's own
result, so every figure in them is of the same run as the ranking beside them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.areas import is_unparished
from assetmap.analysis.equality import EqualityView, equality_view
from assetmap.analysis.freshness import StaleCoverage, stale_coverage
from assetmap.analysis.gaps import GapResult
from assetmap.analysis.stability import StabilityRanges, rank_stability
from assetmap.analysis.thresholds import GapThresholds

__all__ = ["DistrictViews", "district_views"]


@dataclass(frozen=True)
class DistrictViews:
    equality: EqualityView
    stale: StaleCoverage
    stability: pd.DataFrame  # code, rank, top_share, rank_low, rank_high, stability
    stability_ranges: StabilityRanges


def district_views(
    result: GapResult,
    community_areas: gpd.GeoDataFrame,
    district_areas: gpd.GeoDataFrame,
    thresholds: GapThresholds,
    *,
    as_of: dt.date,
    stale_after_days: int,
) -> DistrictViews:
    """The three views of one district's ``result`` (community areas: the county's)."""
    unparished = set(community_areas["code"].astype(str)[is_unparished(community_areas)])
    codes = result.hub_area_codes
    in_district = (np.zeros(len(result.hubs), dtype=bool) if codes is None
                   else codes.isin(set(district_areas["code"])).to_numpy(bool))
    ranges = StabilityRanges()
    return DistrictViews(
        equality=equality_view(result.small_areas, unparished, thresholds),
        stale=stale_coverage(result.small_areas, result.hubs, in_district, as_of=as_of,
                             days=stale_after_days),
        stability=rank_stability(result.small_areas, result.community_areas, thresholds,
                                 ranges),
        stability_ranges=ranges,
    )
