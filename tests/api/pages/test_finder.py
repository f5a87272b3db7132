"""The residents' pages ``/find`` and ``/hubs/{id}``."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.conftest import XSS_NAME

A1_LAT, A1_LON = 52.6362, -1.2330  # near asset A1 (452000, 305000)
SCRIPT = "<script>alert('x')</script>"


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
    assert "Less than 100 metres away" in text and "5.0 km (3.1 miles) away" in text
    assert not re.search(r"\b0\.0 km", text)
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
        ({"q": "LZ9"}, "only the first half of a postcode"),
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
    assert response.status_code == 422
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
        response = client.get("/find", params=params)
        text = response.text
        assert response.status_code == 422 and 'role="alert"' in text  # explained, not a crash
        assert payload not in text
        assert "<script>alert" not in text and "<img src=x" not in text
        if params.get("q") == payload:  # what was typed is shown back, escaped
            assert str(escape(payload)) in text


def test_ambiguous_place_offers_links_on_the_sample() -> None:
    from assetmap.api import create_app
    from assetmap.config import Settings

    with TestClient(create_app(Settings())) as sample:
        text = sample.get("/find", params={"q": "belby"}).text
        assert "Choose the place you mean:" in text  # several places start with it
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
    assert "Less than 100 metres away" in text and "About 3 miles away" in text
    assert " km" not in text.split("<main", 1)[1]
    text = client.get("/find", headers={"Accept-Language": "en-easy, en;q=0.5"}).text
    assert "Find a place to meet near you" in text
    assert "Standard version" in text


def test_page_errors_come_from_the_catalogue_in_the_chosen_language(client: TestClient) -> None:
    easy = client.get("/find", params={"q": "LZ9 9ZZ", "lang": "en-easy"}).text
    assert "We do not know the postcode LZ9 9ZZ" in easy
    standard = client.get("/find", params={"q": "LZ9 9ZZ"}).text
    assert "We could not find the postcode LZ9 9ZZ" in standard
    # Easy Read falls back to English for errors it does not word itself.
    assert "only the first half" in client.get("/find", params={"q": "LZ9", "lang": "en-easy"}).text
