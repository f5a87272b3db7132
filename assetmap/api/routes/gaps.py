"""Gap analysis as JSON: ``GET /api/gaps?district=…``."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from assetmap.analysis import DistrictReport
from assetmap.api.deps import ReportsDep, SettingsDep
from assetmap.api.reporting import report_links, report_options
from assetmap.api.scenario_requests import change_from_query, run_change
from assetmap.api.schemas import ErrorResponse
from assetmap.crs import to_web
from assetmap.formats.geojson import plain_records
from assetmap.provenance import attribution_lines

__all__ = ["gaps_document", "router"]

router = APIRouter(prefix="/api", tags=["gaps"])


def _records(frame: Any) -> list[dict[str, Any]]:
    columns = [c for c in frame.columns if c != "geometry"]
    return plain_records(frame, columns)


def _sites(report: DistrictReport) -> list[dict[str, Any]]:
    if report.sites.empty:
        return []
    web = to_web(report.sites, "candidate sites")
    records = _records(report.sites)
    for record, point in zip(records, web.geometry, strict=True):
        record["lon"], record["lat"] = round(point.x, 6), round(point.y, 6)
    return records


def _areas(report: DistrictReport) -> list[dict[str, Any]]:
    """The ranked areas, each with how stable its rank is (``stability``, ``top_share`` …)."""
    records = _records(report.result.community_areas)
    if report.views is not None:
        stable = _records(report.views.stability.drop(columns=["rank"]))
        by_code = {record.pop("code"): record for record in stable}
        for record in records:
            record.update(by_code.get(str(record["code"]), {}))
    return records


def _views(report: DistrictReport) -> dict[str, Any]:
    views = report.views
    if views is None:
        return {}
    return {
        "equality": views.equality.as_dict(),
        "stale_coverage": views.stale.as_dict(),
        "rank_stability": views.stability_ranges.as_dict(),
    }


def gaps_document(report: DistrictReport, query: str) -> dict[str, Any]:
    summary = report.result.districts
    row = summary[summary["district_code"] == report.district_code]
    return {
        "district": {"code": report.district_code, "name": report.district_name},
        "synthetic": report.synthetic,
        "notice": report.notice,
        "attribution": attribution_lines(report.attribution),
        "fallback_units": report.fallback_units or None,
        # What the figures can see when some hub categories have no assets loaded.
        "view": report.view or None,
        "all_areas": report.all_areas,
        "thresholds": report.result.thresholds,
        "summary": _records(row)[0] if len(row) else {},
        "areas": _areas(report),
        "sites": _sites(report),
        **_views(report),
        "warnings": list(report.warnings),
        "sources": [
            {"name": s.name, "detail": s.detail, "vintage": s.vintage,
             "attribution": s.attribution, "synthetic": s.synthetic}
            for s in report.sources
        ],
        "generated": report.generated.isoformat(),
        "links": [
            {"rel": "report", "href": f"/reports/{report.district_code}", "type": "text/html"},
            *(
                {"rel": "download", "href": href, "title": label}
                for label, href in report_links(report, query).items()
            ),
        ],
    }


@router.get(
    "/gaps",
    summary="Gap analysis for one district",
    response_class=Response,
    responses={
        200: {"content": {"application/json": {}}, "description": "Ranked areas and sites"},
        404: {"model": ErrorResponse, "description": "Unknown district (lists valid ones)"},
        422: {"model": ErrorResponse,
              "description": "Invalid threshold or parameter; unknown closed id or a point "
                             "outside the county (each named in details)"},
    },
    description=(
        "Ranks the district's community areas (unparished ones unless `all_areas=true`) by an "
        "under-served score, with flags and reasons, and proposes candidate sites. Override any "
        "threshold by name, e.g. `urban_catchment_m=1000&weight_need=0.2`; every threshold used "
        "is echoed in `thresholds`. A scenario: `close=ID,ID` (hubs closed) and/or "
        "`open=LON,LAT;LON,LAT` (hubs opened, WGS84) adds `scenario`: residents newly outside "
        "every catchment and newly inside (by IMD decile band, aged 65+, unparished), and the "
        "areas whose flags change, against today."
    ),
)
def gaps(
    request: Request,
    reports: ReportsDep,
    settings: SettingsDep,
    district: str = Query(..., min_length=1, description="District name or code"),
    all_areas: bool = Query(False, description="Rank every community area, not only unparished"),
    sites: int | None = Query(None, ge=0, le=50, description="Candidate sites to propose"),
    close: str | None = Query(None, max_length=20_000, description="Hubs closed: ID,ID"),
    opened: str | None = Query(None, alias="open", max_length=2_000,
                               description="Hubs opened: LON,LAT;LON,LAT"),
) -> Response:
    options = report_options(request, reports, settings, all_areas=all_areas, sites=sites)
    change = change_from_query(close, opened)
    report = reports.report(district, options)
    document = gaps_document(report, _without(request.url.query, "district"))
    if not change.empty:
        outcome = run_change(reports, options.thresholds, report.district_code, change)
        document["scenario"] = outcome.as_dict()
    return Response(json.dumps(document, ensure_ascii=False), media_type="application/json")


def _without(query: str, name: str) -> str:
    return "&".join(part for part in query.split("&") if part and not part.startswith(name + "="))
