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
    page.check("#category-village_hall")
    page.press("#name", "Enter")  # submits the form: check answers come first
    page.wait_for_selector("h1:has-text('Check the new asset before you add it')")
    assert page.locator(".pv-map").count() == 1
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Add the asset").click()
    page.wait_for_url(f"{base}/assets/E2E1/edit?done=created")
    assert "Asset added." in page.locator("[role=status]").first.inner_text()
    assert page.errors_seen == []


PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "path",
    ["/signin", "/stale", "/audit", "/assets/A1/edit", "/import", "/corrections", "/outbox",
     "/assets/A1/edit?lon=-1.2&lat=52.61", "/assets/new",
     "/assets/A1/move?lon=-1.2315&lat=52.6412"],
)
def test_officer_pages_pass_the_accessibility_check(
    site: tuple[str, str], path: str, viewport: dict[str, int]
) -> None:
    base, token = site
    with chromium_page(viewport=viewport) as page:
        sign_in(page, base, token, then="/stale")
        response = page.goto(base + path)
        # The check runs on the officer page itself, not on the sign-in page or an error.
        assert response is not None and response.status == 200
        assert page.url == base + path
        assert page.get_by_role("heading", level=1).count() == 1
        assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_asset_form_with_errors_and_the_import_summary_pass_the_check(
    site: tuple[str, str], viewport: dict[str, int], tmp_path: Any
) -> None:
    base, token = site
    with chromium_page(viewport=viewport) as page:
        sign_in(page, base, token, then="/assets/new")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector("#error-summary")
        assert page.title().startswith("Error: Add an asset")
        assert page.evaluate("() => document.activeElement.id") == "error-summary"
        assert "Enter the name of the place" in page.inner_text("#error-summary")
        assert serious_accessibility_violations(page) == []
        csv = tmp_path / "halls.csv"
        csv.write_text("id,name,category,status,longitude,latitude\n"
                       "E2E9,Summary Hall,Village hall,Open,-1.24,52.62\n", encoding="utf-8")
        page.goto(base + "/import")
        page.set_input_files("#file", str(csv))
        page.get_by_role("button", name="Check the file").click()
        page.get_by_role("button", name="Import 1 new and 0 changed asset").click()
        page.wait_for_url(f"{base}/import/summary?*")
        assert page.inner_text("h1") == "Import complete"
        assert page.get_by_role("link", name="Summary Hall").count() == 1
        assert serious_accessibility_violations(page) == []


def open_a1_popup(page: Any) -> None:
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
    page.locator("#am-add-here").wait_for(state="visible", timeout=5_000)
    # Close in, so A1 is drawn on its own, and open its popup by clicking it.
    page.evaluate("() => window.assetmapMap.setView([52.64026, -1.23298], 16, {animate: false})")
    page.wait_for_load_state("networkidle")
    click_map(page, 52.64026, -1.23298)


def test_an_officer_drags_an_asset_then_cancels_and_nothing_moves(
    site: tuple[str, str], page: Any
) -> None:
    base, token = site
    sign_in(page, base, token)
    open_a1_popup(page)
    page.get_by_role("button", name="Move on the map").click()
    banner = page.locator("#am-banner")
    assert banner.is_visible()
    assert page.inner_text("#am-banner-text") == (
        "Moving Ashby Village Hall — drag the pin or use the arrow keys, then Save / Cancel")
    pin = page.locator(".am-moving-pin").bounding_box()
    assert pin is not None
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y - 60, steps=8)
    page.mouse.up()
    assert "north-east of where it was" in page.inner_text("#am-banner-status")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Cancel", exact=True).click()
    assert banner.is_hidden() and page.locator(".am-moving-pin").count() == 0
    assert "Move cancelled: Ashby Village Hall stays where it was." in page.inner_text("#am-status")
    assert page.url == base + "/"
    coordinates = page.evaluate("async () => (await (await fetch('/api/layers/assets/items/A1'))"
                                ".json()).geometry.coordinates")
    assert abs(coordinates[0] + 1.23298) < 1e-4 and abs(coordinates[1] - 52.64026) < 1e-4
    assert page.errors_seen == []


def test_an_officer_moves_an_asset_by_keyboard_alone_and_checks_it(
    site: tuple[str, str], page: Any
) -> None:
    base, token = site
    sign_in(page, base, token)
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
    page.locator("#am-add-here").wait_for(state="visible", timeout=5_000)
    page.locator("#am-search-q").focus()  # reached by keyboard: the skip link goes here
    page.keyboard.type("Ashby Village Hall")
    page.keyboard.press("Enter")
    move = page.get_by_role("button", name="Move Ashby Village Hall on the map")
    move.wait_for(state="visible", timeout=10_000)
    move.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.classList.contains('am-moving-pin')")
    for key in ["ArrowUp"] * 5 + ["ArrowRight"] * 5:
        page.keyboard.press(key)
    said = page.inner_text("#am-banner-status")
    assert said.startswith("Ashby Village Hall is ") and "north-east of where it was" in said
    assert page.get_attribute("#am-banner-status", "aria-live") == "polite"
    page.keyboard.press("Enter")  # Save: to the check-answers page
    page.wait_for_url(f"{base}/assets/A1/move?*")
    assert page.inner_text("h1") == "Check the new position of Ashby Village Hall"
    assert "will be moved" in page.inner_text("#of-move")
    assert "north-east" in page.inner_text("#of-move")
    assert page.locator(".pv-map[role=img]").count() == 1
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save the new position").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/assets/A1/edit?done=saved")
    coordinates = page.evaluate("async () => (await (await fetch('/api/layers/assets/items/A1'))"
                                ".json()).geometry.coordinates")
    assert coordinates[0] > -1.23298 and coordinates[1] > 52.64026
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
