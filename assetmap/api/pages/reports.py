"""District gap reports: an index, the HTML page, and downloads (PDF, CSV, GeoJSON, GPKG).

The JSON of a report is ``/api/gaps`` (``routes/gaps.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assetmap.analysis import DistrictReport, ReportOptions, ReportService
from assetmap.api.auth import UserDep
from assetmap.api.cache import PRIVATE, PUBLIC, Rendered, conditional
from assetmap.api.deps import RenderedDep, RenderPoolDep, ReportsDep, SettingsDep, StoreDep
from assetmap.api.reporting import report_links, report_options
from assetmap.api.scenario_requests import change_from_query, run_change, run_saved
from assetmap.api.schemas import ErrorResponse
from assetmap.config import Settings
from assetmap.errors import Forbidden, Unauthorized
from assetmap.maps.page import render_fragment
from assetmap.provenance import NO_PARISHES, attribution_lines
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


@dataclass(frozen=True)
class _ScenarioAsk:
    """The scenario a report page was asked to show beside today (none, saved, or ad hoc)."""

    saved: int | None
    close: str | None
    opened: str | None


def _render(reports: ReportService, settings: Settings, store: Store, name: str,
            extension: str, options: ReportOptions, query: str, ask: _ScenarioAsk) -> Rendered:
    """The report page or one download, rendered (in the render pool's threads)."""
    report = reports.report(name, options)
    if extension == "html":
        html = report_html(
            report,
            downloads=report_links(report, query),
            basemap_url=settings.basemap_url,
            basemap_attribution=settings.basemap_attribution,
            scenario=_scenario(reports, store, report, options, ask),
        )
        return Rendered.of(html, "text/html; charset=utf-8")
    media_type, render = FORMATS[extension]
    filename = f"gap-report-{report.district_code}.{extension}"
    return Rendered.of(render(report), media_type,
                       {"Content-Disposition": f'attachment; filename="{filename}"'})


def _scenario(
    reports: ReportService, store: Store, report: DistrictReport, options: ReportOptions,
    ask: _ScenarioAsk,
) -> ScenarioView | None:
    """Today vs a saved scenario (officers; checked before the cache) or a change in the query."""
    if ask.saved is not None:
        saved, outcome = run_saved(reports, store, ask.saved, options.thresholds)
        if outcome.district_code != report.district_code:
            raise Forbidden(f"Scenario {ask.saved} is for district {saved.district}; open "
                            f"/reports/{saved.district}?scenario={ask.saved}")
        return scenario_view(outcome, saved.name)
    change = change_from_query(ask.close, ask.opened)
    if change.empty:
        return None
    return scenario_view(run_change(reports, options.thresholds, report.district_code, change))


@router.get(
    "/{district}",
    summary="A district's gap report (HTML; add .pdf, .csv, .geojson or .gpkg to download)",
    response_class=Response,
    responses={304: {"description": "Not modified: the ETag given in If-None-Match is current"},
               503: {"model": ErrorResponse, "description": "Busy rendering other reports; "
                     "try again after Retry-After seconds"}},
    description=(
        "Rendered once per district, options, register version and day, then served from "
        "memory with a strong `ETag` (send it back in `If-None-Match` for `304 Not Modified`) "
        "and `Cache-Control: public, no-cache` (`private` with a saved scenario). Rendering "
        "runs in a small pool of its own; when its queue is full the answer is 503 with "
        "`Retry-After`."
    ),
)
async def district_report(
    district: str,
    request: Request,
    reports: ReportsDep,
    settings: SettingsDep,
    store: StoreDep,
    user: UserDep,
    rendered: RenderedDep,
    pool: RenderPoolDep,
    all_areas: bool = Query(False, description="Rank every community area, not only unparished"),
    sites: int | None = Query(None, ge=0, le=50, description="Candidate sites to propose"),
    scenario: int | None = Query(None, ge=1, description="A saved scenario beside today (officer)"),
    close: str | None = Query(None, max_length=20_000, description="Hubs closed: ID,ID"),
    opened: str | None = Query(None, alias="open", max_length=2_000,
                               description="Hubs opened: LON,LAT;LON,LAT"),
) -> Response:
    name, _, extension = district.rpartition(".")
    extension = extension.lower()
    if extension not in FORMATS or not name:
        name, extension = district, "html"
    # Checked before the cache, so a page rendered for an officer is never served to the public.
    if scenario is not None and user.role == "public":
        raise Unauthorized("Sign in as an officer to see a saved scenario (/signin)")
    options = report_options(request, reports, settings, all_areas=all_areas, sites=sites)
    query = request.url.query
    # A query on PostGIS: asked from a thread, so the event loop never waits on the database.
    version = await run_in_threadpool(store.version)
    # The day is in the key: which records count as stale changes at midnight.
    key = ("report", version, date.today().isoformat(), name.strip().casefold(), extension,
           options.key(), query)
    kept = rendered.get(key)
    found = kept if isinstance(kept, Rendered) else None
    if found is None:
        ask = _ScenarioAsk(scenario, close, opened)
        found = await pool.run(_render, reports, settings, store, name, extension, options,
                               query, ask)
        rendered.put(key, found)
    return conditional(request, found, PRIVATE if scenario is not None else PUBLIC)
