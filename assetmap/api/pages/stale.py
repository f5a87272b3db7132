"""The officers' list of stale records (``/stale``): assets not checked for a while, as a
work list: filters (district, category, whose area), sorting (oldest check first, name),
pages, and "Checked today" with how it was checked (phone, visit, email, steward), which
goes into the audit log and shows on the list.

The JSON of the same list is ``routes/stale.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page, safe_next
from assetmap.api.records_view import history_url, page_links
from assetmap.errors import NotFound, PreconditionFailed, ValidationFailed
from assetmap.register.editing import CHECK_METHODS, VERIFIED_FIELD, feature_etag, mark_verified
from assetmap.register.history_values import readable
from assetmap.register.notifications import long_date
from assetmap.register.stale import AREAS, SORTS, StaleQuery, stale_list
from assetmap.register.still_right import last_asked

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

LAYER = "assets"
_MAX_DAYS = 36500


def _query(given: Mapping[str, str], default_days: int) -> StaleQuery:
    def number(name: str, default: int, low: int, top: int) -> int:
        try:
            value = int(given.get(name, default))
        except ValueError:
            return default
        return value if low <= value <= top else default

    return StaleQuery(
        days=number("days", default_days, 0, _MAX_DAYS), district=given.get("district") or None,
        category=given.get("category") or None,
        area=_choice(given, "area", AREAS, "ours"), sort=_choice(given, "sort", SORTS, "oldest"),
        page=number("page", 1, 1, 1_000_000),
    )


def _choice(given: Mapping[str, str], name: str, choices: Mapping[str, str], default: str) -> str:
    value = given.get(name, default)
    return value if value in choices else default


@router.get("/stale", response_class=HTMLResponse)
def stale_page(request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep,
               settings: SettingsDep) -> Response:
    query = _query(request.query_params, settings.stale_after_days)
    return _render(request, user, catalog, store, query, request.query_params)


def _render(request: Request, user: Any, catalog: CatalogDep, store: StoreDep,
            query: StaleQuery, given: Mapping[str, str], *,
            problem: tuple[str, str] | None = None, status: int = 200) -> HTMLResponse:
    layer = catalog[LAYER]
    found = stale_list(store, catalog, layer, query, today=dt.date.today())
    kept = {k: v for k, v in given.items()
            if k in ("days", "district", "category", "area", "sort") and v}

    def url(number: int) -> str:
        return "/stale?" + urlencode({**kept, "page": number})

    here = url(found.page)
    context = page_context(
        request, store, user, ("Error: " if problem else "") + "Stale records", found=found,
        query=query, labels=layer.labels, areas=AREAS, sorts=SORTS, methods=CHECK_METHODS,
        categories={c: layer.label("category", c) for c in found.categories},
        etags={row.feature.id: feature_etag(row.feature) for row in found.rows},
        links=page_links(found.page, found.pages, url), here=here, history_url=history_url,
        previous=url(found.page - 1) if found.page > 1 else None,
        following=url(found.page + 1) if found.page < found.pages else None,
        problem=problem, first=(found.page - 1) * found.per_page + 1,
        day=lambda value: readable(layer, VERIFIED_FIELD, str(value)[:10]),
        # A stale record asks its steward first: when they were last asked, beside each row.
        asked={key: long_date(when) for key, when in
               last_asked(store, layer, [row.feature.id for row in found.rows]).items()},
    )
    return render_page("stale.html", context, status=status)


@router.post("/stale/{asset_id}/checked")
async def checked_today(request: Request, asset_id: str, user: OfficerPageDep,
                        catalog: CatalogDep, store: StoreDep, settings: SettingsDep) -> Response:
    form = await request.form()
    back = safe_next(str(form.get("next", "/stale")))
    method = str(form.get("method", "")) or None
    layer = catalog[LAYER]
    if store.get(layer, asset_id) is None:
        raise NotFound(f"No asset with id {asset_id!r}")
    anchor = f"#method-{quote(asset_id, safe='')}"
    given = dict(parse_qsl(urlsplit(back).query))
    problem: str | None = None
    status = 422
    if method is None:
        problem = "Select how you checked it"
    else:
        try:
            mark_verified(store, layer, asset_id, if_match=str(form.get("etag", "")),
                          actor=user.name, method=method)
        except PreconditionFailed:
            problem, status = ("Someone changed this record after you opened the list; "
                               "nothing was saved. Check it again below."), 412
        except ValidationFailed as exc:
            problem = exc.message
    if problem is not None:
        query = _query(given, settings.stale_after_days)
        return _render(request, user, catalog, store, query, given, problem=(problem, anchor),
                       status=status)
    separator = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{separator}done=verified", 303)
