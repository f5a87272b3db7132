"""What the gap-report endpoints share: their options from the query, and download links.

``/api/gaps`` (``routes/gaps.py``) and ``/reports/{district}`` (``pages/reports.py``)
take the same options: ``all_areas``, ``sites`` and any threshold by name.
"""

from __future__ import annotations

from fastapi import Request

from assetmap.analysis import DistrictReport, ReportOptions, ReportService
from assetmap.config import Settings

__all__ = ["DOWNLOADS", "RESERVED", "report_links", "report_options"]

# Parameters that are not threshold overrides.
RESERVED = {"district", "all_areas", "sites", "close", "open", "scenario"}
DOWNLOADS = {"PDF": "pdf", "CSV": "csv", "GeoJSON": "geojson", "GeoPackage": "gpkg"}


def report_options(
    request: Request, reports: ReportService, settings: Settings, *, all_areas: bool,
    sites: int | None,
) -> ReportOptions:
    """The request's options; any other parameter overrides the threshold it names."""
    return reports.options(
        [(k, v) for k, v in request.query_params.items() if k not in RESERVED],
        all_areas=all_areas,
        sites=settings.report_sites if sites is None else sites,
    )


def report_links(report: DistrictReport, query: str) -> dict[str, str]:
    """Download links for a report, keeping the request's options."""
    suffix = f"?{query}" if query else ""
    base = f"/reports/{report.district_code}"
    return {label: f"{base}.{extension}{suffix}" for label, extension in DOWNLOADS.items()}
