"""The audit log for officers (``/audit``): every write, field by field, newest first.

The JSON of the same log is ``routes/audit.py``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assetmap.api.deps import StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.api.params import audit_filter
from assetmap.register.audit import AUDIT_TABLE, audit_entries

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

AUDIT_PAGE = 50


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, user: OfficerPageDep, store: StoreDep, layer: str | None = None,
    feature_id: str | None = None, actor: str | None = None, offset: int = 0,
) -> Response:
    where = audit_filter(layer, feature_id, actor)
    offset = max(offset, 0)
    entries = audit_entries(store, where=where, limit=AUDIT_PAGE, offset=offset)
    total = store.count_records(AUDIT_TABLE, where=where)
    query = {k: v for k, v in where.items() if v}

    def page_url(start: int) -> str:
        return "/audit?" + urlencode({**query, "offset": start})

    context = page_context(
        request, store, user, "Audit log", entries=entries, total=total, offset=offset,
        filters={"layer": layer or "", "feature_id": feature_id or "", "actor": actor or ""},
        previous=page_url(max(offset - AUDIT_PAGE, 0)) if offset else None,
        following=page_url(offset + AUDIT_PAGE) if offset + AUDIT_PAGE < total else None,
    )
    return render_page("audit.html", context)
