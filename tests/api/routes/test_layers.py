"""The layer API: catalogue, GeoJSON in EPSG:4326, filters, paging and canonical errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assetmap.api.state import app_state
from tests.conftest import XSS_NAME, assert_canonical_error


def test_catalogue_lists_layers_with_counts_and_links(client: TestClient) -> None:
    body = client.get("/api/layers").json()
    layers = {layer["name"]: layer for layer in body["layers"]}
    assert layers["assets"]["feature_count"] == 5
    assert layers["assets"]["filters"] == ["category", "district_code", "status"]
    assert "village_hall" in layers["assets"]["hub_categories"]
    assert layers["assets"]["links"][0]["href"].endswith("/api/layers/assets")
    assert body["synthetic"] is True
    assert body["crs"] == "EPSG:4326"


def test_layer_is_geojson_in_lon_lat(client: TestClient) -> None:
    response = client.get("/api/layers/assets")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == 5
    first = body["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    # (452000, 305000) in British National Grid is west of Leicester: lon first, then lat.
    assert lon == pytest.approx(-1.233, abs=0.001)
    assert lat == pytest.approx(52.640, abs=0.001)
    assert first["id"] == "A1"
    assert first["properties"]["name"] == "Ashby Village Hall"


def test_polygons_are_served_too(client: TestClient) -> None:
    body = client.get("/api/layers/community_areas").json()
    assert [f["properties"]["governance"] for f in body["features"]] == [
        "parish_council", "parish_meeting", "town_council", "unparished"
    ]
    assert body["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_bbox_in_degrees(client: TestClient) -> None:
    body = client.get("/api/layers/assets", params={"bbox": "-1.30,52.60,-1.15,52.70"}).json()
    assert [f["id"] for f in body["features"]] == ["A1", "A2", "A5"]


def test_attribute_filters_combine(client: TestClient) -> None:
    response = client.get(
        "/api/layers/assets", params={"category": "village_hall,church_hall", "status": "open"}
    )
    assert [f["id"] for f in response.json()["features"]] == ["A1", "A2"]
    repeated = client.get("/api/layers/assets?status=open&status=closed").json()
    assert [f["id"] for f in repeated["features"]] == ["A1", "A2", "A3", "A5"]


def test_properties_selects_fields(client: TestClient) -> None:
    body = client.get("/api/layers/assets", params={"properties": "name,category"}).json()
    assert set(body["features"][0]["properties"]) == {"id", "name", "category"}


def test_paging_gives_next_link(client: TestClient) -> None:
    body = client.get("/api/layers/assets", params={"limit": 2}).json()
    assert [f["id"] for f in body["features"]] == ["A1", "A2"]
    (following,) = [link for link in body["links"] if link["rel"] == "next"]
    second = client.get(following["href"]).json()
    assert [f["id"] for f in second["features"]] == ["A3", "A4"]


def test_one_feature(client: TestClient) -> None:
    body = client.get("/api/layers/assets/items/A3").json()
    assert body["type"] == "Feature"
    assert body["properties"]["name"] == XSS_NAME  # data is returned as data; pages escape it


def test_unknown_layer_is_404(client: TestClient) -> None:
    error = assert_canonical_error(client.get("/api/layers/parks"), 404, mentions="parks")
    assert "assets" in error["message"]
    assert_canonical_error(client.get("/api/layers/assets/items/nope"), 404, mentions="nope")
    assert_canonical_error(client.get("/no/such/page"), 404)


@pytest.mark.parametrize(
    ("bbox", "mentions"),
    [
        ("1,2,3", "not 4"),
        ("a,b,c,d", "must be numbers"),
        ("-1,52,-2,53", "minimum must be below maximum"),
        ("52.6,-1.2,52.7,-1.0", "longitude first"),
        ("-1.2,95,-1.0,96", "swapped"),
        ("-200,52,-1,53", "longitudes"),
        ("nan,52,-1,53", "finite"),
    ],
)
def test_bad_bbox_is_422_saying_why(client: TestClient, bbox: str, mentions: str) -> None:
    response = client.get("/api/layers/assets", params={"bbox": bbox})
    assert_canonical_error(response, 422, mentions=mentions)


def test_bad_filters_are_422(client: TestClient) -> None:
    error = assert_canonical_error(
        client.get("/api/layers/assets?colour=red"), 422, mentions="unknown parameter 'colour'"
    )
    assert "category" in error["message"]
    assert_canonical_error(
        client.get("/api/layers/assets?category=pub"), 422, mentions="valid values"
    )
    assert_canonical_error(client.get("/api/layers/assets?status="), 422, mentions="empty")
    assert_canonical_error(
        client.get("/api/layers/assets?properties=colour"), 422, mentions="colour"
    )
    assert_canonical_error(client.get("/api/layers/assets?limit=0"), 422, mentions="limit")


def test_cache_follows_writes(client: TestClient) -> None:
    from shapely.geometry import Point

    assert client.get("/api/layers/assets").json()["numberReturned"] == 5
    state = app_state(client.app)  # type: ignore[arg-type]
    store, layer = state.store, state.catalog["assets"]
    with store.transaction() as tx:
        tx.add(layer, {"id": "A9", "name": "New Hall", "category": "village_hall",
                       "status": "open"}, Point(453_000, 306_000))
    assert client.get("/api/layers/assets").json()["numberReturned"] == 6


