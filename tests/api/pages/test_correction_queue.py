"""The officers' queue page on both backends: each suggestion's kind and sender, a new
place's position and possible duplicates, values amended before accepting, and filters,
sorting and paging for hundreds of suggestions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.corrections import get_correction, submit_correction
from assetmap.register.new_places import NewPlace, submit_new_place
from assetmap.register.users import add_user
from assetmap.store import Store, open_store
from tests.api.signing_in import sign_in_by_cookie

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
SAME_SITE = {"Origin": "http://testserver"}
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


@pytest.fixture
def queue(store_location: str, store: Store) -> Iterator[TestClient]:
    """The app, signed in as an officer."""
    token = add_user(store, "olive.officer", "officer")
    with TestClient(create_app(Settings(store=store_location)), follow_redirects=False) as app:
        sign_in_by_cookie(app, token)
        yield app


def new_place(store: Store, name: str = "Ashby Hall", postcode: str = "LZ1 1AA",
              minutes: int = 0) -> int:
    place = NewPlace(name=name, category="village_hall", postcode=postcode,
                     contact="pat@example.org")
    return submit_new_place(store, CATALOG, ASSETS, place, f"c{minutes}",
                            NOW + dt.timedelta(minutes=minutes)).id


def section(html: str, correction_id: int) -> str:
    return html.split(f'id="correction-{correction_id}"', 1)[1].split("</section>", 1)[0]


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_each_suggestion_says_what_kind_it_is_and_who_sent_it(
    queue: TestClient, store: Store
) -> None:
    submit_correction(store, ASSETS, "A1", {"phone": "0116 496 0123"}, None, None, "c1", NOW)
    submit_correction(store, ASSETS, "A4", {"opening_times": "Tu 10:00-12:00"}, None, None,
                      "", NOW, kind="steward_edit", author="sam.steward")
    new_place(store, "Beeby Scout Hut", "LZ2 1AA")
    page = queue.get("/corrections")
    assert page.status_code == 200
    assert "Correction #1: Ashby Village Hall (A1) From a resident" in text(section(page.text, 1))
    assert ("Steward's edit #2: Cotes Café (A4) From sam.steward (steward)"
            in text(section(page.text, 2)))
    third = text(section(page.text, 3))
    assert "New place #3: Beeby Scout Hut From a resident" in third and ", Eastvale." in third


def test_a_new_place_shows_where_it_is_and_what_it_may_duplicate(
    queue: TestClient, store: Store
) -> None:
    new_place(store)
    shown = section(queue.get("/corrections").text, 1)
    assert re.search(r'<svg [^>]*role="img"', shown)
    assert "In Ashby Parva, Westshire, at longitude -1.2328" in text(shown)
    assert ('<a href="/assets/A1/edit">Ashby Village Hall</a> (A1): same postcode, 14 m away, '
            "names 100% alike") in shown
    assert "Accept and add the place" in shown


def test_an_officer_amends_a_new_place_then_accepts_it(
    queue: TestClient, store: Store
) -> None:
    place_id = new_place(store, "Beeby Scout Hut", "LZ2 1AA")
    accepted = queue.post(f"/corrections/{place_id}/accept", headers=SAME_SITE, data={
        f"edit-{place_id}-name": "Beeby Scout and Guide Hut",
        f"edit-{place_id}-category": "community_centre",
        f"edit-{place_id}-postcode": "LZ2 1AA",
        f"edit-{place_id}-address": "Church Lane",
        "note": "Rang the group", "back-kind": "new_place"})
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/corrections?kind=new_place&done=place_added"
    decided = get_correction(store, place_id)
    assert decided.status == "accepted" and decided.decision_note == "Rang the group"
    created = store.get(ASSETS, decided.feature_id)
    assert created is not None
    assert (created.properties["name"], created.properties["category"],
            created.properties["address"]) == ("Beeby Scout and Guide Hut", "community_centre",
                                               "Church Lane")
    assert decided.changes["name"] == "Beeby Scout Hut"  # what the resident sent is kept
    audit = store.records(AUDIT_TABLE, where={"feature_id": decided.feature_id})
    assert {row["action"] for row in audit} == {"create"}


def test_an_officer_amends_a_correction_then_accepts_it(
    queue: TestClient, store: Store
) -> None:
    submit_correction(store, ASSETS, "A1", {"phone": "0116 496 0123"}, None, None, "c1", NOW)
    page = queue.get("/corrections").text
    found = re.search(r'name="etag" value="([^"]*)"', section(page, 1))
    assert found is not None
    etag = unescape(found.group(1))
    assert 'id="edit-1-phone" name="edit-1-phone" value="0116 496 0123"' in page
    accepted = queue.post("/corrections/1/accept", headers=SAME_SITE,
                          data={"etag": etag, "edit-1-phone": "0116 496 0999"})
    assert accepted.status_code == 303
    feature = store.get(ASSETS, "A1")
    assert feature is not None and feature.properties["phone"] == "0116 496 0999"


def test_an_amended_value_that_breaks_a_rule_saves_nothing_and_says_why(
    queue: TestClient, store: Store
) -> None:
    place_id = new_place(store)
    refused = queue.post(f"/corrections/{place_id}/accept", headers=SAME_SITE,
                         data={f"edit-{place_id}-postcode": "not a postcode"})
    assert refused.status_code == 422
    assert "Nothing was saved" in refused.text
    assert f'href="#edit-{place_id}-postcode"' in refused.text
    assert f'name="edit-{place_id}-postcode" value="not a postcode"' in refused.text  # kept
    assert get_correction(store, place_id).status == "pending"
    assert store.count(ASSETS) == 5


def test_declining_a_new_place_adds_nothing(queue: TestClient, store: Store) -> None:
    place_id = new_place(store)
    declined = queue.post(f"/corrections/{place_id}/reject", headers=SAME_SITE,
                          data={"note": "It is Ashby Village Hall"})
    assert declined.status_code == 303
    assert get_correction(store, place_id).status == "rejected" and store.count(ASSETS) == 5
    later = queue.get("/corrections?status=rejected").text
    assert "Rejected (1)" in later and "It is Ashby Village Hall" in later


def titles(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<section class="cr-suggestion" id="correction-(\d+)"',
                                       html)]


def test_hundreds_of_suggestions_come_a_page_at_a_time(
    queue: TestClient, store: Store
) -> None:
    for minutes in range(45):
        submit_correction(store, ASSETS, "A1" if minutes % 3 else "A3", None,
                          f"Message {minutes}", None, f"c{minutes}",
                          NOW + dt.timedelta(minutes=minutes))
    first = queue.get("/corrections").text
    assert "Waiting for a decision (45)" in first and "Showing 1 to 20 of 45" in first
    assert titles(first) == list(range(1, 21))
    assert '<a href="/corrections?page=2" rel="next">' in first
    last = queue.get("/corrections?page=3").text
    assert titles(last) == list(range(41, 46)) and "Page 3 of 3" in last
    assert 'rel="next"' not in last and '<a href="/corrections?page=2" rel="prev">' in last
    newest = queue.get("/corrections?sort=newest").text
    assert titles(newest)[:3] == [45, 44, 43]
    assert '<a href="/corrections?sort=newest&amp;page=2" rel="next">' in newest  # kept
    east = queue.get("/corrections?district=E07999002").text  # A3's district
    assert "Waiting for a decision (15)" in east and titles(east)[:2] == [1, 4]
    assert 'rel="next"' not in east  # 15 fit on one page
    assert '<option value="E07999002" selected>Eastvale</option>' in east


def test_filters_are_choices_and_anything_else_shows_the_default(
    queue: TestClient, store: Store
) -> None:
    submit_correction(store, ASSETS, "A1", None, "Hello", None, "c1", NOW)
    place_id = new_place(store, minutes=1)
    places = queue.get("/corrections?kind=new_place").text
    assert titles(places) == [place_id]
    assert '<option value="new_place" selected>New place</option>' in places
    odd = queue.get("/corrections?status=lost&kind=complaint&district=nowhere&page=x")
    assert odd.status_code == 200 and titles(odd.text) == [1, place_id]


def test_a_page_past_the_end_shows_the_last(queue: TestClient, store: Store) -> None:
    submit_correction(store, ASSETS, "A1", None, "Hello", None, "c1", NOW)
    assert titles(queue.get("/corrections?page=40").text) == [1]


def test_kinds_filter_the_json_too(queue: TestClient, store: Store) -> None:
    submit_correction(store, ASSETS, "A1", None, "Hello", None, "c1", NOW)
    new_place(store, minutes=1)
    body: dict[str, Any] = queue.get("/api/corrections?kind=correction&sort=newest").json()
    assert body["total"] == 1 and body["corrections"][0]["kind"] == "correction"
