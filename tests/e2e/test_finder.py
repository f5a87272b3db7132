"""The public finder in headless Chromium: WCAG 2.2 AA, keyboard only, no JS, escaped, local."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import XSS_NAME, tiny_tables
from tests.e2e.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    live_server,
    require_chromium,
    serious_accessibility_violations,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server on the tiny county for the module (no test here changes the store)."""
    path = tmp_path_factory.mktemp("finder") / "tiny.gpkg"
    write_geopackage(path, tiny_tables())
    with live_server(create_app(Settings(store=str(path)))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """``with open_page(**context) as page``: a fresh browser context per use."""
    @contextmanager
    def opener(**options: Any) -> Iterator[Any]:
        context = browser.new_context(**options)
        try:
            yield context.new_page()
        finally:
            context.close()

    yield opener


def watch(page: Any) -> Any:
    page.requests_seen = []
    page.dialogs_seen = []
    page.errors_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs_seen.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
    return page


def assert_local_and_quiet(page: Any, base_url: str) -> None:
    assert [r for r in page.requests_seen if not r.startswith((base_url, "data:"))] == []
    assert page.dialogs_seen == []
    assert page.errors_seen == []


@pytest.mark.parametrize(
    ("path", "context"),
    [
        ("/find", PHONE),
        ("/find?q=LZ1+1AA", PHONE),
        ("/find?q=LZ1+1AA", DESKTOP),
        ("/find?q=LZ9+9ZZ", PHONE),
        ("/find?q=LZ2 1AA&lang=en-easy", PHONE),
        ("/hubs/A1", PHONE),
        ("/hubs/A3", DESKTOP),
        ("/hubs/A1/correction", PHONE),
        ("/hubs/missing", PHONE),
        ("/find?q=LZ1+1AA&what=dementia+cafe&day=th", PHONE),
        ("/find?q=LZ2+1AA&what=play&audience=children", DESKTOP),
        ("/find?what=toddlers&lang=en-easy", PHONE),
        ("/hubs/A3?lang=en-easy", PHONE),
        ("/hubs/A2", DESKTOP),
        ("/organisations/O3", PHONE),
        ("/organisations/O3", DESKTOP),
        ("/organisations/nobody", PHONE),
    ],
    ids=["find", "results-phone", "results-desktop", "unknown-postcode", "easy-read", "hub",
         "hub-escaped", "correction", "missing-hub", "activities-phone", "activities-desktop",
         "activities-easy-read", "whats-on-phone", "whats-on-empty", "organisation-phone",
         "organisation-desktop", "missing-organisation"],
)
def test_pages_meet_wcag_22_aa(
    base_url: str, open_page: Any, path: str, context: dict[str, Any]
) -> None:
    with open_page(**context) as page:
        watch(page)
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        if ("q=LZ" in path and "9ZZ" not in path) or path.split("?")[0] in ("/hubs/A1",
                                                                             "/hubs/A3"):
            page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
        assert serious_accessibility_violations(page) == []
        assert_local_and_quiet(page, base_url)
        # Nothing wider than a phone screen (WCAG 1.4.10 reflow).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def focus_by_tabbing(page: Any, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def assert_focus_visible(page: Any) -> None:
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    assert style[0] != "none" and style[1] != "0px", style


def test_keyboard_only_search_flow(base_url: str, open_page: Any) -> None:
    with open_page(**PHONE) as page:
        watch(page)
        page.goto(base_url + "/find")
        focus_by_tabbing(page, "#q")
        assert_focus_visible(page)
        page.keyboard.type("lz1 1aa")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "q=lz1+1aa" in page.url
        assert "Community hubs near LZ1 1AA" in page.title()
        focus_by_tabbing(page, ".fd-list a")
        assert page.evaluate("document.activeElement.textContent") == "Ashby Village Hall"
        assert_focus_visible(page)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/hubs/A1")
        focus_by_tabbing(page, "a[href='/hubs/A1/correction']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "by email" in page.inner_text("main")
        assert_local_and_quiet(page, base_url)


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus(
    base_url: str, open_page: Any
) -> None:
    with open_page(**DESKTOP) as page:
        page.goto(base_url + "/find?q=LZ1+1AA")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "fd-skip"
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"


def test_works_without_javascript(base_url: str, open_page: Any) -> None:
    with open_page(java_script_enabled=False, **PHONE) as page:
        watch(page)
        page.goto(base_url + "/find")
        page.fill("#q", "Beeby")
        page.select_option("#category", "church_hall")
        with page.expect_navigation():
            page.click("button[type=submit]")
        items = page.locator(".fd-list > li h3").all_inner_texts()
        assert items == ["Beeby Church Hall"]
        assert page.locator("#use-location").is_hidden()  # needs JS, so not offered
        assert page.locator("#map-section").is_hidden()
        assert_local_and_quiet(page, base_url)


def test_activities_found_without_javascript_by_keyboard(base_url: str, open_page: Any) -> None:
    with open_page(java_script_enabled=False, **PHONE) as page:
        watch(page)
        page.goto(base_url + "/find")
        focus_by_tabbing(page, "#q")
        page.keyboard.type("LZ2 1AA")
        focus_by_tabbing(page, "#what")
        assert_focus_visible(page)
        page.keyboard.type("toddlers")
        page.select_option("#day", "tu")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "what=toddlers" in page.url and "day=tu" in page.url
        assert page.locator("#activity-list > li h3").all_inner_texts() == ["Stay and Play"]
        entry = page.inner_text("#activity-list")
        assert "Tuesday" in entry and "9:30am to 11:30am" in entry
        with page.expect_navigation():
            page.click("#activity-list a[href='/organisations/O2']")
        assert page.locator("h1").inner_text() == "Westtown Good Neighbours"
        with page.expect_navigation():
            page.click("table a[href='/hubs/A3']")
        assert "Stay and Play" in page.inner_text("#whats-on-heading + *")
        assert_local_and_quiet(page, base_url)


def test_map_shows_the_same_hubs_and_a_click_searches_there(base_url: str, open_page: Any) -> None:
    with open_page(**DESKTOP) as page:
        watch(page)
        page.goto(base_url + "/find?q=LZ2+1AA")
        page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
        listed = page.locator(".fd-list > li h3 a").all_inner_texts()
        numbers = page.locator(".fd-list > li h3 .fd-number").all_inner_texts()
        markers = page.locator(".leaflet-marker-icon").evaluate_all(
            "nodes => nodes.map(n => [n.getAttribute('aria-label'), n.textContent])"
        )
        # Pin N shows the number N of the list's entry N, and is named after it.
        assert [label.split(". ", 1)[1].split(" — ")[0] for label, _ in markers] == listed
        assert [label.split(". ", 1)[0] for label, _ in markers] == numbers
        assert [shown for _, shown in markers] == numbers == [str(n) for n in
                                                              range(1, len(listed) + 1)]
        assert XSS_NAME in listed
        page.locator("#finder-map").scroll_into_view_if_needed()
        box = page.locator("#finder-map").bounding_box()
        with page.expect_navigation():
            page.mouse.click(box["x"] + 30, box["y"] + box["height"] - 30)
        assert "lat=" in page.url and "lon=" in page.url
        assert "the point you chose" in page.inner_text("main")
        assert_local_and_quiet(page, base_url)


def test_use_my_location(base_url: str, open_page: Any) -> None:
    context = {**PHONE, "geolocation": {"latitude": 52.6362, "longitude": -1.2330},
               "permissions": ["geolocation"]}
    with open_page(**context) as page:
        watch(page)
        page.goto(base_url + "/find")
        button = page.locator("#use-location")
        assert button.is_visible()
        with page.expect_navigation():
            button.click()
        assert "lat=52.63620" in page.url
        assert page.locator(".fd-list > li h3 a").first.inner_text() == "Ashby Village Hall"
        assert_local_and_quiet(page, base_url)


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "</script><b>x"]
)
def test_script_payloads_in_the_query_stay_text(
    base_url: str, open_page: Any, payload: str
) -> None:
    with open_page(**DESKTOP) as page:
        watch(page)
        page.goto(base_url + "/find")
        page.fill("#q", payload)
        with page.expect_navigation():
            page.press("#q", "Enter")
        page.wait_for_load_state("networkidle")
        assert page.input_value("#q") == payload
        assert page.locator("main b").count() == 0
        assert page.locator("main img").count() == 0
        assert_local_and_quiet(page, base_url)


def test_place_names_from_the_data_stay_text_on_the_map(
    riverside_gpkg: Any, open_page: Any
) -> None:
    """Riverside's Southbank is renamed to an HTML payload: searched for, drawn, never run."""
    with live_server(create_app(Settings(store=str(riverside_gpkg)))) as url, \
            open_page(**DESKTOP) as page:
        watch(page)
        page.goto(url + "/find")
        page.fill("#q", XSS_NAME)
        with page.expect_navigation():
            page.press("#q", "Enter")
        page.wait_for_selector("body[data-areas-ready]", state="attached", timeout=20_000)
        assert XSS_NAME in page.inner_text(".fd-results")
        page.hover("#finder-map")
        assert XSS_NAME in page.inner_text("#finder-map")  # the area's label, as text
        assert page.locator("main img:not(.leaflet-marker-icon):not(.leaflet-marker-shadow)"
                            ).count() == 0
        assert_local_and_quiet(page, url)
