"""The still-right page a steward's yearly mail links to: look, confirm once, and clear
pages (nothing changed) for a forged, expired, used or no-longer-stewarded link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.audit import audit_entries
from assetmap.register.stewardship import set_stewardship
from assetmap.register.still_right import issue_link
from assetmap.register.users import add_user
from assetmap.store import open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
SAME_SITE = {"Origin": "https://testserver"}


def _link(tiny_gpkg: Path, *, feature_id: str = "A1", days_ago: int = 0) -> str:
    store = open_store(str(tiny_gpkg))
    add_user(store, "hall.committee", "steward", email="hall@example.org")
    set_stewardship(store, CATALOG, "hall.committee", assets=["A1"], actor="ada.admin")
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    with store.transaction() as transaction:
        token = issue_link(transaction, CATALOG["assets"], feature_id, "hall.committee",
                           days=14, now=when)
    store.close()
    return token


def _verified(tiny_gpkg: Path) -> object:
    store = open_store(str(tiny_gpkg))
    feature = store.get(CATALOG["assets"], "A1")
    store.close()
    assert feature is not None
    return feature.properties["last_verified"]


def _audit(tiny_gpkg: Path, **where: str) -> list[dict[str, object]]:
    store = open_store(str(tiny_gpkg))
    entries = audit_entries(store, where=where or None)
    store.close()
    return entries


def test_the_link_shows_the_record_and_one_press_confirms_it(
    browser: TestClient, tiny_gpkg: Path
) -> None:
    token = _link(tiny_gpkg)
    page = browser.get(f"/still-right/{token}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Ashby Village Hall" in page.text and "Mon-Fri 9-5" in page.text
    assert "Yes, these details are still right" in page.text
    assert _verified(tiny_gpkg) == "2026-01-10"  # opening the link changes nothing
    done = browser.post(f"/still-right/{token}", headers=SAME_SITE)
    assert done.status_code == 200 and "Thank you: marked as still right" in done.text
    assert _verified(tiny_gpkg) == dt.date.today().isoformat()
    [entry] = _audit(tiny_gpkg, feature_id="A1")
    assert entry["actor"] == "hall.committee (steward, still right by email)"
    again = browser.post(f"/still-right/{token}", headers=SAME_SITE)
    assert again.status_code == 410 and "This link has already been used" in again.text
    assert "Nothing has been changed." in again.text
    assert browser.get(f"/still-right/{token}").status_code == 410


def test_a_forged_link_is_a_clear_not_found_page(browser: TestClient, tiny_gpkg: Path) -> None:
    token = _link(tiny_gpkg)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for response in (browser.get(f"/still-right/{forged}"),
                     browser.post(f"/still-right/{forged}", headers=SAME_SITE)):
        assert response.status_code == 404 and "This link does not work" in response.text
    assert _verified(tiny_gpkg) == "2026-01-10"


def test_an_expired_link_changes_nothing(browser: TestClient, tiny_gpkg: Path) -> None:
    token = _link(tiny_gpkg, days_ago=15)
    response = browser.post(f"/still-right/{token}", headers=SAME_SITE)
    assert response.status_code == 410 and "This link has expired" in response.text
    assert _verified(tiny_gpkg) == "2026-01-10"
    assert _audit(tiny_gpkg) == []


def test_a_link_for_a_record_the_steward_no_longer_looks_after(
    browser: TestClient, tiny_gpkg: Path
) -> None:
    token = _link(tiny_gpkg, feature_id="A2")  # they steward A1 only
    response = browser.post(f"/still-right/{token}", headers=SAME_SITE)
    assert response.status_code == 410 and "no longer confirm" in response.text
