"""``/api/hubs/nearest``: nearest hubs as GeoJSON (the pages: ``pages/test_finder.py``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assetmap.api.state import app_state
from tests.conftest import assert_canonical_error

A1_LAT, A1_LON = 52.6362, -1.2330  # near asset A1 (452000, 305000)


def test_nearest_by_postcode_is_geojson_sorted_by_distance(client: TestClient) -> None:
    response = client.get("/api/hubs/nearest", params={"postcode": "lz11aa"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["query"]["label"] == "LZ1 1AA" and body["query"]["kind"] == "postcode"
    ids = [f["id"] for f in body["features"]]
    assert ids == ["A1", "A2", "A3"]  # café and closed hall never shown
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances) and distances[0] == pytest.approx(14.1, abs=0.1)
    first = body["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    assert -1.3 < lon < -1.1 and 52.5 < lat < 52.7
    assert first["properties"]["accessibility"] == ["step_free", "hearing_loop"]
    assert first["properties"]["page"] == "/hubs/A1"


def test_nearest_by_point_place_n_and_category(client: TestClient) -> None:
    body = client.get("/api/hubs/nearest", params={"lat": A1_LAT, "lon": A1_LON, "n": 1}).json()
    assert [f["id"] for f in body["features"]] == ["A1"]
    body = client.get("/api/hubs/nearest", params={"place": "westtown"}).json()
    assert body["query"]["label"] == "Westtown (unparished)"
    assert body["features"][0]["id"] == "A3"
    assert body["features"][0]["properties"]["website"] is None  # javascript: link dropped
    body = client.get(
        "/api/hubs/nearest",
        params={"postcode": "LZ1 1AA", "category": "community_centre,church_hall"},
    ).json()
    assert [f["id"] for f in body["features"]] == ["A2", "A3"]
    body = client.get(
        "/api/hubs/nearest?postcode=LZ1+1AA&category=community_centre&category=church_hall"
    ).json()
    assert [f["id"] for f in body["features"]] == ["A2", "A3"]


@pytest.mark.parametrize("n", [0, 51, -3])
def test_n_out_of_range_is_422(client: TestClient, n: int) -> None:
    response = client.get("/api/hubs/nearest", params={"postcode": "LZ1 1AA", "n": n})
    assert_canonical_error(response, 422, mentions="n")


def test_swapped_lat_lon_is_422_saying_so(client: TestClient) -> None:
    response = client.get("/api/hubs/nearest", params={"lat": A1_LON, "lon": A1_LAT})
    assert_canonical_error(response, 422, mentions="wrong way round")


@pytest.mark.parametrize(("lat", "lon"), [(48.85, 2.35), (0, 0), (40.7, -74.0)])
def test_points_outside_great_britain_are_422(client: TestClient, lat: float, lon: float) -> None:
    response = client.get("/api/hubs/nearest", params={"lat": lat, "lon": lon})
    assert_canonical_error(response, 422, mentions="outside Great Britain")


@pytest.mark.parametrize(
    ("params", "status", "mentions"),
    [
        ({}, 422, "exactly one"),
        ({"postcode": "LZ1 1AA", "place": "Beeby"}, 422, "exactly one"),
        ({"lat": 52.6}, 422, "both lat and lon"),
        ({"lat": "north", "lon": 1}, 422, "lat"),
        ({"postcode": "LZ9 9ZZ"}, 404, "could not find the postcode LZ9 9ZZ"),
        ({"postcode": "LZ1"}, 422, "first half"),
        ({"postcode": "banana"}, 422, "does not look like a UK postcode"),
        ({"place": "Atlantis"}, 404, "could not find a place"),
        ({"postcode": "LZ1 1AA", "category": "community_cafe"}, 422, "Unknown hub category"),
    ],
)
def test_bad_queries_get_canonical_errors(
    client: TestClient, params: dict[str, object], status: int, mentions: str
) -> None:
    assert_canonical_error(client.get("/api/hubs/nearest", params=params), status,
                           mentions=mentions)


def test_nearest_follows_store_changes(client: TestClient) -> None:
    state = app_state(client.app)  # type: ignore[arg-type]
    store, catalog = state.store, state.catalog
    with store.transaction() as tx:
        tx.change(catalog["assets"], "A1", {"status": "closed"})
    ids = [f["id"] for f in client.get("/api/hubs/nearest?postcode=LZ1 1AA").json()["features"]]
    assert ids == ["A2", "A3"]


# -- pages -----------------------------------------------------------------------------------


