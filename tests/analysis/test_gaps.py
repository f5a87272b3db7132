"""Gap analysis on a tiny hand-built county where every figure is worked out by hand.

Layout (EPSG:27700 metres; default thresholds: 800 m urban, 3 km rural)::

    y=4000 +-----------------+-----------------+
           | C  E43000002    | D  E43000003    |     district E07000001 "Testshire"
           | unparished      | unparished      |
           | c1 rural, no pwc| d1 urban (3000, |
           | hub h3 CLOSED   |  3000), hub h4  |
    y=2000 +--------+--------+--------+--------+
           | a3     | a4     | b1     | b2     |
           | A  E43000001    | B  E04000001    |
           | a1     | a2     | parish council  |
    y=0    +--------+--------+--------+--------+
           x=0    1000     2000     3000     4000

    district E07000002 "Otherton": E (x 10000–12000) and F (x 12000–14000),
    y 0–2000, one urban small area each; hub h5 at (12000, 5000) in no area.

Hubs: h1 (500, 600) and h2 (1500, 1400) in A; h4 (3000, 3500) in D; h5 (12000, 5000).
Also h3 (1000, 3000) in C is a village hall but closed, and a café sits at (1000, 3100).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.analysis import (
    GapResult,
    GapThresholds,
    analyse,
    community_area_gaps,
    district_summary,
    select_hubs,
    small_area_access,
)
from assetmap.errors import CRSError, DataError, NotFound

BNG = "EPSG:27700"
HUB_CATEGORIES = ("community_hub", "village_hall", "community_centre", "community_library")


def small_areas() -> gpd.GeoDataFrame:
    rows = [
        # code, area, population, urban, pwc x, pwc y, imd decile, polygon
        ("a1", "E43000001", 1000, True, 500, 500, 2, box(0, 0, 1000, 1000)),
        ("a2", "E43000001", 2000, True, 1500, 500, 5, box(1000, 0, 2000, 1000)),
        ("a3", "E43000001", 3000, True, 500, 1500, 1, box(0, 1000, 1000, 2000)),
        ("a4", "E43000001", 4000, True, 1500, 1500, None, box(1000, 1000, 2000, 2000)),
        ("b1", "E04000001", 500, False, 2500, 500, 8, box(2000, 0, 3000, 1000)),
        ("b2", "E04000001", 500, False, 3500, 500, 9, box(3000, 0, 4000, 1000)),
        ("c1", "E43000002", 600, None, None, None, 5, box(0, 2000, 2000, 4000)),
        ("d1", "E43000003", 800, True, 3000, 3000, 3, box(2000, 2000, 4000, 4000)),
        ("e1", "E43000004", 400, True, 11000, 1000, None, box(10000, 0, 12000, 2000)),
        ("f1", "E43000005", 400, True, 13000, 1000, None, box(12000, 0, 14000, 2000)),
    ]
    columns = ["code", "community_area_code", "population", "urban"]
    columns += ["pwc_easting", "pwc_northing", "imd_decile", "geometry"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["urban"] = frame["urban"].astype("boolean")
    frame["imd_decile"] = frame["imd_decile"].astype("Int64")
    frame["district_code"] = np.where(
        frame["code"].str[0].isin(["e", "f"]), "E07000002", "E07000001"
    )
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=BNG)


def community_areas() -> gpd.GeoDataFrame:
    rows = [
        ("E43000001", "Aton", "E07000001", "unparished", box(0, 0, 2000, 2000)),
        ("E04000001", "Bville", "E07000001", "parish_council", box(2000, 0, 4000, 2000)),
        ("E43000002", "Cbury", "E07000001", "unparished", box(0, 2000, 2000, 4000)),
        ("E43000003", "Dham", "E07000001", "unparished", box(2000, 2000, 4000, 4000)),
        ("E43000004", "Eley", "E07000002", "unparished", box(10000, 0, 12000, 2000)),
        ("E43000005", "Fford", "E07000002", "unparished", box(12000, 0, 14000, 2000)),
    ]
    frame = pd.DataFrame(rows, columns=["code", "name", "district_code", "governance", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=BNG)


def assets() -> gpd.GeoDataFrame:
    rows = [
        ("h1", "Hall One", "village_hall", "open", Point(500, 600)),
        ("h2", "Hub Two", "community_hub", "at_risk", Point(1500, 1400)),
        ("h3", "Old Hall", "village_hall", "closed", Point(1000, 3000)),
        ("h4", "Centre Four", "community_centre", "open", Point(3000, 3500)),
        ("h5", "Library Five", "community_library", "open", Point(12000, 5000)),
        ("k1", "Corner Café", "community_cafe", "open", Point(1000, 3100)),
    ]
    frame = pd.DataFrame(rows, columns=["id", "name", "category", "status", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=BNG)


DISTRICTS = pd.DataFrame({"code": ["E07000001", "E07000002"], "name": ["Testshire", "Otherton"]})


@pytest.fixture(scope="module")
def access() -> gpd.GeoDataFrame:
    hubs = select_hubs(assets(), HUB_CATEGORIES)
    return small_area_access(small_areas(), hubs, GapThresholds()).set_index("code")


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    result = analyse(
        small_areas(),
        community_areas(),
        assets(),
        HUB_CATEGORIES,
        all_areas=True,
        districts=DISTRICTS,
    )
    return result.community_areas.set_index("code")


def test_hubs_are_hub_categories_that_are_not_closed() -> None:
    hubs = select_hubs(assets(), HUB_CATEGORIES)
    # h3 is closed and k1 is a café: neither is a hub; "at_risk" h2 still counts.
    assert list(hubs["id"]) == ["h1", "h2", "h4", "h5"]


def test_closed_status_is_read_in_any_case() -> None:
    frame = assets()
    frame.loc[frame["id"] == "h1", "status"] = " Closed "
    hubs = set(select_hubs(frame, HUB_CATEGORIES)["id"])
    assert "h1" not in hubs
    assert {"h2", "h4", "h5"} <= hubs  # the open ones still count


def test_location_is_pwc_else_representative_point(access: gpd.GeoDataFrame) -> None:
    assert (access.loc["a1", "location_easting"], access.loc["a1", "location_northing"]) == (
        500,
        500,
    )
    assert access.loc["a1", "location_source"] == "population-weighted centroid"
    # c1 has no pwc: the representative point of the 2 km square is its middle (1000, 3000).
    assert (access.loc["c1", "location_easting"], access.loc["c1", "location_northing"]) == (
        1000,
        3000,
    )
    assert access.loc["c1", "location_source"] == "representative point"


def test_representative_point_lies_inside_a_u_shaped_area() -> None:
    # The centroid of a U shape falls in its notch, outside the polygon; the location must not.
    u_shape = box(0, 0, 3000, 3000).difference(box(1000, 1000, 2000, 3000))
    frame = gpd.GeoDataFrame({"code": ["u"], "population": [10]}, geometry=[u_shape], crs=BNG)
    hubs = select_hubs(assets(), HUB_CATEGORIES)
    row = small_area_access(frame, hubs, GapThresholds()).iloc[0]
    assert not u_shape.contains(u_shape.centroid)
    assert u_shape.contains(Point(row["location_easting"], row["location_northing"]))


def test_urban_flag_from_column_else_density(access: gpd.GeoDataFrame) -> None:
    assert bool(access.loc["a1", "urban"]) and access.loc["a1", "urban_source"] == "urban column"
    assert not access.loc["b1", "urban"]
    # c1: no urban flag; 600 residents / 4 km² = 150 per km² < 1,000 → rural, 3 km catchment.
    assert not access.loc["c1", "urban"] and access.loc["c1", "urban_source"] == "density rule"
    assert access.loc["c1", "catchment_m"] == 3000
    # With the density bar at 150/km² c1 reaches it (≥) and becomes urban.
    hubs = select_hubs(assets(), HUB_CATEGORIES)
    dense = small_area_access(small_areas(), hubs, GapThresholds(urban_density_per_km2=150))
    assert bool(dense.set_index("code").loc["c1", "urban"])


@pytest.mark.parametrize(
    ("code", "distance", "within", "count"),
    [
        ("a1", 100.0, True, 1),  # h1 (500, 600) is 100 m north; h2 is 1,345 m away
        ("a2", 900.0, False, 0),  # h2 (1500, 1400) is 900 m north; h1 is 1,005 m
        ("a3", 900.0, False, 0),  # h1 is 900 m south
        ("a4", 100.0, True, 1),  # h2 is 100 m south
        ("b1", math.hypot(1000, 900), True, 2),  # h2 1,345 m and h1 2,002.5 m, both ≤ 3 km
        ("b2", math.hypot(2000, 900), True, 1),  # h2 2,193 m; h1 3,001.7 m is just outside
        ("c1", math.hypot(500, 1600), True, 3),  # h2 1,676 m, h4 2,062 m, h1 2,452 m (h3 closed)
        ("d1", 500.0, True, 1),  # h4 (3000, 3500)
        ("e1", math.hypot(1000, 4000), False, 0),  # h5 (12000, 5000) is 4,123 m away
        ("f1", math.hypot(1000, 4000), False, 0),
    ],
)
def test_distance_and_catchment(
    access: gpd.GeoDataFrame, code: str, distance: float, within: bool, count: int
) -> None:
    row = access.loc[code]
    assert row["distance_to_nearest_hub_m"] == pytest.approx(distance)
    assert bool(row["within_catchment"]) is within
    assert row["hubs_in_catchment"] == count


def test_nearest_hub_id(access: gpd.GeoDataFrame) -> None:
    assert list(access.loc[["a1", "a2", "d1", "e1"], "nearest_hub_id"]) == ["h1", "h2", "h4", "h5"]


def test_hub_exactly_on_the_catchment_edge_counts() -> None:
    frame = gpd.GeoDataFrame(
        {
            "code": ["x"],
            "population": [1],
            "urban": [True],
            "pwc_easting": [0.0],
            "pwc_northing": [0.0],
        },
        geometry=[box(-10, -10, 10, 10)],
        crs=BNG,
    )
    hub = gpd.GeoDataFrame({"id": ["h"]}, geometry=[Point(480, 640)], crs=BNG)  # 800 m exactly
    row = small_area_access(frame, hub, GapThresholds()).iloc[0]
    assert row["distance_to_nearest_hub_m"] == 800
    assert row["within_catchment"] and row["hubs_in_catchment"] == 1


def test_no_hubs_at_all_leaves_everyone_uncovered() -> None:
    no_hubs = assets().iloc[0:0]
    result = analyse(small_areas(), community_areas(), no_hubs, HUB_CATEGORIES, all_areas=True)
    access = result.small_areas
    assert access["distance_to_nearest_hub_m"].isna().all()
    assert not access["within_catchment"].any()
    assert (access["hubs_in_catchment"] == 0).all()
    assert access["nearest_hub_id"].isna().all()
    areas = result.community_areas.set_index("code")
    assert areas["no_hub"].all() and areas["under_served"].all()
    assert (areas["share_outside_catchment"] == 1).all()
    assert areas["pop_weighted_mean_distance_m"].isna().all()
    # Every open-ended component is at its cap; A: 100 × (0.35 + 0.15 + 0.30 + 0.20 × 4/6).
    assert areas.loc["E43000001", "score"] == pytest.approx(100 * (0.8 + 0.2 * 4000 / 6000))


def test_area_a_measures(areas: gpd.GeoDataFrame) -> None:
    a = areas.loc["E43000001"]
    assert a["population"] == 10_000  # 1,000 + 2,000 + 3,000 + 4,000
    assert a["small_areas"] == 4
    assert a["hub_count"] == 2  # h1, h2
    assert a["residents_per_hub"] == 5_000  # 10,000 / 2
    assert a["uncovered_population"] == 5_000  # a2 + a3
    assert a["share_outside_catchment"] == 0.5
    # (1,000×100 + 2,000×900 + 3,000×900 + 4,000×100) / 10,000 = 500 m
    assert a["pop_weighted_mean_distance_m"] == pytest.approx(500)
    # a4's decile is unknown: known = 6,000 of 10,000; deprived (deciles 1–3) = a1 + a3 = 4,000.
    assert a["imd_known_share"] == pytest.approx(0.6)
    assert a["deprived_share"] == pytest.approx(4000 / 6000)


def test_area_a_flags_reasons_and_score(areas: gpd.GeoDataFrame) -> None:
    a = areas.loc["E43000001"]
    assert not a["no_hub"]
    assert a["poor_access"]  # 50 % > 20 %
    assert a["over_capacity"]  # 5,000 > 4,000 per hub
    assert a["high_need"]  # 66.7 % > 30 %
    assert a["under_served"]
    assert a["reasons"] == (
        "50% of residents outside every catchment; 5,000 residents per hub; "
        "high need: 67% of residents in IMD deciles 1–3"
    )
    # components: uncovered 0.5;
    # distance: (1,000×0.0625 + 2,000×0.5625 + 3,000×0.5625 + 4,000×0.0625) / 10,000 = 0.3125
    #   (100/800/2 = 0.0625 and 900/800/2 = 0.5625);
    # capacity: 5,000 / (2 × 4,000) = 0.625; need: 4,000 / 6,000 = 0.6667.
    assert a["component_uncovered"] == 0.5
    assert a["component_distance"] == pytest.approx(0.3125)
    assert a["component_capacity"] == pytest.approx(0.625)
    assert a["component_need"] == pytest.approx(2 / 3)
    # 100 × (0.35×0.5 + 0.15×0.3125 + 0.30×0.625 + 0.20×0.6667) = 54.2708
    assert a["score"] == pytest.approx(100 * (0.175 + 0.046875 + 0.1875 + 0.2 * 2 / 3))


def test_parish_b_has_no_hub_but_good_access(areas: gpd.GeoDataFrame) -> None:
    b = areas.loc["E04000001"]
    assert b["hub_count"] == 0 and b["no_hub"] and b["under_served"]
    assert np.isnan(b["residents_per_hub"])  # no hub: empty, the no_hub flag says it
    assert b["uncovered_population"] == 0 and not b["poor_access"]
    assert not b["over_capacity"]
    assert b["reasons"] == "no hub"
    # distance: (500 × hypot(1000,900)/3000/2 + 500 × hypot(2000,900)/3000/2) / 1,000
    distance = (math.hypot(1000, 900) + math.hypot(2000, 900)) / 2 / 6000
    assert b["component_distance"] == pytest.approx(distance)
    # capacity 1 (no hub), need 0 (deciles 8 and 9)
    assert b["score"] == pytest.approx(100 * (0.15 * distance + 0.30))


def test_closed_hall_does_not_count_for_c(areas: gpd.GeoDataFrame) -> None:
    c = areas.loc["E43000002"]
    assert c["hub_count"] == 0 and c["no_hub"]  # h3 is inside C but closed
    assert c["population"] == 600 and c["uncovered_population"] == 0
    assert not c["high_need"]  # decile 5
    # 100 × (0 + 0.15 × 1,676.3/3,000/2 + 0.30 × 1 + 0) = 34.19
    assert c["score"] == pytest.approx(100 * (0.15 * math.hypot(500, 1600) / 6000 + 0.30))


def test_high_need_alone_is_not_a_gap(areas: gpd.GeoDataFrame) -> None:
    d = areas.loc["E43000003"]
    assert d["high_need"] and not d["under_served"]
    assert d["reasons"] == "high need: 100% of residents in IMD deciles 1–3"
    # 100 × (0 + 0.15 × 500/800/2 + 0.30 × 800/8,000 + 0.20 × 1) = 27.6875
    assert d["score"] == pytest.approx(27.6875)


def test_unknown_deciles_give_no_need(areas: gpd.GeoDataFrame) -> None:
    e = areas.loc["E43000004"]
    assert e["imd_known_share"] == 0 and np.isnan(e["deprived_share"]) and not e["high_need"]
    assert e["component_need"] == 0


def test_rank_under_served_first_then_score_then_population_then_code(
    areas: gpd.GeoDataFrame,
) -> None:
    # Testshire: A 54.27 (under-served), B 34.42 (under-served), C 34.19 (under-served),
    # D 27.69 (high need only) → A, B, C, D.
    b_score = areas.loc["E04000001", "score"]
    assert b_score == pytest.approx(34.42, abs=0.01)
    ranks = areas.loc[["E43000001", "E04000001", "E43000002", "E43000003"], "rank"]
    assert list(ranks) == [1, 2, 3, 4]
    # Otherton: E and F are mirror images (score 100 × (0.35 + 0.15 + 0.30) = 80, 400 people
    # each), so the tie goes to the lower code.
    assert areas.loc["E43000004", "score"] == pytest.approx(80)
    assert areas.loc["E43000005", "score"] == pytest.approx(80)
    assert list(areas.loc[["E43000004", "E43000005"], "rank"]) == [1, 2]


def test_default_focus_is_unparished_areas() -> None:
    result = analyse(small_areas(), community_areas(), assets(), HUB_CATEGORIES)
    table = result.community_areas
    assert "E04000001" not in set(table["code"])
    # Ranks are among unparished areas only: A, C, D in Testshire.
    testshire = table[table["district_code"] == "E07000001"]
    assert list(testshire["code"]) == ["E43000001", "E43000002", "E43000003"]
    assert list(testshire["rank"]) == [1, 2, 3]


def test_district_summary_totals(areas: gpd.GeoDataFrame) -> None:
    result = analyse(
        small_areas(), community_areas(), assets(), HUB_CATEGORIES, districts=DISTRICTS
    )
    summary = result.districts.set_index("district_code")
    t = summary.loc["E07000001"]
    assert t["district_name"] == "Testshire"
    assert t["community_areas"] == 4
    assert t["population"] == 12_400  # 10,000 + 1,000 + 600 + 800
    assert t["uncovered_population"] == 5_000  # all in A
    assert t["uncovered_share"] == pytest.approx(5000 / 12400)
    assert t["hubs"] == 3  # h1, h2 in A and h4 in D; h5 lies in no community area
    assert t["areas_under_served"] == 3  # A, B, C
    assert t["areas_high_need"] == 2  # A, D
    assert t["unparished_community_areas"] == 3
    assert t["unparished_population"] == 11_400
    assert t["unparished_uncovered_share"] == pytest.approx(5000 / 11400)
    assert t["unparished_areas_under_served"] == 2
    o = summary.loc["E07000002"]
    assert (o["population"], o["uncovered_population"], o["hubs"]) == (800, 800, 0)
    # The summary is the sum of the all-areas table.
    assert areas.groupby("district_code")["population"].sum().to_dict() == {
        "E07000001": 12_400,
        "E07000002": 800,
    }


def test_district_by_name_or_code_any_case() -> None:
    by_name = analyse(
        small_areas(),
        community_areas(),
        assets(),
        HUB_CATEGORIES,
        district="otherTON",
        districts=DISTRICTS,
    )
    by_code = analyse(
        small_areas(), community_areas(), assets(), HUB_CATEGORIES, district="e07000002"
    )
    assert by_name.district_code == by_code.district_code == "E07000002"
    assert list(by_name.community_areas["code"]) == ["E43000004", "E43000005"]
    assert set(by_name.small_areas["code"]) == {"e1", "f1"}
    assert list(by_name.districts["district_code"]) == ["E07000002"]
    # Hubs outside the district still count for distance (h5 lies in no area at all).
    assert by_name.small_areas["nearest_hub_id"].tolist() == ["h5", "h5"]


def test_one_district_gives_the_same_figures_as_the_whole_run(areas: gpd.GeoDataFrame) -> None:
    one = analyse(
        small_areas(),
        community_areas(),
        assets(),
        HUB_CATEGORIES,
        district="E07000001",
        all_areas=True,
    )
    mine = one.community_areas.set_index("code")
    columns = ["population", "hub_count", "uncovered_population", "score", "rank"]
    pd.testing.assert_frame_equal(mine[columns], areas.loc[mine.index, columns])


def test_unknown_district_lists_names_and_codes() -> None:
    with pytest.raises(NotFound) as caught:
        analyse(
            small_areas(),
            community_areas(),
            assets(),
            HUB_CATEGORIES,
            district="Rutland",
            districts=DISTRICTS,
        )
    message = caught.value.message
    assert "'Rutland'" in message
    assert "Testshire (E07000001)" in message and "Otherton (E07000002)" in message
    assert caught.value.status == 404


def test_small_areas_assigned_spatially_without_codes() -> None:
    frame = small_areas().drop(columns=["community_area_code"])
    spatial = analyse(frame, community_areas(), assets(), HUB_CATEGORIES, all_areas=True)
    coded = analyse(small_areas(), community_areas(), assets(), HUB_CATEGORIES, all_areas=True)
    assert (spatial.small_areas["assigned_by"] == "location").all()
    columns = ["code", "population", "uncovered_population", "score", "rank"]
    pd.testing.assert_frame_equal(spatial.community_areas[columns], coded.community_areas[columns])


def test_small_areas_in_no_community_area_are_reported() -> None:
    frame = small_areas()
    frame.loc[frame["code"] == "a1", "community_area_code"] = "E43999999"
    result = analyse(frame, community_areas(), assets(), HUB_CATEGORIES, all_areas=True)
    assert any(
        "1 small areas (1,000 residents) lie in no community area" in w for w in result.warnings
    )
    assert result.community_areas.set_index("code").loc["E43000001", "population"] == 9_000


def test_community_area_gaps_on_its_own_matches_analyse(areas: gpd.GeoDataFrame) -> None:
    hubs = select_hubs(assets(), HUB_CATEGORIES)
    access = small_area_access(small_areas(), hubs, GapThresholds())
    table = community_area_gaps(access, community_areas(), hubs, GapThresholds(), all_areas=True)
    pd.testing.assert_series_equal(
        table.set_index("code")["score"], areas.loc[table["code"], "score"], check_names=False
    )
    assert set(district_summary(table)["population"]) == {12_400, 800}


def test_result_echoes_thresholds() -> None:
    thresholds = GapThresholds(urban_catchment_m=1000)
    result = analyse(small_areas(), community_areas(), assets(), HUB_CATEGORIES, thresholds)
    assert isinstance(result, GapResult)
    assert result.thresholds["urban_catchment_m"] == 1000
    assert result.thresholds["weight_uncovered"] == 0.35


def test_outputs_are_in_british_national_grid_whatever_comes_in() -> None:
    result = analyse(
        small_areas().to_crs(4326),
        community_areas().to_crs(4326),
        assets().to_crs(4326),
        HUB_CATEGORIES,
    )
    assert result.small_areas.crs.equals(BNG) and result.community_areas.crs.equals(BNG)
    assert result.hubs.crs.equals(BNG)


# --- bad input -----------------------------------------------------------------------------


def test_missing_crs_names_the_layer_and_fix() -> None:
    frame = small_areas().set_crs(None, allow_override=True)
    with pytest.raises(
        CRSError, match=r"small_areas layer has no coordinate reference system.*set_crs"
    ):
        analyse(frame, community_areas(), assets(), HUB_CATEGORIES)
    bare_assets = assets().set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="assets layer"):
        select_hubs(bare_assets, HUB_CATEGORIES)
    bare_areas = community_areas().set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="community_areas layer"):
        analyse(small_areas(), bare_areas, assets(), HUB_CATEGORIES)


def test_missing_population_column() -> None:
    frame = small_areas().drop(columns=["population"])
    with pytest.raises(DataError, match=r"small_areas layer has no `population` column"):
        analyse(frame, community_areas(), assets(), HUB_CATEGORIES)


@pytest.mark.parametrize(("value", "problem"), [(None, "missing or non-numeric"), (-5, "negative")])
def test_bad_population_values(value: float | None, problem: str) -> None:
    frame = small_areas()
    frame["population"] = frame["population"].astype(object)
    frame.loc[frame["code"] == "b2", "population"] = value
    with pytest.raises(
        DataError, match=rf"{problem} `population` in 1 row \(e\.g\. b2\)"
    ) as caught:
        analyse(frame, community_areas(), assets(), HUB_CATEGORIES)
    assert caught.value.status == 422


def test_assets_without_status() -> None:
    with pytest.raises(DataError, match=r"assets layer has no `status` column"):
        select_hubs(assets().drop(columns=["status"]), HUB_CATEGORIES)


def test_duplicate_community_area_codes() -> None:
    frame = pd.concat([community_areas(), community_areas().iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match=r"repeats a `code`.*E43000001"):
        analyse(small_areas(), frame, assets(), HUB_CATEGORIES)


def test_invalid_thresholds_are_rejected() -> None:
    with pytest.raises(ValidationError, match="urban_catchment_m"):
        GapThresholds(urban_catchment_m=-1)


def test_zero_population_area_is_never_under_served() -> None:
    frame = small_areas()
    frame.loc[frame["community_area_code"] == "E43000002", "population"] = 0
    areas = analyse(frame, community_areas(), assets(), HUB_CATEGORIES).community_areas
    c = areas.set_index("code").loc["E43000002"]
    assert c["no_hub"] and not c["under_served"] and c["score"] == 0
    assert c["reasons"] == "no residents; no hub"
    assert np.isnan(c["share_outside_catchment"])


def test_residents_per_hub_is_empty_not_infinite() -> None:
    # JSON cannot carry infinity: areas without a hub leave residents_per_hub empty.
    areas = analyse(small_areas(), community_areas(), assets(), HUB_CATEGORIES, all_areas=True)
    frame = areas.community_areas
    values = frame["residents_per_hub"].to_numpy(float)
    assert not np.isinf(values).any()
    with_hubs = frame["hub_count"].to_numpy() > 0
    assert with_hubs.any() and (~with_hubs).any()
    assert (values[with_hubs] > 0).all()  # a figure where there are hubs
    assert np.isnan(values[~with_hubs]).all()  # empty where there are none
