"""District gap reports: one district's analysis, rendered as HTML, PDF, CSV, GeoJSON, GeoPackage.

Rendering only: build the :class:`~assetmap.analysis.DistrictReport` with
:func:`assetmap.analysis.build_district_report`, then render it with any of the
functions below; none of them writes files.

Each name is imported from its module on first use (PEP 562): the charts, maps and PDFs
bring matplotlib, folium and WeasyPrint, over a second of start-up that a command needing
only a table's cell text (``assetmap import``, ``gaps``) should not pay.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetmap.reports.chart import uncovered_chart_png, uncovered_chart_svg
    from assetmap.reports.exports import metadata_csv, report_geojson, report_gpkg
    from assetmap.reports.html import report_html
    from assetmap.reports.map import build_report_map
    from assetmap.reports.map_png import report_map_png
    from assetmap.reports.pdf import report_pdf
    from assetmap.reports.tables import ranked_table, report_csv, sites_csv

_HOMES = {
    "build_report_map": "map",
    "metadata_csv": "exports",
    "ranked_table": "tables",
    "report_csv": "tables",
    "report_geojson": "exports",
    "report_gpkg": "exports",
    "report_html": "html",
    "report_map_png": "map_png",
    "report_pdf": "pdf",
    "sites_csv": "tables",
    "uncovered_chart_png": "chart",
    "uncovered_chart_svg": "chart",
}

__all__ = [
    "build_report_map",
    "metadata_csv",
    "ranked_table",
    "report_csv",
    "report_geojson",
    "report_gpkg",
    "report_html",
    "report_map_png",
    "report_pdf",
    "sites_csv",
    "uncovered_chart_png",
    "uncovered_chart_svg",
]


def __getattr__(name: str) -> Any:
    """Import the module a public name lives in on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
