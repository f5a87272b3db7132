"""Gap analysis and district reports over HTTP, on the hand-worked Riverside county."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import pyogrio

from assetmap.api import create_app
from assetmap.config import Settings
from tests.conftest import assert_canonical_error


@pytest.fixture(scope="module")
def gaps_client(riverside_gpkg: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=str(riverside_gpkg)))) as client:
        yield client


def test_gaps_ranks_unparished_areas_with_reasons(gaps_client: TestClient) -> None:
    body = gaps_client.get("/api/gaps", params={"district": "riverside"}).json()
    assert body["district"] == {"code": "E07000901", "name": "Riverside"}
    assert [a["code"] for a in body["areas"]] == ["E43000902", "E43000901", "E43000903"]
    assert [a["rank"] for a in body["areas"]] == [1, 2, 3]
    southbank = body["areas"][0]
    assert southbank["no_hub"] is True and southbank["high_need"] is True
    assert "no hub" in southbank["reasons"]
    assert body["synthetic"] is True
    assert body["thresholds"]["urban_catchment_m"] == 800
    assert body["sites"] and body["sites"][0]["rank"] == 1
    assert -2 < body["sites"][0]["lon"] < 0 and 52 < body["sites"][0]["lat"] < 53
    assert body["summary"]["population"] == sum(a["population"] for a in body["areas"]) + 1200


def test_all_areas_and_threshold_overrides_are_echoed(gaps_client: TestClient) -> None:
    body = gaps_client.get(
        "/api/gaps",
        params={
            "district": "E07000901",
            "all_areas": "true",
            "over_capacity_residents_per_hub": "20000",
        },
    ).json()
    assert "E04000901" in [a["code"] for a in body["areas"]]
    assert body["thresholds"]["over_capacity_residents_per_hub"] == 20000
    assert not any(a["over_capacity"] for a in body["areas"])
    csv_link = next(link["href"] for link in body["links"] if link.get("title") == "CSV")
    assert "over_capacity_residents_per_hub=20000" in csv_link and "district=" not in csv_link


def test_unknown_district_lists_valid_ones(gaps_client: TestClient) -> None:
    error = assert_canonical_error(
        gaps_client.get("/api/gaps", params={"district": "Nowhere"}), 404, mentions="Nowhere"
    )
    assert "Riverside (E07000901)" in error["message"]
    assert "Hillside (E07000902)" in error["message"]
    assert_canonical_error(gaps_client.get("/api/gaps"), 422, mentions="district")


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"urban_catchment_m": "-5"}, "urban_catchment_m"),
        ({"poor_access_share": "1.5"}, "poor_access_share"),
        ({"weight_need": "0.9"}, "sum to 1"),
        ({"colour": "red"}, "unknown threshold"),
        ({"sites": "99"}, "sites"),
    ],
)
def test_invalid_thresholds_are_422(
    gaps_client: TestClient, params: dict[str, str], mentions: str
) -> None:
    response = gaps_client.get("/api/gaps", params={"district": "Riverside", **params})
    assert_canonical_error(response, 422, mentions=mentions)
    page = gaps_client.get("/reports/Riverside", params=params)
    assert_canonical_error(page, 422, mentions=mentions)


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
