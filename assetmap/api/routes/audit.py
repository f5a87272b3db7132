"""The audit log for officers (``/api/audit``); the page of it is ``pages/audit.py``."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import StoreDep
from assetmap.api.params import MAX_OFFSET, audit_filter
from assetmap.api.schemas import UPKEEP_ERRORS
from assetmap.register.audit import AUDIT_TABLE, audit_entries

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["register upkeep"])

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


@router.get(
    "/audit",
    summary="Every write, field by field, newest first (officer)",
    response_model=AuditPage,
    responses=UPKEEP_ERRORS,
)
def audit(
    request: Request,
    user: OfficerDep,
    store: StoreDep,
    layer: str | None = Query(None, max_length=100),
    feature_id: str | None = Query(None, max_length=200),
    actor: str | None = Query(None, max_length=100),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
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
