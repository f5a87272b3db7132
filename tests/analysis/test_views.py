"""A district report's equality view, stale coverage and rank stability (Riverside, by hand)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assetmap.analysis import DistrictReport, GapThresholds, build_district_report
from assetmap.analysis.equality import decile_bands
from assetmap.analysis.stability import Settings, StabilityRanges, rank_stability, ranks_under
from assetmap.sample import generate_sample
from tests.analysis.riverside import NOW, make_inputs


def _views(report: DistrictReport):  # type: ignore[no-untyped-def]
    assert report.views is not None
    return report.views


def test_decile_bands_follow_the_methods_deprived_deciles() -> None:
    assert [b.label for b in decile_bands(3)] == [
        "IMD deciles 1–3", "IMD deciles 4–7", "IMD deciles 8–10"]
    assert decile_bands(1)[0].label == "IMD decile 1"
    assert [b.label for b in decile_bands(8)] == ["IMD deciles 1–8", "IMD deciles 9–10"]
    assert [b.label for b in decile_bands(10)] == ["IMD deciles 1–10"]


def test_equality_view_of_the_residents_outside_every_catchment(report: DistrictReport) -> None:
    view = _views(report).equality
    # Outside: Northgate's three far small areas (2,000 decile 6, 1,500 decile 7, 1,500
    # decile 8) and all of Southbank (1,000 decile 1, 2,000 decile 2, 1,000 decile 5).
    assert view.outside.residents == 9_000
    assert dict(view.outside.by_imd_band) == {
        "IMD deciles 1–3": 3_000, "IMD deciles 4–7": 4_500, "IMD deciles 8–10": 1_500,
        "IMD decile not known": 0,
    }
    assert view.outside.unparished == 9_000
    assert view.everyone.residents == 22_200 and view.everyone.unparished == 21_000
    assert view.outside.share_65_plus is None  # Riverside carries no share: said, not guessed


def test_equality_view_estimates_residents_aged_65_plus(make_report) -> None:  # type: ignore[no-untyped-def]
    inputs = make_inputs()
    small = inputs.small_areas.copy()
    small["share_65_plus"] = np.where(small["community_area_code"] == "E43000902", 0.5, 0.1)
    report = make_report(inputs=replace(inputs, small_areas=small))
    outside = _views(report).equality.outside
    assert outside.aged_65_plus == pytest.approx(4_000 * 0.5 + 5_000 * 0.1)
    assert outside.share_65_plus == pytest.approx(2_500 / 9_000)


def test_stale_coverage_counts_only_hubs_checked_within_the_period(make_report) -> None:  # type: ignore[no-untyped-def]
    inputs = make_inputs()
    assets = inputs.assets.copy()
    # H1 checked a month before NOW, H2 two years before, H3 never.
    assets["last_verified"] = assets["id"].map({"H1": "2026-02-01", "H2": "2024-03-01"})
    report = make_report(inputs=replace(inputs, assets=assets), stale_after_days=365)
    stale = _views(report).stale
    # Within a catchment: Northgate's first small area (2,000, by H1), Eastwick (10,000,
    # by H2) and Ashby Parva (1,200, by H3 and H2). With H1 alone: the 2,000.
    assert (stale.covered, stale.covered_fresh) == (13_200, 2_000)
    assert stale.share == pytest.approx(11_200 / 13_200)
    assert (stale.hubs_in_district, stale.stale_hubs_in_district) == (3, 2)
    assert stale.sentence().startswith("85% of the district's coverage (11,200 of the 13,200")
    longer = make_report(inputs=replace(inputs, assets=assets), stale_after_days=1000)
    assert _views(longer).stale.covered_fresh == 12_600  # H3 never checked: Ashby's 600


def test_ranks_at_the_published_settings_are_the_reports(report: DistrictReport) -> None:
    ranks = ranks_under(report.result.small_areas, report.areas, Settings.of(report.thresholds))
    assert list(ranks[0]) == list(report.areas["rank"])


def test_ranks_at_the_published_settings_are_the_reports_on_the_sample() -> None:
    from assetmap.analysis import AnalysisInputs
    from assetmap.config import PROJECT_ROOT
    from assetmap.layers import load_catalog

    tables = generate_sample(seed=3, scale="tiny")
    catalog = load_catalog(PROJECT_ROOT / "layers")
    inputs = AnalysisInputs(
        small_areas=tables["small_areas"], community_areas=tables["community_areas"],
        assets=tables["assets"], districts=tables["districts"],
        hub_categories=tuple(catalog.hub_categories),
    )
    for code in inputs.districts["code"]:
        for thresholds in (GapThresholds(), GapThresholds(urban_catchment_m=500)):
            report = build_district_report(inputs, str(code), thresholds, all_areas=True,
                                           now=NOW)
            ranks = ranks_under(report.result.small_areas, report.areas,
                                Settings.of(thresholds))
            assert list(ranks[0]) == list(report.areas["rank"])


def test_rank_stability_is_seeded_and_says_how_often_an_area_stays_on_top(
    report: DistrictReport,
) -> None:
    ranges = StabilityRanges(top=1)
    first = rank_stability(report.result.small_areas, report.areas, report.thresholds, ranges)
    again = rank_stability(report.result.small_areas, report.areas, report.thresholds, ranges)
    assert first.equals(again)
    southbank = first.set_index("code").loc["E43000902"]
    # No hub, everyone outside, high need: first under every setting within the ranges.
    assert southbank["top_share"] == 1.0
    assert southbank["stability"] == (
        "stays in the top 1 under 100% of settings; rank 1 in 90% of them")
    eastwick = first.set_index("code").loc["E43000903"]
    assert eastwick["top_share"] == 0.0 and eastwick["stability"].startswith("enters the top 1")
    wider = rank_stability(report.result.small_areas, report.areas, report.thresholds,
                           StabilityRanges(top=1, weight=0.3, settings=50))
    assert len(wider) == len(report.areas)
