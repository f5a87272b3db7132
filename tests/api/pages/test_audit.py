"""The audit page: one row per change with the record's name linked to its history, times
and values in words, filters as choices (with GOV.UK date inputs) and pages."""

# ruff: noqa: F811  (the imported fixture is taken as a parameter)
from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from tests.api.pages.records_site import officer_site  # noqa: F401


def _edit(site: TestClient, feature_id: str, **values: object) -> None:
    page = site.get(f"/api/layers/assets/items/{feature_id}")
    changed = site.patch(f"/api/layers/assets/items/{feature_id}",
                         json={"properties": values}, headers={"If-Match": page.headers["ETag"]})
    assert changed.status_code == 200, changed.text


def _rows(html: str) -> int:
    body = html[html.index("<tbody>"):html.index("</tbody>")] if "<tbody>" in html else ""
    return body.count("<tr>")


def test_one_row_per_change_with_names_and_words(officer_site: TestClient) -> None:
    created = officer_site.post("/api/layers/assets/items", json={
        "type": "Feature", "properties": {"name": "Beeby Pavilion", "category": "village_hall",
                                          "status": "open", "accessibility": "step_free"},
        "geometry": {"type": "Point", "coordinates": [-1.25, 52.64]}})
    assert created.status_code == 201
    new_id = created.json()["id"]
    page = officer_site.get("/audit")
    assert page.status_code == 200
    assert _rows(page.text) == 1  # a create of many fields is one row
    assert f'href="/records/assets/{new_id}/history">Beeby Pavilion</a>' in page.text
    assert "Village hall" in page.text and "Step free" in page.text
    assert "&#34;" not in page.text and "POINT" not in page.text  # no JSON quotes, no WKT
    assert re.search(r"\d{1,2} \w+ 20\d\d, \d{1,2}:\d\d[ap]m", page.text)
    assert "Added" in page.text


def test_filters_are_choices_and_pages_hold_25(officer_site: TestClient) -> None:
    for n in range(27):
        _edit(officer_site, "A1" if n % 3 else "A2", opening_times=f"Week {n}")
    first = officer_site.get("/audit")
    assert _rows(first.text) == 25 and "Showing changes 1 to 25 of 27." in first.text
    assert 'rel="next"' in first.text and 'aria-current="page"' in first.text
    second = officer_site.get("/audit?page=2")
    assert _rows(second.text) == 2 and "Week 0" in second.text
    assert '<option value="olive.officer">olive.officer</option>' in first.text
    assert '<option value="change">Changed</option>' in first.text
    assert '<option value="assets">Community assets</option>' in first.text
    today = dt.date.today()
    chosen = officer_site.get("/audit", params={
        "action": "change", "actor": "olive.officer", "since-day": today.day,
        "since-month": today.month, "since-year": today.year})
    assert "of 27." in chosen.text
    tomorrow = today + dt.timedelta(days=1)
    none = officer_site.get("/audit", params={"since-day": tomorrow.day,
                                              "since-month": tomorrow.month,
                                              "since-year": tomorrow.year})
    assert none.status_code == 200 and "No changes match these filters." in none.text
    hall = officer_site.get("/audit?feature_id=A2")
    assert "of 9." in hall.text and "Beeby Church Hall" in hall.text


def test_a_wrong_date_is_an_error_at_the_field(officer_site: TestClient) -> None:
    page = officer_site.get("/audit", params={"since-day": "31", "since-month": "2",
                                              "since-year": "2026", "until-day": "1"})
    assert page.status_code == 400
    assert "<title>Error: Audit log" in page.text
    assert "There is a problem" in page.text
    assert 'href="#since-day">The ‘from’ date must be a real date' in page.text
    assert "The ‘to’ date must include a month and year" in page.text
    assert 'id="until-month" name="until-month" value="" maxlength="2" aria-invalid="true"' \
        in page.text
    backwards = officer_site.get("/audit", params={
        "since-day": "2", "since-month": "2", "since-year": "2026",
        "until-day": "1", "until-month": "2", "until-year": "2026"})
    assert backwards.status_code == 400 and "after the ‘to’ date" in backwards.text


def test_the_changes_api_pages_and_filters(officer_site: TestClient) -> None:
    for n in range(3):
        _edit(officer_site, "A1", opening_times=f"Week {n}")
    body = officer_site.get("/api/audit/changes", params={"per_page": 2}).json()
    assert (body["total"], body["pages"], len(body["changes"])) == (3, 2, 2)
    newest = body["changes"][0]
    assert (newest["name"], newest["action"], newest["fields"][0]["after"]) == (
        "Ashby Village Hall", "change", "Week 2")
    assert officer_site.get("/api/audit/changes", params={"actor": "nobody"}).json()[
        "total"] == 0
    bad = officer_site.get("/api/audit/changes", params={"since": "2026-02-31"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
