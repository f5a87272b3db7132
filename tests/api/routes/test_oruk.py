"""Open Referral UK ``/oruk/services``: paginated envelope, required fields, by distance."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.conftest import assert_canonical_error

ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
            "empty", "contents"}


def test_services_by_postcode_and_proximity_ordered_by_distance(client: TestClient) -> None:
    body = client.get("/oruk/services", params={"postcode": "lz1 1aa", "proximity": 6000}).json()
    assert set(body) == ENVELOPE
    assert body["total_items"] == 2 and body["total_pages"] == 1 and body["size"] == 2
    assert body["first_page"] and body["last_page"] and not body["empty"]
    names = [s["name"] for s in body["contents"]]
    assert names == ["Ashby Village Hall", "Beeby Church Hall"]
    distances = [s["distance"] for s in body["contents"]]
    assert distances == sorted(distances)


def test_service_has_the_fields_the_standard_requires(client: TestClient) -> None:
    service = client.get("/oruk/services", params={"postcode": "LZ1 1AA"}).json()["contents"][0]
    for required in ("id", "name", "description", "url", "status"):
        assert required in service
    assert "email" not in service  # unknown optional strings are left out, never null
    uuid.UUID(service["id"])  # HSDS 3.0 ids are UUIDs
    assert service["status"] == "active"
    assert service["url"] == "https://example.org/hall"
    link = service["service_at_locations"][0]
    location = link["location"]
    assert link["service_id"] == service["id"] and link["location_id"] == location["id"]
    assert location["location_type"] == "physical"
    assert -1.3 < location["longitude"] < -1.1 and 52.5 < location["latitude"] < 52.7
    address = location["addresses"][0]
    assert address["postal_code"] == "LZ1 1AA" and address["country"] == "GB"
    assert [a["description"] for a in location["accessibility"]] == ["step free", "hearing loop"]
    assert service["schedules"][0]["description"] == "Mon-Fri 9-5"
    again = client.get("/oruk/services", params={"postcode": "LZ1 1AA"}).json()["contents"][0]
    assert again["id"] == service["id"]  # stable ids


def test_pagination(client: TestClient) -> None:
    pages = [client.get("/oruk/services", params={"postcode": "LZ2 1AA", "per_page": 2, "page": p})
             .json() for p in (1, 2, 3)]
    assert [p["size"] for p in pages] == [2, 1, 0]
    assert [p["first_page"] for p in pages] == [True, False, False]
    assert [p["last_page"] for p in pages] == [False, True, True]
    assert pages[2]["empty"] and all(p["total_items"] == 3 for p in pages)
    assert [s["assetmap_id"] for p in pages for s in p["contents"]] == ["A3", "A2", "A1"]


def test_without_postcode_lists_every_hub(client: TestClient) -> None:
    body = client.get("/oruk/services").json()
    assert body["total_items"] == 3
    assert "distance" not in body["contents"][0]


@pytest.mark.parametrize(
    ("params", "status", "mentions"),
    [
        ({"proximity": 1000}, 422, "needs a postcode"),
        ({"postcode": "LZ9 9ZZ"}, 404, "LZ9 9ZZ"),
        ({"postcode": "nonsense"}, 422, "postcode"),
        ({"postcode": "LZ1 1AA", "proximity": -5}, 422, "proximity"),
        ({"per_page": 0}, 422, "per_page"),
        ({"page": 0}, 422, "page"),
    ],
)
def test_bad_queries(client: TestClient, params: dict[str, object], status: int,
                     mentions: str) -> None:
    assert_canonical_error(client.get("/oruk/services", params=params), status, mentions=mentions)
