"""District report pages ``/reports`` and ``/reports/{district}`` with their downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient

import pyogrio

from assetmap.api import create_app
from assetmap.config import Settings
from tests.conftest import assert_canonical_error


def test_report_page_escapes_names_and_links_downloads(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/E07000901")
    assert page.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert "<img src=x onerror" not in page.text
    for extension in ("pdf", "csv", "geojson", "gpkg"):
        assert f'href="/reports/E07000901.{extension}' in page.text
    assert "Synthetic" in page.text


def test_downloads(gaps_client: TestClient, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(
        gaps_client.get("/reports/riverside.csv").content.decode("utf-8-sig"))))
    assert len(rows) == 4  # header + three unparished areas
    assert rows[0][:6] == ["Rank", "Community area", "Score (0–100)", "Under-served", "Reasons",
                           "Area code"]
    assert rows[1][5] == "E43000902"
    geojson = gaps_client.get("/reports/E07000901.geojson")
    assert geojson.headers["content-type"] == "application/geo+json"
    assert json.loads(geojson.content)["thresholds"]["rural_catchment_m"] == 3000
    gpkg = gaps_client.get("/reports/E07000901.gpkg")
    today = dt.date.today().isoformat()
    assert (f'filename="riverside-gap-report-{today}.gpkg"'
            in gpkg.headers["content-disposition"])
    path = tmp_path / "report.gpkg"
    path.write_bytes(gpkg.content)
    assert "community_areas" in {name for name, _ in pyogrio.list_layers(path)}
    pdf = gaps_client.get("/reports/E07000901.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_report_index_lists_districts(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports")
    assert '<a href="/reports/E07000902">Hillside</a>' in page.text
    assert 'lang="en-GB"' in page.text


def test_unknown_district_report_is_404(gaps_client: TestClient) -> None:
    assert_canonical_error(gaps_client.get("/reports/Nowhere.pdf"), 404, mentions="Riverside")


def test_report_shows_today_and_a_change_given_in_the_query(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/E07000901", params={"close": "H2"})
    assert page.status_code == 200
    scenario = page.text.split('id="scenario"', 1)[1].split("</section>", 1)[0]
    assert "Today and the scenario" in scenario
    assert "19,000 (85.6%); change +10,000" in scenario
    assert "<th scope=\"row\">Eastwick</th>" in scenario and "no hub, poor access" in scenario
    assert 'id="equality"' in page.text and "Coverage resting on records" in page.text
    assert "Rank stability" in page.text
    assert 'id="scenario"' not in gaps_client.get("/reports/E07000901").text


def test_a_saved_scenario_in_the_report_is_for_officers(gaps_client: TestClient) -> None:
    assert_canonical_error(gaps_client.get("/reports/E07000901", params={"scenario": "1"}), 401,
                           mentions="sign in")


def test_the_served_report_sits_in_the_councils_shell(riverside_gpkg: Path) -> None:
    settings = Settings(store=str(riverside_gpkg), council_name="Riverside Borough Council")
    with TestClient(create_app(settings)) as client:
        page = client.get("/reports/E07000901").text
    header = page[page.index('data-shell="header"'):page.index('class="rp-header"')]
    assert "Riverside Borough Council" in header
    footer = page[page.index('<footer class="rp-footer sh-footer">'):]
    for link in ('href="/accessibility"', 'href="/privacy"', 'href="/contact"'):
        assert link in footer
    assert page.count("<header") == 1  # one banner: the report's own heading is not another

