"""Greedy maximal covering: a hand-worked district, tie-breaks and monotone shares.

Small areas on a line (EPSG:27700), each a 20 m square around its location::

    s1 (0, 0)      100 people  urban (800 m)   uncovered
    s2 (600, 0)    200 people  urban           uncovered
    s3 (1300, 0)   300 people  urban           uncovered
    s4 (10000, 0)   50 people  rural (3 km)    uncovered
    s5 (20000, 0) 1000 people  urban           covered by hub H (20000, 100)

Candidates: café K1 (650, 0) and hall-for-hire K2 (12500, 0) plus the five small-area points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.analysis import (
    KIND_ASSET,
    KIND_SMALL_AREA,
    GapThresholds,
    candidate_assets,
    propose_sites,
    select_hubs,
    small_area_access,
)
from assetmap.errors import ValidationFailed

BNG = "EPSG:27700"
HUBS = ("community_hub", "village_hall")


def line_district() -> gpd.GeoDataFrame:
    places = [("s1", 0, 100, True), ("s2", 600, 200, True), ("s3", 1300, 300, True)]
    places += [("s4", 10_000, 50, False), ("s5", 20_000, 1000, True)]
    return gpd.GeoDataFrame(
        {
            "code": [p[0] for p in places],
            "population": [p[2] for p in places],
            "urban": [p[3] for p in places],
            "pwc_easting": [float(p[1]) for p in places],
            "pwc_northing": 0.0,
        },
        geometry=[box(p[1] - 10, -10, p[1] + 10, 10) for p in places],
        crs=BNG,
    )


def line_assets() -> gpd.GeoDataFrame:
    rows = [
        ("H", "Hall", "village_hall", "open", Point(20_000, 100)),
        ("K1", "Corner Café", "community_cafe", "open", Point(650, 0)),
        ("K2", "Farm Barn", "community_cafe", "open", Point(12_500, 0)),
        ("K3", "Shut Café", "community_cafe", "closed", Point(1000, 0)),
    ]
    frame = pd.DataFrame(rows, columns=["id", "name", "category", "status", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=BNG)


def access_table(thresholds: GapThresholds | None = None) -> gpd.GeoDataFrame:
    hubs = select_hubs(line_assets(), HUBS)
    return small_area_access(line_district(), hubs, thresholds or GapThresholds())


def test_candidate_assets_are_open_non_hubs() -> None:
    assert list(candidate_assets(line_assets(), HUBS)["id"]) == ["K1", "K2"]


def test_hand_worked_greedy_order() -> None:
    sites = propose_sites(
        access_table(), candidate_assets(line_assets(), HUBS), GapThresholds(), n=5
    )
    # Gains at the start (uncovered: s1 100, s2 200, s3 300, s4 50; total population 1,650):
    #   K1 (650, 0): s1 650 m, s2 50 m, s3 650 m ≤ 800 → 600
    #   K2 (12500, 0): s4 is 2,500 m away, within s4's own rural 3 km → 50
    #   point s2: s1 600 m, s2, s3 700 m → 600 (ties with K1; K1 is earlier, an existing asset)
    #   point s1: 300; point s3: 500; point s4: 50 (ties with K2, which is earlier)
    # Pick 1: K1, 600 newly covered; uncovered 650 → 50.  Pick 2: K2, 50; uncovered 0.
    # Pick 3: nothing gains anyone, so the search stops with two sites.
    assert list(sites["rank"]) == [1, 2]
    assert list(sites["candidate_id"]) == ["K1", "K2"]
    assert list(sites["kind"]) == [KIND_ASSET, KIND_ASSET]
    assert list(sites["newly_covered_population"]) == [600, 50]
    assert list(sites["newly_covered_small_areas"]) == [3, 1]
    assert list(sites["uncovered_population_after"]) == [50, 0]
    assert sites["uncovered_share_before"].tolist() == pytest.approx([650 / 1650, 50 / 1650])
    assert sites["uncovered_share_after"].tolist() == pytest.approx([50 / 1650, 0])
    assert sites.crs.equals(BNG)
    assert sites.geometry.iloc[0].equals(Point(650, 0))


def test_small_area_points_are_candidates_too() -> None:
    sites = propose_sites(access_table(), None, GapThresholds(), n=5)
    # Without assets: point s2 covers 600 (s1, s2, s3), then point s4 covers 50.
    assert list(sites["candidate_id"]) == ["s2", "s4"]
    assert list(sites["kind"]) == [KIND_SMALL_AREA, KIND_SMALL_AREA]
    assert list(sites["newly_covered_population"]) == [600, 50]


def test_own_catchment_decides_coverage() -> None:
    # If s4 were urban (800 m), K2 at 2,500 m could not reach it; only s4's own point could.
    district = line_district()
    district.loc[district["code"] == "s4", "urban"] = True
    hubs = select_hubs(line_assets(), HUBS)
    access = small_area_access(district, hubs, GapThresholds())
    sites = propose_sites(access, candidate_assets(line_assets(), HUBS), GapThresholds(), n=5)
    assert list(sites["candidate_id"]) == ["K1", "s4"]


def test_n_limits_the_picks_and_zero_gives_none() -> None:
    candidates = candidate_assets(line_assets(), HUBS)
    assert list(
        propose_sites(access_table(), candidates, GapThresholds(), n=1)["candidate_id"]
    ) == ["K1"]
    empty = propose_sites(access_table(), candidates, GapThresholds(), n=0)
    assert len(empty) == 0 and "newly_covered_population" in empty.columns
    with pytest.raises(ValidationFailed):
        propose_sites(access_table(), candidates, GapThresholds(), n=-1)


def test_closed_candidates_are_ignored() -> None:
    everything = line_assets()
    everything = everything[everything["id"] != "K1"]  # only the closed café K3 is near s1–s3
    sites = propose_sites(access_table(), everything, GapThresholds(), n=1)
    assert sites["candidate_id"].iloc[0] == "s2"


def test_mismatched_thresholds_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="other catchment thresholds"):
        propose_sites(access_table(), None, GapThresholds(urban_catchment_m=500))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 500), st.booleans()),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000)), max_size=4),
    st.integers(1, 6),
)
def test_uncovered_share_never_rises_and_gains_never_grow(
    places: list[tuple[int, int, int, bool]], hub_xy: list[tuple[int, int]], n: int
) -> None:
    district = gpd.GeoDataFrame(
        {
            "code": [f"s{i}" for i in range(len(places))],
            "population": [p[2] for p in places],
            "urban": [p[3] for p in places],
            "pwc_easting": [float(p[0]) for p in places],
            "pwc_northing": [float(p[1]) for p in places],
        },
        geometry=[box(p[0] - 5, p[1] - 5, p[0] + 5, p[1] + 5) for p in places],
        crs=BNG,
    )
    hubs = gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in hub_xy], crs=BNG)
    access = small_area_access(district, hubs, GapThresholds())
    sites = propose_sites(access, None, GapThresholds(), n=n)
    assert len(sites) <= n
    shares = sites["uncovered_share_after"].to_numpy()
    assert np.all(np.diff(shares) <= 1e-12)
    assert np.all(sites["uncovered_share_after"] <= sites["uncovered_share_before"])
    assert np.all(np.diff(sites["newly_covered_population"].to_numpy()) <= 0)  # greedy: gains fall
    assert np.all(sites["newly_covered_population"] > 0)
    uncovered = float(access.loc[~access["within_catchment"], "population"].sum())
    assert sites["newly_covered_population"].sum() <= uncovered
    if len(sites) < n:  # stopped early: every uncovered resident is now reachable
        assert (len(sites) == 0 and uncovered == 0) or sites["uncovered_population_after"].iloc[
            -1
        ] == 0


def test_ten_sites_for_a_district_of_twenty_thousand_small_areas() -> None:
    rng = np.random.default_rng(1)
    count = 20_000
    xy = rng.uniform(0, 40_000, (count, 2))
    district = gpd.GeoDataFrame(
        {
            "code": [f"s{i}" for i in range(count)],
            "population": rng.integers(100, 400, count),
            "urban": rng.random(count) < 0.7,
            "pwc_easting": xy[:, 0],
            "pwc_northing": xy[:, 1],
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]).buffer(20, 4),
        crs=BNG,
    )
    hub_xy = rng.uniform(0, 40_000, (150, 2))
    hubs = gpd.GeoDataFrame(geometry=gpd.points_from_xy(hub_xy[:, 0], hub_xy[:, 1]), crs=BNG)
    access = small_area_access(district, hubs, GapThresholds())
    sites = propose_sites(access, None, GapThresholds(), n=10)  # how fast: bench_siting.py
    assert len(sites) == 10
