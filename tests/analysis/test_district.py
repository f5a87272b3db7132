"""Building a district report: the analysis, the siting shortlist, sources and context."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

import geopandas as gpd
from shapely.geometry import Point

from assetmap.analysis import (
    DistrictReport,
    GapThresholds,
    analyse,
    build_district_report,
)
from assetmap.errors import NotFound
from assetmap.provenance import sources_from_metadata
from tests.analysis.riverside import (
    HUB_CATEGORIES,
    RIVERSIDE,
    MakeReport,
    hillside_all_parished,
    make_inputs,
)


def test_report_matches_a_direct_analysis(report: DistrictReport) -> None:
    inputs = make_inputs()
    direct = analyse(inputs.small_areas, inputs.community_areas, inputs.assets, HUB_CATEGORIES,
                     district=RIVERSIDE, districts=inputs.districts)
    assert report.district_code == RIVERSIDE
    assert report.district_name == "Riverside"
    assert report.title == "Gap report: Riverside"
    assert list(report.areas["code"]) == list(direct.community_areas["code"])
    assert list(report.areas["code"]) == ["E43000902", "E43000901", "E43000903"]
    assert list(report.areas["score"].round(1)) == [95.0, 61.8, 32.7]
    assert report.summary["population"] == 22_200
    assert report.summary["uncovered_population"] == 9_000


@pytest.mark.parametrize("name", ["Riverside", "riverside", " RIVERSIDE ", RIVERSIDE])
def test_district_by_name_or_code(make_report: MakeReport, name: str) -> None:
    assert make_report(name).district_code == RIVERSIDE


def test_unknown_district_lists_the_valid_ones(make_report: MakeReport) -> None:
    with pytest.raises(NotFound, match="Riverside"):
        make_report("Nowhere")


def test_sites_use_only_open_non_hub_assets_of_the_district(report: DistrictReport) -> None:
    assert list(report.candidates["id"]) == ["K1"]  # the café; not hubs, not the closed hall
    first = report.sites.iloc[0]
    assert (first["kind"], first["name"]) == ("existing asset", "Southbank Café")
    assert first["newly_covered_population"] == 2_000
    assert report.sites["uncovered_share_after"].is_monotonic_decreasing
    assert len(report.sites) == report.n_sites == 5


def test_siting_covers_the_whole_district_not_only_ranked_areas(report: DistrictReport) -> None:
    assert set(report.result.small_areas["community_area_code"]) == {
        "E43000901", "E43000902", "E43000903", "E04000901"}


def test_all_areas_ranks_parishes_too(make_report: MakeReport) -> None:
    report = make_report(all_areas=True)
    assert "E04000901" in set(report.areas["code"])
    assert report.focus_label == "every community area"


def test_hubs_in_and_near_the_district(report: DistrictReport) -> None:
    hubs = report.hubs.set_index("id")
    assert set(hubs.index) == {"H1", "H2", "H3"}  # Hillside's hub is nearest to no one here
    assert hubs["in_district"].all()
    assert hubs.loc["H3", "catchment_m"] == 3_000  # it stands among rural small areas
    assert hubs.loc["H1", "catchment_m"] == 800


def test_a_neighbouring_hub_that_serves_residents_is_shown(make_report: MakeReport) -> None:
    inputs = make_inputs()
    border_hall = gpd.GeoDataFrame(
        {"id": ["H5"], "name": ["Dale Hall"], "category": ["village_hall"], "status": ["open"],
         "district_code": ["E07000902"]},
        geometry=[Point(470_100, 300_800)],  # just over the line, nearest to Ashby Parva's SE
        crs="EPSG:27700",
    )
    assets = pd.concat([inputs.assets, border_hall], ignore_index=True)
    report = make_report(inputs=replace(inputs, assets=assets))
    hubs = report.hubs.set_index("id")
    assert not hubs.loc["H5", "in_district"]
    assert hubs.loc["H1", "in_district"]
    assert "H4" not in hubs.index  # nearest to nobody in Riverside


def test_thresholds_are_kept(make_report: MakeReport) -> None:
    thresholds = GapThresholds(urban_catchment_m=1_000)
    report = make_report(thresholds=thresholds)
    assert report.thresholds == thresholds
    assert report.result.thresholds["urban_catchment_m"] == 1_000


def test_generated_is_utc_to_the_second() -> None:
    local = datetime(2026, 3, 1, 10, 30, 5, 123, tzinfo=timezone(timedelta(hours=1)))
    report = build_district_report(make_inputs(), "Riverside", now=local)
    assert report.generated == datetime(2026, 3, 1, 9, 30, 5, tzinfo=UTC)
    naive = build_district_report(make_inputs(), "Riverside", now=datetime(2026, 3, 1, 9, 0))
    assert naive.generated.tzinfo == UTC


def test_a_district_without_unparished_areas_says_so(make_report: MakeReport) -> None:
    report = make_report("Hillside", inputs=hillside_all_parished())
    assert len(report.areas) == 0
    assert any("no unparished areas" in warning for warning in report.warnings)


def test_synthetic_source_is_labelled_with_its_seed(report: DistrictReport) -> None:
    assert report.synthetic
    (source,) = report.sources
    assert source.synthetic
    assert "seed 7" in source.detail
    assert "Synthetic" in source.detail


def test_real_sources_are_parsed_from_metadata() -> None:
    sources = sources_from_metadata({
        "source:small_areas": "ONS Output Areas 2021 | Census 2021 | Source: Office for "
                              "National Statistics licensed under the Open Government Licence v3.0",
        "source:assets": "Council asset register",
        "title": "Leicestershire",
    })
    by_name = {s.name: s for s in sources}
    assert by_name["small_areas"].vintage == "Census 2021"
    assert "Open Government Licence" in by_name["small_areas"].attribution
    assert by_name["assets"].vintage == "not stated"
    assert not any(s.synthetic for s in sources)


def test_no_declared_source_is_reported_as_unknown() -> None:
    (source,) = sources_from_metadata({"title": "Somewhere"})
    assert source.name == "unknown source"
    assert source.vintage == "unknown"
