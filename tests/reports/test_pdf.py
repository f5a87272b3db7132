"""The PDF: renders offline, numbers its pages and says "synthetic" on every one."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assetmap.analysis import DistrictReport
from assetmap.reports import report_pdf
from assetmap.reports.html import STATIC_DIR
from assetmap.reports.pdf import _local_only_fetcher, print_html
from tests.analysis.riverside import MakeReport, make_inputs


@pytest.fixture(scope="module")
def pdf(report: DistrictReport) -> bytes:
    return report_pdf(report)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_pages_name_the_district_and_say_synthetic(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert "Gap report: Riverside" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert "SYNTHETIC SAMPLE DATA" in page, number
        assert f"Page {number} of {len(pages)}" in page
    whole = "\n".join(pages)
    for phrase in ("Community areas ranked", "Where a new hub would help most", "Method",
                   "Thresholds used", "Data sources", "Southbank Café"):
        assert phrase in whole


def test_pdf_title(pdf: bytes) -> None:
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.title == (
        "Gap report: Riverside (synthetic sample data)")


def test_real_data_pdf_has_no_synthetic_banner(make_report: MakeReport) -> None:
    report = make_report(inputs=make_inputs(metadata={"source:x": "detail | 2024 | credit"}))
    pages = pages_text(report_pdf(report))
    assert not any("SYNTHETIC" in page for page in pages)
    assert "Gap report: Riverside" in pages[0]
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "credit" in "\n".join(pages)  # the real source's attribution is shown instead


def test_print_variant_is_self_contained(report: DistrictReport) -> None:
    page = print_html(report)
    assert "<script" not in page
    assert "/static/" not in page
    assert page.count('src="data:image/png;base64,') >= 2  # map and chart


def test_fetcher_refuses_the_network_and_files_outside_static() -> None:
    fetcher = _local_only_fetcher()
    for url in ("https://unpkg.com/leaflet.css", "http://127.0.0.1/x.png",
                (STATIC_DIR.parent.parent / "pyproject.toml").as_uri()):
        with pytest.raises(ValueError, match="fetch nothing"):
            fetcher.fetch(url)
    inside = fetcher.fetch((STATIC_DIR / "css" / "report.css").as_uri())
    assert b"rp-notice" in inside.read()
    inside.close()
    data = fetcher.fetch("data:text/plain;base64,aGk=")
    assert data.read() == b"hi"
    data.close()


def _sizes_of(pdf: bytes, word: str) -> list[float]:
    """The font sizes (pt) at which ``word`` is drawn anywhere in the PDF."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if word in text:
            scale = (tm[3] * cm[3]) if tm[3] and cm[3] else 1.0
            sizes.append(abs(size * scale))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_table_text_is_at_least_9_pt(pdf: bytes) -> None:
    sizes = _sizes_of(pdf, "Northgate")  # a ranked area: in the tables and the chart's text
    assert sizes and min(sizes) >= 8.95, sizes


def test_page_one_is_not_half_empty(pdf: bytes) -> None:
    first = pages_text(pdf)[0]
    assert "Summary" in first
    assert "Residents outside every catchment" in first  # the chart flows up under the summary
