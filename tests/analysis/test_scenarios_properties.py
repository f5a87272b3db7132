"""Properties of scenarios for any county (the worlds of test_gaps_properties), with hypothesis.

A scenario's after-state must be exactly what a full re-run of the gap analysis
gives with the changed hubs; closing hubs never brings anyone within reach,
opening never takes anyone out; every area's change sums to the district's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import geopandas as gpd
from shapely.geometry import box

from assetmap.analysis import (
    AnalysisInputs,
    Change,
    GapThresholds,
    ScenarioOutcome,
    analyse,
    build_coverage,
    check_change,
    closure_impact,
    evaluate_scenario,
)
from assetmap.crs import metric_to_lonlat
from assetmap.errors import ValidationFailed
from tests.analysis.test_gaps_properties import (
    BNG,
    HUB_CATEGORIES,
    ORIGIN,
    SETTINGS,
    asset_frame,
    worlds,
)

DISTRICTS = ("E07000001", "E07000002")
# Points inside the 8 km × 4 km county, 0.37 m off the grid (never on an area boundary).
inside = st.tuples(st.integers(0, 7999).map(lambda v: v + 0.37),
                   st.integers(0, 3999).map(lambda v: v + 0.37))


def _inputs(world: tuple[gpd.GeoDataFrame, ...]) -> AnalysisInputs:
    small, areas, assets = world
    x0, y0 = ORIGIN
    districts = gpd.GeoDataFrame(
        {"code": list(DISTRICTS), "name": ["West", "East"]},
        geometry=[box(x0, y0, x0 + 4000, y0 + 4000), box(x0 + 4000, y0, x0 + 8000, y0 + 4000)],
        crs=BNG,
    )
    return AnalysisInputs(small_areas=small, community_areas=areas, assets=assets,
                          districts=districts, hub_categories=HUB_CATEGORIES)


def _change(data: Any, hubs: list[str], *, close: bool = True, open_: bool = True) -> Change:
    closed = data.draw(st.lists(st.sampled_from(hubs), unique=True)) if hubs and close else []
    points = data.draw(st.lists(inside, max_size=3)) if open_ else []
    x0, y0 = ORIGIN
    opened = tuple(tuple(float(v) for v in metric_to_lonlat(x0 + x, y0 + y)) for x, y in points)
    return Change(close=tuple(closed), open=opened)  # type: ignore[arg-type]


def _rerun(world: tuple[gpd.GeoDataFrame, ...], change: Change, open_xy: np.ndarray,
           district: str) -> pd.DataFrame:
    """The gap analysis run afresh with the change made in the register."""
    small, areas, assets = world
    changed = assets.copy()
    changed.loc[changed["id"].isin(change.close), "status"] = "closed"
    x0, y0 = ORIGIN
    new = asset_frame([((x - x0, y - y0), "community_hub", "open") for x, y in open_xy], "new")
    both = pd.concat([changed, new], ignore_index=True)
    result = analyse(small, areas, gpd.GeoDataFrame(both, crs=BNG), HUB_CATEGORIES,
                     GapThresholds(), district=district, all_areas=True)
    return result.community_areas.set_index("code")


def _sums_agree(outcome: ScenarioOutcome) -> None:
    change = outcome.uncovered_after - outcome.uncovered_before
    assert outcome.areas["uncovered_change"].sum() == pytest.approx(change, abs=1e-6)
    net = outcome.newly_outside.residents - outcome.newly_inside.residents
    assert net == pytest.approx(change, abs=1e-6)


@SETTINGS
@given(worlds(), st.data())
def test_a_scenario_is_what_a_full_rerun_gives(world: tuple[gpd.GeoDataFrame, ...],
                                               data: Any) -> None:
    index = build_coverage(_inputs(world), GapThresholds())
    change = _change(data, list(index.hub_ids))
    checked = check_change(index, change)
    for district in DISTRICTS:
        outcome = evaluate_scenario(index, checked, district)
        rerun = _rerun(world, change, checked.open_xy, district)
        after = outcome.areas.set_index("code").loc[rerun.index]
        assert np.allclose(after["uncovered_after"], rerun["uncovered_population"])
        assert list(after["hubs_after"]) == list(rerun["hub_count"])
        assert list(after["under_served_after"]) == list(rerun["under_served"])
        assert np.allclose(after["score_after"], rerun["score"].round(1), atol=0.051)
        _sums_agree(outcome)


@SETTINGS
@given(worlds(), st.data())
def test_closing_hubs_never_increases_coverage(world: tuple[gpd.GeoDataFrame, ...],
                                               data: Any) -> None:
    index = build_coverage(_inputs(world), GapThresholds())
    change = _change(data, list(index.hub_ids), open_=False)
    checked = check_change(index, change)
    for district in DISTRICTS:
        outcome = evaluate_scenario(index, checked, district)
        assert outcome.uncovered_after >= outcome.uncovered_before
        assert outcome.newly_inside.residents == 0
        assert (outcome.areas["uncovered_change"] >= 0).all()
        _sums_agree(outcome)
    for hub in change.close:
        assert closure_impact(index, hub).residents >= 0


@SETTINGS
@given(worlds(), st.data())
def test_opening_hubs_never_decreases_coverage(world: tuple[gpd.GeoDataFrame, ...],
                                               data: Any) -> None:
    index = build_coverage(_inputs(world), GapThresholds())
    checked = check_change(index, _change(data, list(index.hub_ids), close=False))
    for district in DISTRICTS:
        outcome = evaluate_scenario(index, checked, district)
        assert outcome.uncovered_after <= outcome.uncovered_before
        assert outcome.newly_outside.residents == 0
        assert (outcome.areas["uncovered_change"] <= 0).all()
        assert (outcome.areas["hubs_after"] >= outcome.areas["hubs_before"]).all()
        _sums_agree(outcome)


def test_a_point_far_outside_is_refused_even_in_a_rerun() -> None:
    index = build_coverage(_inputs(_tiny_world()), GapThresholds())
    far = tuple(float(v) for v in metric_to_lonlat(300_000, 200_000))
    with pytest.raises(ValidationFailed, match="outside every community area"):
        check_change(index, Change(open=(far,)), strict=False)  # type: ignore[arg-type]


def _tiny_world() -> tuple[gpd.GeoDataFrame, ...]:
    x0, y0 = ORIGIN
    areas = gpd.GeoDataFrame(
        {"code": ["E43000000", "E43000010"], "name": ["A", "B"], "district_code": list(DISTRICTS),
         "governance": ["unparished"] * 2},
        geometry=[box(x0, y0, x0 + 4000, y0 + 4000), box(x0 + 4000, y0, x0 + 8000, y0 + 4000)],
        crs=BNG,
    )
    small = gpd.GeoDataFrame(
        {"code": ["s1", "s2"], "community_area_code": ["E43000000", "E43000010"],
         "district_code": list(DISTRICTS), "population": [100, 200]},
        geometry=[box(x0, y0, x0 + 4000, y0 + 4000), box(x0 + 4000, y0, x0 + 8000, y0 + 4000)],
        crs=BNG,
    )
    return small, areas, asset_frame([((1000.37, 1000.37), "community_hub", "open")])
