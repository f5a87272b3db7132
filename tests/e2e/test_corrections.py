"""In headless Chromium: a resident corrects a hub's details by keyboard alone, and the form,
its error state and the thank-you page pass the WCAG 2.2 AA check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.corrections import CORRECTIONS_TABLE
from assetmap.store import open_store
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


@pytest.fixture
def site(settings: Settings) -> Iterator[str]:
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(**PHONE) as opened:
        opened.errors_seen = []
        opened.on("pageerror", lambda error: opened.errors_seen.append(str(error)))
        yield opened


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def assert_accessible(page: Any) -> None:
    assert serious_accessibility_violations(page) == []
    # Nothing wider than a phone screen (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id"))


def continue_(page: Any, selector: str = "button[type=submit]") -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_resident_corrects_details_through_the_question_pages_by_keyboard(
    site: str, page: Any, settings: Settings
) -> None:
    page.goto(f"{site}/hubs/A1")
    tab_to(page, "a[href='/hubs/A1/correction']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    question = "What do you want to tell us about Ashby Village Hall?"
    assert page.locator("h1").inner_text() == question
    assert page.locator("#postcode").count() == 0  # one question, no fields yet
    assert_accessible(page)

    continue_(page)  # no answer: the summary takes the focus and links to the question
    assert page.title().startswith("Error: ")
    assert focused(page) == "error-summary"
    assert_accessible(page)
    tab_to(page, "#error-summary a[href='#what-closed']")
    page.keyboard.press("Enter")
    assert focused(page) == "what-closed"
    page.keyboard.press("ArrowDown")  # radios: arrows move and choose
    assert page.locator("#what-details").is_checked()
    continue_(page)

    assert page.locator("h1").inner_text() == "Which details of Ashby Village Hall are wrong?"
    assert_accessible(page)
    for choice in ("#fix-address", "#fix-contact_details", "#fix-accessibility"):
        tab_to(page, choice)
        page.keyboard.press("Space")
    continue_(page)

    assert page.locator("#postcode").input_value() == "LZ1 1AA"  # prefilled
    assert page.locator("#name").count() == 0 and page.locator("#opening_times").count() == 0
    assert_accessible(page)
    tab_to(page, "#postcode")
    page.keyboard.press("Control+A")
    page.keyboard.type("nowhere")
    continue_(page)
    assert page.title().startswith("Error: ")
    assert focused(page) == "error-summary"
    assert page.locator("#postcode").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    tab_to(page, "#error-summary a[href='#postcode']")
    page.keyboard.press("Enter")
    assert focused(page) == "postcode"
    page.keyboard.press("Control+A")
    page.keyboard.type("LZ1 1AA")
    tab_to(page, "#phone")
    page.keyboard.type("0116 496 0123")
    tab_to(page, "#accessibility-accessible_toilet")
    page.keyboard.press("Space")
    tab_to(page, "#message")
    page.keyboard.type("A new phone line and an accessible toilet since March.")
    continue_(page)

    assert page.locator("h1").inner_text() == "Check your answers before sending"
    answers = page.inner_text(".cr-summary")
    assert "0116 496 0123" in answers and "Accessible toilet" in answers
    assert_accessible(page)
    assert open_store(settings.store).records(CORRECTIONS_TABLE) == []
    continue_(page, "button[value=send]")
    assert page.title().startswith("Thank you")
    assert "Your reference number is 1." in page.inner_text("main")
    assert_accessible(page)
    assert page.errors_seen == []

    [row] = open_store(settings.store).records(CORRECTIONS_TABLE)
    assert row["status"] == "pending"
    assert row["changes"] == (
        '{"accessibility": "step_free;accessible_toilet;hearing_loop", '
        '"phone": "0116 496 0123"}'
    )
    assert row["message"] == "A new phone line and an accessible toilet since March."


def test_a_resident_reports_a_closure_in_three_short_pages_by_keyboard(
    site: str, page: Any, settings: Settings
) -> None:
    page.goto(f"{site}/hubs/A1/correction")
    tab_to(page, "#what-closed")
    page.keyboard.press("Space")
    continue_(page)
    assert page.locator("h1").inner_text() == "Tell us about Ashby Village Hall closing"
    # Everything on one phone screen or two: no ten fields to scroll past.
    assert page.evaluate("document.querySelector('form').offsetHeight") < 812
    tab_to(page, "#message")
    page.keyboard.type("Closed in May.")
    continue_(page)
    assert "It has closed" in page.inner_text(".cr-summary")
    continue_(page, "button[value=send]")
    assert page.title().startswith("Thank you")
    [row] = open_store(settings.store).records(CORRECTIONS_TABLE)
    assert row["changes"] == '{"status": "closed"}' and row["message"] == "Closed in May."
    assert page.errors_seen == []
