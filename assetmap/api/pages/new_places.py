""""Tell us about a place we don't have" as pages, without JavaScript: the form
(``/find/new-place``), "Is it one of these?" when the register has places alike, and the
thank-you page (post/redirect/get). A map to click is added by ``new-place.js`` where
scripts run; the postcode works without it. The JSON of the same is ``routes/new_places.py``.

Errors follow the GOV.UK pattern: status 422, "Error:" in the title, a summary at the top
linking to each field, and the message again at the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.auth import client_key_for
from assetmap.api.deps import CatalogDep, FinderDep, SettingsDep, StoreDep
from assetmap.api.new_place_form import (
    FORM_BODY_LIMIT,
    NewPlaceForm,
    category_options,
    problem_views,
    read_form_values,
)
from assetmap.api.public_view import common_context, keep_language, page_messages, translated
from assetmap.api.request_body import read_form
from assetmap.config import Settings
from assetmap.errors import PayloadTooLarge, TooManyRequests, ValidationFailed
from assetmap.finder import FinderData
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.maps.page import render_fragment
from assetmap.messages import Messages
from assetmap.register.new_places import check_new_place, queue_new_place
from assetmap.register.place_duplicates import PossibleDuplicate, possible_duplicates
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["corrections"], include_in_schema=False)

PAGE = "/find/new-place"
ASSET_LAYER = "assets"


@dataclass(frozen=True)
class _Page:
    """What every step of the form needs."""

    t: Messages
    data: FinderData
    common: dict[str, Any]
    layer: LayerSpec
    settings: Settings
    example_postcode: str

    @property
    def query(self) -> str:
        return f"?{self.common['lang_query']}" if self.common["lang_query"] else ""


def _example_postcode(store: Store, catalog: LayerCatalog) -> str:
    """A postcode the hint can give that this service knows (its own area's first)."""
    layer = catalog.get("postcodes")
    if layer is None or not store.has_layer(layer):
        return ""
    first = store.read(layer, fields=[layer.id_field], limit=1)
    return str(first[layer.id_field].iloc[0]) if len(first) else ""


def new_place_page(
    request: Request, finder: FinderDep, settings: SettingsDep, store: StoreDep,
    catalog: CatalogDep, lang: str | None = None,
) -> _Page:
    t = page_messages(request, lang)
    data = finder.data()
    return _Page(t, data, common_context(request, t, data, settings), catalog[ASSET_LAYER],
                 settings, _example_postcode(store, catalog))


PageDep = Annotated[_Page, Depends(new_place_page)]


def _form_page(
    page: _Page, values: NewPlaceForm, *, problems: list[dict[str, str]] | None = None,
    general_error: str = "", status: int = 200,
) -> HTMLResponse:
    t = page.t
    problems = problems or []
    html = render_fragment(
        "new_place.html",
        **page.common,
        action=PAGE + page.query,
        values=values,
        categories=category_options(page.layer, values.category),
        postcode_hint=(t("new_place.postcode_hint", example=page.example_postcode)
                       if page.example_postcode else t("new_place.postcode_hint_plain")),
        retention=t("new_place.retention", days=f"{page.settings.contact_retention_days:,}"),
        home=page.data.home.as_json(),
        problems=problems,
        field_problems={p["field"]: p["text"] for p in problems},
        general_error=general_error,
        back=("/find" + page.query, t("hub.back")),
    )
    return HTMLResponse(html, status_code=status)


@router.get(PAGE, response_class=HTMLResponse)
def new_place_form(page: PageDep, name: str = "") -> HTMLResponse:
    """The empty form; ``name`` prefills the name (e.g. from a search that found nothing)."""
    return _form_page(page, NewPlaceForm(name=name[:200]))


def _duplicates_page(page: _Page, values: NewPlaceForm,
                     matches: list[PossibleDuplicate]) -> HTMLResponse:
    t, lang = page.t, page.common["lang_query"]
    html = render_fragment(
        "new_place_check.html",
        **page.common,
        matches=[{
            "name": m.name,
            "href": f"/hubs/{m.id}/correction" + (f"?{lang}" if lang else ""),
            "where": (t("new_place.duplicate_postcode") if m.same_postcode
                      else t("new_place.duplicate_where", distance=f"{m.distance_m:,.0f}")
                      if m.distance_m is not None else ""),
            "address": m.feature.properties.get("address") or "",
            "postcode": m.feature.properties.get("postcode") or "",
        } for m in matches],
        action=PAGE + page.query,
        hidden=values.hidden(),
        values=values,
    )
    return HTMLResponse(html)


def _receive(request: Request, page: _Page, store: Store, catalog: LayerCatalog,
             form: dict[str, list[str]] | None) -> Response:
    t = page.t
    if form is None:
        return _form_page(page, NewPlaceForm(), general_error=t("correction.too_large"),
                          status=413)
    values = read_form_values(form)
    if values.different == "back":  # from "Is it one of these?": change the answers
        return _form_page(page, values)
    try:
        checked = check_new_place(store, catalog, page.layer, values.place())
        if values.different != "yes":
            matches = possible_duplicates(store, page.layer, str(checked.properties["name"]),
                                          checked.point, checked.properties.get("postcode"))
            if matches:
                return _duplicates_page(page, values, matches)
        queued = queue_new_place(store, page.layer, checked, client_key_for(request, store),
                                 per_hour=page.settings.corrections_per_hour)
    except ValidationFailed as exc:
        return _form_page(page, values, problems=problem_views(t, exc.details, page.layer),
                          status=422)
    except TooManyRequests as exc:
        response = _form_page(page, values, general_error=translated(t, exc), status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    # Post/redirect/get: reloading the thank-you page does not send the suggestion again.
    query = urlencode({"ref": queued.id, **keep_language(t)})
    return RedirectResponse(f"{PAGE}/sent?{query}", 303)


@router.post(PAGE, response_class=HTMLResponse)
async def send_new_place(
    request: Request, page: PageDep, store: StoreDep, catalog: CatalogDep
) -> Response:
    try:
        form: dict[str, list[str]] | None = await read_form(request, FORM_BODY_LIMIT)
    except PayloadTooLarge:
        form = None
    return await run_in_threadpool(_receive, request, page, store, catalog, form)


@router.get(PAGE + "/sent", response_class=HTMLResponse)
def new_place_sent(page: PageDep, ref: str = "") -> HTMLResponse:
    reference = ref if ref.isdigit() and len(ref) < 12 else ""
    html = render_fragment(
        "new_place_sent.html",
        **page.common,
        reference=reference,
        find_url="/find" + page.query,
    )
    return HTMLResponse(html)
