"""Stale records for officers (``/api/stale``): not verified within the configured time.

The page of the same list is ``pages/stale.py``.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Response

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.schemas import UPKEEP_ERRORS
from assetmap.formats.geojson import feature_collection
from assetmap.register.stale import stale_features

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["register upkeep"])

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
    days: int | None = Query(None, ge=1, le=36500, description="Default ASSETMAP_STALE_AFTER_DAYS"),
) -> Response:
    spec = catalog[layer]
    frame = stale_features(
        store.read(spec), today=dt.date.today(), days=days or settings.stale_after_days
    )
    fields = [*spec.field_names, "days_since_verified"]
    text = feature_collection(frame, id_field=spec.id_field, fields=fields)
    return Response(text, media_type="application/geo+json")
