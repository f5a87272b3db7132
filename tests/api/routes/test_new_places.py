"""``POST /api/new-places`` (and ``/check``) on both backends: a new place is queued with its
possible duplicates, bad input gets the canonical 422 naming each field, and the size and
hourly limits hold; officers see it in ``/api/corrections`` and accepting creates the asset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.audit import AUDIT_TABLE
from assetmap.store import open_store
from tests.api.correcting import officer_bearer, suggestions_in
from tests.conftest import assert_canonical_error

API = "/api/new-places"
HUT = {"name": "Beeby Scout Hut", "category": "community_centre", "postcode": "LZ2 1AA",
       "contact": "cubs@example.org"}


@pytest.fixture
def api(store_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_location, corrections_per_hour=3))) as client:
        yield client


@pytest.fixture
def officer(store_location: str) -> dict[str, str]:
    return officer_bearer(store_location)


stored = suggestions_in


def test_a_new_place_is_queued_and_its_possible_duplicates_listed(
    api: TestClient, store_location: str
) -> None:
    response = api.post(API, json={**HUT, "name": "Ashby Hall", "postcode": "lz1 1aa"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["id"], body["status"], body["district_code"]) == (1, "pending", "E07999001")
    assert round(body["longitude"], 3) == -1.233 and round(body["latitude"], 3) == 52.640
    (duplicate,) = body["possible_duplicates"]
    assert duplicate == {"id": "A1", "name": "Ashby Village Hall", "similarity": 100.0,
                         "distance_m": 14.0, "same_postcode": True,
                         "correction_url": "/hubs/A1/correction"}
    (row,) = stored(store_location)
    assert (row["kind"], row["contact"], row["feature_id"]) == (
        "new_place", "cubs@example.org", "")


def test_checking_stores_nothing(api: TestClient, store_location: str) -> None:
    response = api.post(f"{API}/check", json=HUT)
    assert response.status_code == 200
    assert response.json()["possible_duplicates"] == []
    assert stored(store_location) == []


@pytest.mark.parametrize(("change", "field", "mentions"), [
    ({"postcode": "LZ1"}, "postcode", "not a full UK postcode"),
    ({"postcode": "LE1 1AA"}, "postcode", "not a postcode in the county"),
    ({"postcode": None, "longitude": -3.0, "latitude": 53.0}, "position", "outside the county"),
    ({"category": "Village hall"}, "category", "not one of the kinds"),
    ({"contact": "cubs@"}, "contact", "not an email address"),
    ({"name": 7}, "name", "must be text"),
])
def test_bad_input_is_a_canonical_422_naming_the_field(
    api: TestClient, store_location: str, change: dict[str, Any], field: str, mentions: str
) -> None:
    error = assert_canonical_error(api.post(API, json={**HUT, **change}), 422,
                                   mentions=mentions)
    assert [d["field"] for d in error["details"]] == [field]
    assert stored(store_location) == []


def test_unknown_fields_and_oversized_bodies_are_refused(api: TestClient) -> None:
    assert_canonical_error(api.post(API, json={**HUT, "status": "open"}), 422)
    assert_canonical_error(api.post(API, json={**HUT, "message": "m" * 17_000}), 413)


def test_the_hourly_limit_counts_corrections_too(api: TestClient) -> None:
    assert api.post("/api/corrections", json={"feature_id": "A1", "message": "Hi"}
                    ).status_code == 201
    assert api.post(API, json=HUT).status_code == 201
    assert api.post(API, json=HUT).status_code == 201
    refused = api.post(API, json=HUT)
    assert_canonical_error(refused, 429)
    assert int(refused.headers["retry-after"]) > 3_000


def test_officers_see_the_new_place_and_accepting_creates_the_asset(
    api: TestClient, officer: dict[str, str], store_location: str
) -> None:
    api.post(API, json=HUT)
    listed = api.get("/api/corrections", params={"kind": "new_place"}, headers=officer)
    assert listed.status_code == 200
    (entry,) = listed.json()["corrections"]
    assert (entry["kind"], entry["author"], entry["feature_id"], entry["etag"]) == (
        "new_place", None, "", None)
    assert entry["position"] == {"type": "Point", "coordinates": [
        pytest.approx(-1.0858, abs=1e-3), pytest.approx(52.6396, abs=1e-3)]}
    accepted = api.post(f"/api/corrections/{entry['id']}/accept", headers=officer,
                        json={"edits": {"name": "Beeby Scout and Guide Hut"}})
    assert accepted.status_code == 200, accepted.text
    created_id = accepted.json()["feature_id"]
    asset = api.get(f"/api/layers/assets/items/{created_id}").json()["properties"]
    assert (asset["name"], asset["category"], asset["postcode"], asset["status"]) == (
        "Beeby Scout and Guide Hut", "community_centre", "LZ2 1AA", "open")
    store = open_store(store_location)
    try:
        actions = {r["action"] for r in store.records(AUDIT_TABLE,
                                                       where={"feature_id": created_id})}
    finally:
        store.close()
    assert actions == {"create"}
    assert api.get("/api/corrections", params={"kind": "new_place"},
                   headers=officer).json()["total"] == 0


def test_the_officers_list_refuses_an_unknown_kind(
    api: TestClient, officer: dict[str, str]
) -> None:
    assert_canonical_error(api.get("/api/corrections", params={"kind": "complaint"},
                                   headers=officer), 422)
