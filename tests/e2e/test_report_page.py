"""The report page in real headless Chromium: served, and saved as one file opened from disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from assetmap.analysis import DistrictReport
from assetmap.crs import to_web
from assetmap.reports import report_html
from assetmap.reports.html import STATIC_DIR
from tests.analysis.riverside import MakeReport, make_inputs
from tests.conftest import XSS_NAME
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def xss_report() -> DistrictReport:
    from assetmap.analysis import build_district_report

    return build_district_report(make_inputs(names={"E43000902": XSS_NAME}), "Riverside")


def _watch(page: Any) -> Any:
    page.requests_seen, page.dialogs_seen, page.errors_seen = [], [], []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs_seen.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
    return page


@pytest.fixture
def served(xss_report: DistrictReport) -> Iterator[tuple[Any, str]]:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    html = report_html(xss_report, downloads={"CSV": "/reports/riverside.csv"})
    app.get("/report", response_class=HTMLResponse)(lambda: HTMLResponse(html))
    with live_server(app) as url, chromium_page(viewport={"width": 1280, "height": 900}) as page:
        _watch(page).goto(url + "/report")
        page.wait_for_selector(".leaflet-interactive")
        yield page, url


def _hover_area(page: Any, report: DistrictReport, code: str) -> None:
    point = to_web(report.areas[report.areas["code"] == code], "area").geometry.iloc[0]
    inside = point.representative_point()
    page.locator(".folium-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([lat, lon]) => {
             const map = Object.values(window).find((v) => v instanceof L.Map);
             const p = map.latLngToContainerPoint([lat, lon]);
             const box = map.getContainer().getBoundingClientRect();
             return [box.left + p.x, box.top + p.y];
           }""",
        [inside.y, inside.x],
    )
    page.mouse.move(x, y)


def test_served_page_draws_locally_and_escapes(
    served: tuple[Any, str], xss_report: DistrictReport
) -> None:
    page, url = served
    assert all(u.startswith(url) or u.startswith("data:") for u in page.requests_seen)
    assert page.errors_seen == []
    assert page.locator(".leaflet-interactive").count() >= 6  # areas, hubs, ...
    assert page.locator(".rm-site").count() == 5
    assert page.locator(".rm-legend").is_visible()
    _hover_area(page, xss_report, "E43000902")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert XSS_NAME in tooltip.inner_text()
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.dialogs_seen == []


def test_candidate_site_marks_match_the_table_and_take_no_focus(served: tuple[Any, str]) -> None:
    page, _ = served
    marks = page.locator(".rm-site").all_inner_texts()
    assert sorted(int(m) for m in marks) == [1, 2, 3, 4, 5]
    assert page.locator(".rm-site[tabindex]").count() == 0
    assert "Southbank Café" in page.locator("#sites table").inner_text()


def test_standalone_file_opens_offline(
    make_report: MakeReport, tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    path.write_text(report_html(make_report(), standalone=True), encoding="utf-8")
    with chromium_page(viewport={"width": 1024, "height": 800}) as page:
        _watch(page).goto(path.as_uri())
        page.wait_for_selector(".leaflet-interactive")
        assert page.requests_seen == [path.as_uri()]
        assert page.errors_seen == []
        assert page.locator(".rp-notice").is_visible()
        assert page.locator(".rm-site").count() == 5
        box = page.locator(".folium-map").bounding_box()
        assert box["height"] > 300  # the map has its size without report.css from a server


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 900}],
    ids=["phone", "desktop"])
def test_the_page_with_its_thresholds_form_meets_wcag_aa(
    xss_report: DistrictReport, viewport: dict[str, int]
) -> None:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    html = report_html(xss_report, downloads={"Ranked areas (CSV, 1 KB)": "/reports/x.csv"},
                       siting_query={})
    app.get("/report", response_class=HTMLResponse)(lambda: HTMLResponse(html))
    with live_server(app) as url, chromium_page(viewport=viewport) as page:
        page.goto(url + "/report")
        page.wait_for_selector(".leaflet-interactive")
        assert page.locator(".rp-thresholds-form input[name=urban_catchment_m]").is_visible()
        assert serious_accessibility_violations(page) == []
