"""Stale records for officers (``/api/stale``): not verified within the configured time,
filtered and sorted as the page is (``area`` leaves out neighbouring authorities' records).

The page of the same list is ``pages/stale.py``.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Response

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.schemas import UPKEEP_ERRORS
from assetmap.formats.geojson import feature_collection
from assetmap.register.stale import StaleQuery, stale_frame

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["register upkeep"])

_AREA = Query("ours", description=(
    "Whose records: ours (in the council's districts; default), neighbours (other "
    "authorities' records kept near the county line, e.g. libraries on the real build) or all"))
_SORT = Query("oldest", description="oldest (never checked first, then the oldest check) or name")


@router.get(
    "/stale",
    summary="Features not verified within the configured time, oldest first (officer)",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}, **UPKEEP_ERRORS},
)
def stale(
    user: OfficerDep,
    catalog: CatalogDep,
    store: StoreDep,
    settings: SettingsDep,
    layer: str = Query("assets", max_length=100),
    days: int | None = Query(None, ge=0, le=36500, description="Default ASSETMAP_STALE_AFTER_DAYS"),
    district: str | None = Query(None, max_length=20, description="A district code"),
    category: str | None = Query(None, max_length=100),
    area: str = _AREA,
    sort: str = _SORT,
) -> Response:
    spec = catalog[layer]
    query = StaleQuery(days=settings.stale_after_days if days is None else days,
                       district=district, category=category, area=area, sort=sort)
    frame, _ = stale_frame(store, catalog, spec, query, today=dt.date.today())
    fields = [*spec.field_names, "days_since_verified", "council_area"]
    text = feature_collection(frame, id_field=spec.id_field, fields=fields)
    return Response(text, media_type="application/geo+json")
