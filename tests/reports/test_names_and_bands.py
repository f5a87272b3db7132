"""Sites and areas a planner can find: named sites, row anchors and map links, rank bands."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyogrio

from assetmap.analysis import DistrictReport
from assetmap.reports import report_csv, report_geojson, report_gpkg, report_html
from assetmap.reports.tables import sites_table
from tests.analysis.riverside import MakeReport


def _row(page: str, anchor: str) -> str:
    match = re.search(rf'<tr id="{re.escape(anchor)}">(.*?)</tr>', page, re.S)
    assert match, f"no table row with id {anchor}"
    return match.group(1)


def test_every_site_and_area_row_has_an_anchor_and_a_plain_map_link(
    report: DistrictReport,
) -> None:
    page = report_html(report)
    assert 'id="district-map"' in page
    for rank in report.sites["rank"]:
        row = _row(page, f"site-{rank}")
        assert '<a href="#district-map">Show on map<span class="rp-visually-hidden">' in row
    for code in report.areas["code"]:
        assert '<a href="#district-map">Show on map' in _row(page, f"area-{code}")
    assert "Centre of small area" not in page


def test_sites_table_names_small_areas_with_grid_references(report: DistrictReport) -> None:
    table = sites_table(report)
    small = table[table["Kind"] == "small-area centroid"]
    assert len(small) and small["Candidate"].str.match(r"near \w+ \(SK \d{3} \d{3}\)$").all()
    assert table["Grid reference"].str.fullmatch(r"SK \d{3} \d{3}").all()
    assert "Postcode" in table.columns


def test_csv_carries_the_band_beside_the_rank(report: DistrictReport) -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert [row["Rank"] for row in rows] == ["1", "2", "3"]
    assert [row["Rank band"] for row in rows] == ["1", "2", "3"]
    header = list(rows[0])
    assert header[:3] == ["Rank", "Community area", "Score (0–100)"]
    assert header[-1] == "Rank band"


def test_tied_scores_read_as_a_band_in_the_page_and_csv(make_report: MakeReport) -> None:
    report = make_report()
    report.areas["rank_band"] = ["1", "2–3", "2–3"]  # as rank_within_districts gives for a tie
    ranked = re.search(r'<table id="ranked-table">.*?</table>', report_html(report), re.S)
    assert ranked and re.findall(r'<tr id="area-[^"]+"><td[^>]*>([^<]+)</td>', ranked.group(0)) == [
        "1", "2–3", "2–3"]
    rows = list(csv.DictReader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert [(row["Rank"], row["Rank band"]) for row in rows] == [("1", "1"), ("2", "2–3"),
                                                                 ("3", "2–3")]


def test_downloads_carry_names_bands_and_localities(report: DistrictReport, tmp_path: Path) -> None:
    document = json.loads(report_geojson(report))
    assert [f["properties"]["rank_band"] for f in document["features"]] == ["1", "2", "3"]
    assert all(s["grid_reference"].startswith("SK ") for s in document["candidate_sites"])
    path = tmp_path / "report.gpkg"
    path.write_bytes(report_gpkg(report))
    small = pyogrio.read_dataframe(path, layer="small_areas")
    assert (small["locality"] != "").all()
    sites = pyogrio.read_dataframe(path, layer="candidate_sites")
    assert {"locality", "postcode", "grid_reference"} <= set(sites.columns)
