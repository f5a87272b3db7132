"""The stale-records page, its quick "checked" action, and the audit page that records it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.still_right import issue_link
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, etag_in, sign_in


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
    assert "olive.officer" in audit.text and "last_verified" in audit.text


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
