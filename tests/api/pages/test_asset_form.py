"""Issue 16 (officers): the asset form asks with the declared choices, says problems in plain
words, and shows a check-answers page (with a map and "moved 140 m north-east") before it
writes; a postcode far from the point is a warning there, never a refusal."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.api.pages.officer import SAME_SITE, etag_in, sign_in
from tests.sources.conftest import lonlat

NEAR_A1 = lonlat(452_500, 305_500)  # in Ashby Parva, 700 m from LZ1 1AA


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The check page's hidden answers, as the browser would post them back."""
    return [(unescape(name), unescape(value)) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)]


def as_form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Pairs as httpx posts a form with repeated names (the facilities' boxes)."""
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


def edit_answers(form: str, **answers: str) -> dict[str, list[str]]:
    """The edit form as posted with ``answers`` given (its position as it was)."""
    data = {name: [value] for name, value in hidden_fields(form)}
    data.update({name: [value] for name, value in answers.items()})
    for axis in ("longitude", "latitude"):
        found = re.search(rf'id="{axis}" name="{axis}" value="([^"]+)"', form)
        assert found is not None
        data[axis] = [found[1]]
    return data


def new_hall(**extra: str) -> dict[str, str]:
    lon, lat = NEAR_A1
    return {"asked": "yes", "id": "N16", "name": "Parva Hall", "category": "village_hall",
            "status": "open", "longitude": str(lon), "latitude": str(lat), **extra}


@pytest.fixture
def officer(browser: TestClient, token: str) -> TestClient:
    sign_in(browser, token)
    return browser


def test_the_form_asks_the_category_as_a_required_choice_with_none_chosen(
    officer: TestClient,
) -> None:
    form = officer.get("/assets/new").text
    assert 'type="radio" id="category" name="category" value="community_hub">' in form
    assert not re.search(r'name="category" value="[a-z_]+" checked', form)
    assert "<option" not in form  # no drop-down that quietly starts on "Community hub"


def test_facilities_are_the_declared_choices_as_checkboxes(officer: TestClient) -> None:
    form = officer.get("/assets/A1/edit").text
    assert re.search(r'type="checkbox" id="accessibility" name="accessibility" '
                     r'value="step_free" checked', form)
    assert 'name="accessibility" value="parking">' in form  # not ticked
    data = as_form([*new_hall().items(), ("accessibility", "step_free"),
                    ("accessibility", "baby_change"), ("step", "save")])
    saved = officer.post("/assets/new", headers=SAME_SITE, data=data)
    assert saved.status_code == 303, saved.text
    stored = officer.get("/api/layers/assets/items/N16").json()["properties"]
    assert stored["accessibility"] == "step_free;baby_change"


def test_errors_are_in_plain_words_with_error_in_the_title(officer: TestClient) -> None:
    response = officer.post("/assets/new", headers=SAME_SITE,
                            data=new_hall(name="", category="", postcode="LE1"))
    assert response.status_code == 422
    assert "<title>Error: Add an asset" in response.text
    for said in ("Enter the name of the place", "Choose what kind of place it is",
                 "Enter a full postcode, like LE12 7RX"):
        assert said in response.text
    assert "name: required" not in response.text and "required</a>" not in response.text


def test_check_answers_come_before_the_write_with_the_postcode_normalised(
    officer: TestClient,
) -> None:
    check = officer.post("/assets/new", headers=SAME_SITE, data=new_hall(postcode="lz1 1aa"))
    assert check.status_code == 200
    assert "Check the new asset before you add it" in check.text
    assert "<dd>LZ1 1AA" in check.text and "<dd>Village hall" in check.text
    assert '<svg class="pv-map" role="img"' in check.text and "Ashby Parva" in check.text
    assert "far-postcode" not in check.text  # 700 m away: no warning
    assert officer.get("/api/layers/assets/items/N16").status_code == 404  # nothing written yet
    answers = [*hidden_fields(check.text), ("step", "save")]
    saved = officer.post("/assets/new", headers=SAME_SITE, data=as_form(answers))
    assert saved.status_code == 303 and saved.headers["location"] == "/assets/N16/edit?done=created"
    assert officer.get("/api/layers/assets/items/N16").json()["properties"]["postcode"] == "LZ1 1AA"


def test_a_change_link_goes_back_to_the_question_with_the_answers_kept(
    officer: TestClient,
) -> None:
    check = officer.post("/assets/new", headers=SAME_SITE, data=new_hall(postcode="LZ1 1AA"))
    answers = [*hidden_fields(check.text), ("step", "change:postcode")]
    form = officer.post("/assets/new", headers=SAME_SITE, data=as_form(answers))
    assert form.status_code == 200 and 'value="Parva Hall"' in form.text
    assert re.search(r'id="postcode" name="postcode" value="LZ1 1AA"[^>]* autofocus', form.text)


def test_a_postcode_far_from_the_point_is_a_warning_not_a_refusal(officer: TestClient) -> None:
    check = officer.post("/assets/new", headers=SAME_SITE, data=new_hall(postcode="LZ2 1AA"))
    assert check.status_code == 200
    assert "The postcode LZ2 1AA is 9.5 km from the point on the map." in check.text
    answers = [*hidden_fields(check.text), ("step", "save")]
    saved = officer.post("/assets/new", headers=SAME_SITE, data=as_form(answers))
    assert saved.status_code == 303


def test_a_move_from_the_map_is_checked_with_distance_direction_and_a_map(
    officer: TestClient,
) -> None:
    lon, lat = lonlat(452_099, 305_099)  # A1 is at 452 000, 305 000
    check = officer.get(f"/assets/A1/move?lon={lon}&lat={lat}")
    assert check.status_code == 200
    assert "Check the new position of Ashby Village Hall" in check.text
    assert "will be moved 140 m north-east</strong>" in check.text
    assert "Was here" in check.text and "New position" in check.text
    assert officer.get("/api/layers/assets/items/A1").json()["geometry"]["coordinates"][0] != lon
    answers = [*hidden_fields(check.text), ("step", "save")]
    assert ("etag", etag_in(officer.get("/assets/A1/edit").text)) in answers
    saved = officer.post("/assets/A1/edit", headers=SAME_SITE, data=as_form(answers))
    assert saved.status_code == 303, saved.text
    moved = officer.get("/api/layers/assets/items/A1").json()
    assert moved["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-6)
    assert moved["properties"]["name"] == "Ashby Village Hall"  # nothing else changed


def test_an_edit_lists_only_what_changes_with_what_it_was(officer: TestClient) -> None:
    form = officer.get("/assets/A1/edit").text
    data = edit_answers(form, name="Ashby Parva Village Hall", category="village_hall",
                        status="open", accessibility="step_free")
    check = officer.post("/assets/A1/edit", headers=SAME_SITE, data=data)
    assert check.status_code == 200
    assert "Check your changes to Ashby Parva Village Hall" in check.text
    assert "(was Ashby Village Hall)" in check.text
    assert "(was Step free, Hearing loop)" in check.text
    assert "<dt>Postcode</dt>" not in check.text  # unchanged
    assert "moved" not in check.text


def test_a_value_stored_before_todays_rules_does_not_stop_another_edit(
    officer: TestClient,
) -> None:
    form = officer.get("/assets/A3/edit").text  # its website is "javascript:alert(1)"
    data = edit_answers(form, name="Westtown Centre", category="community_centre",
                        status="open", website="javascript:alert(1)")
    check = officer.post("/assets/A3/edit", headers=SAME_SITE, data=data)
    assert check.status_code == 200, check.text
    assert "Check your changes to Westtown Centre" in check.text
    assert "<dt>Website</dt>" not in check.text  # left alone, so not a change
