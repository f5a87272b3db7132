"""No 500 for bad input, and the OpenAPI document says what bad input gets (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from tests.conftest import assert_canonical_error

HUGE = "100000000000000000000"


@pytest.fixture
def client(tiny_gpkg: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=str(tiny_gpkg)))) as client:
        yield client


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("url", [f"/api/layers/assets?offset={HUGE}",
                                 f"/api/layers/assets?limit={HUGE}"])
def test_huge_paging_numbers_are_a_422_not_a_500(client: TestClient, url: str) -> None:
    error = assert_canonical_error(client.get(url), 422, mentions="less than or equal to")
    assert error["details"][0]["field"] in ("query.offset", "query.limit")


def test_every_operation_documents_its_4xx_with_the_canonical_body(
    document: dict[str, Any]
) -> None:
    post = document["paths"]["/api/layers/{name}/items"]["post"]["responses"]
    assert {"400", "404", "422"} <= set(post)
    assert post["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"}
    assert "404" in document["paths"]["/reports/{district}"]["get"]["responses"]
    assert "404" in document["paths"]["/api/hubs/nearest"]["get"]["responses"]
    assert "ErrorBody" in document["components"]["schemas"]


def _parameter(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    parameters = document["paths"][path]["get"]["parameters"]
    found: dict[str, Any] = next(p for p in parameters if p["name"] == name)
    return found


def test_the_schema_gives_the_bounds_the_service_checks(document: dict[str, Any]) -> None:
    lat = _parameter(document, "/api/hubs/nearest", "lat")["description"]
    lon = _parameter(document, "/api/hubs/nearest", "lon")["description"]
    assert "in Great Britain: 49.8 to 60.9" in lat and "in Great Britain: -8.7 to 1.9" in lon
    assert _parameter(document, "/api/layers/{name}", "offset")["schema"]["maximum"] == 10**9
    bbox = _parameter(document, "/api/layers/{name}", "bbox")["description"]
    assert "longitudes -180 to 180" in bbox and "minimum below its maximum" in bbox
