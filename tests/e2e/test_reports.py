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


@pytest.mark.parametrize(
    "path", ["/reports", "/reports/Riverside", "/reports/Riverside?all_areas=true",
             "/reports/Riverside?close=H2"]  # with "Today and the scenario"
)
def test_report_pages_meet_wcag_aa_and_stay_local(riverside_gpkg: Path, path: str) -> None:
    app = create_app(Settings(store=str(riverside_gpkg)))
    with live_server(app) as url, chromium_page(viewport={"width": 1280, "height": 900}) as page:
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
        if path != "/reports":
            assert XSS_NAME in page.inner_text("main")  # shown as text, not markup
        assert dialogs == []


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
