"""Ranks whose shown scores tie read as a band ("3–5"), the strict rank kept beside."""

from __future__ import annotations

import pandas as pd

import geopandas as gpd

from assetmap.analysis import SCORE_DECIMALS, DistrictReport
from assetmap.analysis.areas import rank_within_districts


def _areas(rows: list[tuple[str, str, bool, float, int]]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=["code", "district_code", "under_served", "score",
                                        "population"])
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame))


def test_equal_shown_scores_share_a_band() -> None:
    ranked = rank_within_districts(_areas([
        ("A", "D1", True, 80.04, 10), ("B", "D1", True, 80.01, 20), ("C", "D1", True, 70.0, 5),
        ("E", "D1", False, 50.0, 5), ("F", "D1", False, 50.0, 4), ("G", "D1", False, 49.96, 3),
        ("H", "D1", False, 10.0, 1), ("P", "D2", True, 80.0, 1), ("Q", "D2", True, 80.0, 1),
    ]))
    assert SCORE_DECIMALS == 1
    assert list(ranked["rank"]) == [1, 2, 3, 4, 5, 6, 7, 1, 2]  # the strict order is kept
    assert list(ranked["code"])[:2] == ["A", "B"]  # 80.04 before 80.01, both shown as 80.0
    assert list(ranked["rank_band"]) == ["1–2", "1–2", "3", "4–6", "4–6", "4–6", "7", "1–2", "1–2"]


def test_under_served_and_not_never_share_a_band() -> None:
    ranked = rank_within_districts(_areas([
        ("A", "D1", True, 40.0, 1), ("B", "D1", False, 40.0, 1), ("C", "D1", False, 40.0, 2),
    ]))
    assert list(ranked["code"]) == ["A", "C", "B"]
    assert list(ranked["rank_band"]) == ["1", "2–3", "2–3"]


def test_distinct_scores_keep_plain_ranks(report: DistrictReport) -> None:
    assert list(report.areas["rank_band"]) == ["1", "2", "3"]
