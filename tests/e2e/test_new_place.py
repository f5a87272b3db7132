"""In headless Chromium: a resident tells the council about a place it does not have, on a
phone, by selecting it on the map; and without JavaScript, by postcode, past "Is it one of
these?"; an officer amends it on the queue and accepts it. Every step passes the WCAG 2.2 AA
check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.corrections import CORRECTIONS_TABLE, submit_correction
from assetmap.register.new_places import NewPlace, submit_new_place
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser
CATALOG = load_catalog(PROJECT_ROOT / "layers")

PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


@pytest.fixture
def site(settings: Settings) -> Iterator[str]:
    with live_server(create_app(settings)) as url:
        yield url


def assert_accessible(page: Any) -> None:
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def rows(settings: Settings) -> list[dict[str, Any]]:
    return open_store(settings.store).records(CORRECTIONS_TABLE)


def test_a_resident_selects_a_new_place_on_the_map(site: str, settings: Settings) -> None:
    with chromium_page(**PHONE) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{site}/find")
        with page.expect_navigation():
            page.click("#new-place-link a")
        page.wait_for_selector("body[data-map-ready='true']")
        assert page.is_visible("#np-map")
        assert_accessible(page)

        # Sent with nothing filled in: the summary takes the focus and links to each field.
        with page.expect_navigation():
            page.click("form.cr-form button[type=submit]")
        assert page.title().startswith("Error: ")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.locator("#name").get_attribute("aria-invalid") == "true"
        assert_accessible(page)

        page.fill("#name", "Westtown Scout Hut")
        page.check("#category-community_centre")
        page.wait_for_selector("body[data-map-ready='true']")
        page.locator("#np-map").click()  # its middle: inside the county
        assert page.input_value("#longitude") and page.input_value("#latitude")
        assert "You chose a point on the map" in page.inner_text("#np-map-status")
        page.fill("#contact", "scouts@example.org")
        with page.expect_navigation():
            page.click("form.cr-form button[type=submit]")
        assert page.title().startswith("Thank you for telling us")
        assert "Your reference number is 1." in page.inner_text("main")
        assert_accessible(page)
        assert errors == []
    (row,) = rows(settings)
    assert (row["kind"], row["contact"]) == ("new_place", "scouts@example.org")
    assert row["position"].startswith("POINT (")


def test_without_javascript_a_postcode_does_and_duplicates_are_pointed_out(
    site: str, settings: Settings
) -> None:
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        # The page's own scripts never arrive (as where scripts are off or fail to load);
        # the accessibility checker is still put in by the test.
        page.route("**/*.js", lambda route: route.abort())
        page.goto(f"{site}/find/new-place")
        assert not page.is_visible("#np-map-section")  # the map needs a script; the form not
        page.fill("#name", "Ashby Hall")
        page.check("#category-village_hall")
        page.fill("#postcode", "lz1 1aa")
        with page.expect_navigation():
            page.click("form.cr-form button[type=submit]")
        assert page.title().startswith("Is it one of these?")
        assert page.locator("a[href='/hubs/A1/correction']").inner_text() == (
            "It is Ashby Village Hall: suggest a correction")
        assert_accessible(page)
        assert rows(settings) == []
        with page.expect_navigation():
            page.click("button[value=yes]")
        assert page.title().startswith("Thank you for telling us")
        assert_accessible(page)
    (row,) = rows(settings)
    assert row["changes"] == '{"category": "village_hall", "name": "Ashby Hall", ' \
        '"postcode": "LZ1 1AA"}'


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740},
                                      {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_an_officer_amends_a_new_place_and_accepts_it(
    site: str, settings: Settings, viewport: dict[str, int]
) -> None:
    store = open_store(settings.store)
    token = add_user(store, "olive.officer", "officer")
    submit_correction(store, CATALOG["assets"], "A1", {"phone": "0116 496 0123"}, None,
                      "pat@example.org", "c1")
    submit_correction(store, CATALOG["assets"], "A4", {"opening_times": "Tu 10:00-12:00"},
                      None, None, "", kind="steward_edit", author="sam.steward")
    queued = submit_new_place(store, CATALOG, CATALOG["assets"], NewPlace(
        name="Ashby Hall", category="village_hall", postcode="LZ1 1AA"), "c2")
    with chromium_page(viewport=viewport) as page:
        page.goto(f"{site}/signin?next=/corrections")
        page.fill("#token", token)
        page.press("#token", "Enter")
        page.wait_for_url(f"{site}/corrections")
        assert page.locator(f"#correction-{queued.id} svg[role=img]").count() == 1
        assert_accessible(page)
        section = page.locator(f"#correction-{queued.id}")
        section.locator("summary").click()
        section.locator(f"#edit-{queued.id}-name").fill("Ashby Scout Hall")
        with page.expect_navigation():
            section.get_by_role("button", name="Accept and add the place").click()
        assert "New place accepted and added to the register." in page.inner_text("main")
        assert page.locator(f"#correction-{queued.id}").count() == 0
        assert_accessible(page)
    created = [f for f in open_store(settings.store).read(CATALOG["assets"]).itertuples()
               if f.name == "Ashby Scout Hall"]
    assert len(created) == 1 and created[0].category == "village_hall"
