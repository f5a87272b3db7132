"""The role matrix for the pages, on both backends: the public is sent to sign in, a steward
of A (hall A1, parish council O1) and of B (centre A3, Westtown Good Neighbours O2) see and
save only their own records (403 and nothing written otherwise), officers and admins all;
the users page is for admins. Signed in by cookie, posted from this site, as a browser does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.stewardship import add_steward
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, etag_in

ROLES = ("public", "steward_b", "steward_a", "officer", "admin")
NAMES = {"steward_a": "hall.committee", "steward_b": "centre.team",
         "officer": "olive.officer", "admin": "adam.admin"}


@pytest.fixture
def tokens(store_location: str) -> dict[str, str]:
    store = open_store(store_location)
    catalog = load_catalog(PROJECT_ROOT / "layers")
    try:
        return {
            "steward_a": add_steward(store, catalog, NAMES["steward_a"], email=None,
                                     assets=["A1"], organisations=["O1"], actor="test"),
            "steward_b": add_steward(store, catalog, NAMES["steward_b"], email=None,
                                     assets=["A3"], organisations=["O2"], actor="test"),
            "officer": add_user(store, NAMES["officer"], "officer"),
            "admin": add_user(store, NAMES["admin"], "admin"),
        }
    finally:
        store.close()


def _browser(location: str, token: str | None, **settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(store=location, **settings)),
                        follow_redirects=False, base_url="https://testserver")
    if token is not None:
        signed_in = client.post("/signin", data={"token": token, "next": "/"}, headers=SAME_SITE)
        assert signed_in.status_code == 303
    return client


@pytest.fixture
def browsers(store_location: str, tokens: dict[str, str]) -> Iterator[dict[str, TestClient]]:
    clients = {role: _browser(store_location, tokens.get(role)) for role in ROLES}
    yield clients
    for client in clients.values():
        client.close()


PAGES = {  # path -> what each role gets, in ROLES order (303: sent to sign in)
    "/your-places": (303, 200, 200, 200, 200),
    "/activities/new": (303, 200, 200, 200, 200),
    "/activities/AC1/edit": (303, 403, 200, 200, 200),
    "/activities/AC2/edit": (303, 200, 403, 200, 200),
    "/organisations/O1/edit": (303, 403, 200, 200, 200),
    "/organisations/new": (303, 403, 403, 200, 200),
    "/assets/A1/edit": (303, 403, 200, 200, 200),
    "/assets/new": (303, 403, 403, 200, 200),
    "/stale": (303, 403, 403, 200, 200),
    "/import": (303, 403, 403, 200, 200),
    "/corrections": (303, 403, 403, 200, 200),
    "/audit": (303, 403, 403, 200, 200),
    "/admin/users": (303, 403, 403, 403, 200),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_role_sees_only_its_pages(browsers: dict[str, TestClient], path: str) -> None:
    for role, expected in zip(ROLES, PAGES[path], strict=True):
        response = browsers[role].get(path)
        assert response.status_code == expected, (role, path, response.text[:200])
        if expected == 303:
            assert response.headers["location"].startswith("/signin?next=")


def test_a_steward_lands_on_their_places_and_groups(
    store_location: str, tokens: dict[str, str]
) -> None:
    with _browser(store_location, None) as client:
        signed_in = client.post("/signin", data={"token": tokens["steward_a"], "next": "/"},
                                headers=SAME_SITE)
        assert signed_in.headers["location"] == "/your-places"
        page = client.get("/your-places").text
    assert "Your places and groups" in page and "Ashby Village Hall" in page
    assert "Ashby Parva Parish Council" in page and "Friendship Lunch" in page  # AC1 at A1
    assert "Old Hall Knit and Natter" in page  # AC4, run by O1 at another place
    assert "Stay and Play" not in page and "Westtown Good Neighbours" not in page


def _nav_links(page: str) -> list[str]:
    nav = page[page.index('<nav class="of-nav"'):]
    nav = nav[:nav.index("</nav>")]
    return [part.split('"', 1)[0] for part in nav.split('href="')[1:]]


def test_the_page_header_offers_each_role_only_the_pages_it_may_open(
    browsers: dict[str, TestClient]
) -> None:
    steward = _nav_links(browsers["steward_a"].get("/your-places").text)
    assert steward == ["/your-places", "/find"]
    officer = _nav_links(browsers["officer"].get("/your-places").text)
    assert {"/stale", "/audit", "/archive", "/outbox", "/corrections"} <= set(officer)
    assert "/admin/users" not in officer
    assert "/admin/users" in _nav_links(browsers["admin"].get("/your-places").text)


def _save_activity(client: TestClient, activity_id: str, **values: Any) -> Any:
    form = client.get(f"/activities/{activity_id}/edit")
    data = {"etag": etag_in(form.text), "name": "Friendship Lunch", "category": "lunch_club",
            "asset_ids": "A1", "organisation_id": "O3", "schedule": "We 12:00-14:00",
            "audience": ["older_people"], "cost": "£4 including lunch", "status": "active",
            **values}
    return client.post(f"/activities/{activity_id}/edit", data=data, headers=SAME_SITE)


def test_a_steward_saves_their_activity_and_it_is_audited_under_their_name(
    browsers: dict[str, TestClient], store_location: str
) -> None:
    saved = _save_activity(browsers["steward_a"], "AC1", schedule="We 12:00-14:30",
                           audience=["older_people", "carers"])
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=saved")
    page = browsers["steward_a"].get(saved.headers["location"]).text
    assert "Changes saved." in page and "12 noon to 2:30pm" in page
    store = open_store(store_location)
    try:
        activity = store.get(load_catalog(PROJECT_ROOT / "layers")["activities"], "AC1")
        rows = store.records("assetmap_audit", where={"feature_id": "AC1"})
    finally:
        store.close()
    assert activity is not None and activity.properties["audience"] == "older_people;carers"
    assert {row["actor"] for row in rows} == {NAMES["steward_a"]}


def test_a_bad_schedule_is_shown_in_the_summary_and_beside_the_field(
    browsers: dict[str, TestClient]
) -> None:
    refused = _save_activity(browsers["steward_a"], "AC1", schedule="Tuesdays 10-12")
    assert refused.status_code == 422
    assert "There is a problem" in refused.text and 'href="#schedule"' in refused.text
    assert "not valid opening_hours syntax" in refused.text
    assert 'id="schedule-error"' in refused.text and "<title>Error:" in refused.text


def test_a_stewards_form_for_someone_elses_activity_writes_nothing(
    browsers: dict[str, TestClient], store_location: str
) -> None:
    form = browsers["steward_a"].get("/activities/AC1/edit")
    refused = browsers["steward_b"].post("/activities/AC1/edit", headers=SAME_SITE, data={
        "etag": etag_in(form.text), "name": "Ours now", "category": "lunch_club",
        "asset_ids": "A3", "status": "active"})
    assert refused.status_code == 403
    moved_away = _save_activity(browsers["steward_a"], "AC1", asset_ids="A2")
    assert moved_away.status_code == 403 and "There is a problem" in moved_away.text
    store = open_store(store_location)
    try:
        assert store.records("assetmap_audit") == []
    finally:
        store.close()


def test_a_steward_cannot_change_the_category_or_close_their_place_from_the_form(
    browsers: dict[str, TestClient], store_location: str
) -> None:
    client = browsers["steward_a"]
    form = client.get("/assets/A1/edit").text
    data = {"etag": etag_in(form), "name": "Ashby Village Hall", "category": "community_hub",
            "status": "open", "longitude": _value(form, "longitude"),
            "latitude": _value(form, "latitude")}
    refused = client.post("/assets/A1/edit", data=data, headers=SAME_SITE)
    assert refused.status_code == 403 and "stays with officers" in refused.text
    closing = client.post("/assets/A1/close", data={"etag": data["etag"]}, headers=SAME_SITE)
    assert closing.status_code == 403
    saved = client.post("/assets/A1/edit", headers=SAME_SITE, data={  # from the check page
        **data, "category": "village_hall", "opening_times": "Mo-Fr 09:00-21:00",
        "step": "save"})
    assert saved.status_code == 303, saved.text[:300]
    store = open_store(store_location)
    try:
        hall = store.get(load_catalog(PROJECT_ROOT / "layers")["assets"], "A1")
    finally:
        store.close()
    assert hall is not None and hall.properties["category"] == "village_hall"
    assert hall.properties["opening_times"] == "Mo-Fr 09:00-21:00"


def _value(html: str, name: str) -> str:
    import re

    found = re.search(rf'id="{name}" name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_a_steward_adds_an_activity_at_their_place_only(
    browsers: dict[str, TestClient]
) -> None:
    client = browsers["steward_a"]
    form = client.get("/activities/new?asset=A1").text
    assert 'name="asset_ids" value="A1" checked' in form
    assert 'value="A3"' not in form  # someone else's place is not offered
    base = {"name": "Chair Yoga", "category": "exercise_class", "status": "active",
            "schedule": "Fr 10:00-11:00"}
    elsewhere = client.post("/activities/new", data={**base, "asset_ids": "A3"},
                            headers=SAME_SITE)
    assert elsewhere.status_code == 403
    added = client.post("/activities/new", data={**base, "asset_ids": "A1"}, headers=SAME_SITE)
    assert added.status_code == 303 and "done=activity_added" in added.headers["location"]
    assert "Chair Yoga" in client.get("/your-places").text


def test_under_review_a_stewards_form_waits_for_an_officer(
    store_location: str, tokens: dict[str, str]
) -> None:
    with _browser(store_location, tokens["steward_a"], steward_edits="review") as client:
        sent = _save_activity(client, "AC1", cost="£5")
        assert sent.status_code == 303 and sent.headers["location"].endswith("steward_queued")
        page = client.get(sent.headers["location"]).text
    assert "sent to the council to check" in page and "Changes waiting for the council" in page
    store = open_store(store_location)
    try:
        queued = store.records("assetmap_corrections")
        activity = store.get(load_catalog(PROJECT_ROOT / "layers")["activities"], "AC1")
    finally:
        store.close()
    assert [(q["kind"], q["author"], q["status"]) for q in queued] == [
        ("steward_edit", NAMES["steward_a"], "pending")]
    assert activity is not None and activity.properties["cost"] == "£4 including lunch"


def test_an_admin_adds_a_steward_and_changes_what_they_steward(
    browsers: dict[str, TestClient], store_location: str
) -> None:
    admin = browsers["admin"]
    refused = admin.post("/admin/users", headers=SAME_SITE, data={
        "name": "beeby.church", "role": "steward", "assets": "A2, A99", "email": "x@example.org"})
    assert refused.status_code == 422 and "A99" in refused.text
    added = admin.post("/admin/users", headers=SAME_SITE, data={
        "name": "beeby.church", "role": "steward", "assets": "A2", "email": "x@example.org"})
    assert added.status_code == 200 and "shown only this once" in added.text
    assert 'value="am_' in added.text and added.headers["cache-control"] == "no-store"
    listing = admin.get("/admin/users").text
    assert "Beeby Church Hall (A2)" in listing and "x@example.org" in listing
    changed = admin.post("/admin/users/beeby.church/steward", headers=SAME_SITE, data={
        "assets": "A2, A4", "organisations": "", "email": "church@example.org"})
    assert changed.status_code == 303
    assert "Cotes Café (A4)" in admin.get("/admin/users").text
    revoked = admin.post("/admin/users/beeby.church/revoke", headers=SAME_SITE,
                         data={"confirm": "yes"})
    assert revoked.status_code == 303
    store = open_store(store_location)
    try:
        assert store.records("assetmap_stewardships", where={"user_name": "beeby.church"}) == []
    finally:
        store.close()


def test_a_stale_record_asks_its_steward_first(
    browsers: dict[str, TestClient], store_location: str, tokens: dict[str, str]
) -> None:
    # A century: only records never checked are stale, whatever today's date.
    with _browser(store_location, tokens["steward_a"], stale_after_days=36_500) as client:
        page = client.get("/your-places").text
        to_check = page.split("Please check these details", 1)[1].split("</table>", 1)[0]
        assert "Old Hall Knit and Natter" in to_check  # AC4: never checked
        assert "Friendship Lunch" not in to_check  # AC1: checked
        etag = to_check.split('name="etag" value="', 1)[1].split('"', 1)[0]
        form = {"layer": "activities", "feature_id": "AC4", "etag": etag.replace("&#34;", '"')}
        refused = browsers["steward_b"].post("/your-places/checked", data=form,
                                             headers=SAME_SITE)
        assert refused.status_code == 403
        checked = client.post("/your-places/checked", data=form, headers=SAME_SITE)
        assert checked.status_code == 303 and "done=verified" in checked.headers["location"]
        again = client.get(checked.headers["location"]).text
    assert "Recorded as checked today." in again and "Please check these details" not in again
    store = open_store(store_location)
    try:
        rows = store.records("assetmap_audit", where={"feature_id": "AC4"})
    finally:
        store.close()
    # Checked by its steward, and said so: the check's method is a note of the same change.
    assert sorted((row["actor"], row["field"], row["after"]) for row in rows if
                  row["field"] == "check_method") == [(NAMES["steward_a"], "check_method",
                                                      "\"steward\"")]  # JSON, as audit values are
    assert [row["field"] for row in rows if row["field"] != "check_method"] == ["last_verified"]


def test_a_form_posted_from_another_site_is_refused(
    browsers: dict[str, TestClient], store_location: str
) -> None:
    form = browsers["steward_a"].get("/activities/AC1/edit")
    forged = browsers["steward_a"].post("/activities/AC1/edit", headers={
        "Origin": "https://evil.example"}, data={"etag": etag_in(form.text), "name": "Hacked",
                                                 "category": "lunch_club", "asset_ids": "A1",
                                                 "status": "active"})
    assert forged.status_code == 403
    store = open_store(store_location)
    try:
        assert store.records("assetmap_audit") == []
    finally:
        store.close()


def test_officers_delete_from_the_form_and_stewards_cannot(
    browsers: dict[str, TestClient], store_location: str
) -> None:
    form = browsers["officer"].get("/activities/AC1/edit").text
    assert "Delete this activity" in form
    assert "Delete this activity" not in browsers["steward_a"].get("/activities/AC1/edit").text
    data = {"etag": etag_in(form), "confirm": "yes"}
    refused = browsers["steward_a"].post("/activities/AC1/delete", data=data, headers=SAME_SITE)
    assert refused.status_code == 403
    unticked = browsers["officer"].post("/activities/AC1/delete", data={"etag": data["etag"]},
                                        headers=SAME_SITE)
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    named = browsers["officer"].get("/organisations/O3/edit").text  # AC1 and AC3 name O3
    in_use = browsers["officer"].post("/organisations/O3/delete", headers=SAME_SITE,
                                      data={"etag": etag_in(named), "confirm": "yes"})
    assert in_use.status_code == 409 and "AC1" in in_use.text
    deleted = browsers["officer"].post("/activities/AC1/delete", data=data, headers=SAME_SITE)
    assert deleted.status_code == 303
    assert browsers["officer"].get("/activities/AC1/edit").status_code == 404
    store = open_store(store_location)
    try:
        rows = store.records("assetmap_audit", where={"feature_id": "AC1", "action": "delete"})
    finally:
        store.close()
    assert rows and {row["actor"] for row in rows} == {NAMES["officer"]}
