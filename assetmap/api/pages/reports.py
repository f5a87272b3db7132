"""District gap reports: an index, the HTML page, and downloads (PDF, CSV, GeoJSON, GPKG).

The JSON of a report is ``/api/gaps`` (``routes/gaps.py``).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assetmap.analysis import ReportOptions, ReportService
from assetmap.api.cache import PUBLIC, Rendered, conditional
from assetmap.api.deps import RenderedDep, RenderPoolDep, ReportsDep, SettingsDep, StoreDep
from assetmap.api.reporting import report_links, report_options
from assetmap.api.schemas import ErrorResponse
from assetmap.config import Settings
from assetmap.maps.page import render_fragment
from assetmap.provenance import NO_PARISHES, attribution_lines
from assetmap.reports import report_csv, report_geojson, report_gpkg, report_html, report_pdf

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


def _render(reports: ReportService, settings: Settings, name: str, extension: str,
            options: ReportOptions, query: str) -> Rendered:
    """The report page or one download, rendered (in the render pool's threads)."""
    report = reports.report(name, options)
    if extension == "html":
        html = report_html(
            report,
            downloads=report_links(report, query),
            basemap_url=settings.basemap_url,
            basemap_attribution=settings.basemap_attribution,
        )
        return Rendered.of(html, "text/html; charset=utf-8")
    media_type, render = FORMATS[extension]
    filename = f"gap-report-{report.district_code}.{extension}"
    return Rendered.of(render(report), media_type,
                       {"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get(
    "/{district}",
    summary="A district's gap report (HTML; add .pdf, .csv, .geojson or .gpkg to download)",
    response_class=Response,
    responses={304: {"description": "Not modified: the ETag given in If-None-Match is current"},
               503: {"model": ErrorResponse, "description": "Busy rendering other reports; "
                     "try again after Retry-After seconds"}},
    description=(
        "Rendered once per district, options and register version, then served from memory "
        "with a strong `ETag` (send it back in `If-None-Match` for `304 Not Modified`) and "
        "`Cache-Control: public, no-cache`. Rendering runs in a small pool of its own; when "
        "its queue is full the answer is 503 with `Retry-After`."
    ),
)
async def district_report(
    district: str,
    request: Request,
    reports: ReportsDep,
    settings: SettingsDep,
    store: StoreDep,
    rendered: RenderedDep,
    pool: RenderPoolDep,
    all_areas: bool = Query(False, description="Rank every community area, not only unparished"),
    sites: int | None = Query(None, ge=0, le=50, description="Candidate sites to propose"),
) -> Response:
    name, _, extension = district.rpartition(".")
    extension = extension.lower()
    if extension not in FORMATS or not name:
        name, extension = district, "html"
    options = report_options(request, reports, settings, all_areas=all_areas, sites=sites)
    query = request.url.query
    # A query on PostGIS: asked from a thread, so the event loop never waits on the database.
    version = await run_in_threadpool(store.version)
    key = ("report", version, name.strip().casefold(), extension, options.key(), query)
    kept = rendered.get(key)
    found = kept if isinstance(kept, Rendered) else None
    if found is None:
        found = await pool.run(_render, reports, settings, name, extension, options, query)
        rendered.put(key, found)
    return conditional(request, found, PUBLIC)
