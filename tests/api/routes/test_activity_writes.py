"""Officers add, change and delete organisations and activities through the generic item
routes, on both backends; every write is audited, and a bad reference, schedule or audience
is refused by name (422) with nothing written."""

# ruff: noqa: F811  (the imported `api` fixture is taken as a parameter)
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.routes.test_assets import api  # noqa: F401  (the API on each backend)
from tests.conftest import assert_canonical_error

ACTIVITIES = "/api/layers/activities/items"
ORGANISATIONS = "/api/layers/organisations/items"


@pytest.fixture
def officer(store_location: str) -> dict[str, str]:
    store = open_store(store_location)
    try:
        return {"Authorization": f"Bearer {add_user(store, 'olive.officer', 'officer')}"}
    finally:
        store.close()


def new_activity(**changes: object) -> dict[str, object]:
    properties: dict[str, object] = {
        "id": "AC9", "name": "Warm Welcome", "category": "warm_space", "asset_ids": "A1;A2",
        "organisation_id": "O1", "schedule": "Nov-Mar Mo,Th 10:00-16:00",
        "audience": "everyone", "cost": "free", "status": "active",
    }
    properties.update(changes)
    return {"type": "Feature", "properties": properties}


def test_an_activity_is_added_changed_and_deleted_with_an_audit_trail(
    api: TestClient, officer: dict[str, str]
) -> None:
    created = api.post(ACTIVITIES, json=new_activity(), headers=officer)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["geometry"] is None and body["properties"]["asset_ids"] == "A1;A2"
    assert body["properties"]["last_verified"]  # stamped today, as for assets
    changed = api.patch(f"{ACTIVITIES}/AC9", json={"properties": {"schedule": "Tu 10:00-12:00"}},
                        headers={**officer, "If-Match": created.headers["ETag"]})
    assert changed.status_code == 200, changed.text
    assert api.get(f"{ACTIVITIES}/AC9").json()["properties"]["schedule"] == "Tu 10:00-12:00"
    deleted = api.delete(f"{ACTIVITIES}/AC9",
                         headers={**officer, "If-Match": changed.headers["ETag"]})
    assert deleted.status_code == 204
    log = api.get("/api/audit", params={"feature_id": "AC9"}, headers=officer).json()
    assert {e["action"] for e in log["entries"]} == {"create", "change", "delete"}
    change = next(e for e in log["entries"] if e["action"] == "change")
    assert (change["layer"], change["field"], change["after"]) == (
        "activities", "schedule", '"Tu 10:00-12:00"')
    assert api.get(f"{ACTIVITIES}/AC9").status_code == 404


def test_an_organisation_without_an_id_gets_one_that_says_what_it_is(
    api: TestClient, officer: dict[str, str]
) -> None:
    created = api.post(ORGANISATIONS, json={"properties": {
        "name": "Beeby Book Club", "kind": "voluntary_group", "areas_served": "E04999002"}},
        headers=officer)
    assert created.status_code == 201, created.text
    assert created.json()["id"].startswith("O-")
    assert api.get("/api/layers/organisations").json()["features"][-1]["geometry"] is None


@pytest.mark.parametrize(("changes", "field", "mentions"), [
    ({"asset_ids": "A1;A99"}, "asset_ids", "no asset with id 'A99'"),
    ({"organisation_id": "O99"}, "organisation_id", "no organisation with id 'O99'"),
    ({"schedule": "Tuesdays 10-12"}, "schedule", "not valid opening_hours syntax at character"),
    ({"audience": "everyone;pensioners"}, "audience",
     "lists 'pensioners', not among the known values"),
    ({"category": "bingo"}, "category", "must be one of"),
    ({"age_min": 12, "age_max": 5}, "age_max", "is below age_min"),
])
def test_a_bad_activity_is_refused_by_field_and_nothing_written(
    api: TestClient, officer: dict[str, str], changes: dict[str, object], field: str,
    mentions: str,
) -> None:
    error = assert_canonical_error(
        api.post(ACTIVITIES, json=new_activity(**changes), headers=officer), 422,
        mentions=mentions,
    )
    assert [d["field"] for d in error["details"]] == [field]
    assert api.get(f"{ACTIVITIES}/AC9").status_code == 404


def test_a_change_to_an_unknown_asset_is_refused(api: TestClient, officer: dict[str, str]) -> None:
    etag = api.get(f"{ACTIVITIES}/AC1").headers["ETag"]
    error = assert_canonical_error(
        api.patch(f"{ACTIVITIES}/AC1", json={"properties": {"asset_ids": "nowhere"}},
                  headers={**officer, "If-Match": etag}), 422, mentions="asset_ids")
    assert error["details"][0]["value"] == "nowhere"
    assert api.get(f"{ACTIVITIES}/AC1").json()["properties"]["asset_ids"] == "A1"


def test_an_organisation_serves_known_areas_and_has_no_position(
    api: TestClient, officer: dict[str, str]
) -> None:
    assert_canonical_error(api.post(ORGANISATIONS, json={"properties": {
        "id": "O9", "name": "Far Away Trust", "kind": "charity", "areas_served": "E04000001"}},
        headers=officer), 422, mentions="'E04000001' is not a known community area")
    assert_canonical_error(api.post(ORGANISATIONS, json={
        "properties": {"id": "O9", "name": "Placed", "kind": "charity"},
        "geometry": {"type": "Point", "coordinates": [-1.24, 52.62]}}, headers=officer),
        422, mentions="no positions")
    assert api.get(f"{ORGANISATIONS}/O9").status_code == 404


def test_an_asset_or_organisation_activities_name_is_not_deleted(
    api: TestClient, officer: dict[str, str]
) -> None:
    etag = api.get("/api/layers/assets/items/A3").headers["ETag"]
    error = assert_canonical_error(
        api.delete("/api/layers/assets/items/A3", headers={**officer, "If-Match": etag}),
        409, mentions="named by 2 activities (AC2, AC3)")
    assert error["details"] == [{"field": "asset_ids", "activity_ids": ["AC2", "AC3"]}]
    etag = api.get(f"{ORGANISATIONS}/O3").headers["ETag"]
    assert_canonical_error(api.delete(f"{ORGANISATIONS}/O3",
                                      headers={**officer, "If-Match": etag}),
                           409, mentions="change or delete them first")
    assert api.get("/api/layers/assets/items/A3").status_code == 200
    # Once no activity names it, the organisation goes.
    for activity in ("AC1", "AC3"):
        tag = api.get(f"{ACTIVITIES}/{activity}").headers["ETag"]
        assert api.patch(f"{ACTIVITIES}/{activity}", json={"properties": {"organisation_id": None}},
                         headers={**officer, "If-Match": tag}).status_code == 200
    etag = api.get(f"{ORGANISATIONS}/O3").headers["ETag"]
    assert api.delete(f"{ORGANISATIONS}/O3",
                      headers={**officer, "If-Match": etag}).status_code == 204
