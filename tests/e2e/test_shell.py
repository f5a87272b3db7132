"""In headless Chromium at phone (375×812) and desktop sizes: the service shell's pages, the
finder's error and results pages and the correction question pages pass axe (no serious or
critical WCAG 2.2 AA violation); on a phone the map comes before the long list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import tiny_tables
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser

PHONE: dict[str, Any] = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2,
                         "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
SIZES: dict[str, dict[str, Any]] = {"phone": PHONE, "desktop": DESKTOP}
PAGES = [
    "/accessibility", "/privacy", "/cookies", "/contact", "/contact?lang=en-easy",
    "/find?q=LZ9+9ZZ", "/find?q=LZ1+1AA&day=caturday", "/find?q=LZ2+1AA",
    "/hubs/A1/correction", "/hubs/A1/correction?asked=what",
    "/hubs/A1/correction?what=details", "/hubs/A1/correction?what=details&asked=fix",
    "/hubs/A1/correction?what=details&fix=address&fix=contact_details&fix=accessibility",
    "/hubs/A1/correction?what=closed", "/hubs/A1/correction?what=other&lang=en-easy",
    "/hubs/A1/correction/sent?ref=4", "/signin",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    path = tmp_path_factory.mktemp("shell") / "tiny.gpkg"
    write_geopackage(path, tiny_tables())
    token = add_user(open_store(str(path)), "olive", "officer")
    with live_server(create_app(Settings(store=str(path)))) as url:
        yield url, token


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_passes_axe_at_phone_and_desktop_sizes(
    site: tuple[str, str], size: str
) -> None:
    url, _ = site
    failures = {}
    with chromium_page(**SIZES[size]) as page:
        for path in PAGES:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            problems = serious_accessibility_violations(page)
            if not page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"):
                problems.append("wider than the screen (WCAG 1.4.10 reflow)")
            if problems:
                failures[path] = problems
    assert failures == {}


def test_officer_pages_with_the_shell_pass_axe(site: tuple[str, str]) -> None:
    url, token = site
    for context in SIZES.values():
        with chromium_page(**context) as page:
            page.goto(url + "/signin")
            page.fill("#token", token)
            with page.expect_navigation():
                page.click("button[type=submit]")
            for path in ("/stale", "/corrections"):
                page.goto(url + path)
                assert page.locator(".sh-header").inner_text().startswith("Sample County")
                assert serious_accessibility_violations(page) == [], path


def test_on_a_phone_the_numbered_map_comes_before_the_long_list(
    site: tuple[str, str], tmp_path: Any
) -> None:
    url, _ = site
    with chromium_page(**PHONE) as page:
        page.goto(url + "/find?q=LZ2+1AA")
        page.wait_for_selector("body[data-map-ready]", state="attached", timeout=20_000)
        top = "(s) => document.querySelector(s).getBoundingClientRect().top + scrollY"
        assert page.evaluate(top, "#finder-map") < page.evaluate(top, "#results-list")
        # The map is within two screens of the top, not after ten long cards.
        assert page.evaluate(top, "#finder-map") < 2 * 812
        pins = page.locator(".fd-pin .fd-pin__number").all_inner_texts()
        assert pins == page.locator(".fd-list .fd-number").all_inner_texts()
        names = page.locator(".fd-pin").evaluate_all(
            "nodes => nodes.map(n => n.getAttribute('aria-label').split('. ')[0])")
        assert names == pins  # each pin is named with its number for screen readers
        page.screenshot(path=str(tmp_path / "finder-phone.png"), full_page=True)


def test_an_error_moves_the_focus_to_the_summary_even_without_javascript(
    site: tuple[str, str]
) -> None:
    url, _ = site
    for scripts in (True, False):
        with chromium_page(java_script_enabled=scripts, **PHONE) as page:
            page.goto(url + "/find?q=LZ9+9ZZ")
            assert page.title().startswith("Error: ")
            assert page.evaluate("document.activeElement.id") == "error-summary", scripts
            assert page.locator("#finder-map").count() == 0
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.getAttribute('href')") == "#q"
