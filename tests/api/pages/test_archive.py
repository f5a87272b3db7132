"""Deleted records on the officers' pages: the archive list, restoring one (a confirmation
first), a clear refusal when the id was reused, and each record's history with "restore
this version" (checked against the version the page showed)."""

# ruff: noqa: F811  (the imported fixture is taken as a parameter)
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.pages.officer import etag_in
from tests.api.pages.records_site import SAME_SITE, officer_site  # noqa: F401


def _delete(site: TestClient, asset_id: str) -> None:
    etag = etag_in(site.get(f"/assets/{asset_id}/edit").text)
    done = site.post(f"/assets/{asset_id}/delete", data={"etag": etag, "confirm": "yes"},
                     headers=SAME_SITE)
    assert done.status_code == 303


def test_a_deleted_asset_is_listed_and_restored(officer_site: TestClient) -> None:
    _delete(officer_site, "A4")
    listed = officer_site.get("/archive")
    assert listed.status_code == 200
    assert "Cotes Café" in listed.text and "by olive.officer" in listed.text
    link = listed.text.index('href="/archive/')
    record_url = listed.text[link + 6:listed.text.index('"', link + 6)]
    confirm = officer_site.get(record_url)
    assert confirm.status_code == 200 and "Restore Cotes Café?" in confirm.text
    assert "At risk" in confirm.text and "Community café" in confirm.text  # values in words
    assert officer_site.get("/api/layers/assets/items/A4").status_code == 404  # not yet
    done = officer_site.post(f"{record_url}/restore", headers=SAME_SITE)
    assert done.status_code == 303 and done.headers["location"].endswith("?done=restored")
    assert officer_site.get("/api/layers/assets/items/A4").json()["properties"]["name"] == \
        "Cotes Café"
    history = officer_site.get(done.headers["location"])
    assert "Restored. The restore is in the audit log." in history.text
    assert "Restored on" in history.text and "Deleted on" in history.text
    assert "No deleted records" in officer_site.get("/archive").text


def test_restoring_over_a_reused_id_is_refused_clearly(officer_site: TestClient) -> None:
    _delete(officer_site, "A4")
    listed = officer_site.get("/api/archive").json()
    (item,) = listed["items"]
    assert (item["feature_id"], item["name"], listed["total"]) == ("A4", "Cotes Café", 1)
    assert item["feature"]["geometry"]["type"] == "Point"
    lon, _ = item["feature"]["geometry"]["coordinates"]
    assert -2 < lon < 0  # served in EPSG:4326
    created = officer_site.post("/api/layers/assets/items", json={  # the id given again
        "type": "Feature", "properties": {"id": "A4", "name": "New Cotes Hub",
                                          "category": "community_hub", "status": "open"},
        "geometry": {"type": "Point", "coordinates": [-1.02, 52.63]}})
    assert created.status_code == 201, created.text
    assert officer_site.get("/api/layers/assets/items/A4").json()["properties"]["name"] == \
        "New Cotes Hub"
    refused = officer_site.post(f"/archive/{item['archive_id']}/restore", headers=SAME_SITE)
    assert refused.status_code == 409
    assert "Error:" in refused.text and "now belongs to another" in refused.text
    api = officer_site.post(f"/api/archive/{item['archive_id']}/restore")
    assert api.status_code == 409 and api.json()["error"]["code"] == "conflict"
    assert officer_site.get("/api/layers/assets/items/A4").json()["properties"]["name"] == \
        "New Cotes Hub"


def _edit(site: TestClient, **values: str) -> None:
    page = site.get("/api/layers/assets/items/A4")
    changed = site.patch("/api/layers/assets/items/A4", json={"properties": values},
                         headers={"If-Match": page.headers["ETag"]})
    assert changed.status_code == 200, changed.text


def test_history_and_restoring_an_older_version(officer_site: TestClient) -> None:
    _edit(officer_site, opening_times="Sat 10-12")
    _edit(officer_site, opening_times="Closed for repairs", phone="0116 496 0000")
    history = officer_site.get("/records/assets/A4/history")
    assert history.status_code == 200 and "History of Cotes Café" in history.text
    assert history.text.count(">Restore this version<") == 1  # not the record now
    link = history.text.index("/restore\">Restore this version")
    url = history.text[history.text.rindex('href="', 0, link) + 6:link + 8]
    confirm = officer_site.get(url)
    assert confirm.status_code == 200 and "What would change" in confirm.text
    assert "Closed for repairs" in confirm.text and "Sat 10-12" in confirm.text
    etag = etag_in(confirm.text)
    _edit(officer_site, email="cafe@cotes.example")  # someone else, meanwhile
    stale = officer_site.post(url, data={"etag": etag}, headers=SAME_SITE)
    assert stale.status_code == 412 and "Someone changed this record" in stale.text
    current = officer_site.get("/api/layers/assets/items/A4").json()["properties"]
    assert current["opening_times"] == "Closed for repairs"  # nothing saved
    done = officer_site.post(url, data={"etag": etag_in(stale.text)}, headers=SAME_SITE)
    assert done.status_code == 303
    current = officer_site.get("/api/layers/assets/items/A4").json()["properties"]
    assert (current["opening_times"], current["phone"]) == ("Sat 10-12", None)
    assert current["email"] is None  # the version after the first change had no email
    assert "Put back an earlier version." in officer_site.get("/records/assets/A4/history").text


def test_history_and_version_restore_in_the_api(officer_site: TestClient) -> None:
    _edit(officer_site, opening_times="Sat 10-12")
    _edit(officer_site, opening_times="Sun 10-12")
    changes = officer_site.get("/api/layers/assets/items/A4/history").json()
    assert [c["action"] for c in changes] == ["change", "change"]
    assert changes[0]["fields"] == [{"field": "opening_times", "label": "Opening times",
                                     "before": "Sat 10-12", "after": "Sun 10-12",
                                     "summary": None}]
    older = changes[1]["change_id"]
    url = f"/api/layers/assets/items/A4/history/{older}/restore"
    assert officer_site.post(url).status_code == 428
    assert officer_site.post(url, headers={"If-Match": '"old"'}).status_code == 412
    etag = officer_site.get("/api/layers/assets/items/A4").headers["ETag"]
    restored = officer_site.post(url, headers={"If-Match": etag})
    assert restored.status_code == 200
    assert restored.json()["properties"]["opening_times"] == "Sat 10-12"
    assert restored.headers["ETag"] != etag


@pytest.mark.parametrize(("layer", "record", "edit"), [
    ("assets", "A1", "/assets/A1/edit"),
    ("organisations", "O1", "/organisations/O1/edit"),
    ("activities", "AC1", "/activities/AC1/edit"),
])
def test_a_history_page_links_to_the_records_own_form(
    officer_site: TestClient, layer: str, record: str, edit: str
) -> None:
    page = officer_site.get(f"/records/{layer}/{record}/history")
    assert page.status_code == 200
    assert f'<a href="{edit}">Edit this record</a>' in page.text
    assert officer_site.get(edit).status_code == 200  # and the form opens
