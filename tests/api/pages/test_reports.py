"""District report pages ``/reports`` and ``/reports/{district}`` with their downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient

import pyogrio

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
    assert rows[1][1] == "E43000902"
    geojson = gaps_client.get("/reports/E07000901.geojson")
    assert geojson.headers["content-type"] == "application/geo+json"
    assert json.loads(geojson.content)["thresholds"]["rural_catchment_m"] == 3000
    gpkg = gaps_client.get("/reports/E07000901.gpkg")
    assert 'filename="gap-report-E07000901.gpkg"' in gpkg.headers["content-disposition"]
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
