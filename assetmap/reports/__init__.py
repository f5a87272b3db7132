"""District gap reports: one district's analysis, rendered as HTML, PDF, CSV, GeoJSON, GeoPackage.

Rendering only: build the :class:`~assetmap.analysis.DistrictReport` with
:func:`assetmap.analysis.build_district_report`, then render it with any of the
functions below; none of them writes files.
"""

from assetmap.reports.chart import uncovered_chart_png, uncovered_chart_svg
from assetmap.reports.exports import metadata_csv, report_geojson, report_gpkg
from assetmap.reports.html import report_html
from assetmap.reports.map import build_report_map
from assetmap.reports.map_png import report_map_png
from assetmap.reports.pdf import report_pdf
from assetmap.reports.tables import ranked_table, report_csv, sites_csv

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
