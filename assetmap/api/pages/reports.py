"""District gap reports: an index, the HTML page, and downloads (PDF, CSV, GeoJSON, GPKG).

The JSON of a report is ``/api/gaps`` (``routes/gaps.py``).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from assetmap.analysis import DistrictReport, ReportOptions, ReportService
from assetmap.api.auth import UserDep
from assetmap.api.deps import ReportsDep, SettingsDep, StoreDep
from assetmap.api.reporting import report_links, report_options
from assetmap.api.scenario_requests import change_from_query, run_change, run_saved
from assetmap.errors import Forbidden, Unauthorized
from assetmap.maps.page import render_fragment
from assetmap.provenance import NO_PARISHES, attribution_lines
from assetmap.register.users import User
from assetmap.reports import report_csv, report_geojson, report_gpkg, report_html, report_pdf
from assetmap.reports.views import ScenarioView, scenario_view
from assetmap.store import Store

__all__ = ["router"]

router = APIRouter(prefix="/reports", tags=["reports"])

FORMATS = {
    "pdf": ("application/pdf", report_pdf),
    "csv": ("text/csv; charset=utf-8", report_csv),
    "geojson": ("application/geo+json", report_geojson),
    "gpkg": ("application/geopackage+sqlite3", report_gpkg),
}


@router.get("", response_class=HTMLResponse, summary="Choose a district report")
def report_index(reports: ReportsDep) -> HTMLResponse:
    inputs = reports.inputs()
    districts = inputs.districts.sort_values("name")
    html = render_fragment(
        "report_index.html",
        districts=list(zip(districts["code"], districts["name"], strict=True)),
        synthetic=inputs.synthetic,
        notice=inputs.metadata.get("notice", ""),
        parish_notice=(f"{NO_PARISHES} Reports rank {inputs.fallback_units} instead, as "
                       f"stated fallback units." if inputs.fallback_units else ""),
        attribution_lines=attribution_lines(inputs.metadata),
    )
    return HTMLResponse(html)


@router.get(
    "/{district}",
    summary="A district's gap report (HTML; add .pdf, .csv, .geojson or .gpkg to download)",
    response_class=Response,
)
def district_report(
    district: str,
    request: Request,
    reports: ReportsDep,
    settings: SettingsDep,
    store: StoreDep,
    user: UserDep,
    all_areas: bool = Query(False, description="Rank every community area, not only unparished"),
    sites: int | None = Query(None, ge=0, le=50, description="Candidate sites to propose"),
    scenario: int | None = Query(None, ge=1, description="A saved scenario beside today (officer)"),
    close: str | None = Query(None, max_length=20_000, description="Hubs closed: ID,ID"),
    opened: str | None = Query(None, alias="open", max_length=2_000,
                               description="Hubs opened: LON,LAT;LON,LAT"),
) -> Response:
    name, _, extension = district.rpartition(".")
    if extension.lower() not in FORMATS or not name:
        name, extension = district, "html"
    options = report_options(request, reports, settings, all_areas=all_areas, sites=sites)
    report = reports.report(name, options)
    query = request.url.query
    if extension == "html":
        html = report_html(
            report,
            downloads=report_links(report, query),
            basemap_url=settings.basemap_url,
            basemap_attribution=settings.basemap_attribution,
            scenario=_scenario(reports, store, user, report, options, scenario, close, opened),
        )
        return HTMLResponse(html)
    media_type, render = FORMATS[extension.lower()]
    filename = f"gap-report-{report.district_code}.{extension.lower()}"
    return Response(
        render(report),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _scenario(
    reports: ReportService, store: Store, user: User, report: DistrictReport,
    options: ReportOptions, scenario: int | None, close: str | None, opened: str | None,
) -> ScenarioView | None:
    """Today vs a saved scenario (officers) or a change given in the query (anyone)."""
    if scenario is not None:
        if user.role == "public":
            raise Unauthorized("Sign in as an officer to see a saved scenario (/signin)")
        saved, outcome = run_saved(reports, store, scenario, options.thresholds)
        if outcome.district_code != report.district_code:
            raise Forbidden(f"Scenario {scenario} is for district {saved.district}; open "
                            f"/reports/{saved.district}?scenario={scenario}")
        return scenario_view(outcome, saved.name)
    change = change_from_query(close, opened)
    if change.empty:
        return None
    return scenario_view(run_change(reports, options.thresholds, report.district_code, change))
