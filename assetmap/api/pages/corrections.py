"""Suggested corrections as pages: residents suggest one (``/hubs/{id}/correction``, in
``pages/hub_correction.py``), officers review, accept or reject them in a queue
(``/corrections``), all without JavaScript.

Officers' queue: each suggestion beside the asset's
current values, its form carrying the asset's ETag as shown, so accepting after
someone changed the asset is refused (412) and the page shows the new values,
the suggestion still pending. The JSON of both is ``routes/corrections.py``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.analysis import ReportService
from assetmap.api.deps import CatalogDep, ReportsDep, StoreDep
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
)
from assetmap.layers import LayerCatalog
from assetmap.register.corrections import (
    count_corrections,
    decide,
    get_correction,
    list_corrections,
)
from assetmap.register.users import User
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["corrections"], include_in_schema=False)

QUEUE_PAGE = 50
RECENT = 20
ASSET_LAYER = "assets"


# -- the officers' queue --------------------------------------------------------------------
def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _queue(
    request: Request,
    user: User,
    store: Store,
    catalog: LayerCatalog,
    *,
    problem: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    pending = list_corrections(store, catalog, "pending", limit=QUEUE_PAGE)
    decided = [
        *list_corrections(store, catalog, "accepted", limit=RECENT),
        *list_corrections(store, catalog, "rejected", limit=RECENT),
    ]
    decided.sort(key=lambda r: (r.correction.decided_at or "", r.correction.id), reverse=True)
    context = page_context(
        request, store, user, "Suggested corrections",
        pending=pending,
        total=count_corrections(store, "pending"),
        recent=decided[:RECENT],
        label=_label,
        problem=problem,
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

    def run() -> Response:
        try:
            notes: dict[str, Any] = {}
            if accept and reports is not None:
                page, notes = _closure_step(request, user, store, reports, correction_id, form)
                if page is not None:
                    return page
            decide(
                store, catalog, correction_id, accept=accept, officer=user,
                note=str(form.get("note", "")), etag=str(form.get("etag", "")), notes=notes,
            )
        except AssetmapError as exc:
            # 412 (changed meanwhile), 409 (decided already), 404, 422: say so on the queue.
            problem = {"id": correction_id, "message": exc.message}
            return _queue(request, user, store, catalog, problem=problem, status=exc.status)
        return RedirectResponse(f"/corrections?done={'accepted' if accept else 'rejected'}", 303)

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
