"""Officers add, change, move, verify, close and delete assets; everything is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.signing_in import sign_in_by_cookie
from tests.conftest import XSS_NAME, assert_canonical_error

ITEMS = "/api/layers/assets/items"


@pytest.fixture
def tokens(store_location: str) -> dict[str, str]:
    store = open_store(store_location)
    try:
        return {
            "officer": add_user(store, "olive.officer", "officer"),
            "admin": add_user(store, "adam.admin", "admin"),
        }
    finally:
        store.close()


@pytest.fixture
def api(store_location: str) -> Iterator[TestClient]:
    """The API on the tiny county, once on each backend."""
    with TestClient(create_app(Settings(store=store_location))) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_hall(**changes: object) -> dict[str, object]:
    properties: dict[str, object] = {
        "id": "A10", "name": "Ashby New Hall", "category": "village_hall", "status": "open",
    }
    properties.update(changes)
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Point", "coordinates": [-1.24, 52.62]}}


def etag_of(api: TestClient, feature_id: str) -> str:
    response = api.get(f"{ITEMS}/{feature_id}")
    assert response.status_code == 200
    etag: str = response.headers["ETag"]
    return etag


def test_reads_carry_an_etag_that_changes_with_the_content(
    api: TestClient, tokens: dict[str, str]
) -> None:
    first = etag_of(api, "A1")
    assert api.get(f"{ITEMS}/A1", headers={"If-None-Match": first}).status_code == 304
    changed = api.patch(f"{ITEMS}/A1", json={"properties": {"phone": "0116 000 0000"}},
                        headers={**bearer(tokens["officer"]), "If-Match": first})
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] != first
    assert etag_of(api, "A1") == changed.headers["ETag"]


def test_the_public_cannot_write(api: TestClient) -> None:
    response = api.post(ITEMS, json=new_hall())
    body = assert_canonical_error(response, 401, mentions="Sign in")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["code"] == "unauthorized"
    assert api.get(f"{ITEMS}/A10").status_code == 404


def test_a_revoked_or_made_up_token_is_refused(api: TestClient) -> None:
    assert_canonical_error(api.post(ITEMS, json=new_hall(), headers=bearer("am_nope")), 401)
    assert_canonical_error(api.post(ITEMS, json=new_hall(), headers={"Authorization": "Basic x"}),
                           401, mentions="Bearer")


def test_an_officer_adds_an_asset_in_wgs84_and_it_is_stored_in_bng(
    api: TestClient, tokens: dict[str, str], store_location: str
) -> None:
    response = api.post(ITEMS, json=new_hall(name=XSS_NAME), headers=bearer(tokens["officer"]))
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"{ITEMS}/A10"
    body = response.json()
    assert body["properties"]["name"] == XSS_NAME  # stored verbatim, escaped only in HTML
    assert body["properties"]["last_verified"] == dt.date.today().isoformat()
    lon, lat = body["geometry"]["coordinates"]
    assert (round(lon, 5), round(lat, 5)) == (-1.24, 52.62)
    store = open_store(store_location)
    from assetmap.config import PROJECT_ROOT
    from assetmap.layers import load_catalog

    stored = store.get(load_catalog(PROJECT_ROOT / "layers")["assets"], "A10")
    store.close()
    assert stored is not None and stored.geometry is not None
    assert 440_000 < stored.geometry.x < 460_000  # metres, not degrees


def test_swapped_coordinates_are_named_and_nothing_is_written(
    api: TestClient, tokens: dict[str, str]
) -> None:
    swapped = new_hall()
    swapped["geometry"] = {"type": "Point", "coordinates": [52.62, -1.24]}
    assert_canonical_error(
        api.post(ITEMS, json=swapped, headers=bearer(tokens["officer"])), 422, mentions="swapped"
    )
    assert api.get(f"{ITEMS}/A10").status_code == 404


def test_invalid_properties_list_every_problem(api: TestClient, tokens: dict[str, str]) -> None:
    response = api.post(ITEMS, json=new_hall(category="castle", status=None, colour="red"),
                        headers=bearer(tokens["officer"]))
    body = assert_canonical_error(response, 422)
    fields = {d["field"] for d in body["details"]}
    assert {"category", "status", "colour"} <= fields


def test_a_write_without_if_match_is_refused_with_428(
    api: TestClient, tokens: dict[str, str]
) -> None:
    response = api.patch(f"{ITEMS}/A1", json={"properties": {"name": "X"}},
                         headers=bearer(tokens["officer"]))
    assert_canonical_error(response, 428, mentions="If-Match")
    assert api.get(f"{ITEMS}/A1").json()["properties"]["name"] == "Ashby Village Hall"


def test_two_editors_on_one_asset_one_gets_412_and_nothing_is_lost(
    api: TestClient, tokens: dict[str, str]
) -> None:
    seen = etag_of(api, "A1")  # both editors opened the same version
    first = api.patch(f"{ITEMS}/A1", json={"properties": {"phone": "0116 111"}},
                      headers={**bearer(tokens["officer"]), "If-Match": seen})
    second = api.patch(f"{ITEMS}/A1", json={"properties": {"website": "https://x.example"}},
                       headers={**bearer(tokens["admin"]), "If-Match": seen})
    assert first.status_code == 200
    body = assert_canonical_error(second, 412, mentions="someone else")
    assert body["details"][0]["current_etag"] == first.headers["ETag"]
    now = api.get(f"{ITEMS}/A1").json()["properties"]
    assert now["phone"] == "0116 111" and now["website"] == "https://example.org/hall"
    # The loser re-reads and applies their change on top: both changes survive.
    retry = api.patch(f"{ITEMS}/A1", json={"properties": {"website": "https://x.example"}},
                      headers={**bearer(tokens["admin"]), "If-Match": etag_of(api, "A1")})
    assert retry.status_code == 200
    assert retry.json()["properties"]["phone"] == "0116 111"


def test_every_write_is_audited_field_by_field(api: TestClient, tokens: dict[str, str]) -> None:
    officer = bearer(tokens["officer"])
    api.post(ITEMS, json=new_hall(), headers=officer)
    api.patch(f"{ITEMS}/A10", json={"geometry": {"type": "Point", "coordinates": [-1.25, 52.62]}},
              headers={**officer, "If-Match": etag_of(api, "A10")})
    api.patch(f"{ITEMS}/A10", json={"properties": {"status": "closed"}},
              headers={**officer, "If-Match": etag_of(api, "A10")})
    api.delete(f"{ITEMS}/A10", headers={**officer, "If-Match": etag_of(api, "A10")})
    log = api.get("/api/audit", params={"feature_id": "A10"}, headers=officer).json()
    actions = [e["action"] for e in log["entries"]]
    assert actions[0] == "delete"
    assert set(actions) == {"create", "move", "close", "delete"}
    close = next(e for e in log["entries"] if e["action"] == "close")
    assert (close["field"], close["before"], close["after"]) == ("status", '"open"', '"closed"')
    move = next(e for e in log["entries"] if e["action"] == "move")
    assert move["field"] == "geometry" and move["before"].startswith("POINT")
    assert all(e["actor"] == "olive.officer" for e in log["entries"])
    assert api.get(f"{ITEMS}/A10").status_code == 404


def test_the_audit_log_is_for_officers_only(api: TestClient) -> None:
    assert_canonical_error(api.get("/api/audit"), 401)


def test_verify_records_today_and_empties_the_stale_list(
    api: TestClient, tokens: dict[str, str]
) -> None:
    officer = bearer(tokens["officer"])
    stale = api.get("/api/stale", headers=officer).json()["features"]
    # A4 (at risk) was last checked long ago and A2 never; closed A5 is not listed.
    ids = [f["id"] for f in stale]
    assert "A5" not in ids and ids
    first = ids[0]
    response = api.post(f"{ITEMS}/{first}/verify",
                        headers={**officer, "If-Match": etag_of(api, first)})
    assert response.status_code == 200
    assert response.json()["properties"]["last_verified"] == dt.date.today().isoformat()
    assert first not in [f["id"] for f in api.get("/api/stale", headers=officer).json()["features"]]


def test_the_id_cannot_be_changed(api: TestClient, tokens: dict[str, str]) -> None:
    response = api.patch(f"{ITEMS}/A1", json={"properties": {"id": "B1"}},
                         headers={**bearer(tokens["officer"]), "If-Match": etag_of(api, "A1")})
    assert_canonical_error(response, 422, mentions="cannot be changed")


def test_a_cookie_write_from_another_site_is_refused(
    api: TestClient, tokens: dict[str, str]
) -> None:
    sign_in_by_cookie(api, tokens["officer"])
    forged = api.patch(f"{ITEMS}/A1", json={"properties": {"name": "Pwned"}},
                       headers={"If-Match": etag_of(api, "A1"), "Origin": "https://evil.example"})
    assert_canonical_error(forged, 403, mentions="this site")
    ours = api.patch(f"{ITEMS}/A1", json={"properties": {"name": "Renamed"}},
                     headers={"If-Match": etag_of(api, "A1"), "Origin": "http://testserver"})
    assert ours.status_code == 200


def test_a_new_asset_gets_an_id_and_its_areas_from_where_it_is(
    api: TestClient, tokens: dict[str, str]
) -> None:
    hall = new_hall()
    del hall["properties"]["id"]  # type: ignore[attr-defined]
    response = api.post(ITEMS, json=hall, headers=bearer(tokens["officer"]))
    assert response.status_code == 201, response.text
    made = response.json()["properties"]
    assert made["id"].startswith("A-") and len(made["id"]) == 10
    # (-1.24, 52.62) is in Westshire's Ashby Parva in the tiny county.
    assert (made["district_code"], made["community_area_code"]) == ("E07999001", "E04999001")
    moved = api.patch(
        f"{ITEMS}/{made['id']}",
        json={"geometry": {"type": "Point", "coordinates": [-1.10, 52.62]}},
        headers={**bearer(tokens["officer"]), "If-Match": response.headers["ETag"]},
    )
    after = moved.json()["properties"]
    assert (after["district_code"], after["community_area_code"]) == ("E07999002", "E43999001")


def test_area_codes_given_by_the_caller_are_kept(api: TestClient, tokens: dict[str, str]) -> None:
    hall = new_hall(district_code="E07999002")  # the point lies in E07999001
    response = api.post(ITEMS, json=hall, headers=bearer(tokens["officer"]))
    assert response.status_code == 201, response.text
    made = response.json()["properties"]
    assert (made["district_code"], made["community_area_code"]) == ("E07999002", "E04999001")
    moved = api.patch(
        f"{ITEMS}/A10",
        json={"properties": {"community_area_code": None},
              "geometry": {"type": "Point", "coordinates": [-1.10, 52.62]}},
        headers={**bearer(tokens["officer"]), "If-Match": response.headers["ETag"]},
    )
    after = moved.json()["properties"]
    assert (after["district_code"], after["community_area_code"]) == ("E07999002", None)
