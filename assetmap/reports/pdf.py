"""The district report as PDF, rendered by WeasyPrint from the report's print variant.

The map and chart are embedded as data: URIs and the stylesheet is inlined,
so rendering needs no network: the URL fetcher refuses everything except
data: URIs and files under web/static. WeasyPrint needs Pango (Debian's
libpango-1.0-0 and libpangoft2-1.0-0); it is imported only when a PDF is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from assetmap.analysis import DistrictReport
from assetmap.maps.page import render_fragment
from assetmap.reports.chart import uncovered_chart_png
from assetmap.reports.html import STATIC_DIR, data_uri, report_context
from assetmap.reports.map_png import needs_detail_map, report_map_png

__all__ = ["print_html", "report_pdf"]


def print_html(report: DistrictReport) -> str:
    """The print variant of the report page: static map and chart, stylesheet inlined."""
    detail = needs_detail_map(report)
    context = report_context(
        report,
        map_image=data_uri(report_map_png(report), "image/png"),
        detail_image=(
            data_uri(report_map_png(report, detail=True), "image/png") if detail else None
        ),
        chart_image=data_uri(uncovered_chart_png(report), "image/png"),
        print_variant=True,
    )
    css = (STATIC_DIR / "css" / "report.css").read_text(encoding="utf-8")
    return render_fragment("report.html", print_css=css, **context)


def _local_only_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    static = STATIC_DIR.resolve()

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no types
        """Fetch data: URIs and files under web/static; refuse the network and other files."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(static) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"assetmap reports fetch nothing from outside web/static: {url}")

    return LocalOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def report_pdf(report: DistrictReport) -> bytes:
    """The report as PDF bytes: A4, page numbers, the synthetic notice on every page."""
    from weasyprint import HTML

    document = HTML(
        string=print_html(report),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=_local_only_fetcher(),
        media_type="print",
    )
    pdf: bytes = document.write_pdf()  # the PDF's title comes from the page's <title>
    return pdf
