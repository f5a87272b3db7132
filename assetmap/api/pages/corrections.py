"""The officers' queue of suggested corrections: review, accept or reject, without JavaScript.

Each suggestion is shown beside the asset's current values, and its form
carries the asset's ETag as shown: accepting after someone changed the asset
is refused (412) and the page shows the new values, the suggestion still
pending.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.errors import AssetmapError
from assetmap.layers import LayerCatalog
from assetmap.register.corrections import count_corrections, decide, list_corrections
from assetmap.register.users import User
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

QUEUE_PAGE = 50
RECENT = 20


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
        request, user, "Suggested corrections",
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


async def _decide(
    request: Request, user: User, correction_id: int, accept: bool, store: Store,
    catalog: LayerCatalog,
) -> Response:
    form = await request.form()

    def run() -> Response:
        try:
            decide(
                store, catalog, correction_id, accept=accept, officer=user,
                note=str(form.get("note", "")), etag=str(form.get("etag", "")),
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
    catalog: CatalogDep,
) -> Response:
    return await _decide(request, user, correction_id, True, store, catalog)


@router.post("/corrections/{correction_id}/reject")
async def reject_page(
    request: Request, user: OfficerPageDep, correction_id: int, store: StoreDep,
    catalog: CatalogDep,
) -> Response:
    return await _decide(request, user, correction_id, False, store, catalog)
