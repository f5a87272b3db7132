"""District gap reports: an index, the HTML page, and downloads (PDF, CSV, GeoJSON, GPKG).

The JSON of a report is ``/api/gaps`` (``routes/gaps.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assetmap.analysis import DistrictReport, ReportOptions, ReportService, resolve_district
from assetmap.api.auth import UserDep
from assetmap.api.cache import PRIVATE, PUBLIC, Rendered, ResponseCache, conditional
from assetmap.api.deps import RenderedDep, RenderPoolDep, ReportsDep, SettingsDep, StoreDep
from assetmap.api.negotiation import wants_html
from assetmap.api.page_context import shell_context
from assetmap.api.reporting import report_links, report_options
from assetmap.api.scenario_requests import change_from_query, run_change, run_saved
from assetmap.api.schemas import ErrorResponse
from assetmap.api.shared_renders import keep_shared, rendering, shared
from assetmap.api.shell import service_shell
from assetmap.config import Settings
from assetmap.errors import Forbidden, Unauthorized, ValidationFailed
from assetmap.maps.page import render_fragment
from assetmap.messages import DEFAULT_LANGUAGE, messages
from assetmap.provenance import NO_PARISHES
from assetmap.reports import report_html
from assetmap.reports.downloads import DOWNLOADS, Download, by_extension, file_name, size_text
from assetmap.reports.overview import DistrictGap, county_overview
from assetmap.reports.thresholds_form import thresholds_form
from assetmap.reports.views import ScenarioView, scenario_view
from assetmap.store import Store

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter(prefix="/reports", tags=["reports"])



def _overview(reports: ReportService, settings: Settings) -> list[DistrictGap]:
    """Every district's headline figures, without siting (the overview ranks, not sites)."""
    options = reports.options([], all_areas=False, sites=0)
    codes = reports.inputs().districts["code"].astype(str)
    return county_overview(reports.report(code, options) for code in codes)


@router.get("", response_class=HTMLResponse, summary="The county overview: districts ranked")
async def report_index(request: Request, reports: ReportsDep, settings: SettingsDep,
                       pool: RenderPoolDep, rendered: RenderedDep, store: StoreDep) -> Response:
    """Every district ranked by its gaps, each linking to its report (cached per version)."""
    version = await run_in_threadpool(store.version)
    key = ("overview", version, date.today().isoformat())
    kept = rendered.get(key)
    if not isinstance(kept, list):
        kept = await pool.run_once(key, _overview, reports, settings)
        rendered.put(key, kept)
    inputs = reports.inputs()
    thresholds = settings.thresholds
    html = render_fragment(
        "report_index.html",
        **shell_context(request),
        districts=kept,
        focus=inputs.fallback_units or "the unparished areas",
        catchments=(f"{thresholds.urban_catchment_m:,.0f} m in towns and "
                    f"{thresholds.rural_catchment_m:,.0f} m in the countryside"),
        parish_notice=(f"{NO_PARISHES} Reports rank {inputs.fallback_units} instead, as "
                       f"stated fallback units." if inputs.fallback_units else ""),
    )
    return HTMLResponse(html)


@dataclass(frozen=True)
class _ScenarioAsk:
    """The scenario a report page was asked to show beside today (none, saved, or ad hoc)."""

    saved: int | None
    close: str | None
    opened: str | None
    query: Mapping[str, str]  # the request's parameters, echoed in the siting form


@dataclass(frozen=True)
class _Downloads:
    """A report's page and downloads in the rendered cache, so the page can say their sizes.

    ``base`` is the key without the extension: register version, day (which records count
    as stale changes at midnight), district, options and query.
    """

    rendered: ResponseCache
    base: tuple[object, ...]

    def key(self, extension: str) -> tuple[object, ...]:
        return (*self.base, extension)

    def keep(self, extension: str, made: Rendered) -> None:
        self.rendered.put(self.key(extension), made)

    def kept(self, extension: str) -> Rendered | None:
        found = self.rendered.get(self.key(extension))
        return found if isinstance(found, Rendered) else None


def _download(report: DistrictReport, download: Download) -> Rendered:
    name = file_name(report, download)
    return Rendered.of(download.render(report), download.media_type,
                       {"Content-Disposition": f'attachment; filename="{name}"'})


def _download_links(report: DistrictReport, query: str, files: _Downloads) -> dict[str, str]:
    """Each download's link text with its type and size: "Ranked areas (CSV, 2 KB)"."""
    links = {}
    for url, download in zip(report_links(report, query).values(), DOWNLOADS, strict=True):
        made = files.kept(download.extension)
        if made is None and not download.slow:
            made = _download(report, download)
            files.keep(download.extension, made)
        size = (size_text(len(made.body)) if made is not None
                else "made when you choose it, in a few seconds")
        links[f"{download.title} ({download.kind}, {size})"] = url
    return links


def _render(reports: ReportService, settings: Settings, store: Store, name: str,
            download: Download | None, options: ReportOptions, query: str, ask: _ScenarioAsk,
            files: _Downloads) -> Rendered:
    """The report page or one download, rendered (in the render pool's threads)."""
    report = reports.report(name, options)
    if download is not None:
        return _download(report, download)
    html = report_html(
        report,
        downloads=_download_links(report, query, files),
        basemap_url=settings.basemap_url,
        basemap_attribution=settings.basemap_attribution,
        scenario=_scenario(reports, store, report, options, ask),
        siting_query=ask.query,
        shell=(shell := service_shell(settings)),
        service_name=shell.service_name or messages(DEFAULT_LANGUAGE)("site.name"),
    )
    return Rendered.of(html, "text/html; charset=utf-8")


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
    summary="A district's gap report (HTML; add .pdf, .csv, .sites.csv, .metadata.csv, "
            ".geojson or .gpkg to download)",
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
    name, download = by_extension(district)
    # Checked before the cache, so a page rendered for an officer is never served to the public.
    if scenario is not None and user.role == "public":
        raise Unauthorized("Sign in as an officer to see a saved scenario (/signin)")
    try:
        options = report_options(request, reports, settings, all_areas=all_areas, sites=sites)
    except ValidationFailed as exc:
        if download is None and wants_html(request):
            return _thresholds_problem(request, reports, settings, name, exc)
        raise
    query = request.url.query
    # A query on PostGIS: asked from a thread, so the event loop never waits on the database.
    version = await run_in_threadpool(store.version)
    files = _Downloads(rendered, ("report", version, date.today().isoformat(),
                                  name.strip().casefold(), options.key(), query))
    extension = download.extension if download is not None else "html"
    found = files.kept(extension)
    if found is None and _shares(store):  # another worker may have made it
        found = await run_in_threadpool(shared, store, files.key(extension))
    if found is None:
        ask = _ScenarioAsk(scenario, close, opened, dict(request.query_params))
        found = await pool.run_once(files.key(extension), _render_and_share, reports, settings,
                                    store, name, download, options, query, ask, files, version)
    files.keep(extension, found)
    return conditional(request, found, PRIVATE if scenario is not None else PUBLIC)


def _shares(store: Store) -> bool:
    """Whether renders are kept in the store for other workers (a database; one process
    serves a GeoPackage)."""
    return store.name != "geopackage"


def _render_and_share(reports: ReportService, settings: Settings, store: Store, name: str,
                      download: Download | None, options: ReportOptions, query: str,
                      ask: _ScenarioAsk, files: _Downloads, version: str) -> Rendered:
    if not _shares(store):
        return _render(reports, settings, store, name, download, options, query, ask, files)
    key = files.key(download.extension if download is not None else "html")
    with rendering(store, key):  # another worker rendering it: wait, then take theirs
        found = shared(store, key)
        if found is not None:
            return found
        made = _render(reports, settings, store, name, download, options, query, ask, files)
        try:
            keep_shared(store, key, version, made)
        except Exception as exc:  # only a saving for the other workers: the page stands
            log.warning("report render not kept for other workers: %s", exc)
    return made


def _thresholds_problem(request: Request, reports: ReportService, settings: Settings,
                        name: str, exc: ValidationFailed) -> Response:
    """The thresholds form again with the refused values, their errors and a summary (422)."""
    query = dict(request.query_params)
    form = thresholds_form(settings.thresholds.as_flat_dict(), query, exc.details)
    if not form.errors:  # not a threshold (decay, siting): the usual error page
        raise exc
    inputs = reports.inputs()
    code = resolve_district(name, inputs.community_areas, inputs.districts)
    names = dict(zip(inputs.districts["code"].astype(str), inputs.districts["name"].astype(str),
                     strict=True))
    summary = [{"text": message, "target": f"threshold-{name}"} for name, message in form.errors]
    html = render_fragment("report_thresholds_problem.html", form=form, summary=summary,
                           district_code=code,
                           district_name=names.get(code, code))
    return HTMLResponse(html, status_code=422)
