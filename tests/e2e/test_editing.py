"""End to end in headless Chromium: an officer signs in, places an asset on the map and saves it
by keyboard; the public sees no editing tools; officer pages pass the accessibility check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def site(settings: Settings) -> Iterator[tuple[str, str]]:
    token = add_user(open_store(settings.store), "olive.officer", "officer")
    with live_server(create_app(settings)) as url:
        yield url, token


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(viewport={"width": 1280, "height": 800}) as page:
        page.errors_seen = []
        page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
        yield page


def click_map(page: Any, lat: float, lon: float) -> None:
    """Click the map where (lat, lon) is drawn, as a user would."""
    x, y = page.evaluate(
        """([lat, lon]) => {
             const map = window.assetmapMap;
             const point = map.latLngToContainerPoint([lat, lon]);
             const box = map.getContainer().getBoundingClientRect();
             return [box.left + point.x, box.top + point.y];
           }""",
        [lat, lon],
    )
    page.mouse.click(x, y)


def sign_in(page: Any, base: str, token: str, then: str = "/") -> None:
    page.goto(f"{base}/signin?next={then}")
    page.keyboard.press("Tab")  # skip link
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_url(f"{base}{then}")


def test_the_public_map_offers_no_editing(site: tuple[str, str], page: Any) -> None:
    base, _ = site
    page.goto(base + "/")
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
    page.wait_for_timeout(300)  # /api/me has answered
    assert page.locator("#am-editing").is_hidden()
    assert page.locator("#am-signin a").is_visible()


def test_an_officer_places_an_asset_on_the_map_and_saves_it(
    site: tuple[str, str], page: Any
) -> None:
    base, token = site
    sign_in(page, base, token)
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
    button = page.locator("#am-add-here")
    button.wait_for(state="visible", timeout=5_000)
    page.wait_for_function(
        "() => document.getElementById('am-corrections-link').textContent.includes('waiting')"
    )
    assert "(0 waiting)" in page.locator("#am-corrections-link").inner_text()
    assert serious_accessibility_violations(page) == []  # the map with the officer's tools
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    assert "Click the map" in page.locator("#am-status").inner_text()
    click_map(page, 52.608, -1.16)  # no marker here
    page.wait_for_url(f"{base}/assets/new?*")
    lon = float(page.input_value("#longitude"))
    lat = float(page.input_value("#latitude"))
    assert abs(lon + 1.16) < 0.01 and abs(lat - 52.608) < 0.01
    assert serious_accessibility_violations(page) == []
    page.fill("#id", "E2E1")
    page.fill("#name", "Placed Hall")
    page.select_option("#category", "village_hall")
    page.press("#name", "Enter")  # submits the form
    page.wait_for_url(f"{base}/assets/E2E1/edit?done=created")
    assert "Asset added." in page.locator("[role=status]").first.inner_text()
    assert page.errors_seen == []


@pytest.mark.parametrize(
    "path",
    ["/signin", "/stale", "/audit", "/assets/A1/edit", "/import", "/corrections", "/outbox",
     "/assets/A1/edit?lon=-1.2&lat=52.61"],
)
def test_officer_pages_pass_the_accessibility_check(
    site: tuple[str, str], page: Any, path: str
) -> None:
    base, token = site
    sign_in(page, base, token, then="/stale")
    response = page.goto(base + path)
    # The check runs on the officer page itself, not on the sign-in page or an error.
    assert response is not None and response.status == 200
    assert page.url == base + path
    assert page.get_by_role("heading", level=1).count() == 1
    assert serious_accessibility_violations(page) == []


def test_an_officer_moves_an_asset_from_its_popup(site: tuple[str, str], page: Any) -> None:
    base, token = site
    sign_in(page, base, token)
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
    page.locator("#am-add-here").wait_for(state="visible", timeout=5_000)
    # Close in, so A1 is drawn on its own, and open its popup by clicking it.
    page.evaluate("() => window.assetmapMap.setView([52.64026, -1.23298], 16, {animate: false})")
    page.wait_for_load_state("networkidle")
    click_map(page, 52.64026, -1.23298)
    move = page.get_by_role("button", name="Move on the map")
    move.wait_for(state="visible", timeout=5_000)
    move.click()
    assert "should be" in page.locator("#am-status").inner_text()
    click_map(page, 52.6412, -1.2310)
    page.wait_for_url(f"{base}/assets/A1/edit?*")
    assert "New position chosen on the map" in page.content()
    assert abs(float(page.input_value("#longitude")) + 1.231) < 0.0005
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{base}/assets/A1/edit?done=saved")
    assert page.errors_seen == []


def test_mark_closed_asks_first_showing_the_impact_then_closes_by_keyboard(
    site: tuple[str, str], page: Any
) -> None:
    base, token = site
    sign_in(page, base, token, then="/assets/A1/edit")
    page.get_by_role("button", name="Mark closed").click()
    page.wait_for_url(f"{base}/assets/A1/close")
    assert page.get_by_role("heading", level=1).inner_text() == "Mark Ashby Village Hall closed?"
    assert "lose their only hub within reach" in page.inner_text("main")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Yes, mark it closed").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/assets/A1/edit?done=closed")
    assert page.get_by_role("button", name="Mark closed").count() == 0
