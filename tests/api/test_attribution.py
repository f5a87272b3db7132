"""Every page and export credits the data (the store's ``attribution``), escaped, line by line;
and pages say when parish boundaries are not loaded."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.provenance import NO_PARISHES
from assetmap.store.gpkg_write import write_geopackage
from tests.analysis.riverside import make_inputs

LINES = ["Line one <b>bold</b> © Crown copyright", "Line two & more"]
ESCAPED = "Line one &lt;b&gt;bold&lt;/b&gt; © Crown copyright<br>Line two &amp; more"
PAGES = ["/", "/find", "/find?q=nowhere", "/hubs/H1", "/hubs/H1/correction", "/hubs/nope",
         "/reports", "/reports/Riverside"]


def _store(path: Path, *, parishes: bool) -> Path:
    inputs = make_inputs(metadata={"synthetic": "false", "title": "Riverside",
                                   "attribution": "\n".join(LINES) + "\n"})
    tables: dict[str, pd.DataFrame] = {
        "districts": inputs.districts,
        "small_areas": inputs.small_areas,
        "assets": inputs.assets,
        "assetmap_metadata": pd.DataFrame({"key": list(inputs.metadata),
                                           "value": list(inputs.metadata.values())}),
    }
    if parishes:
        tables["community_areas"] = inputs.community_areas
    write_geopackage(path, tables)
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = _store(tmp_path_factory.mktemp("credited") / "store.gpkg", parishes=True)
    with TestClient(create_app(Settings(store=str(path)))) as test_client:
        yield test_client


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_each_line_escaped(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code in (200, 404)
    assert page.headers["content-type"].startswith("text/html")
    assert ESCAPED in page.text
    assert "<b>bold</b>" not in page.text
    assert NO_PARISHES not in page.text  # this store has its parishes


def test_pdf_report_carries_the_lines(client: TestClient) -> None:
    response = client.get("/reports/Riverside.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for line in LINES:
        assert line in text


def test_every_export_carries_the_lines(client: TestClient, tmp_path: Path) -> None:
    csv = pd.read_csv(io.BytesIO(client.get("/reports/Riverside.csv").content),
                      encoding="utf-8-sig")
    # One short line a row (issue 16), the full lines in the metadata file beside it.
    short = f"{LINES[0]}; full attribution in the metadata file"
    assert csv["Attribution"].tolist() == [short] * len(csv)
    sites = pd.read_csv(io.BytesIO(client.get("/reports/Riverside.sites.csv").content),
                        encoding="utf-8-sig")
    assert sites["Attribution"].tolist() == [short] * len(sites)
    metadata = pd.read_csv(io.BytesIO(client.get("/reports/Riverside.metadata.csv").content),
                           encoding="utf-8-sig")
    attribution = metadata.loc[metadata["key"] == "attribution", "value"].iloc[0]
    assert attribution.splitlines() == LINES
    geojson = json.loads(client.get("/reports/Riverside.geojson").content)
    assert geojson["attribution"] == LINES
    gpkg = tmp_path / "report.gpkg"
    gpkg.write_bytes(client.get("/reports/Riverside.gpkg").content)
    with sqlite3.connect(gpkg) as connection:
        (value,) = connection.execute(
            "SELECT value FROM report_metadata WHERE key = 'attribution'"
        ).fetchone()
    assert value.splitlines() == LINES
    assert client.get("/api/gaps", params={"district": "Riverside"}).json()[
        "attribution"] == LINES


def test_no_attribution_no_empty_credit(tiny_gpkg: Path) -> None:
    with TestClient(create_app(Settings(store=str(tiny_gpkg)))) as client:
        for url in ("/", "/find", "/reports"):
            page = client.get(url)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert "Synthetic test data: invented places." in page.text  # the store's notice
            assert 'data-attribution="true"' not in page.text


def test_pages_say_when_parish_boundaries_are_missing(tmp_path: Path) -> None:
    path = _store(tmp_path / "no-parishes.gpkg", parishes=False)
    with TestClient(create_app(Settings(store=str(path)))) as client:
        officer = client.get("/").text
        assert f"<strong>Note:</strong> {NO_PARISHES}" in officer
        assert "cannot search by parish name" in client.get("/find").text
        index = client.get("/reports").text
        assert NO_PARISHES in index and "Reports rank small areas instead" in index
        report = client.get("/reports/Riverside").text
        assert "small areas ranked (fallback units: parish boundaries not loaded)" in report
        body = client.get("/api/gaps", params={"district": "Riverside"}).json()
        assert body["fallback_units"] == "small areas"
        assert {area["governance"] for area in body["areas"]} == {"unknown"}
        assert len(body["areas"]) == 16  # every small area of Riverside, none invented
