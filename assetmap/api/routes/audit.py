"""The audit log and the stale-records list, for officers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.schemas import ErrorResponse
from assetmap.geojson import feature_collection
from assetmap.register.audit import AUDIT_TABLE, audit_entries
from assetmap.register.stale import stale_features

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["register upkeep"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in"},
    403: {"model": ErrorResponse, "description": "Role not allowed"},
    404: {"model": ErrorResponse, "description": "No such layer"},
}


class AuditEntry(BaseModel):
    id: int
    change_id: str | None
    at: str | None
    actor: str | None
    action: str | None
    layer: str | None
    feature_id: str | None
    field: str | None
    before: str | None
    after: str | None


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    total: int
    limit: int
    offset: int
    next: str | None = None


def audit_filter(
    layer: str | None, feature_id: str | None, actor: str | None
) -> dict[str, str | None]:
    chosen = {"layer": layer, "feature_id": feature_id, "actor": actor}
    return {key: value for key, value in chosen.items() if value}


@router.get(
    "/audit",
    summary="Every write, field by field, newest first (officer)",
    response_model=AuditPage,
    responses=_ERRORS,
)
def audit(
    request: Request,
    user: OfficerDep,
    store: StoreDep,
    layer: str | None = Query(None, max_length=100),
    feature_id: str | None = Query(None, max_length=200),
    actor: str | None = Query(None, max_length=100),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> AuditPage:
    where = audit_filter(layer, feature_id, actor)
    entries = audit_entries(store, where=where, limit=limit, offset=offset)
    total = store.count_records(AUDIT_TABLE, where=where)
    following = None
    if offset + limit < total:
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return AuditPage(
        entries=[AuditEntry(**entry) for entry in entries],
        total=total, limit=limit, offset=offset, next=following,
    )


@router.get(
    "/stale",
    summary="Features not verified within the configured time, oldest first (officer)",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}, **_ERRORS},
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
