"""Layer downloads ``/api/layers/{name}.csv|.geojson|.gpkg``: attachments, filters, errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import geopandas as gpd
import pyogrio

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import XSS_NAME, assert_canonical_error, tiny_tables

FORMULA = '=HYPERLINK("http://evil.example","click")'
ATTRIBUTION = "Contains OS data © Crown copyright and database right 2024."


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.fixture
def formula_client(tmp_path: Path) -> Iterator[TestClient]:
    """The tiny county with a formula for a hall name and an attribution in the metadata."""
    tables = tiny_tables()
    tables["assets"].loc[0, "name"] = FORMULA
    metadata = tables["assetmap_metadata"]
    tables["assetmap_metadata"] = pd.concat(
        [metadata, pd.DataFrame({"key": ["attribution"], "value": [ATTRIBUTION]})]
    )
    path = tmp_path / "formula.gpkg"
    write_geopackage(path, tables)
    with TestClient(create_app(Settings(store=str(path)))) as test_client:
        yield test_client


def test_csv_download_is_an_attachment_for_excel(client: TestClient) -> None:
    response = client.get("/api/layers/assets.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="assets.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = rows(response)
    assert [row["id"] for row in table] == ["A1", "A2", "A3", "A4", "A5"]
    assert table[2]["name"] == XSS_NAME
    assert table[0]["attribution"] == "Synthetic test data: invented places."


def test_the_layer_route_still_serves_geojson(client: TestClient) -> None:
    assert client.get("/api/layers/assets").json()["type"] == "FeatureCollection"
    assert client.get("/api/layers/assets.geojson").status_code == 200


def test_downloads_take_the_layer_filters_and_bbox(client: TestClient) -> None:
    response = client.get("/api/layers/assets.csv",
                          params={"category": "village_hall,church_hall", "status": "open"})
    assert [row["id"] for row in rows(response)] == ["A1", "A2"]
    boxed = client.get("/api/layers/assets.geojson", params={"bbox": "-1.30,52.60,-1.15,52.70"})
    body = boxed.json()
    assert [f["id"] for f in body["features"]] == ["A1", "A2", "A5"]
    assert set(body["selection"]) == {"bbox_27700"}


def test_geojson_download_keeps_html_like_names_as_data(client: TestClient) -> None:
    response = client.get("/api/layers/assets.geojson")
    assert response.headers["content-type"] == "application/geo+json"
    assert response.headers["content-disposition"] == 'attachment; filename="assets.geojson"'
    body = response.json()
    assert body["features"][2]["properties"]["name"] == XSS_NAME
    assert body["synthetic"] is True and body["notice"].startswith("Synthetic")


def test_gpkg_download_opens_in_gdal(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/api/layers/community_areas.gpkg", params={"governance": "unparished"})
    assert response.headers["content-type"] == "application/geopackage+sqlite3"
    assert response.headers["content-disposition"] == (
        'attachment; filename="community_areas.gpkg"')
    path = tmp_path / "download.gpkg"
    path.write_bytes(response.content)
    areas = gpd.read_file(path, layer="community_areas")
    assert list(areas["code"]) == ["E43999001"] and areas.crs.to_epsg() == 27700
    metadata = pyogrio.read_dataframe(path, layer="export_metadata")
    assert "filter:governance" in set(metadata["key"])


def test_formulas_are_defused_in_csv_but_not_in_json(formula_client: TestClient) -> None:
    table = rows(formula_client.get("/api/layers/assets.csv"))
    assert table[0]["name"] == "'" + FORMULA
    assert ATTRIBUTION in table[0]["attribution"]
    body = formula_client.get("/api/layers/assets.geojson").json()
    assert body["features"][0]["properties"]["name"] == FORMULA
    assert body["attribution"] == [ATTRIBUTION]


@pytest.mark.parametrize(
    ("url", "status", "mentions"),
    [
        ("/api/layers/parks.csv", 404, "parks"),
        ("/api/layers/assets.xlsx", 422, "'csv', 'geojson' or 'gpkg'"),
        ("/api/layers/assets.csv?colour=red", 422, "colour"),
        ("/api/layers/assets.csv?status=shut", 422, "shut"),
        ("/api/layers/assets.csv?bbox=52.6,-1.3,52.7,-1.1", 422, "longitude first"),
    ],
)
def test_download_errors_are_canonical(
    client: TestClient, url: str, status: int, mentions: str
) -> None:
    assert_canonical_error(client.get(url), status, mentions=mentions)
