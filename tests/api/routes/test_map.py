"""``/api/map/context`` (outlines and place names for maps with no tile server) and
``/api/map/search`` (the officer map's search), on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from tests.conftest import assert_canonical_error


@pytest.fixture
def either(store_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_location))) as test_client:
        yield test_client


def test_the_context_has_outlines_and_place_names(either: TestClient) -> None:
    response = either.get("/api/map/context")
    assert response.status_code == 200
    body = response.json()
    assert body["detail"] == "coarse"
    [districts] = body["districts"]["features"]  # every boundary once, as lines
    assert districts["geometry"]["type"] in ("LineString", "MultiLineString")
    assert body["parishes"]["features"]
    names = {place["name"]: place for place in body["places"]}
    # The unparished area names its town (rank 1, shown first); parishes are rank 2.
    assert names["Westtown"]["rank"] == 1 and names["Ashby Parva"]["rank"] == 2
    assert -1.4 < names["Beeby"]["lon"] < -1.0 and 52.5 < names["Beeby"]["lat"] < 52.8
    assert [p["rank"] for p in body["places"]] == sorted(p["rank"] for p in body["places"])


def test_names_alone_are_small_and_answers_are_revalidated(either: TestClient) -> None:
    names = either.get("/api/map/context", params={"outlines": "false"})
    assert set(names.json()) == {"detail", "places"}
    etag = names.headers["etag"]
    again = either.get("/api/map/context", params={"outlines": "false"},
                       headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_the_context_refuses_an_unknown_detail(either: TestClient) -> None:
    assert_canonical_error(either.get("/api/map/context", params={"detail": "huge"}), 422,
                           mentions="detail")


def test_search_finds_postcodes_places_and_assets_by_name(either: TestClient) -> None:
    postcode = either.get("/api/map/search", params={"q": "lz1 1aa"}).json()["results"]
    assert [(h["label"], h["kind"], h["zoom"]) for h in postcode] == [
        ("LZ1 1AA", "postcode", 16)]
    place = either.get("/api/map/search", params={"q": "Beeby"}).json()["results"]
    assert place[0]["kind"] == "place" and place[0]["label"].startswith("Beeby")
    assert ("Beeby Church Hall", "asset", "A2") in {(h["label"], h["kind"], h["id"])
                                                   for h in place}
    asset = either.get("/api/map/search", params={"q": "Village Hall"}).json()["results"]
    # The name first; then Old Hall, a village hall by its category.
    assert [(h["label"], h["id"]) for h in asset] == [("Ashby Village Hall", "A1"),
                                                      ("Old Hall", "A5")]
    assert either.get("/api/map/search", params={"q": "Nowhere Whatsoever"}).json()[
        "results"] == []
    assert_canonical_error(either.get("/api/map/search", params={"q": ""}), 422, mentions="q")
