"""The stale-records page: its quick "checked" action with how it was checked, filters,
sorting and pages, only this council's records unless asked, and the audit page that
records each check."""

# ruff: noqa: F811  (the imported fixture is taken as a parameter)
from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.still_right import issue_link
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, etag_in, sign_in
from tests.api.pages.records_site import officer_site  # noqa: F401


def test_stale_list_verify_and_the_audit_page(browser: TestClient, token: str) -> None:
    sign_in(browser, token)
    page = browser.get("/stale")
    assert "Beeby Church Hall" in page.text and "Old Hall" not in page.text  # closed: not listed
    row = page.text[page.text.index("Beeby Church Hall"):]
    etag = etag_in(row)
    done = browser.post("/assets/A2/verify", headers=SAME_SITE,
                        data={"etag": etag, "next": "/stale?days=365"})
    assert done.status_code == 303 and done.headers["location"] == "/stale?days=365&done=verified"
    after = browser.get(done.headers["location"])
    assert "Recorded as checked today." in after.text and "Beeby Church Hall" not in after.text
    audit = browser.get("/audit?feature_id=A2")
    assert "olive.officer" in audit.text and "Last checked" in audit.text


def _row(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rindex("<tr>", 0, start):html.index("</tr>", start)]


def test_checked_today_records_how_and_shows_it(officer_site: TestClient) -> None:
    page = officer_site.get("/stale?days=1")
    row = _row(page.text, "Beeby Church Hall")
    assert "Never checked" in row
    assert '<option value="visit">Visit</option>' in row
    unsaid = officer_site.post("/stale/A2/checked", headers=SAME_SITE, data={
        "etag": etag_in(row), "next": "/stale?days=1"})
    assert unsaid.status_code == 422 and "Select how you checked it" in unsaid.text
    assert 'href="#method-A2"' in unsaid.text and "<title>Error: Stale records" in unsaid.text
    stale = officer_site.post("/stale/A2/checked", headers=SAME_SITE, data={
        "etag": '"old"', "method": "visit", "next": "/stale?days=1"})
    assert stale.status_code == 412 and "nothing was saved" in stale.text
    done = officer_site.post("/stale/A2/checked", headers=SAME_SITE, data={
        "etag": etag_in(row), "method": "visit", "next": "/stale?days=1&sort=name"})
    assert done.status_code == 303
    assert done.headers["location"] == "/stale?days=1&sort=name&done=verified"
    assert "Beeby Church Hall" not in officer_site.get(done.headers["location"]).text
    everything = officer_site.get("/stale?days=36500")  # nothing is that stale: checked ones
    assert "Beeby Church Hall" not in everything.text
    audit = officer_site.get("/audit?feature_id=A2")
    assert "Checked: on a visit" in audit.text
    api = officer_site.get("/api/audit/changes", params={"feature_id": "A2"}).json()
    assert api["changes"][0]["notes"] == {"check_method": "visit"}


def test_the_list_shows_the_method_of_the_last_check(officer_site: TestClient) -> None:
    etag = officer_site.get("/api/layers/assets/items/A3").headers["ETag"]
    checked = officer_site.post("/api/layers/assets/items/A3/verify?method=phone",
                                headers={"If-Match": etag})
    assert checked.status_code == 200
    row = _row(officer_site.get("/stale?days=0").text, "alert(1)")  # A3's name is hostile
    assert "By phone, by olive.officer" in row and "0 days ago" in row


def test_filters_sorting_and_pages(officer_site: TestClient) -> None:
    west = officer_site.get("/stale", params={"days": 300, "district": "E07999001"})
    assert "Beeby Church Hall" in west.text and "Cotes Café" not in west.text
    assert '<option value="E07999001" selected>Westshire</option>' in west.text
    cafes = officer_site.get("/stale", params={"days": 300, "category": "community_cafe"})
    assert "Cotes Café" in cafes.text and "Beeby Church Hall" not in cafes.text
    by_name = officer_site.get("/stale", params={"days": 300, "sort": "name"}).text
    assert by_name.index("Ashby Village Hall") < by_name.index("Beeby Church Hall") < \
        by_name.index("Cotes Café")
    oldest = officer_site.get("/stale", params={"days": 300}).text
    assert oldest.index("Cotes Café") < oldest.index("Ashby Village Hall")  # never checked first
    assert "Showing 1 to 4 of 4 stale records." in oldest
    assert "Whose records" not in oldest  # the tiny county has no neighbours' records


def test_the_stale_list_says_when_a_steward_was_asked(
    browser: TestClient, token: str, tiny_gpkg: Path
) -> None:
    store = open_store(str(tiny_gpkg))
    with store.transaction() as transaction:
        issue_link(transaction, load_catalog(PROJECT_ROOT / "layers")["assets"], "A2",
                   "hall.committee", days=14, now=dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC))
    store.close()
    sign_in(browser, token)
    page = browser.get("/stale")
    assert "Steward asked" in page.text
    beeby = page.text[page.text.index("Beeby Church Hall"):].split("</tr>")[0]
    assert "3 November 2026" in beeby
    cotes = page.text[page.text.index("Cotes Café"):].split("</tr>")[0]
    assert "not asked" in cotes
