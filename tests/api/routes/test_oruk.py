"""Open Referral UK 3.0 at ``/oruk``: every endpoint the validator checks, in its order, valid by
the profile's own schemas, on both backends; services are the tiny county's activities."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.oruk import DocumentKind, ProfileSchemas, oruk_id
from tests.conftest import assert_canonical_error, tiny_tables
from tests.oruk.conftest import profile_schemas

ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
            "empty", "contents"}


@pytest.fixture
def schemas() -> ProfileSchemas:
    return profile_schemas()


@pytest.fixture
def api(store_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_location))) as client:
        yield client


def _valid(client: TestClient, url: str, kind: DocumentKind, checker: ProfileSchemas,
           **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert checker.problems(kind, body) == [], url
    return body


def test_the_validators_walk_passes_on_both_backends(api: TestClient,
                                                     schemas: ProfileSchemas) -> None:
    """GET / for the profile, /services, each /services/{id}, then the taxonomies."""
    root = _valid(api, "/oruk/", "root", schemas)
    assert root["version"] == "HSDS-UK-3.0"
    listed = _valid(api, "/oruk/services", "service_list", schemas)
    assert set(listed) == ENVELOPE and listed["total_items"] == 4
    for item in listed["contents"]:
        full = _valid(api, f"/oruk/services/{item['id']}", "service", schemas)
        assert full["id"] == item["id"] and full["name"] == item["name"]
        # The finding the issue names: each term has the description the profile requires.
        assert all(a["taxonomy_term"]["description"] for a in full["attributes"])
    taxonomies = _valid(api, "/oruk/taxonomies", "taxonomy_list", schemas)
    for item in taxonomies["contents"]:
        _valid(api, f"/oruk/taxonomies/{item['id']}", "taxonomy", schemas)


def test_organisations_and_terms_follow_the_profile(client: TestClient,
                                                    schemas: ProfileSchemas) -> None:
    orgs = _valid(client, "/oruk/organizations", "organization_list", schemas)
    assert [o["name"] for o in orgs["contents"]] == [
        "Ashby Parva Parish Council", "Shire Age Concern", "Westtown Good Neighbours"]
    for item in orgs["contents"]:
        _valid(client, f"/oruk/organizations/{item['id']}", "organization", schemas)
    terms = _valid(client, "/oruk/taxonomy_terms", "taxonomy_term_list", schemas,
                   per_page=200)
    for item in terms["contents"][:3]:
        _valid(client, f"/oruk/taxonomy_terms/{item['id']}", "taxonomy_term", schemas)
    _valid(client, "/oruk/services", "service_list", schemas, postcode="LZ1 1AA")


def test_a_service_says_who_when_where_and_what_it_costs(client: TestClient) -> None:
    lunch = client.get(f"/oruk/services/{oruk_id('service', 'AC1')}").json()
    assert lunch["name"] == "Friendship Lunch" and lunch["status"] == "active"
    assert lunch["organization"]["name"] == "Shire Age Concern"
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in lunch["schedules"]] \
        == [("WEEKLY", "WE", "12:00:00", "14:00:00")]
    [link] = lunch["service_at_locations"]
    location = link["location"]
    assert location["name"] == "Ashby Village Hall" and location["id"] == oruk_id("location", "A1")
    assert -1.3 < location["longitude"] < -1.1 and 52.5 < location["latitude"] < 52.7
    assert location["addresses"][0]["postal_code"] == "LZ1 1AA"
    assert [a["description"] for a in location["accessibility"]] == ["step free", "hearing loop"]
    assert lunch["cost_options"][0]["amount"] == 4.0
    assert {a["taxonomy_term"]["name"] for a in lunch["attributes"]} == {"Lunch club",
                                                                         "Older people"}
    cafe = client.get(f"/oruk/services/{oruk_id('service', 'AC3')}").json()
    assert cafe["schedules"][0]["byday"] == "2TH" and cafe["schedules"][0]["freq"] == "MONTHLY"
    # Each asset it names, in order, as a location (the first named like HTML, kept as text).
    tables = tiny_tables()
    assets = dict(zip(tables["assets"]["id"], tables["assets"]["name"], strict=True))
    named = tables["activities"].set_index("id").loc["AC3", "asset_ids"].split(";")
    assert [s["location"]["name"] for s in cafe["service_at_locations"]] == [
        assets[a] for a in named]
    assert cafe["service_at_locations"][0]["location"]["name"] == "<img src=x onerror=alert(1)>"
    ended = client.get(f"/oruk/services/{oruk_id('service', 'AC4')}").json()
    assert ended["status"] == "defunct"


def test_by_postcode_and_proximity_nearest_first(client: TestClient) -> None:
    body = client.get("/oruk/services", params={"postcode": "lz1 1aa", "proximity": 6000}).json()
    # The memory café runs at A2 too (the tiny county's two-place activity), within 6 km.
    assert [s["name"] for s in body["contents"]] == ["Friendship Lunch",
                                                     "Old Hall Knit and Natter", "Memory Café"]
    distances = [s["distance"] for s in body["contents"]]
    assert distances == sorted(distances) and distances[0] < 20


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"search": "toddler"}, ["Stay and Play"]),  # the category's name
        ({"search": "café"}, ["Memory Café"]),
        ({"search": "Age Concern lunch"}, ["Friendship Lunch"]),  # organisation and name
        ({"taxonomy_term_id": "dementia_cafe"}, ["Memory Café"]),
        ({"taxonomy_term_id": oruk_id("taxonomy_term", "audience", "carers")}, ["Memory Café"]),
        ({"organization_id": oruk_id("organization", "O2")}, ["Stay and Play"]),
    ],
)
def test_search_and_filters(client: TestClient, params: dict[str, str],
                            names: list[str]) -> None:
    body = client.get("/oruk/services", params=params).json()
    assert [s["name"] for s in body["contents"]] == names


def test_pages(client: TestClient) -> None:
    pages = [client.get("/oruk/services", params={"per_page": 3, "page": p}).json()
             for p in (1, 2, 3)]
    assert [p["size"] for p in pages] == [3, 1, 0]
    assert [(p["first_page"], p["last_page"], p["empty"]) for p in pages] == [
        (True, False, False), (False, True, False), (False, True, True)]


def test_an_edit_is_published_at_once(client: TestClient) -> None:
    from assetmap.api.state import app_state

    state = app_state(client.app)  # type: ignore[arg-type]
    url = f"/oruk/services/{oruk_id('service', 'AC2')}"
    assert client.get(url).json()["name"] == "Stay and Play"
    with state.store.transaction() as tx:
        tx.change(state.catalog["activities"], "AC2", {"name": "Stay, Play and Sing"})
    assert client.get(url).json()["name"] == "Stay, Play and Sing"


@pytest.mark.parametrize("path", ["services", "organizations", "taxonomies", "taxonomy_terms"])
def test_unknown_ids_are_404_with_the_error_body(client: TestClient, path: str) -> None:
    assert_canonical_error(client.get(f"/oruk/{path}/not-an-id"), 404, mentions="for the ids")


@pytest.mark.parametrize(
    ("params", "status", "mentions"),
    [
        ({"proximity": 1000}, 422, "needs a postcode"),
        ({"postcode": "LZ9 9ZZ"}, 404, "LZ9 9ZZ"),
        ({"postcode": "nonsense"}, 422, "postcode"),
        ({"postcode": "LZ1 1AA", "proximity": -5}, 422, "proximity"),
        ({"per_page": 0}, 422, "per_page"),
        ({"per_page": 201}, 422, "per_page"),
        ({"page": 0}, 422, "page"),
        ({"taxonomy_term_id": "knitting"}, 422, "no taxonomy term"),
        ({"search": "x" * 201}, 422, "search"),
    ],
)
def test_bad_queries(client: TestClient, params: dict[str, object], status: int,
                     mentions: str) -> None:
    assert_canonical_error(client.get("/oruk/services", params=params), status, mentions=mentions)
