"""The served report pages in real headless Chromium: accessible, local, escaped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from tests.conftest import XSS_NAME
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

if TYPE_CHECKING:
    from playwright.sync_api import Dialog

pytestmark = pytest.mark.browser


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "path", ["/reports", "/reports/Riverside", "/reports/Riverside?all_areas=true",
             "/reports/Riverside?close=H2",  # with "Today and the scenario"
             "/reports/Riverside?urban_catchment_m=1000",  # the thresholds form, re-run
             "/reports/Riverside?urban_catchment_m=-5",  # refused: error summary (422)
             "/reports/Nowhere",  # Page not found, listing the districts
             "/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/assets",
             "/ogc/collections/assets/items", "/ogc/collections/assets/items/H2"]
)
def test_report_pages_meet_wcag_aa_and_stay_local(
    riverside_gpkg: Path, path: str, viewport: dict[str, int]
) -> None:
    app = create_app(Settings(store=str(riverside_gpkg)))
    with live_server(app) as url, chromium_page(viewport=viewport) as page:
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda request: requests.append(request.url))

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        assert serious_accessibility_violations(page) == []
        assert [r for r in requests if not r.startswith((url, "data:"))] == []
        if path.startswith("/reports/Riverside") and "=-5" not in path:
            assert XSS_NAME in page.inner_text("main")  # shown as text, not markup
        assert dialogs == []


def test_the_ranked_table_fits_a_1200_px_box(riverside_gpkg: Path) -> None:
    app = create_app(Settings(store=str(riverside_gpkg)))
    with live_server(app) as url, chromium_page(viewport={"width": 1200, "height": 900}) as page:
        page.goto(url + "/reports/Riverside")
        wrap = page.locator("#ranked-table").locator("xpath=..")
        scroll, client = wrap.evaluate("(w) => [w.scrollWidth, w.clientWidth]")
        assert scroll <= client  # Score and Reasons on screen, no sideways scrolling
        headers = page.locator("#ranked-table thead th").all_inner_texts()
        assert headers[:5] == ["Rank", "Community area", "Score (0–100)", "Under-served",
                               "Reasons"]


def test_a_refused_threshold_moves_the_focus_to_the_error_summary(riverside_gpkg: Path) -> None:
    app = create_app(Settings(store=str(riverside_gpkg)))
    with live_server(app) as url, chromium_page(viewport=DESKTOP) as page:
        page.goto(url + "/reports/Riverside")
        field = page.locator("#threshold-urban_catchment_m")
        field.fill("-5")
        page.locator(".rp-thresholds-form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert page.title().startswith("Error: ")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        page.locator("#error-summary a").first.click()
        assert page.evaluate("document.activeElement.id") == "threshold-urban_catchment_m"


def test_the_groups_section_meets_wcag_aa(tmp_path: Path) -> None:
    """The sample county has organisations: its report lists the groups in each area and
    names the areas with no hub and no known group."""
    import shutil

    from assetmap.config import PROJECT_ROOT

    store = tmp_path / "sample.gpkg"
    shutil.copyfile(PROJECT_ROOT / "data" / "sample.gpkg", store)
    app = create_app(Settings(store=str(store)))
    with live_server(app) as url, chromium_page(viewport={"width": 1280, "height": 900}) as page:
        page.goto(url + "/reports/E07900002?all_areas=true")
        page.wait_for_load_state("networkidle")
        groups = page.inner_text("#groups")
        assert "Groups known to work in each area" in groups
        assert "No hub and no known group" in groups
        assert serious_accessibility_violations(page) == []
