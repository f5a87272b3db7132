"""Scenarios on the hand-worked Riverside county (tests/analysis/riverside.py), figures by hand.

Riverside's hubs: H1 Northgate Community Centre (covers Northgate's first small
area only, 2,000 residents, decile 5), H2 Eastwick Hub (covers all of Eastwick,
10,000 residents, deciles 6, 6, 7, 7; Ashby Parva's top row also lies within its
3 km rural catchment), H3 Ashby Parva Village Hall (3 km
rural catchment: all four of Ashby Parva's small areas; the top row, 600 residents,
also lies within 3 km of H2). K1 is a café (not a hub), X1 is closed.
"""

from __future__ import annotations

import pytest

from assetmap.analysis import (
    Change,
    GapThresholds,
    build_coverage,
    check_change,
    closure_impact,
    evaluate_scenario,
    parse_close,
    parse_open,
)
from assetmap.analysis.coverage import CoverageIndex
from assetmap.crs import metric_to_lonlat
from assetmap.errors import ValidationFailed
from tests.analysis.riverside import HILLSIDE, RIVERSIDE, make_inputs


@pytest.fixture(scope="module")
def index() -> CoverageIndex:
    return build_coverage(make_inputs(), GapThresholds())


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = metric_to_lonlat(x, y)
    return float(lon), float(lat)


def test_closing_eastwick_hub_leaves_its_10000_residents_outside(index: CoverageIndex) -> None:
    outcome = evaluate_scenario(index, check_change(index, Change(close=("H2",))), RIVERSIDE)
    assert outcome.newly_outside.residents == 10_000
    assert outcome.newly_outside.small_areas == 4
    assert dict(outcome.newly_outside.by_imd_band) == {
        "IMD deciles 1–3": 0, "IMD deciles 4–7": 10_000, "IMD deciles 8–10": 0,
        "IMD decile not known": 0,
    }
    assert outcome.newly_outside.unparished == 10_000
    assert outcome.newly_inside.residents == 0
    assert (outcome.uncovered_before, outcome.uncovered_after) == (9_000, 19_000)
    changed = outcome.flag_changes
    assert list(changed["code"]) == ["E43000903"]
    eastwick = changed.iloc[0]
    assert (eastwick["flags_before"], eastwick["flags_after"]) == (
        "over_capacity", "no_hub, poor_access")
    assert (eastwick["hubs_before"], eastwick["hubs_after"]) == (1, 0)
    assert eastwick["score_after"] > eastwick["score_before"]


def test_a_hub_at_the_southbank_cafe_brings_2000_deprived_residents_within_reach(
    index: CoverageIndex,
) -> None:
    # K1's spot: 750 m from Southbank's two western small areas (deciles 1 and 2), 800 m
    # catchment; its eastern ones are 2.6 km away.
    change = Change(open=(_lonlat(461_250, 301_500),))
    outcome = evaluate_scenario(index, check_change(index, change), RIVERSIDE)
    assert outcome.newly_inside.residents == pytest.approx(2_000)
    assert dict(outcome.newly_inside.by_imd_band)["IMD deciles 1–3"] == pytest.approx(2_000)
    assert outcome.newly_outside.residents == 0
    assert outcome.uncovered_after == pytest.approx(7_000)
    southbank = outcome.areas.set_index("code").loc["E43000902"]
    assert southbank["flags_before"] == "no_hub, poor_access, high_need"
    # One hub for 4,000 residents is not over capacity (more than 4,000 would be).
    assert southbank["flags_after"] == "poor_access, high_need"
    assert southbank["hubs_after"] == 1


def test_closing_the_village_hall_costs_only_the_600_no_other_hub_reaches(
    index: CoverageIndex,
) -> None:
    impact = closure_impact(index, "H3")
    assert impact.is_hub and impact.residents == 600
    assert dict(impact.lose_only_hub.by_imd_band)["IMD deciles 8–10"] == 600
    assert impact.lose_only_hub.unparished == 0
    assert impact.districts == ("Riverside",)
    assert impact.sentence().startswith("600 residents in Riverside would lose their only hub")
    # The same residents as the district scenario counts, from the same index.
    outcome = evaluate_scenario(index, check_change(index, Change(close=("H3",))), RIVERSIDE)
    assert outcome.newly_outside.residents == 600


def test_a_hub_in_the_next_district_counts_there(index: CoverageIndex) -> None:
    impact = closure_impact(index, "H4")
    assert impact.districts == ("Hillside",) and impact.residents == 400
    outcome = evaluate_scenario(index, check_change(index, Change(close=("H4",))), RIVERSIDE)
    assert outcome.newly_outside.residents == 0 and outcome.flag_changes.empty
    hillside = evaluate_scenario(index, check_change(index, Change(close=("H4",))), HILLSIDE)
    assert hillside.newly_outside.residents == 400


def test_closing_what_is_not_a_hub_changes_nothing(index: CoverageIndex) -> None:
    for asset in ("K1", "X1"):
        impact = closure_impact(index, asset)
        assert not impact.is_hub and impact.residents == 0
        assert "does not count as a hub" in impact.sentence()


def test_unknown_ids_non_hubs_and_points_outside_the_county_are_named(
    index: CoverageIndex,
) -> None:
    change = Change(close=("H2", "NOPE", "K1"), open=(_lonlat(500_000, 400_000),))
    with pytest.raises(ValidationFailed) as raised:
        check_change(index, change)
    problems = [(d["field"], d["value"]) for d in raised.value.details]
    assert problems[:2] == [("close", "NOPE"), ("close", "K1")]
    assert [field for field, _ in problems[2:]] == ["open"]
    assert "NOPE: no asset has this id" in raised.value.message
    assert "outside every community area" in raised.value.message
    # A re-run of a saved scenario sets gone ids aside instead of refusing.
    lenient = check_change(index, Change(close=("H2", "NOPE", "K1")), strict=False)
    assert lenient.missing == ("NOPE",) and lenient.not_hubs == ("K1",)
    assert evaluate_scenario(index, lenient, RIVERSIDE).newly_outside.residents == 10_000


def test_the_query_forms_are_checked() -> None:
    assert parse_close(" H1, ,H2,H1 ") == ("H1", "H2")
    assert parse_open("-1.1,52.6; -1.2,52.7") == ((-1.1, 52.6), (-1.2, 52.7))
    for bad, problem in (("1,2,3", "LON,LAT"), ("x,52", "LON,LAT"), ("52.6,-1.1", "LAT,LON"),
                         ("-200,52", "out of range")):
        with pytest.raises(ValidationFailed, match=problem):
            parse_open(bad)
