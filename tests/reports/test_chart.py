"""The uncovered-residents chart: accessible SVG, repeatable, escaped; PNG for the PDF."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assetmap.analysis import DistrictReport
from assetmap.reports import uncovered_chart_png, uncovered_chart_svg
from assetmap.reports.chart import chart_text
from tests.analysis.riverside import MakeReport, hillside_all_parished, make_inputs
from tests.conftest import XSS_NAME

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_has_title_and_description(report: DistrictReport) -> None:
    svg = uncovered_chart_svg(report)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == chart_text(report).title
    description = desc.text
    assert description is not None
    assert "Northgate with 5,000" in description  # the most uncovered residents
    assert "9,000 residents in the bars" in description
    assert "The other 1 ranked area has no one outside" in description  # Eastwick


def test_svg_is_repeatable_and_undated(report: DistrictReport) -> None:
    first = uncovered_chart_svg(report)
    assert first == uncovered_chart_svg(report)
    assert "<dc:date>" not in first


def test_svg_escapes_area_names(make_report: MakeReport) -> None:
    svg = uncovered_chart_svg(make_report(inputs=make_inputs(names={"E43000902": XSS_NAME})))
    assert XSS_NAME not in svg
    ET.fromstring(svg)  # still well-formed
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg


def test_png(report: DistrictReport) -> None:
    assert uncovered_chart_png(report).startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_of_nothing(make_report: MakeReport) -> None:
    report = make_report("Hillside", inputs=hillside_all_parished())
    assert "nothing to chart" in chart_text(report).description
    ET.fromstring(uncovered_chart_svg(report))
