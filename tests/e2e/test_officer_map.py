"""End to end in real headless Chromium: the officer map draws, escapes, and stays local."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from tests.conftest import XSS_NAME
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[Any]:
    with chromium_page(viewport={"width": 1280, "height": 800}) as page:
        page.requests_seen = []
        page.dialogs_seen = []
        page.errors_seen = []
        page.on("request", lambda request: page.requests_seen.append(request.url))
        page.on("dialog", lambda dialog: (page.dialogs_seen.append(dialog.message),
                                          dialog.dismiss()))
        page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
        page.goto(base_url + "/")
        page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
        yield page


def click_at(page: Any, lon: float, lat: float) -> None:
    """Click the map where (lon, lat) is drawn."""
    x, y = page.evaluate(
        """([lat, lon]) => {
             const point = window.assetmapMap.latLngToContainerPoint([lat, lon]);
             const box = window.assetmapMap.getContainer().getBoundingClientRect();
             return [box.left + point.x, box.top + point.y];
           }""",
        [lat, lon],
    )
    page.mouse.click(x, y)


def feature_lon_lat(page: Any, base_url: str, layer: str, feature_id: str) -> tuple[float, float]:
    feature = page.evaluate(
        "async (url) => (await fetch(url)).json()",
        f"{base_url}/api/layers/{layer}/items/{feature_id}",
    )
    lon, lat = feature["geometry"]["coordinates"]
    return lon, lat


def test_map_draws_assets_and_parishes(page: Any) -> None:
    assert page.get_attribute("body", "data-map-ready") == "true"
    assert page.get_attribute("body", "data-loaded-assets") == "5"
    assert page.get_attribute("body", "data-loaded-community_areas") == "4"
    assert page.get_attribute("body", "data-loaded-districts") == "2"
    assert "5 community assets in view" in page.inner_text("#am-status")
    assert page.is_visible("text=Synthetic sample data.")
    assert page.errors_seen == []


def test_parish_popup_opens_on_click(page: Any) -> None:
    # Inside Beeby (455-460 km E), away from any asset; lon/lat of (457000, 308000).
    click_at(page, -1.1586, 52.6667)
    title = page.wait_for_selector(".leaflet-popup-content .am-popup-title", timeout=5_000)
    assert title.inner_text() == "Beeby"
    assert "Parish meeting" in page.inner_text(".leaflet-popup-content")


def test_asset_named_like_html_is_shown_as_plain_text(page: Any, base_url: str) -> None:
    lon, lat = feature_lon_lat(page, base_url, "assets", "A3")
    # Close in, so the asset is drawn on its own rather than inside a group.
    page.evaluate("([lat, lon]) => window.assetmapMap.setView([lat, lon], 15)", [lat, lon])
    page.wait_for_load_state("networkidle")
    click_at(page, lon, lat)
    title = page.wait_for_selector(".leaflet-popup-content .am-popup-title", timeout=5_000)
    assert title.inner_text() == XSS_NAME
    assert page.query_selector(".leaflet-popup-content img") is None
    # Its website is "javascript:alert(1)": shown as text, never a link.
    assert page.query_selector(".leaflet-popup-content a[href^='javascript']") is None
    page.wait_for_timeout(300)
    assert page.dialogs_seen == []


def test_filters_reload_assets(page: Any) -> None:
    page.select_option("#am-filter-category", "village_hall")
    page.wait_for_function("() => document.body.dataset.loadedAssets === '2'", timeout=5_000)
    page.select_option("#am-filter-status", "open")
    page.wait_for_function("() => document.body.dataset.loadedAssets === '1'", timeout=5_000)
    assert "1 community assets in view" in page.inner_text("#am-status")


def test_no_request_leaves_the_machine(page: Any, base_url: str) -> None:
    page.wait_for_timeout(500)
    outside = [url for url in page.requests_seen
               if not url.startswith(base_url) and not url.startswith("data:")]
    assert page.requests_seen, "the page made no requests at all"
    assert outside == []


def test_groups_of_assets_open_by_keyboard(page: Any) -> None:
    page.evaluate("() => window.assetmapMap.setZoom(8, {animate: false})")
    page.wait_for_function("() => window.assetmapMap.getZoom() === 8", timeout=15_000)
    cluster = page.wait_for_selector(".am-cluster[role=button]", timeout=15_000)
    assert "assets here" in (cluster.get_attribute("aria-label") or "")
    assert int(cluster.inner_text()) >= 2
    zoom_before = page.evaluate("() => window.assetmapMap.getZoom()")
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.assetmapMap.getZoom() > {zoom_before}", timeout=15_000)


def test_officer_map_meets_wcag_aa(page: Any) -> None:
    # The check runs on the drawn map, not on an empty or error page.
    assert page.get_attribute("body", "data-map-ready") == "true"
    assert page.locator(".leaflet-marker-icon, .am-cluster").count() > 0
    assert page.get_by_role("heading", level=1).count() == 1
    assert serious_accessibility_violations(page) == []


def test_bundled_sample_county_draws_and_says_synthetic() -> None:
    from assetmap.config import PROJECT_ROOT

    settings = Settings(store=str(PROJECT_ROOT / "data" / "sample.gpkg"))
    with live_server(create_app(settings)) as url, chromium_page() as page:
        page.goto(url + "/")
        page.wait_for_selector("body[data-map-ready='true']", state="attached", timeout=30_000)
        assert int(page.get_attribute("body", "data-loaded-community_areas") or 0) > 220
        assert int(page.get_attribute("body", "data-loaded-districts") or 0) == 7
        assert int(page.get_attribute("body", "data-loaded-assets") or 0) > 700
        assert page.locator(".am-cluster").count() > 0
        assert "Synthetic sample data" in page.inner_text(".am-notice")
        assert "synthetic sample data" in page.title()


# -- issue 16: a map with context and no internet, and a search --------------------------------
def test_with_no_tile_server_the_map_names_its_places(page: Any, base_url: str) -> None:
    page.wait_for_selector("body[data-context-ready]", state="attached", timeout=20_000)
    page.evaluate("() => window.assetmapMap.setView([52.64, -1.16], 12, {animate: false})")
    page.wait_for_function("() => Number(document.body.dataset.contextNames) >= 3")
    labels = page.locator(".am-place-label").all_inner_texts()
    assert {"Westtown", "Beeby", "Cotes"} <= set(labels)
    # The officer map's own layers draw the outlines: it asks for the names alone.
    assert any("/api/map/context?detail=coarse&outlines=false" in url
               for url in page.requests_seen)
    outside = [url for url in page.requests_seen
               if not url.startswith(base_url) and not url.startswith("data:")]
    assert outside == []


def test_the_search_finds_a_place_and_says_so(page: Any) -> None:
    page.locator("#am-search-q").focus()
    page.keyboard.type("Beeby")
    page.keyboard.press("Enter")
    page.wait_for_selector("#am-search-results:not([hidden]) button", timeout=10_000)
    assert "results for “Beeby”" in page.inner_text("#am-search-status")
    page.get_by_role("button", name="Beeby, Westshire (place)").click()
    assert page.inner_text("#am-search-status") == "Showing Beeby, Westshire (place) on the map."
    centre = page.evaluate("() => window.assetmapMap.getCenter()")
    assert abs(centre["lng"] + 1.16) < 0.03 and abs(centre["lat"] - 52.64) < 0.06
    assert page.evaluate("() => window.assetmapMap.getZoom()") == 14
    page.fill("#am-search-q", "Nowhere At All")
    page.press("#am-search-q", "Enter")
    page.wait_for_function("() => document.getElementById('am-search-status')"
                           ".textContent.startsWith('Nothing found')")
    assert page.errors_seen == []


def test_officer_map_meets_wcag_aa_on_a_phone(base_url: str) -> None:
    with chromium_page(viewport={"width": 375, "height": 740}, is_mobile=True) as phone:
        phone.goto(base_url + "/")
        phone.wait_for_selector("body[data-context-ready]", state="attached", timeout=20_000)
        assert phone.locator("#am-signin a").is_visible()
        assert serious_accessibility_violations(phone) == []
