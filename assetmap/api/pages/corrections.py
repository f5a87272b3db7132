"""Suggested corrections as pages: residents suggest one (``/hubs/{id}/correction``), officers
review, accept or reject them in a queue (``/corrections``), all without JavaScript.

Residents' form: prefilled with the asset's current values (``api/correction_form.py``),
posted with a size limit and a per-client hourly limit, answered with a thank-you
page (post/redirect/get). Officers' queue: each suggestion beside the asset's
current values, its form carrying the asset's ETag as shown, so accepting after
someone changed the asset is refused (412) and the page shows the new values,
the suggestion still pending. The JSON of both is ``routes/corrections.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.analysis import ReportService
from assetmap.api.auth import client_key_for
from assetmap.api.correction_form import (
    FORM_BODY_LIMIT,
    Submission,
    accessibility_view,
    field_views,
    problem_views,
    read_submission,
)
from assetmap.api.correction_queue_view import (
    district_choices,
    edits_from_form,
    queue_context,
    read_query,
)
from assetmap.api.deps import CatalogDep, FinderDep, ReportsDep, SettingsDep, StoreDep
from assetmap.api.impact_view import (
    CONFIRMED,
    IMPACT_STATUSES,
    closure_impact_for,
    confirmation_page,
    impact_note,
)
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.api.public_view import (
    HubNotFound,
    common_context,
    keep_language,
    page_messages,
    translated,
)
from assetmap.api.request_body import read_form
from assetmap.config import Settings
from assetmap.errors import (
    AssetmapError,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    ValidationFailed,
)
from assetmap.finder import FinderData
from assetmap.layers import LayerCatalog
from assetmap.maps.page import render_fragment
from assetmap.messages import Messages
from assetmap.register.corrections import (
    decide,
    get_correction,
    resident_asset,
    submit_correction,
)
from assetmap.register.users import User
from assetmap.store.base import Feature, Store

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


# -- the residents' form --------------------------------------------------------------------
@dataclass(frozen=True)
class _Target:
    """The asset a resident is correcting, and what its pages need."""

    t: Messages
    data: FinderData
    common: dict[str, Any]
    feature: Feature

    @property
    def name(self) -> str:
        return str(self.feature.properties.get("name") or self.feature.id)

    @property
    def query(self) -> str:
        return f"?{self.common['lang_query']}" if self.common["lang_query"] else ""


def correction_target(
    hub_id: str, request: Request, finder: FinderDep, settings: SettingsDep, store: StoreDep,
    catalog: CatalogDep, lang: str | None = None,
) -> _Target:
    """Any asset residents can see (hubs, cafés…); else the friendly "not found" page."""
    t = page_messages(request, lang)
    data = finder.data()
    common = common_context(request, t, data, settings)
    try:
        feature = resident_asset(store, catalog[ASSET_LAYER], hub_id)
    except NotFound:
        raise HubNotFound(common) from None
    return _Target(t, data, common, feature)


TargetDep = Annotated[_Target, Depends(correction_target)]


def _correction_page(
    target: _Target,
    settings: Settings,
    *,
    submission: Submission | None = None,
    problems: list[dict[str, str]] | None = None,
    general_error: str = "",
    status: int = 200,
) -> HTMLResponse:
    t, feature = target.t, target.feature
    page = f"/hubs/{quote(feature.id, safe='')}"
    back = ((page + target.query, t("correction.back_to_hub", name=target.name))
            if target.data.hubs.get(feature.id) is not None
            else ("/find" + target.query, t("hub.back")))
    subject = t("correction.subject", name=target.name, id=feature.id)
    problems = problems or []
    html = render_fragment(
        "hub_correction.html",
        **target.common,
        asset_name=target.name,
        back=back,
        action=f"{page}/correction{target.query}",
        fields=field_views(t, feature, submission, problems),
        accessibility=accessibility_view(t, feature, submission, problems),
        closed=submission.closed if submission is not None else False,
        message=submission.message if submission is not None else "",
        contact=submission.contact if submission is not None else "",
        problems=problems,
        field_problems={p["field"]: p["text"] for p in problems},
        general_error=general_error,
        email=settings.corrections_email,
        mailto=f"mailto:{settings.corrections_email}?"
        + urlencode({"subject": subject}, quote_via=quote),
    )
    return HTMLResponse(html, status_code=status)


@router.get("/hubs/{hub_id}/correction", response_class=HTMLResponse)
def hub_correction(target: TargetDep, settings: SettingsDep) -> HTMLResponse:
    return _correction_page(target, settings)


def _receive_correction(
    request: Request, target: _Target, settings: Settings, store: Store, catalog: LayerCatalog,
    form: dict[str, list[str]] | None,
) -> Response:
    t, feature = target.t, target.feature
    if form is None:
        return _correction_page(target, settings, general_error=t("correction.too_large"),
                                status=413)
    submission = read_submission(form, feature)
    try:
        correction = submit_correction(
            store, catalog[ASSET_LAYER], feature.id, submission.changes, submission.message,
            submission.contact, client_key_for(request, store),
            per_hour=settings.corrections_per_hour,
        )
    except ValidationFailed as exc:
        return _correction_page(target, settings, submission=submission,
                                problems=problem_views(t, exc.details, feature), status=422)
    except TooManyRequests as exc:
        response = _correction_page(target, settings, submission=submission,
                                    general_error=translated(t, exc), status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotFound:  # closed or removed while the resident was typing
        raise HubNotFound(target.common) from None
    # Post/redirect/get: reloading the thank-you page does not send the suggestion again.
    query = urlencode({"ref": correction.id, **keep_language(t)})
    return RedirectResponse(f"/hubs/{quote(feature.id, safe='')}/correction/sent?{query}", 303)


@router.post("/hubs/{hub_id}/correction", response_class=HTMLResponse)
async def send_hub_correction(
    request: Request, target: TargetDep, settings: SettingsDep, store: StoreDep,
    catalog: CatalogDep,
) -> Response:
    try:
        form: dict[str, list[str]] | None = await read_form(request, FORM_BODY_LIMIT)
    except PayloadTooLarge:
        form = None
    return await run_in_threadpool(
        _receive_correction, request, target, settings, store, catalog, form
    )


@router.get("/hubs/{hub_id}/correction/sent", response_class=HTMLResponse)
def hub_correction_sent(target: TargetDep, ref: str = "") -> HTMLResponse:
    is_hub = target.data.hubs.get(target.feature.id) is not None
    html = render_fragment(
        "hub_correction_sent.html",
        **target.common,
        asset_name=target.name,
        reference=ref if ref.isdigit() and len(ref) < 12 else "",
        back=(f"/hubs/{quote(target.feature.id, safe='')}{target.query}" if is_hub else "",
              target.t("correction.back_to_hub", name=target.name)),
        find_url="/find" + target.query,
    )
    return HTMLResponse(html)
