"""The audit log for officers (``/audit``): one row per change, newest first, with the
record's name (linked to its history), the time in words and each value in words; filters
as choices (kind of record, what was done, who, between two dates) and pages.

The JSON of the same log is ``routes/audit.py`` (``/api/audit/changes``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.api.records_view import ACTION_LABELS, date_field, history_url, page_links
from assetmap.errors import ValidationFailed
from assetmap.register.audit import ACTIONS, AUDIT_TABLE
from assetmap.register.history import ChangeFilters, recent_changes
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

def _choices(store: Store, column: str) -> list[str]:
    return sorted(store.record_keys(AUDIT_TABLE, column), key=str.casefold)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, user: OfficerPageDep, store: StoreDep, catalog: CatalogDep,
    layer: str | None = None, action: str | None = None, actor: str | None = None,
    feature_id: str | None = None, page: int = 1,
) -> Response:
    query = request.query_params
    since, until = date_field(query, "since", "The ‘from’ date"), date_field(
        query, "until", "The ‘to’ date")
    errors = [f for f in (since, until) if f.error]
    chosen = {"layer": layer or "", "action": action or "", "actor": actor or "",
              "feature_id": feature_id or ""}
    filters = ChangeFilters(layer=layer or None, action=action or None, actor=actor or None,
                            feature_id=feature_id or None, since=since.value, until=until.value)
    found = None
    if not errors:
        try:
            found = recent_changes(store, filters, max(1, page), catalog=catalog)
        except ValidationFailed as exc:
            since = replace(since, error=exc.message, wrong=("day", "month", "year"))
            errors = [since]
    kept = {k: v for k, v in query.items() if k != "page" and v}

    def url(number: int) -> str:
        return "/audit?" + urlencode({**kept, "page": number})

    context = page_context(
        request, store, user, ("Error: " if errors else "") + "Audit log", found=found,
        chosen=chosen, since=since, until=until, errors=errors,
        layers={name: getattr(catalog.get(name), "title", name)
                for name in _choices(store, "layer")},
        actions={a: ACTION_LABELS.get(a, a) for a in ACTIONS},  # all of them: no scan
        actors=_choices(store, "actor"), action_labels=ACTION_LABELS,
        history_url=history_url, titles=_titles(catalog),
        links=page_links(found.page, found.pages, url) if found else [],
        previous=url(found.page - 1) if found and found.page > 1 else None,
        following=url(found.page + 1) if found and found.page < found.pages else None,
    )
    return render_page("audit.html", context, status=400 if errors else 200)


def _titles(catalog: CatalogDep) -> dict[str, Any]:
    # "Community assets" -> "Community asset": what one record of the layer is called.
    return {name: spec.title.removesuffix("s") for name, spec in catalog.items()}
