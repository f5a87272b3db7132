"""End to end in headless Chromium: a steward signs in, lands on their places and groups,
edits their activity by keyboard, is told what is wrong with a schedule and fixes it; every
page passes the accessibility check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.stewardship import add_steward
from assetmap.store import open_store
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser
PORT = 8111  # this suite's own port


@pytest.fixture
def site(settings: Settings) -> Iterator[tuple[str, str]]:
    store = open_store(settings.store)
    token = add_steward(store, load_catalog(PROJECT_ROOT / "layers"), "hall.committee",
                        email="hall@example.org", assets=["A1"], organisations=["O1"],
                        actor="test")
    store.close()
    with live_server(create_app(settings.model_copy(update={"secure_cookies": False})),
                     port=PORT) as url:
        yield url, token


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        yield page


def test_a_steward_edits_their_activity(
    site: tuple[str, str], page: Any, settings: Settings
) -> None:
    base, token = site
    site_store = settings.store
    page.goto(f"{base}/signin")
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_url(f"{base}/your-places")
    assert page.locator("h1").inner_text() == "Your places and groups"
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Edit Friendship Lunch").click()
    page.wait_for_url(f"{base}/activities/AC1/edit")
    assert page.locator("h1").inner_text() == "Edit Friendship Lunch"
    page.fill("#schedule", "Wednesdays at noon")
    page.press("#schedule", "Enter")
    summary = page.locator("#error-summary")
    summary.wait_for(state="visible")
    assert "When it runs" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert serious_accessibility_violations(page) == []

    summary.get_by_role("link").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("We 12:00-14:30")
    page.locator("label", has_text="Carers").click()  # tick "Carers" in who it is for
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{base}/activities/AC1/edit?done=saved")
    assert page.locator("[role=status]").first.inner_text() == "Changes saved."
    assert "12 noon to 2:30pm" in page.locator("main").inner_text()
    assert page.get_by_label("Carers").is_checked()
    assert serious_accessibility_violations(page) == []
    store = open_store(site_store)
    activity = store.get(load_catalog(PROJECT_ROOT / "layers")["activities"], "AC1")
    store.close()
    assert activity is not None and activity.properties["schedule"] == "We 12:00-14:30"
    assert activity.properties["audience"] == "older_people;carers"
