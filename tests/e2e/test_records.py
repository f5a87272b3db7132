"""End to end in headless Chromium: the officers' record pages (audit log, stale list,
deleted records, a record's history and its "restore this version" confirmation) pass axe
at phone and desktop sizes, and a wrong date moves focus to the error summary."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.archive import archived_records
from assetmap.register.editing import delete_feature, feature_etag, update_feature
from assetmap.register.history import changes_of
from assetmap.register.users import add_user
from assetmap.store import Store, open_store
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations
from tests.e2e.test_editing import sign_in

pytestmark = pytest.mark.browser

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]
# A port of this work's own range when asked (ASSETMAP_TEST_PORT), else any free one.
PORT = int(os.environ.get("ASSETMAP_TEST_PORT", "0")) or None
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def _edit(store: Store, feature_id: str, **values: object) -> None:
    current = store.get(ASSETS, feature_id)
    assert current is not None
    update_feature(store, ASSETS, feature_id, if_match=feature_etag(current),
                   actor="olive.officer", properties=values)


@pytest.fixture
def site(settings: Settings) -> Iterator[tuple[str, str, dict[str, str]]]:
    store = open_store(settings.store)
    token = add_user(store, "olive.officer", "officer")
    _edit(store, "A2", opening_times="Sat 10-12", phone="0116 496 0000")
    _edit(store, "A2", opening_times="Sun 10-12")
    current = store.get(ASSETS, "A4")
    assert current is not None
    delete_feature(store, ASSETS, "A4", if_match=feature_etag(current), actor="olive.officer")
    older = changes_of(store, ASSETS, "A2")[-1].change_id
    urls = {"archived": f"/archive/{archived_records(store)[0].id}",
            "version": f"/records/assets/A2/history/{older}/restore"}
    store.close()
    with live_server(create_app(settings), PORT) as url:
        yield url, token, urls


@pytest.mark.parametrize("size", list(SIZES))
def test_record_pages_pass_axe(site: tuple[str, str, dict[str, str]], size: str) -> None:
    base, token, urls = site
    with chromium_page(viewport=SIZES[size]) as page:
        sign_in(page, base, token, then="/stale")
        for path in ["/stale", "/stale?days=0&sort=name", "/audit",
                     "/archive", urls["archived"], "/records/assets/A2/history",
                     "/records/assets/A4/history", urls["version"]]:
            page.goto(base + path)
            assert page.locator("h1").count() == 1, path
            assert serious_accessibility_violations(page) == [], path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= SIZES[size]["width"] + 1, f"{path} scrolls sideways at {size}"


def test_a_wrong_date_takes_focus_to_the_summary(
    site: tuple[str, str, dict[str, str]],
) -> None:
    base, token, _ = site
    with chromium_page(viewport=SIZES["phone"]) as page:
        sign_in(page, base, token, then="/audit")
        page.fill("#since-day", "31")
        page.fill("#since-month", "2")
        page.fill("#since-year", "2026")
        page.press("#since-year", "Enter")
        page.wait_for_selector("#error-summary")
        assert page.title().startswith("Error: Audit log")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert serious_accessibility_violations(page) == []
        page.click("#error-summary a")
        assert page.evaluate("document.activeElement.id") == "since-day"


def test_checked_today_by_keyboard(site: tuple[str, str, dict[str, str]]) -> None:
    base, token, _ = site
    with chromium_page(viewport=SIZES["desktop"]) as page:
        sign_in(page, base, token, then="/stale?days=0")
        select = page.locator("select[id='method-A2']")
        select.focus()
        select.select_option("phone")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector(".of-flash")
        assert "Recorded as checked today." in page.inner_text(".of-flash")
        row = page.locator("tr", has_text="Beeby Church Hall")
        assert "By phone, by olive.officer" in row.inner_text()
