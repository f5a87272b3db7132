"""The report page: content a planner relies on, escaping, accessibility and offline use."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from assetmap.analysis import DistrictReport, GapThresholds
from assetmap.reports import report_html
from assetmap.reports.html import inline_static
from assetmap.reports.wording import plain_words, threshold_label
from tests.analysis.riverside import MakeReport, hillside_all_parished, make_inputs
from tests.conftest import XSS_NAME

DOWNLOADS = {
    "CSV": "/reports/E07000901.csv",
    "GeoJSON": "/reports/E07000901.geojson",
    "GeoPackage": "/reports/E07000901.gpkg",
    "PDF": "/reports/E07000901.pdf",
}
CDN_HOSTS = ("unpkg.com", "cdnjs", "jsdelivr", "googleapis", "bootstrapcdn", "code.jquery")
# What makes a browser fetch: a script or image source, a stylesheet link, a CSS url().
REMOTE_RESOURCE = re.compile(
    r"""src=["']?(https?:)?//|<link[^>]*href=["']?(https?:)?//|url\(["']?(https?:)?//"""
)


class Outline(HTMLParser):
    """Headings, landmarks, tables and attributes, as a screen reader would meet them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.captions = 0
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.tables += tag == "table"
        self.captions += tag == "caption"


@pytest.fixture(scope="module")
def page(report: DistrictReport) -> str:
    return report_html(report, downloads=DOWNLOADS)


@pytest.fixture(scope="module")
def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


def text(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_title_notice_and_summary(page: str) -> None:
    assert "<title>Gap report: Riverside (synthetic sample data)</title>" in page
    assert "<h1>Gap report: Riverside</h1>" in page
    assert 'class="rp-notice" role="note" data-synthetic="true"' in page
    plain = text(page)
    assert "Synthetic sample data." in plain
    assert "Residents in the district 22,200" in plain
    assert "outside every hub's catchment 9,000 40.5% of the district's residents" in plain
    assert "flagged under-served 3 of 3 ranked areas (unparished areas only)" in plain
    assert "+8,000 residents within a catchment" in plain
    assert "Generated 1 March 2026, 09:30 UTC" in plain


def test_every_threshold_is_echoed(page: str, report: DistrictReport) -> None:
    section = page[page.index('id="thresholds"'):page.index('id="sources"')]
    descriptions = GapThresholds.descriptions()
    for name, value in report.thresholds.as_flat_dict().items():
        label = re.escape(threshold_label(name).replace("'", "&#39;"))
        row = re.search(rf"<th scope=\"row\">{label}</th>(.*?)</tr>", section, re.S)
        assert row, name
        assert f">{value:g}<" in row.group(1), name
        meaning = plain_words(descriptions[name]).replace("'", "&#39;").split("(")[0]
        assert meaning in row.group(1)
        echoed = ('value="false" checked' if value is False else f'value="{value:g}"')
        assert re.search(rf'name="{name}" {echoed}', section), name  # the form echoes it


def test_custom_thresholds_reach_method_and_table(make_report: MakeReport) -> None:
    report = make_report(thresholds=GapThresholds(urban_catchment_m=650, poor_access_share=0.25))
    plain = text(report_html(report))
    assert "650 m for urban small areas" in plain
    assert "more than 25% of residents live outside every catchment" in plain
    assert "800 m for urban" not in plain


def test_method_sources_warnings_and_downloads(page: str) -> None:
    plain = text(page)
    assert '<section id="method"' in page
    for phrase in ("greedy maximal covering", "representative point", "straight-line distance",
                   "docs/METHOD.md", "poor access: more than 20% of residents"):
        assert phrase in plain
    assert "Synthetic sample county (assetmap.sample, seed 7)" in plain
    for label, url in DOWNLOADS.items():
        assert f'<a href="{url}">{label}</a>' in page


def test_ranked_table_matches_the_analysis(page: str, report: DistrictReport) -> None:
    section = page[page.index('id="ranked"'):page.index('id="sites"')]
    headline = section[:section.index('id="ranked-details-table"')]
    names = re.findall(r'<th scope="row">([^<]+)</th>', headline)
    assert names == ["Southbank", "Northgate", "Eastwick"]
    details = section[section.index('id="ranked-details-table"'):]
    assert re.findall(r'<th scope="row">([^<]+)</th>', details) == names  # same order
    for reasons in report.areas["reasons"]:
        assert f"<td>{reasons}</td>" in section


def test_warnings_are_shown(make_report: MakeReport) -> None:
    plain = text(report_html(make_report("Hillside", inputs=hillside_all_parished())))
    assert "Data warnings" in plain
    assert "has no unparished areas" in plain
    assert "No community areas were ranked in this district." in plain


def test_data_text_is_escaped(make_report: MakeReport) -> None:
    report = make_report(inputs=make_inputs(names={"E43000902": XSS_NAME},
                                            asset_names={"K1": XSS_NAME}))
    page = report_html(report, downloads={"CSV": "javascript:alert(1)"})
    assert XSS_NAME not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:" not in page


def test_accessible_structure(page: str, outline: Outline) -> None:
    assert re.search(r'<html lang="en-GB"', page)
    levels = outline.headings
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    tags = [tag for tag, _ in outline.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in tags
    assert outline.tables == outline.captions > 0
    header_cells = [attrs for tag, attrs in outline.tags if tag == "th"]
    assert all(attrs.get("scope") in ("col", "row") for attrs in header_cells)
    viewport = [a for t, a in outline.tags if t == "meta" and a.get("name") == "viewport"]
    assert viewport and all("user-scalable" not in (a.get("content") or "") for a in viewport)
    assert all(a.get("alt") is not None for t, a in outline.tags if t == "img")


def test_chart_is_inline_svg_with_a_table_alternative(page: str) -> None:
    section = page[page.index('id="chart"'):page.index('id="ranked"')]
    assert '<svg' in section and 'role="img"' in section
    assert "<details" in section and 'id="chart-table"' in section


def test_served_page_links_local_files(page: str) -> None:
    assert '<link rel="stylesheet" href="/static/css/report.css">' in page
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in page
    assert not REMOTE_RESOURCE.search(page)
    assert not re.search(r"""href=["']?(https?:)?//""", page)


def test_standalone_page_works_offline(report: DistrictReport) -> None:
    page = report_html(report, standalone=True)
    assert "/static/" not in page
    assert not REMOTE_RESOURCE.search(page)
    assert not any(host in page for host in CDN_HOSTS)
    assert "L.map(" in page and "Leaflet" in page  # leaflet.js inlined
    assert ".rp-notice" in page  # report.css inlined
    assert "url(images/" not in page  # leaflet.css images inlined as data: URIs


def test_inline_static_refuses_paths_outside_static() -> None:
    with pytest.raises(FileNotFoundError):
        inline_static('<script src="/static/../../pyproject.toml"></script>')


def test_real_data_has_no_synthetic_notice(make_report: MakeReport) -> None:
    metadata = {"source:small_areas": "ONS OAs | 2021 | Source: Office for National Statistics",
                "attribution": "Contains OS data © Crown copyright and database right."}
    page = report_html(make_report(inputs=make_inputs(metadata=metadata)))
    assert 'data-synthetic="true"' not in page
    assert "Synthetic sample data" not in page
    plain = text(page)
    assert "Vintage: 2021" in plain
    assert "Contains OS data © Crown copyright" in plain
