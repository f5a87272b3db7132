"""The audit log for officers: ``/api/audit`` row by row (one per field), ``/api/audit/changes``
one per write with names and readable values; the page of it is ``pages/audit.py``."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.history_view import ChangesPage, changes_page
from assetmap.api.params import MAX_OFFSET, audit_filter
from assetmap.api.schemas import UPKEEP_ERRORS
from assetmap.register.audit import AUDIT_TABLE, audit_entries
from assetmap.register.history import PER_PAGE, ChangeFilters, recent_changes

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


_SINCE = Query(None, description="From this day (Europe/London), inclusive")
_UNTIL = Query(None, description="To this day (Europe/London), inclusive")


@router.get(
    "/audit/changes",
    summary="The audit log one change per write, with names and values in words (officer)",
    response_model=ChangesPage,
    responses=UPKEEP_ERRORS,
)
def audit_changes(
    user: OfficerDep,
    catalog: CatalogDep,
    store: StoreDep,
    layer: str | None = Query(None, max_length=100),
    action: str | None = Query(None, max_length=40),
    actor: str | None = Query(None, max_length=100),
    feature_id: str | None = Query(None, max_length=200),
    since: dt.date | None = _SINCE,
    until: dt.date | None = _UNTIL,
    page: int = Query(1, ge=1, le=MAX_OFFSET),
    per_page: int = Query(PER_PAGE, ge=1, le=200),
) -> ChangesPage:
    filters = ChangeFilters(layer=layer, action=action, actor=actor, feature_id=feature_id,
                            since=since, until=until)
    return changes_page(recent_changes(store, filters, page, catalog=catalog,
                                       per_page=per_page))
