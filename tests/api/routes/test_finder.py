"""``/api/hubs/nearest`` and the public pages ``/find`` and ``/hubs/{id}``."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from assetmap.api.state import app_state
from tests.conftest import XSS_NAME, assert_canonical_error

A1_LAT, A1_LON = 52.6362, -1.2330  # near asset A1 (452000, 305000)
SCRIPT = "<script>alert('x')</script>"


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


def test_find_without_query_shows_a_labelled_form(client: TestClient) -> None:
    response = client.get("/find")
    assert response.status_code == 200
    text = response.text
    assert '<label for="q">' in text and 'id="q"' in text
    assert 'lang="en-GB"' in text and "Synthetic" in text
    assert "Nearest hubs" not in text


def test_find_by_postcode_lists_hubs_with_km_and_miles(client: TestClient) -> None:
    text = client.get("/find", params={"q": "lz1 1aa"}).text
    assert "Community hubs near LZ1 1AA" in text
    assert text.index("Ashby Village Hall") < text.index("Beeby Church Hall")
    assert "0.0 km (0.0 miles) away" in text and "5.0 km (3.1 miles) away" in text
    assert "Mon-Fri 9-5" in text and "Step-free access, Hearing loop" in text
    assert 'href="https://example.org/hall"' in text
    assert "javascript:alert" not in text
    assert "Old Hall" not in text and "Cotes Café" not in text
    assert html.escape(XSS_NAME) in text and XSS_NAME not in text


def test_find_by_place_category_and_point(client: TestClient) -> None:
    text = client.get("/find", params={"q": "Beeby", "category": "church_hall"}).text
    assert "Beeby Church Hall" in text and "Ashby Village Hall" not in text
    text = client.get("/find", params={"lat": A1_LAT, "lon": A1_LON}).text
    assert "the point you chose" in text and "Ashby Village Hall" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "LZ9 9ZZ"}, "We could not find the postcode LZ9 9ZZ"),
        ({"q": "LZ1"}, "only the first half of a postcode"),
        ({"q": "Atlantis"}, "We could not find a place called"),
        ({"lat": "0", "lon": "52"}, "outside Great Britain"),
        ({"lat": "-1.23", "lon": "52.6"}, "wrong way round"),
        ({"lat": "x", "lon": "1"}, "must both be numbers"),
        ({"q": "x" * 5000}, "We could not find a place called"),
    ],
)
def test_find_explains_problems_in_the_page(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/find", params=params)
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert html.escape(message, quote=True) in response.text or message in response.text
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    "payload",
    [SCRIPT, '"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "LZ1<svg onload=x>"],
)
def test_query_text_is_escaped_everywhere(client: TestClient, payload: str) -> None:
    for params in ({"q": payload}, {"q": payload, "lang": "en-easy"},
                   {"lat": payload, "lon": "1"}, {"q": "x", "category": payload}):
        text = client.get("/find", params=params).text
        assert payload not in text
        assert "<script>alert" not in text and "<img src=x" not in text


def test_ambiguous_place_offers_links_on_the_sample() -> None:
    from assetmap.api import create_app
    from assetmap.config import Settings

    with TestClient(create_app(Settings())) as sample:
        text = sample.get("/find", params={"q": "belby"}).text
        assert "Did you mean" in text
        assert 'href="/find?q=Belby+East+%28unparished%29"' in text
        body = sample.get("/api/hubs/nearest", params={"place": "Belby East"}).json()
        assert len(body["features"]) == 5


def test_hub_page_shows_details_and_correction_link(client: TestClient) -> None:
    text = client.get("/hubs/A1").text
    assert "<h1>Ashby Village Hall</h1>" in text
    assert "1 Main St, LZ1 1AA" in text and "Hearing loop" in text
    assert 'href="/hubs/A1/correction"' in text
    assert "2026-01-10" in text
    escaped = client.get("/hubs/A3").text
    assert XSS_NAME not in escaped and html.escape(XSS_NAME) in escaped


@pytest.mark.parametrize("hub_id", ["nope", "A4", "A5", "<script>"])
def test_unknown_non_hub_or_closed_id_is_a_friendly_404(client: TestClient, hub_id: str) -> None:
    response = client.get(f"/hubs/{hub_id}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "We could not find that hub" in response.text
    assert "<script>" not in response.text


def test_correction_page_names_the_configured_address(client: TestClient) -> None:
    text = client.get("/hubs/A1/correction").text
    assert "mailto:hub-corrections@council.example?subject=Correction" in text
    assert "check every suggestion by hand" in text
    assert client.get("/hubs/A5/correction").status_code == 404


def test_easy_read_and_language_choice(client: TestClient) -> None:
    text = client.get("/find", params={"q": "LZ1 1AA", "lang": "en-easy"}).text
    assert "Find a place to meet near you" in text
    assert "href=\"/hubs/A1?lang=en-easy\"" in text
    assert "km away. That is" in text
    text = client.get("/find", headers={"Accept-Language": "en-easy, en;q=0.5"}).text
    assert "Find a place to meet near you" in text
    assert "Standard version" in text


def test_page_errors_come_from_the_catalogue_in_the_chosen_language(client: TestClient) -> None:
    easy = client.get("/find", params={"q": "LZ9 9ZZ", "lang": "en-easy"}).text
    assert "We do not know the postcode LZ9 9ZZ" in easy
    standard = client.get("/find", params={"q": "LZ9 9ZZ"}).text
    assert "We could not find the postcode LZ9 9ZZ" in standard
    # Easy Read falls back to English for errors it does not word itself.
    assert "only the first half" in client.get("/find", params={"q": "LZ1", "lang": "en-easy"}).text
