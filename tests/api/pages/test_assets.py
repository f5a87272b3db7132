"""The officers' asset forms: add, edit, move, verify, close and delete (``/assets/...``)."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.pages.officer import SAME_SITE, etag_in, sign_in
from tests.conftest import XSS_NAME
from tests.hostile import HOSTILE_VALUES, hostile_id


@pytest.mark.parametrize("path", ["/assets/new", "/assets/A1/edit", "/stale", "/audit"])
def test_officer_pages_send_the_public_to_sign_in(browser: TestClient, path: str) -> None:
    response = browser.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")


def test_an_officer_adds_an_asset_by_form(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    form = browser.get("/assets/new?lon=-1.24&lat=52.62")
    assert form.status_code == 200 and 'value="-1.240000"' in form.text
    assert form.headers["cache-control"] == "no-store"
    response = browser.post("/assets/new", headers=SAME_SITE, data={
        "step": "save", "id": "A20", "name": XSS_NAME, "category": "village_hall", "status": "open",
        "longitude": "-1.24", "latitude": "52.62",
    })
    assert response.status_code == 303, response.text
    page = browser.get(response.headers["location"])
    assert "Asset added." in page.text
    assert XSS_NAME not in page.text and "&lt;img src=x" in page.text


def test_form_errors_are_listed_and_nothing_is_saved(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    response = browser.post("/assets/new", headers=SAME_SITE, data={
        "id": "A21", "name": "", "category": "village_hall", "status": "open",
        "longitude": "52.62", "latitude": "-1.24",
    })
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert 'href="#name"' in response.text and "swapped" in response.text
    assert browser.get("/api/layers/assets/items/A21").status_code == 404


def test_a_stale_form_is_refused_and_shows_the_other_change(
    browser: TestClient, token: str, tiny_gpkg: Path
) -> None:
    sign_in(browser, token)
    mine = etag_in(browser.get("/assets/A1/edit").text)
    theirs = etag_in(browser.get("/assets/A1/edit").text)
    first = browser.post("/assets/A1/edit", headers=SAME_SITE, data={
        "step": "save", "etag": theirs, "name": "Ashby Village Hall", "category": "village_hall",
        "status": "open", "phone": "0116 222", "longitude": "-1.24", "latitude": "52.63",
    })
    assert first.status_code == 303
    second = browser.post("/assets/A1/edit", headers=SAME_SITE, data={
        "step": "save", "etag": mine, "name": "Ashby Hall", "category": "village_hall",
        "status": "open",
        "longitude": "-1.24", "latitude": "52.63",
    })
    assert second.status_code == 412
    assert "Someone else changed this asset" in second.text and "0116 222" in second.text
    saved = browser.get("/api/layers/assets/items/A1").json()["properties"]
    assert saved["name"] == "Ashby Village Hall" and saved["phone"] == "0116 222"


def test_moving_on_the_map_is_confirmed_in_the_form(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    form = browser.get("/assets/A1/edit?lon=-1.250000&lat=52.640000")
    assert "New position chosen on the map" in form.text and 'value="-1.250000"' in form.text
    assert browser.get("/api/layers/assets/items/A1").json()["geometry"]["coordinates"][0] != -1.25
    saved = browser.post("/assets/A1/edit", headers=SAME_SITE, data={
        "step": "save", "etag": etag_in(form.text), "name": "Ashby Village Hall",
        "category": "village_hall",
        "status": "open", "longitude": "-1.250000", "latitude": "52.640000",
    })
    assert saved.status_code == 303
    lon, lat = browser.get("/api/layers/assets/items/A1").json()["geometry"]["coordinates"]
    assert (round(lon, 5), round(lat, 5)) == (-1.25, 52.64)
    assert "move" in browser.get("/audit?feature_id=A1").text


def test_deleting_needs_confirmation_and_is_audited(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    etag = etag_in(browser.get("/assets/A4/edit").text)
    unconfirmed = browser.post("/assets/A4/delete", data={"etag": etag}, headers=SAME_SITE)
    assert unconfirmed.status_code == 422 and "nothing was deleted" in unconfirmed.text
    assert browser.get("/api/layers/assets/items/A4").status_code == 200
    done = browser.post("/assets/A4/delete", data={"etag": etag, "confirm": "yes"},
                        headers=SAME_SITE)
    assert done.status_code == 303
    assert browser.get("/api/layers/assets/items/A4").status_code == 404
    audit = browser.get(done.headers["location"])
    assert "Deleted." in audit.text and "delete" in audit.text


def test_a_stale_quick_action_shows_the_asset_as_it_is_now(
    browser: TestClient, token: str
) -> None:
    sign_in(browser, token)
    seen = etag_in(browser.get("/assets/A1/edit").text)
    browser.post("/assets/A1/verify", data={"etag": seen}, headers=SAME_SITE)
    refused = browser.post("/assets/A1/close", data={"etag": seen, "confirm": "yes"},
                           headers=SAME_SITE)
    assert refused.status_code == 412
    # The page offers the current version, so closing from it now works.
    retry = browser.post("/assets/A1/close", data={"etag": etag_in(refused.text), "confirm": "yes"},
                         headers=SAME_SITE)
    assert retry.status_code == 303
    assert browser.get("/api/layers/assets/items/A1").json()["properties"]["status"] == "closed"


def test_the_form_takes_the_area_codes_from_the_position(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    form = browser.get("/assets/new")
    assert form.status_code == 200 and 'name="name"' in form.text
    assert 'name="district_code"' not in form.text  # officers never type ONS codes
    response = browser.post("/assets/new", headers=SAME_SITE, data={
        "step": "save", "id": "A22", "name": "Westtown Hub", "category": "community_centre",
        "status": "open",
        "longitude": "-1.10", "latitude": "52.62",
    })
    assert response.status_code == 303, response.text
    made = browser.get("/api/layers/assets/items/A22").json()["properties"]
    assert (made["district_code"], made["community_area_code"]) == ("E07999002", "E43999001")


# -- issue 15: the forms follow the same field rules as every write --------------------------
@pytest.mark.parametrize(("field", "value", "says"), HOSTILE_VALUES,
                         ids=[hostile_id(f, v) for f, v, _ in HOSTILE_VALUES])
def test_the_add_form_refuses_hostile_values_and_says_which_field(
    browser: TestClient, token: str, field: str, value: str, says: str
) -> None:
    sign_in(browser, token)
    data = {"id": "A22", "name": "Form Hall", "category": "village_hall", "status": "open",
            "longitude": "-1.24", "latitude": "52.62", field: value}
    response = browser.post("/assets/new", headers=SAME_SITE, data=data)
    assert response.status_code == 422
    assert "There is a problem" in response.text and f'href="#{field}"' in response.text
    # In plain words (issue 16), still saying what is wrong with the value.
    said = "in the correct format, like name@example.com" if field == "email" else says
    assert escape(said) in response.text
    assert browser.get("/api/layers/assets/items/A22").status_code == 404


def test_the_forms_refuse_a_position_outside_the_county(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    response = browser.post("/assets/new", headers=SAME_SITE, data={
        "id": "A23", "name": "Far Hall", "category": "village_hall", "status": "open",
        "longitude": "-1.60", "latitude": "52.62",
    })
    assert response.status_code == 422
    assert 'href="#longitude"' in response.text and "outside the county" in response.text
    assert browser.get("/api/layers/assets/items/A23").status_code == 404
    etag = etag_in(browser.get("/assets/A1/edit").text)
    moved = browser.post("/assets/A1/edit", headers=SAME_SITE, data={
        "etag": etag, "name": "Ashby Village Hall", "category": "village_hall",
        "status": "open", "longitude": "-1.60", "latitude": "52.62",
    })
    assert moved.status_code == 422 and "outside the county" in moved.text
    assert etag_in(browser.get("/assets/A1/edit").text) == etag
