"""The report says how its sites were chosen, and the web page lets the planner choose again."""

from __future__ import annotations

import re

from assetmap.analysis import DistrictReport, EquityWeights, SitingOptions
from assetmap.reports.siting import siting_form, siting_lines
from assetmap.reports.tables import sites_table
from tests.analysis.riverside import MakeReport


def test_lines_state_objective_value_proof_time_and_greedy(report: DistrictReport) -> None:
    found, compared, equity = siting_lines(report)
    value = report.siting.exact.value if report.siting else 0
    assert found.startswith("Objective: most residents newly within a catchment for 5 new hubs")
    assert f"{value:,.0f} residents, proven optimal, in " in found
    assert compared.startswith("Greedy picking gives ")
    assert equity == "Every resident counts the same."


def test_lines_for_p_median_set_cover_and_equity(make_report: MakeReport) -> None:
    report = make_report(siting=SitingOptions(objective="p_median"))
    assert "(p-median)" in siting_lines(report)[0] and " m, proven optimal" in siting_lines(
        report)[0]
    report = make_report(siting=SitingOptions(objective="set_cover", target_share=0.8))
    assert "so that 80% of residents" in siting_lines(report)[0]
    assert re.search(r"\d new sites?, proven optimal", siting_lines(report)[0])
    weighted = make_report(siting=SitingOptions(equity=EquityWeights(enabled=True)))
    assert "weighted residents" in siting_lines(weighted)[0]
    assert siting_lines(weighted)[2].startswith(
        "Equity weights: a resident of an unparished area counts 1.5 times")


def test_sites_table_gives_the_mean_distance_after_each_site(report: DistrictReport) -> None:
    table = sites_table(report)
    distances = table["District mean distance to a hub after (m)"].tolist()
    assert distances == sorted(distances, reverse=True) and len(distances) == len(report.sites)


def test_form_keeps_other_parameters_and_checks_the_chosen_objective(
    make_report: MakeReport,
) -> None:
    report = make_report(siting=SitingOptions(objective="p_median"))
    form = siting_form(report, {"all_areas": "true", "objective": "p_median", "sites": "5"})
    assert [checked for _, _, checked in form.objectives] == [False, False, True]
    assert form.hidden == (("all_areas", "true"),) and form.sites == 5


def test_downloads_carry_how_the_sites_were_chosen(report: DistrictReport) -> None:
    import json

    from assetmap.reports import report_geojson
    from assetmap.reports.exports import metadata_rows

    document = json.loads(report_geojson(report))
    assert document["siting"]["objective"] == "coverage"
    assert document["siting"]["status"] == "optimal"
    assert "hub_places_per_1000" in document["features"][0]["properties"]
    rows = dict(zip(metadata_rows(report)["key"], metadata_rows(report)["value"], strict=True))
    assert rows["siting:objective"] == "coverage" and rows["siting:optimality_gap"] == "0.0"
    assert json.loads(rows["siting:equity_weights"])["enabled"] is False
