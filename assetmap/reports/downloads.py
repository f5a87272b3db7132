"""The report's downloads: what each one is, its file name, and its size in words.

One list for the page's links, the route that serves them and ``/api/gaps``' links, so
a label, a file name and a media type can never disagree. File names are readable
(``charnwood-gap-report-2026-12-01.csv``), not codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from assetmap.analysis import DistrictReport
from assetmap.reports.exports import metadata_csv, report_geojson, report_gpkg
from assetmap.reports.pdf import report_pdf
from assetmap.reports.tables import report_csv, sites_csv

__all__ = ["DOWNLOADS", "Download", "by_extension", "file_name", "size_text", "slug"]


@dataclass(frozen=True)
class Download:
    """One file a report offers."""

    extension: str  # after the district in the URL: /reports/E07000130.sites.csv
    title: str  # what the file holds, as the link says it
    kind: str  # the file type a reader knows ("CSV", "PDF")
    media_type: str
    stem: str  # the file name's words after the district
    render: Callable[[DistrictReport], bytes]
    slow: bool = False  # made only when asked for (seconds), so the page cannot size it first


_CSV = "text/csv; charset=utf-8"
DOWNLOADS = (
    Download("csv", "Ranked areas", "CSV", _CSV, "gap-report", report_csv),
    Download("sites.csv", "Candidate sites", "CSV", _CSV, "candidate-sites", sites_csv),
    Download("metadata.csv", "About this report: thresholds, sources and attribution", "CSV",
             _CSV, "gap-report-metadata", metadata_csv),
    Download("geojson", "Map layers for the web, in longitude and latitude", "GeoJSON",
             "application/geo+json", "gap-report", report_geojson),
    Download("gpkg", "Map layers for GIS, in British National Grid", "GeoPackage",
             "application/geopackage+sqlite3", "gap-report", report_gpkg),
    Download("pdf", "The report to print", "PDF", "application/pdf", "gap-report", report_pdf,
             slow=True),
)


def by_extension(path: str) -> tuple[str, Download | None]:
    """``("E07000130", the sites CSV)`` for ``E07000130.sites.csv``; the page when none fits."""
    lowered = path.lower()
    for download in sorted(DOWNLOADS, key=lambda d: -len(d.extension)):
        suffix = f".{download.extension}"
        if lowered.endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)], download
    return path, None


def slug(text: str) -> str:
    """``"Hinckley and Bosworth"`` → ``"hinckley-and-bosworth"`` (ASCII, hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "district"


def file_name(report: DistrictReport, download: Download) -> str:
    """``charnwood-gap-report-2026-12-01.csv``: district, what it is, the day it was made."""
    extension = download.extension.rpartition(".")[2]
    return f"{slug(report.district_name)}-{download.stem}-{report.generated:%Y-%m-%d}.{extension}"


def size_text(size: int) -> str:
    """A size as GOV.UK attachments say it: "850 bytes", "12 KB", "1.4 MB"."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / 1024 / 1024:,.1f} MB"
