"""The analysis sees activity: hubs weighted by their sessions a week (off by default, so
results are unchanged unless chosen), and the groups known to work in each area, with "no
hub and no known group" named as the sharpest gap (Riverside, tests/analysis/riverside.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from assetmap.analysis import build_district_report
from assetmap.analysis.activity import activity_levels, hub_weights
from assetmap.analysis.thresholds import GapThresholds, parse_thresholds
from assetmap.errors import DataError
from assetmap.reports.html import report_html
from tests.analysis.riverside import NOW, make_inputs

ORGANISATIONS = pd.DataFrame({
    "id": ["O1", "O2", "O3"],
    "name": ["Northgate Residents' Association", "Riverside Age Partnership", "Dale Book Club"],
    "areas_served": ["E43000901", "E07000901;E07000902", "E04000902"],
})
ACTIVITIES = pd.DataFrame({
    "asset_ids": ["H1", "H1", "H2;H1", "K1"],
    "schedule": ["Mo,We 10:00-12:00", "Fr 10:00-12:00", "Th[1] 14:00-16:00", "Tu 10:00-12:00"],
    "organisation_id": ["O1", None, "O2", "O2"],
    "status": ["active", "active", "active", "ended"],
})
JANUARY = dt.datetime(2026, 1, 1)


def with_activity(activities: pd.DataFrame = ACTIVITIES):  # type: ignore[no-untyped-def]
    return replace(make_inputs(), organisations=ORGANISATIONS, activities=activities)


def test_levels_are_sessions_a_week_shared_among_venues() -> None:
    levels = activity_levels(ACTIVITIES, JANUARY)
    # H1: three weekly sessions and half of a monthly one; H2 the other half; K1's has ended.
    assert levels["H1"] == pytest.approx(3 + 6 / 52)
    assert levels["H2"] == pytest.approx(6 / 52)
    assert "K1" not in levels.index
    weights = hub_weights(pd.Series(["H1", "H2", "H3"]), levels, full_sessions=3)
    assert weights.tolist() == pytest.approx([1.0, 0.1, 0.1])  # capped at 1, floored at 0.1


def test_weighting_is_off_by_default_and_changes_nothing() -> None:
    plain = build_district_report(make_inputs(), "Riverside", now=NOW)
    seen = build_district_report(with_activity(), "Riverside", now=NOW)
    columns = ["code", "hub_count", "residents_per_hub", "score", "rank"]
    pd.testing.assert_frame_equal(plain.areas[columns].reset_index(drop=True),
                                  seen.areas[columns].reset_index(drop=True))
    assert "active_hubs" not in seen.areas.columns
    assert GapThresholds().activity_weighting is False


def test_weighting_counts_a_quiet_hub_as_a_tenth() -> None:
    chosen = parse_thresholds({"activity_weighting": "true"})
    weighted = build_district_report(with_activity(), "Riverside", chosen, now=NOW).areas
    by_code = weighted.set_index("code")
    # Northgate's centre is busy (a whole hub); Eastwick's hub has half a monthly session.
    assert by_code.loc["E43000901", "residents_per_hub"] == pytest.approx(7_000)
    assert by_code.loc["E43000903", "active_hubs"] == pytest.approx(0.1)
    assert by_code.loc["E43000903", "residents_per_hub"] == pytest.approx(100_000)
    assert by_code.loc["E43000903", "hub_count"] == 1  # no_hub still counts buildings
    assert not by_code.loc["E43000903", "no_hub"]


def test_weighting_without_any_activity_is_refused() -> None:
    chosen = GapThresholds(activity_weighting=True)
    with pytest.raises(DataError, match="holds no activities"):
        build_district_report(make_inputs(), "Riverside", chosen, now=NOW)


def test_the_report_lists_groups_and_names_the_sharpest_gap() -> None:
    report = build_district_report(with_activity(), "Riverside", now=NOW, all_areas=True)
    table = report.groups_by_area.set_index("code")
    # The charity serves the whole district and counts where it runs something (Eastwick's
    # hub and Northgate's centre); its ended activity at Southbank's café does not count.
    assert table.loc["E43000901", "groups"] == (
        "Northgate Residents' Association; Riverside Age Partnership")
    assert table.loc["E43000903", "groups"] == "Riverside Age Partnership"
    assert table.loc["E43000902", "groups"] == ""
    assert table.loc["E43000902", "district_wide"] == "Riverside Age Partnership"
    assert table["no_hub_no_group"].to_dict() == {
        "E43000902": True, "E43000901": False, "E43000903": False, "E04000901": False}
    page = report_html(report)
    assert "Groups known to work in each area" in page
    assert "the sharpest gap the council can act on: Southbank." in page


def test_a_store_without_organisations_shows_no_groups_section() -> None:
    report = build_district_report(make_inputs(), "Riverside", now=NOW)
    assert report.groups_by_area["groups"].tolist() == ["", "", ""]
    assert "Groups known to work in each area" not in report_html(report)


def test_inputs_from_either_store_read_who_works_where(store_location: str) -> None:
    from assetmap.analysis import AnalysisInputs
    from assetmap.config import PROJECT_ROOT
    from assetmap.layers import load_catalog
    from assetmap.store import open_store

    store = open_store(store_location)
    try:
        inputs = AnalysisInputs.from_store(store, load_catalog(PROJECT_ROOT / "layers"))
    finally:
        store.close()
    assert inputs.activities is not None and len(inputs.activities) == 4
    report = build_district_report(inputs, "E07999002", now=NOW)
    (westtown,) = report.groups_by_area.itertuples()
    assert westtown.groups == "Shire Age Concern; Westtown Good Neighbours"
    # Tuesdays (less any bank holiday) and half of a monthly Thursday, this calendar year.
    assert inputs.activity_levels["A3"] == pytest.approx(1 + 6 / 52, abs=1 / 52)
