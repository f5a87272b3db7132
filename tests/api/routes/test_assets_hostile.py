"""Issue 15: the officer API stored what imports refuse. Now every value goes through the
field rules, positions must lie in the county and geometries must be what the layer holds;
each refusal is a 422 with the canonical body and nothing is stored (both backends)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.conftest import assert_canonical_error
from tests.hostile import HOSTILE_VALUES, hostile_id

ITEMS = "/api/layers/assets/items"
INSIDE = [-1.24, 52.62]


@pytest.fixture
def officer_api(store_location: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    store = open_store(store_location)
    try:
        token = add_user(store, "olive.officer", "officer")
    finally:
        store.close()
    with TestClient(create_app(Settings(store=store_location))) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def hall(where: dict[str, Any] | None = None, /, **changes: object) -> dict[str, Any]:
    properties: dict[str, object] = {
        "id": "A10", "name": "Ashby New Hall", "category": "village_hall", "status": "open",
    }
    properties.update(changes)
    return {"type": "Feature", "properties": properties,
            "geometry": where or {"type": "Point", "coordinates": INSIDE}}


def count(api: TestClient) -> int:
    response = api.get("/api/layers/assets")
    assert response.status_code == 200, response.text
    return len(response.json()["features"])


@pytest.mark.parametrize(("field", "value", "says"), HOSTILE_VALUES,
                         ids=[hostile_id(f, v) for f, v, _ in HOSTILE_VALUES])
def test_a_hostile_value_is_refused_on_create_and_nothing_is_stored(
    officer_api: tuple[TestClient, dict[str, str]], field: str, value: str, says: str
) -> None:
    api, officer = officer_api
    before = count(api)
    response = api.post(ITEMS, json=hall(**{field: value}), headers=officer)
    error = assert_canonical_error(response, 422, mentions=says)
    [detail] = [d for d in error["details"] if d["field"] == field]
    assert says in detail["problem"] and detail["fix"]
    assert count(api) == before


@pytest.mark.parametrize(("field", "value", "says"),
                         [c for c in HOSTILE_VALUES if c[0] != "id"],
                         ids=[hostile_id(f, v) for f, v, _ in HOSTILE_VALUES if f != "id"])
def test_a_hostile_value_is_refused_on_change_and_the_asset_is_unchanged(
    officer_api: tuple[TestClient, dict[str, str]], field: str, value: str, says: str
) -> None:
    api, officer = officer_api
    current = api.get(f"{ITEMS}/A1")
    response = api.patch(f"{ITEMS}/A1", json={"properties": {field: value}},
                         headers={**officer, "If-Match": current.headers["ETag"]})
    assert_canonical_error(response, 422, mentions=says)
    assert api.get(f"{ITEMS}/A1").json() == current.json()


def test_values_are_stored_in_their_tidy_form(
    officer_api: tuple[TestClient, dict[str, str]]
) -> None:
    api, officer = officer_api
    response = api.post(ITEMS, headers=officer, json=hall(
        postcode="lz1 0rx", email="Pat@Example.ORG", accessibility="parking; step_free;",
        phone="0116  496 0123", name="  Ashby New Hall "))
    assert response.status_code == 201, response.text
    properties = api.get(f"{ITEMS}/A10").json()["properties"]
    assert (properties["postcode"], properties["email"], properties["accessibility"],
            properties["phone"], properties["name"]) == (
        "LZ1 0RX", "Pat@example.org", "parking;step_free", "0116 496 0123", "Ashby New Hall")


def test_a_position_outside_the_county_is_refused_with_the_nearest_district(
    officer_api: tuple[TestClient, dict[str, str]]
) -> None:
    api, officer = officer_api
    far = {"type": "Point", "coordinates": [-1.6, 52.62]}  # ~24 km west of Westshire
    error = assert_canonical_error(api.post(ITEMS, json=hall(far), headers=officer), 422,
                                   mentions="outside the county")
    assert "from the nearest district, Westshire" in error["message"]
    assert error["details"][0]["field"] == "geometry"
    assert api.get(f"{ITEMS}/A10").status_code == 404
    etag = api.get(f"{ITEMS}/A1").headers["ETag"]
    moved = api.patch(f"{ITEMS}/A1", json={"geometry": far},
                      headers={**officer, "If-Match": etag})
    assert_canonical_error(moved, 422, mentions="outside the county")
    assert api.get(f"{ITEMS}/A1").headers["ETag"] == etag


@pytest.mark.parametrize(("geometry", "says"), [
    ({"type": "Circle", "coordinates": INSIDE, "radius": 5}, "'Circle' is not a GeoJSON"),
    ({"type": "Point", "coordinates": [*INSIDE, 120.5]}, "height (a third coordinate, z)"),
    ({"type": "LineString", "coordinates": [INSIDE, [-1.23, 52.62]]}, "holds Point"),
    ({"type": "Point", "coordinates": "-1.24,52.62"}, "could not be read"),
    ({"type": "Point", "coordinates": [-1.24]}, "could not be read"),
    ({"type": ["Point"], "coordinates": INSIDE}, "not a GeoJSON geometry type"),
])
def test_geometries_a_layer_cannot_hold_are_refused_not_a_500(
    officer_api: tuple[TestClient, dict[str, str]], geometry: dict[str, Any], says: str
) -> None:
    api, officer = officer_api
    assert_canonical_error(api.post(ITEMS, json=hall(geometry), headers=officer), 422,
                           mentions=says)
    assert api.get(f"{ITEMS}/A10").status_code == 404
