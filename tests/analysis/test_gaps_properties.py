"""Properties of the gap analysis that must hold for any county, checked with hypothesis.

Each generated world is a 4 × 2 grid of 2 km community areas (columns 0–1 in
district E07000001, 2–3 in E07000002), each split into four 1 km small areas
with random population, urban flag (or none: density rule), population-weighted
centroid (or none: representative point) and IMD decile (or none), plus random
hubs, non-hub assets and closed assets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.analysis import GapResult, GapThresholds, analyse

BNG = "EPSG:27700"
HUB_CATEGORIES = ("community_hub", "village_hall")
CATEGORIES = ["community_hub", "village_hall", "community_cafe"]
SETTINGS = settings(max_examples=30, deadline=None)
# A 4 × 2 grid of community areas placed near Leicester so EPSG:4326 round trips are realistic.
ORIGIN = (450_000, 300_000)

# Hub coordinates sit 0.37 m off the 1 km grid so no hub lies on an area boundary.
coordinate = st.integers(-1000, 8999).map(lambda v: v + 0.37)
hub_points = st.tuples(coordinate, coordinate.map(lambda v: v / 2))


@st.composite
def worlds(draw: Any) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    x0, y0 = ORIGIN
    areas, smalls = [], []
    for col in range(4):
        for row in range(2):
            code = f"E4{draw(st.sampled_from('30'))}00{col}{row}"  # E43 unparished, E40 parished
            district = "E07000001" if col < 2 else "E07000002"
            governance = "unparished" if code.startswith("E43") else "parish_council"
            ax, ay = x0 + 2000 * col, y0 + 2000 * row
            areas.append(
                (code, f"Area {col}{row}", district, governance, box(ax, ay, ax + 2000, ay + 2000))
            )
            for i, (dx, dy) in enumerate([(0, 0), (1000, 0), (0, 1000), (1000, 1000)]):
                sx, sy = ax + dx, ay + dy
                pwc = draw(st.none() | st.tuples(st.integers(1, 998), st.integers(1, 998)))
                smalls.append(
                    {
                        "code": f"{code}-{i}",
                        "community_area_code": code,
                        "district_code": district,
                        # 1,000 people on 1 km² sits exactly on the density bar: avoid it.
                        "population": draw(st.integers(0, 3000).filter(lambda p: p != 1000)),
                        "urban": draw(st.sampled_from([True, False, None])),
                        "pwc_easting": None if pwc is None else sx + pwc[0] + 0.5,
                        "pwc_northing": None if pwc is None else sy + pwc[1] + 0.5,
                        "imd_decile": draw(st.none() | st.integers(1, 10)),
                        "geometry": box(sx, sy, sx + 1000, sy + 1000),
                    }
                )
    small_areas = gpd.GeoDataFrame(pd.DataFrame(smalls), geometry="geometry", crs=BNG)
    small_areas["urban"] = small_areas["urban"].astype("boolean")
    community_areas = gpd.GeoDataFrame(
        pd.DataFrame(areas, columns=["code", "name", "district_code", "governance", "geometry"]),
        geometry="geometry",
        crs=BNG,
    )
    assets = asset_frame(
        draw(
            st.lists(
                st.tuples(
                    hub_points,
                    st.sampled_from(CATEGORIES),
                    st.sampled_from(["open", "at_risk", "closed"]),
                ),
                max_size=10,
            )
        )
    )
    return small_areas, community_areas, assets


def asset_frame(
    rows: list[tuple[tuple[float, float], str, str]], prefix: str = "a"
) -> gpd.GeoDataFrame:
    x0, y0 = ORIGIN
    return gpd.GeoDataFrame(
        {
            "id": [f"{prefix}{i}" for i in range(len(rows))],
            "name": [f"Asset {i}" for i in range(len(rows))],
            "category": [r[1] for r in rows],
            "status": [r[2] for r in rows],
        },
        geometry=[Point(x0 + r[0][0], y0 + r[0][1]) for r in rows],
        crs=BNG,
    )


def run(world: tuple[gpd.GeoDataFrame, ...], **kwargs: Any) -> GapResult:
    small_areas, community_areas, assets = world
    return analyse(small_areas, community_areas, assets, HUB_CATEGORIES, GapThresholds(), **kwargs)


@SETTINGS
@given(worlds(), st.lists(hub_points, min_size=1, max_size=3))
def test_adding_a_hub_never_increases_uncovered_population(
    world: tuple[gpd.GeoDataFrame, ...], extra: list[tuple[float, float]]
) -> None:
    small_areas, community_areas, assets = world
    before = run(world, all_areas=True)
    more = pd.concat([assets, asset_frame([(p, "community_hub", "open") for p in extra], "new")])
    after = run((small_areas, community_areas, more), all_areas=True)
    b, a = before.small_areas.set_index("code"), after.small_areas.set_index("code")
    assert not (b["within_catchment"] & ~a["within_catchment"]).any()  # nobody loses cover
    assert (a["hubs_in_catchment"] >= b["hubs_in_catchment"]).all()
    had_hub = b["distance_to_nearest_hub_m"].notna()
    assert (
        a.loc[had_hub, "distance_to_nearest_hub_m"] <= b.loc[had_hub, "distance_to_nearest_hub_m"]
    ).all()
    assert (
        after.districts["uncovered_population"] <= before.districts["uncovered_population"]
    ).all()
    b_areas, a_areas = (
        before.community_areas.set_index("code"),
        after.community_areas.set_index("code"),
    )
    assert (
        a_areas["uncovered_population"] <= b_areas.loc[a_areas.index, "uncovered_population"]
    ).all()


@SETTINGS
@given(
    worlds(), st.lists(st.tuples(hub_points, st.sampled_from(CATEGORIES)), min_size=1, max_size=4)
)
def test_closed_assets_change_nothing(
    world: tuple[gpd.GeoDataFrame, ...], closed: list[tuple[tuple[float, float], str]]
) -> None:
    small_areas, community_areas, assets = world
    with_closed = pd.concat(
        [assets, asset_frame([(p, category, "closed") for p, category in closed], "shut")]
    )
    before = run(world, all_areas=True)
    after = run((small_areas, community_areas, with_closed), all_areas=True)
    pd.testing.assert_frame_equal(before.small_areas, after.small_areas)
    pd.testing.assert_frame_equal(before.community_areas, after.community_areas)
    pd.testing.assert_frame_equal(before.districts, after.districts)


@SETTINGS
@given(worlds(), st.booleans())
def test_community_area_figures_sum_to_district_totals(
    world: tuple[gpd.GeoDataFrame, ...], all_areas: bool
) -> None:
    result = run(world, all_areas=all_areas)
    sums = result.community_areas.groupby("district_code").agg(
        areas=("code", "size"),
        population=("population", "sum"),
        uncovered=("uncovered_population", "sum"),
        hubs=("hub_count", "sum"),
        under_served=("under_served", "sum"),
    )
    summary = result.districts.set_index("district_code").loc[sums.index]
    prefix = "" if all_areas else "unparished_"
    assert (sums["areas"] == summary[f"{prefix}community_areas"]).all()
    assert np.allclose(sums["population"], summary[f"{prefix}population"])
    assert np.allclose(sums["uncovered"], summary[f"{prefix}uncovered_population"])
    assert (sums["under_served"] == summary[f"{prefix}areas_under_served"]).all()
    if all_areas:
        assert (sums["hubs"] == summary["hubs"]).all()
        # ...and the district totals are the small areas' totals.
        small = result.small_areas
        assert np.isclose(small["population"].sum(), summary["population"].sum())
        outside = small.loc[~small["within_catchment"], "population"].sum()
        assert np.isclose(outside, summary["uncovered_population"].sum())
    shares = summary[f"{prefix}uncovered_share"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()


@SETTINGS
@given(worlds(), st.booleans())
def test_same_answer_in_wgs84_and_british_national_grid(
    world: tuple[gpd.GeoDataFrame, ...], drop_area_codes: bool
) -> None:
    small_areas, community_areas, assets = world
    if drop_area_codes:  # exercise the spatial assignment of small areas too
        small_areas = small_areas.drop(columns=["community_area_code"])
    bng = run((small_areas, community_areas, assets), all_areas=True)
    distance = bng.small_areas["distance_to_nearest_hub_m"].to_numpy()
    catchment = bng.small_areas["catchment_m"].to_numpy()
    assume(not np.any(np.abs(distance - catchment) < 0.01))  # a hub on a catchment edge
    wgs = run(
        (small_areas.to_crs(4326), community_areas.to_crs(4326), assets.to_crs(4326)),
        all_areas=True,
    )
    s_bng, s_wgs = bng.small_areas, wgs.small_areas
    assert np.allclose(
        s_bng["distance_to_nearest_hub_m"],
        s_wgs["distance_to_nearest_hub_m"],
        atol=1.0,
        equal_nan=True,
    )
    for column in ("code", "urban", "within_catchment", "hubs_in_catchment", "community_area_code"):
        assert (s_bng[column].to_numpy() == s_wgs[column].to_numpy()).all(), column
    a_bng, a_wgs = bng.community_areas.set_index("code"), wgs.community_areas.set_index("code")
    a_wgs = a_wgs.loc[a_bng.index]
    for column in ("population", "hub_count", "uncovered_population", "under_served", "reasons"):
        assert (a_bng[column] == a_wgs[column]).all(), column
    assert np.allclose(
        a_bng["pop_weighted_mean_distance_m"],
        a_wgs["pop_weighted_mean_distance_m"],
        atol=1.0,
        equal_nan=True,
    )
    assert np.allclose(a_bng["score"], a_wgs["score"], atol=1e-3)
    scores = a_bng["score"].to_numpy()
    gaps = np.abs(scores[:, None] - scores[None, :])
    near_tie = (gaps < 1e-3) & (scores[:, None] > 0)
    np.fill_diagonal(near_tie, False)
    if not near_tie.any():  # with no near-ties the ranking must agree too
        assert (a_bng["rank"] == a_wgs["rank"]).all()
