"""The stale-records page, its quick "checked" action, and the audit page that records it."""

from __future__ import annotations

from fastapi.testclient import TestClient

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
