"""No parish boundaries loaded: reports rank stated fallback units (LSOAs), never invent areas."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import geopandas as gpd

from assetmap.analysis import AnalysisInputs, build_district_report
from assetmap.analysis.fallback import fallback_units
from assetmap.provenance import NO_PARISHES
from assetmap.reports import report_geojson, report_html
from tests.analysis.riverside import NOW, RIVERSIDE, make_inputs


def without_parishes(*, lsoas: bool) -> AnalysisInputs:
    """Riverside with its community areas removed; optionally each pair of cells an LSOA."""
    inputs = make_inputs()
    small = inputs.small_areas.drop(columns=["community_area_code"]).copy()
    if lsoas:
        # Cells 1-2 and 3-4 of each former area form one LSOA.
        small["lsoa_code"] = [f"{c[:-2]}-L{(int(c[-1]) + 1) // 2}" for c in small["code"]]
        small["lsoa_name"] = [f"LSOA {code}" for code in small["lsoa_code"]]
    return replace(inputs, small_areas=small, community_areas=inputs.community_areas.iloc[:0])


def test_lsoas_are_dissolved_from_their_small_areas() -> None:
    inputs = without_parishes(lsoas=True)
    units = fallback_units(inputs.small_areas)
    assert units.label == "LSOAs"
    assert len(units.areas) == len(inputs.small_areas) // 2
    assert set(units.areas["governance"]) == {"unknown"}
    assert units.areas["name"].str.startswith("LSOA ").all()
    # Each unit covers exactly the area of its two small areas.
    total = inputs.small_areas.area.groupby(inputs.small_areas["lsoa_code"].to_numpy()).sum()
    assert units.areas.set_index("code").area.to_dict() == total.to_dict()
    assert (units.small_areas["community_area_code"] == inputs.small_areas["lsoa_code"]).all()


def test_small_areas_stand_for_themselves_without_lsoas() -> None:
    units = fallback_units(without_parishes(lsoas=False).small_areas)
    assert units.label == "small areas"
    assert units.areas["code"].tolist() == sorted(units.small_areas["code"])


def test_report_ranks_fallback_units_and_says_so() -> None:
    inputs = without_parishes(lsoas=True)
    report = build_district_report(inputs, "Riverside", now=NOW)
    assert report.fallback_units == "LSOAs"
    assert report.focus_label == "LSOAs as fallback units: parish boundaries not loaded"
    assert len(report.areas) == 8  # Riverside's 16 cells in 8 LSOAs, all ranked
    assert report.areas["rank"].tolist() == list(range(1, 9))
    assert report.areas["district_code"].eq(RIVERSIDE).all()
    assert any(NO_PARISHES in warning for warning in report.warnings)
    # Population is the same whichever units it is counted in.
    full = build_district_report(make_inputs(), "Riverside", now=NOW, all_areas=True)
    assert report.summary["population"] == full.summary["population"]
    assert report.summary["uncovered_population"] == full.summary["uncovered_population"]

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report_html(report)))
    assert "LSOAs ranked (fallback units: parish boundaries not loaded)" in text
    assert "Residents of unparished areas not known" in text
    assert "Unknown (parish boundaries not loaded)" in text
    assert "read \"fallback unit\"" in text.replace("&#34;", '"')
    document = json.loads(report_geojson(report))
    assert document["fallback_units"] == "LSOAs"
    assert {f["properties"]["governance"] for f in document["features"]} == {"unknown"}


def test_parishes_present_means_no_fallback() -> None:
    raw = make_inputs()
    inputs = replace(raw)  # built again from the same (already prepared) layers
    assert inputs.fallback_units == "" and inputs.community_areas is raw.community_areas
    report = build_district_report(inputs, "Riverside", now=NOW)
    assert report.fallback_units == "" and report.focus_label == "unparished areas only"
    assert not any(NO_PARISHES in w for w in report.warnings)


def test_no_small_areas_leaves_inputs_alone() -> None:
    inputs = make_inputs()
    empty = replace(inputs, small_areas=gpd.GeoDataFrame(inputs.small_areas.iloc[:0]),
                    community_areas=inputs.community_areas.iloc[:0])
    assert empty.fallback_units == "" and len(empty.community_areas) == 0
    assert len(empty.small_areas) == 0


def test_hub_categories_with_no_assets_are_named() -> None:
    inputs = make_inputs()
    only_halls = inputs.assets[inputs.assets["category"].isin(["village_hall",
                                                               "community_cafe"])]
    report = build_district_report(replace(inputs, assets=only_halls), "Riverside", now=NOW)
    warning = next(w for w in report.warnings if w.startswith("No assets of"))
    assert "3 of the 4 hub categories" in warning
    assert "community hub, community centre, church hall" in warning
    full = build_district_report(inputs, "Riverside", now=NOW)
    assert not any(w.startswith("No assets of") for w in full.warnings)
