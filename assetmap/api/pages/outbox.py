"""The officers' outbox (``/outbox``): mail waiting, sent and failed, and retrying a failure.

Mail is queued by the register (:mod:`assetmap.register.outbox`) and sent by the app's
sender thread or ``assetmap outbox send``; this page shows where each message is.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import SettingsDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.errors import NotFound
from assetmap.register.mail_sending import retry
from assetmap.register.outbox import STATUSES, count_outbox, list_outbox

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

OUTBOX_PAGE = 50
STATUS_LABELS = {"waiting": "Waiting", "sent": "Sent", "failed": "Failed"}
KIND_LABELS = {"decision": "Decision to a resident", "digest": "Daily digest",
               "still_right": "Still right? (steward)", "other": "Other"}
FLASHES = {"retried": "The message is back in the queue and goes with the next round."}


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(
    request: Request, user: OfficerPageDep, store: StoreDep, settings: SettingsDep,
    status: str = "waiting", offset: int = 0,
) -> Response:
    status = status if status in STATUSES else "waiting"
    offset = max(offset, 0)
    counts = {name: count_outbox(store, name) for name in STATUSES}
    entries = list_outbox(store, status, limit=OUTBOX_PAGE, offset=offset)
    total = counts[status]

    def page_url(start: int) -> str:
        return "/outbox?" + urlencode({"status": status, "offset": start})

    context = page_context(
        request, store, user, "Outbox", entries=entries, status=status, counts=counts,
        total=total, offset=offset, labels=STATUS_LABELS, kinds=KIND_LABELS,
        sending=bool(settings.smtp_host),
        previous=page_url(max(offset - OUTBOX_PAGE, 0)) if offset else None,
        following=page_url(offset + OUTBOX_PAGE) if offset + OUTBOX_PAGE < total else None,
    )
    context["flash"] = FLASHES.get(request.query_params.get("done", ""), context["flash"])
    return render_page("outbox.html", context)


@router.post("/outbox/{message_id}/retry")
async def retry_message(user: OfficerPageDep, message_id: int, store: StoreDep) -> Response:
    if not await run_in_threadpool(retry, store, message_id):
        raise NotFound(f"No failed message #{message_id} in the outbox (it may have been retried "
                       "already): open the outbox again.")
    return RedirectResponse("/outbox?status=waiting&done=retried", 303)
