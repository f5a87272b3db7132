"""Suggested corrections as pages: residents suggest one (``/hubs/{id}/correction``, in
``pages/hub_correction.py``), officers review, accept or reject them in a queue
(``/corrections``), all without JavaScript.

Officers' queue: each suggestion beside the asset's
current values, its form carrying the asset's ETag as shown, so accepting after
someone changed the asset is refused (412) and the page shows the new values,
the suggestion still pending. The JSON of both is ``routes/corrections.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.analysis import ReportService
from assetmap.api.correction_queue_view import (
    district_choices,
    edits_from_form,
    queue_context,
    read_query,
)
from assetmap.api.deps import CatalogDep, ReportsDep, StoreDep, decision_mail
from assetmap.api.impact_view import (
    CONFIRMED,
    IMPACT_STATUSES,
    closure_impact_for,
    confirmation_page,
    impact_note,
)
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.errors import (
    AssetmapError,
    ValidationFailed,
)
from assetmap.layers import LayerCatalog
from assetmap.register.corrections import (
    decide,
    get_correction,
)
from assetmap.register.users import User
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["corrections"], include_in_schema=False)

ASSET_LAYER = "assets"


# -- the officers' queue --------------------------------------------------------------------
def _queue(
    request: Request,
    user: User,
    store: Store,
    catalog: LayerCatalog,
    *,
    problem: dict[str, Any] | None = None,
    status: int = 200,
    params: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """One page of the queue, as the filters in ``params`` (the page's query) choose."""
    params = request.query_params if params is None else params
    query = read_query(params, district_choices(store, catalog))
    context = page_context(
        request, store, user, "Suggested corrections", problem=problem,
        **queue_context(store, catalog, query, typed),
    )
    return render_page("corrections.html", context, status=status)


@router.get("/corrections", response_class=HTMLResponse)
def corrections_page(
    request: Request, user: OfficerPageDep, store: StoreDep, catalog: CatalogDep
) -> Response:
    return _queue(request, user, store, catalog)


def _closure_step(
    request: Request, user: User, store: Store, reports: ReportService, correction_id: int,
    form: Any,
) -> tuple[Response | None, dict[str, Any]]:
    """Accepting "this place has closed": the confirmation page with the closure's impact,
    or once confirmed the audit note of what it showed."""
    correction = get_correction(store, correction_id)
    status = correction.changes.get("status")
    if correction.status != "pending" or status not in IMPACT_STATUSES:
        return None, {}
    impact = closure_impact_for(reports, correction.feature_id)
    if form.get("confirm") == CONFIRMED:
        return None, impact_note(impact, str(status))
    page = confirmation_page(
        request, store, user, title=f"Accept suggestion #{correction_id}: mark it closed?",
        lead=f"A resident says {correction.feature_id} has closed; accepting marks it closed.",
        impact=impact, status=str(status), action=f"/corrections/{correction_id}/accept",
        hidden=[(k, str(v)) for k, v in form.multi_items() if k != "confirm"],
        button="Yes, accept and mark it closed", back="/corrections",
    )
    return page, {}


async def _decide(
    request: Request, user: User, correction_id: int, accept: bool, store: Store,
    catalog: LayerCatalog, reports: ReportService | None = None,
) -> Response:
    form = await request.form()
    # Back to the page of the queue the officer was on (its filters travel with the form).
    back = {k: str(form.get(f"back-{k}", "")) for k in ("status", "kind", "district", "sort",
                                                       "page") if form.get(f"back-{k}")}

    def run() -> Response:
        try:
            notes: dict[str, Any] = {}
            if accept and reports is not None:
                page, notes = _closure_step(request, user, store, reports, correction_id, form)
                if page is not None:
                    return page
            edits = edits_from_form(form, get_correction(store, correction_id)) if accept else {}
            decided = decide(
                store, catalog, correction_id, accept=accept, officer=user,
                note=str(form.get("note", "")), etag=str(form.get("etag", "")), notes=notes,
                edits=edits or None,
                on_decided=decision_mail(request),
            )
        except AssetmapError as exc:
            # 412 (changed meanwhile), 409 (decided already), 404, 422: say so on the queue.
            problem = {"id": correction_id, "message": exc.message,
                       "details": exc.details if isinstance(exc, ValidationFailed) else []}
            typed = {str(k): str(v) for k, v in form.items() if str(k).startswith("edit-")}
            return _queue(request, user, store, catalog, problem=problem, status=exc.status,
                          params=back, typed=typed)
        back["done"] = ("rejected" if not accept else "place_added"
                        if decided.kind == "new_place" else "accepted")
        return RedirectResponse(f"/corrections?{urlencode(back)}", 303)

    return await run_in_threadpool(run)


@router.post("/corrections/{correction_id}/accept")
async def accept_page(
    request: Request, user: OfficerPageDep, correction_id: int, store: StoreDep,
    catalog: CatalogDep, reports: ReportsDep,
) -> Response:
    return await _decide(request, user, correction_id, True, store, catalog, reports)


@router.post("/corrections/{correction_id}/reject")
async def reject_page(
    request: Request, user: OfficerPageDep, correction_id: int, store: StoreDep,
    catalog: CatalogDep,
) -> Response:
    return await _decide(request, user, correction_id, False, store, catalog)
