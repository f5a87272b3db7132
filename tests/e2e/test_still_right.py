"""End to end in headless Chromium: a steward opens the "still right" link from their mail,
the page passes the accessibility check, and pressing the button by keyboard confirms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.stewardship import set_stewardship
from assetmap.register.still_right import issue_link
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def link(settings: Settings) -> Iterator[str]:
    catalog = load_catalog(PROJECT_ROOT / "layers")
    store = open_store(settings.store)
    add_user(store, "hall.committee", "steward", email="hall@example.org")
    set_stewardship(store, catalog, "hall.committee", assets=["A1"], actor="ada.admin")
    with store.transaction() as transaction:
        token = issue_link(transaction, catalog["assets"], "A1", "hall.committee", days=14)
    store.close()
    with live_server(create_app(settings)) as url:
        yield f"{url}/still-right/{token}"


def test_a_steward_confirms_by_keyboard_on_an_accessible_page(link: str) -> None:
    page: Any
    with chromium_page(viewport={"width": 390, "height": 844}) as page:
        response = page.goto(link)
        assert response is not None and response.status == 200
        assert page.get_by_role("heading", level=1).inner_text() == "Are these details still right?"
        assert serious_accessibility_violations(page) == []
        button = page.get_by_role("button", name="Yes, these details are still right")
        button.focus()
        page.keyboard.press("Enter")
        heading = page.get_by_role("heading", name="Thank you: marked as still right")
        heading.wait_for(state="visible", timeout=10_000)
        assert serious_accessibility_violations(page) == []
        again = page.goto(link)
        assert again is not None and again.status == 410
        assert page.get_by_role("heading", level=1).inner_text() == (
            "This link has already been used")
