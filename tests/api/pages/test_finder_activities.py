"""Activities on the residents' pages, on both backends: /find by words, day and audience;
a hub's "what's on here"; an organisation's page. Everything typed or stored stays text."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from shapely.geometry import Point

from assetmap.activities import next_occurrences
from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.conftest import XSS_NAME

ACTIVITIES = load_catalog(PROJECT_ROOT / "layers")["activities"]
ORGANISATIONS = load_catalog(PROJECT_ROOT / "layers")["organisations"]
ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


@pytest.fixture
def app_client(store_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_location))) as client:
        yield client


def activity_names(text: str) -> list[str]:
    part = text.split('id="activity-list"', 1)
    if len(part) < 2:
        return []
    items = part[1].split("</ol>", 1)[0].split('<li class="fd-activity">')[1:]
    return [html.unescape(i.split("<h3>", 1)[1].split("</h3>", 1)[0]) for i in items]


def test_words_and_a_postcode_find_activities_with_when_where_who_and_cost(
    app_client: TestClient,
) -> None:
    response = app_client.get("/find", params={"q": "LZ1 1AA", "what": "dementia cafe"})
    assert response.status_code == 200
    text = response.text
    assert activity_names(text) == ["Memory Café"]
    entry = text.split('id="activity-list"', 1)[1]
    assert "Thursday" in entry and "2pm to 4pm" in entry  # Th[2] 14:00-16:00
    assert "People living with dementia, Carers" in entry
    assert "Free" in entry
    assert 'href="/organisations/O3"' in entry and "Shire Age Concern" in entry
    assert "10.0 km (6.2 miles) away" in entry
    assert 'id="activities-straight-line">Distances are in a straight line' in text
    assert 'value="dementia cafe"' in text  # the words stay in the form
    easy = app_client.get("/find", params={"q": "LZ1 1AA", "what": "dementia cafe",
                                           "lang": "en-easy"}).text
    assert "About 6 miles away" in easy.split('id="activity-list"', 1)[1]


def test_words_without_a_place_search_the_whole_county(app_client: TestClient) -> None:
    text = app_client.get("/find", params={"what": "toddlers"}).text
    assert activity_names(text) == ["Stay and Play"]
    assert "across the area" in text
    assert "activities-straight-line" not in text  # no place, so no distances


def test_day_and_audience_filter_what_is_near(app_client: TestClient) -> None:
    near = {"q": "LZ2 1AA"}
    assert activity_names(app_client.get("/find", params={**near, "day": "we"}).text) == [
        "Friendship Lunch"]
    assert activity_names(app_client.get("/find", params={**near, "audience": "children"}
                                         ).text) == ["Stay and Play"]
    none = app_client.get("/find", params={**near, "what": "lunch", "day": "mo"}).text
    assert activity_names(none) == [] and "We found no activities" in none


def test_an_unknown_day_is_explained_not_an_error_page(app_client: TestClient) -> None:
    response = app_client.get("/find", params={"q": "LZ1 1AA", "day": "funday"})
    assert response.status_code == 422  # the form page, its error at the day field
    assert response.headers["content-type"].startswith("text/html")
    assert '<a href="#day">Choose a day from the list.</a>' in response.text


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', '"yoga*', "NEAR("]
)
def test_search_text_is_escaped_where_echoed_and_never_breaks_the_search(
    app_client: TestClient, payload: str
) -> None:
    response = app_client.get("/find", params={"q": "LZ1 1AA", "what": payload})
    assert response.status_code == 200
    text = response.text
    assert f'value="{escape(payload)}"' in text  # in the form, as typed
    assert f"You searched for: {escape(payload)}" in text
    assert payload == str(escape(payload)) or payload not in text


def test_searching_places_by_words(app_client: TestClient) -> None:
    text = app_client.get("/find", params={"q": "LZ1 1AA", "what": "church"}).text
    results = text.split('id="results-heading"', 1)[1]
    assert "Places matching your search" in results.split("</h2>", 1)[0]
    assert "Beeby Church Hall" in results and "Ashby Village Hall" not in results


def test_a_hub_shows_whats_on_there_soonest_first(app_client: TestClient) -> None:
    text = app_client.get("/hubs/A3").text
    section = text.split('id="whats-on-heading"', 1)[1].split("</section>", 1)[0]
    starts = {name: next_occurrences(schedule, 1)[0].start for name, schedule in
              (("Stay and Play", "Tu 09:30-11:30; PH off"), ("Memory Café", "Th[2] 14:00-16:00"))}
    soonest, later = sorted(starts, key=starts.__getitem__)
    assert section.index(soonest) < section.index(later)
    assert "<table" in section and '<th scope="col">When</th>' in section
    assert "Westtown Good Neighbours" in section and "Shire Age Concern" in section
    assert "Families, Children (ages 0 to 4)" in section


def test_a_hub_with_nothing_on_says_so(store_location: str) -> None:
    # Every open hub of the tiny county has something on; a new hall has nothing yet.
    store = open_store(store_location)
    try:
        with store.transaction() as tx:
            tx.add(ASSETS, {"id": "A9", "name": "New Hall", "category": "village_hall",
                            "status": "open"}, Point(457_000, 306_000))
    finally:
        store.close()
    with TestClient(create_app(Settings(store=store_location))) as app_client:
        _says_nothing_is_on(app_client)


def _says_nothing_is_on(app_client: TestClient) -> None:
    text = app_client.get("/hubs/A9").text
    assert "No activities are listed here yet" in text
    easy = app_client.get("/hubs/A9", params={"lang": "en-easy"}).text
    assert "Things to do here" in easy and "We do not know of anything on here yet" in easy


def test_an_organisation_page_lists_where_and_when_with_links_to_hubs(
    app_client: TestClient,
) -> None:
    response = app_client.get("/organisations/O3")
    assert response.status_code == 200
    text = response.text
    assert "<h1>Shire Age Concern</h1>" in text and "9900001" in text
    table = text.split('id="where-when-heading"', 1)[1]
    assert "Friendship Lunch" in table and "Memory Café" in table
    assert 'href="/hubs/A1"' in table  # Friendship Lunch at Ashby Village Hall
    assert 'href="/hubs/A2"' in table and "Beeby Church Hall" in table  # Memory Café's second


def test_an_organisation_that_runs_nothing_now_and_one_unknown(app_client: TestClient) -> None:
    assert "We do not know of any activities" in app_client.get("/organisations/O1").text
    missing = app_client.get("/organisations/nobody")
    assert missing.status_code == 404 and "Organisation not found" in missing.text


def test_names_from_the_data_stay_text(store_location: str) -> None:
    store = open_store(store_location)
    with store.transaction() as tx:
        tx.change(ACTIVITIES, "AC2", {"name": XSS_NAME, "cost": XSS_NAME})
        tx.change(ORGANISATIONS, "O2", {"name": XSS_NAME})
    store.close()
    with TestClient(create_app(Settings(store=store_location))) as client:
        for path in ("/hubs/A3", "/organisations/O2", "/find?what=play&q=LZ2+1AA"):
            text = client.get(path).text
            assert XSS_NAME not in text and html.escape(XSS_NAME) in text, path


def test_the_api_searches_activities_near_a_postcode(app_client: TestClient) -> None:
    response = app_client.get("/api/activities/search",
                              params={"what": "toddler", "postcode": "LZ1 1AA", "day": "tu"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"]["place"]["label"] == "LZ1 1AA" and body["query"]["day"] == "tu"
    [found] = body["activities"]
    assert found["name"] == "Stay and Play" and found["venue"]["id"] == "A3"
    assert found["organisation"]["page"] == "/organisations/O2"
    assert found["next_sessions"][0]["start"].endswith(("+00:00", "+01:00"))
    assert found["distance_m"] == pytest.approx(10_000, abs=20)


def test_the_api_refuses_bad_input_with_the_canonical_error(app_client: TestClient) -> None:
    for params in ({"what": "yoga", "day": "funday"}, {"what": "yoga", "audience": "x"}, {},
                   {"what": "yoga", "postcode": "LZ1 1AA", "place": "Beeby"}):
        response = app_client.get("/api/activities/search", params=params)
        assert response.status_code in (400, 422), params
        error = response.json()["error"]
        assert set(error) >= {"status", "code", "message", "details"}
    quoted = app_client.get("/api/activities/search", params={"what": '"*NEAR(-'})
    assert quoted.status_code == 200 and quoted.json()["activities"] == []
