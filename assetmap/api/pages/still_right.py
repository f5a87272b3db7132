"""A steward's one-click "still right" link (``/still-right/{token}``), from their yearly mail.

Opening the link shows the record and one button; pressing it marks the record checked
today, audited under the steward. Opening alone changes nothing, so a mail system that
follows links to scan them cannot spend the link. An expired, used or unknown link gets a
page saying so, and nothing changes.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import page_context, render_page
from assetmap.layers import LayerCatalog
from assetmap.register.steward_asks import DETAIL_LABELS, still_stewards
from assetmap.register.still_right import LinkCheck, check_link, confirm_link
from assetmap.store import Store

__all__ = ["router"]

router = APIRouter(tags=["steward pages"], include_in_schema=False)

# What each unusable link is answered with: status, title, and what to do instead.
PROBLEMS = {
    "unknown": (404, "This link does not work",
                "The link is not one we sent, or it was copied only in part. Copy the whole "
                "link from the email, or sign in and check the record."),
    "expired": (410, "This link has expired",
                "Links in our \"is this still right?\" emails work for a limited time. Sign in "
                "and check the record, or wait for next year's email."),
    "used": (410, "This link has already been used",
             "Each link works once. The record was marked as still right when it was used: "
             "there is nothing more to do."),
    "gone": (410, "You can no longer confirm this record",
             "The record has been removed, or you no longer look after it. Contact the "
             "council's communities team if that is wrong."),
}


def _problem_page(request: Request, store: Store, check: LinkCheck) -> Response:
    status, title, advice = PROBLEMS[check.state]
    context = page_context(request, store, None, title, advice=advice,
                           used_at=check.used_at if check.state == "used" else None)
    return render_page("still_right_problem.html", context, status=status)


def _details(catalog: LayerCatalog, check: LinkCheck) -> list[tuple[str, str]]:
    layer = catalog[str(check.layer)]
    assert check.feature is not None
    values = check.feature.properties
    shown = [("Name", str(values.get("name") or check.feature.id))]
    if "category" in values:
        shown.append(("What it is", layer.label("category", str(values["category"]))))
    for name, label in DETAIL_LABELS.items():
        value = values.get(name)
        shown.append((label, str(value).replace(";", ", ").replace("_", " ")
                      if value not in (None, "") else "not given"))
    return shown


@router.get("/still-right/{token}", response_class=HTMLResponse)
def still_right_page(
    request: Request, token: str, store: StoreDep, catalog: CatalogDep
) -> Response:
    check = check_link(store, catalog, token, still_stewards(store, catalog))
    if check.state != "valid":
        return _problem_page(request, store, check)
    assert check.feature is not None
    context = page_context(request, store, None, "Are these details still right?",
                           steward=check.steward, details=_details(catalog, check),
                           feature_id=check.feature.id, token=token)
    return render_page("still_right.html", context)


@router.post("/still-right/{token}", response_class=HTMLResponse)
async def confirm_still_right(
    request: Request, token: str, store: StoreDep, catalog: CatalogDep
) -> Response:
    stewards = still_stewards(store, catalog)
    check = await run_in_threadpool(confirm_link, store, catalog, token, stewards)
    if check.state != "valid":
        return _problem_page(request, store, check)
    assert check.feature is not None
    name = str(check.feature.properties.get("name") or check.feature.id)
    context = page_context(request, store, None, "Thank you: marked as still right",
                           name=name, verified=check.feature.properties.get("last_verified"))
    return render_page("still_right_done.html", context)
