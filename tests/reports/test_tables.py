"""The ranked table and the CSV: what a planner reads and opens in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pandas as pd

from assetmap.analysis import DistrictReport
from assetmap.reports import ranked_table, report_csv
from assetmap.reports.tables import sites_table, thresholds_table
from tests.analysis.riverside import MakeReport, make_inputs


def test_ranked_table_follows_the_analysis(report: DistrictReport) -> None:
    table = ranked_table(report)
    areas = report.areas
    assert list(table["Rank"]) == [1, 2, 3]
    assert list(table["Area code"]) == list(areas["code"])
    assert list(table["Community area"]) == ["Southbank", "Northgate", "Eastwick"]
    assert list(table["Reasons"]) == list(areas["reasons"])
    assert list(table["Flags"]) == ["No hub; Poor access; High need", "Poor access; Over capacity",
                                    "Over capacity"]
    assert list(table["Governance"]) == ["Unparished (no local council)"] * 3
    first = table.iloc[0]
    assert first["Population"] == 4_000
    assert first["Hubs"] == 0
    assert pd.isna(first["Residents per hub"])
    assert first["% outside every catchment"] == 100.0
    assert first["% in IMD deciles 1–3"] == 75.0
    assert first["Score (0–100)"] == 95.0


def test_table_headers_are_plain_language(report: DistrictReport) -> None:
    # What a councillor reads first (issue 16), then the details behind it.
    assert list(ranked_table(report).columns) == [
        "Rank", "Community area", "Score (0–100)", "Under-served", "Reasons",
        "Area code", "Governance", "Population", "Hubs",
        "Residents per hub", "Residents outside every catchment", "% outside every catchment",
        "Mean distance to nearest hub (m)", "Hub places per 1,000 residents",
        "% in IMD deciles 1–3", "Flags",
    ]


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_parses_back_to_the_same_rows(report: DistrictReport) -> None:
    rows = _read_csv(report_csv(report))
    table = ranked_table(report)
    assert [row["Area code"] for row in rows] == list(table["Area code"])
    assert [row["Reasons"] for row in rows] == list(table["Reasons"])
    assert [float(row["Score (0–100)"]) for row in rows] == list(table["Score (0–100)"])
    assert rows[0]["Residents per hub"] == ""  # no hub: empty, not "nan"
    assert not report_csv(report).startswith(b"\xef\xbb\xbf#"), "no comment header"


def test_csv_neutralises_formula_looking_names(make_report: MakeReport) -> None:
    names = {"E43000902": '=HYPERLINK("http://evil.example","click")', "E43000901": "+1+1",
             "E43000903": "@SUM(A1)"}
    rows = _read_csv(report_csv(make_report(inputs=make_inputs(names=names))))
    by_code = {row["Area code"]: row["Community area"] for row in rows}
    assert by_code["E43000902"] == "'" + names["E43000902"]
    assert by_code["E43000901"] == "'+1+1"
    assert by_code["E43000903"] == "'@SUM(A1)"


def test_sites_and_thresholds_tables(report: DistrictReport) -> None:
    sites = sites_table(report)
    assert list(sites["Rank"]) == [1, 2, 3, 4, 5]
    assert sites.iloc[0]["Candidate"] == "Southbank Café"
    assert sites.iloc[0]["District % outside before"] == 40.5
    thresholds = thresholds_table(report)
    assert list(thresholds["Setting"]) == list(report.thresholds.as_flat_dict())
    assert (thresholds["Meaning"] != "").all()
