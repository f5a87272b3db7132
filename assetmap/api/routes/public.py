"""Public pages for residents: ``/find`` (nearest hubs), ``/hubs/{id}`` and its correction form.

Server-rendered and complete without JavaScript: the form is a plain GET and
the list is the result; ``/static/js/finder.js`` only adds the map, "use my
location" and searching by clicking the map. Text comes from the message
catalogues (``assetmap/messages``), chosen by ``?lang=`` or Accept-Language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.correction_form import (
    FORM_BODY_LIMIT,
    Submission,
    accessibility_view,
    field_views,
    problem_views,
    read_submission,
)
from assetmap.api.deps import CatalogDep, FinderDep, SettingsDep, StoreDep
from assetmap.api.request_body import read_form
from assetmap.api.routes.corrections import client_key_for
from assetmap.errors import (
    AssetmapError,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    ValidationFailed,
)
from assetmap.extent import MapView
from assetmap.finder import FinderData, Hub, Location, NearbyHub, distance_parts
from assetmap.layers import LayerCatalog
from assetmap.maps.page import render_fragment, script_json
from assetmap.messages import DEFAULT_LANGUAGE, Messages, choose_language, messages
from assetmap.notices import attribution_lines
from assetmap.register.corrections import resident_asset, submit_correction
from assetmap.store.base import Feature, Store

__all__ = ["router"]

router = APIRouter(tags=["public pages"], include_in_schema=False)

RESULTS_ON_PAGE = 10
ASSET_LAYER = "assets"


def _messages(request: Request, lang: str | None) -> Messages:
    return messages(choose_language(lang, request.headers.get("accept-language")))


def _common(request: Request, t: Messages, data: FinderData, settings: Any) -> dict[str, Any]:
    lang_query = "" if t.code == DEFAULT_LANGUAGE else f"lang={t.code}"
    other = "en" if t.code == "en-easy" else "en-easy"
    switch = request.url.include_query_params(lang=other)
    return {
        "t": t,
        "lang_query": lang_query,
        "other_lang": other,
        "switch_url": f"{switch.path}?{switch.query}",
        "synthetic": data.synthetic,
        "notice": data.metadata.get("notice", ""),
        "attribution_lines": attribution_lines(data.metadata),
        "parishes_loaded": data.parishes_loaded,
        "basemap_url": settings.basemap_url or "",
        "basemap_attribution": settings.basemap_attribution,
    }


def _facility(t: Messages, code: str) -> str:
    return t.get(f"facility.{code}", code.replace("_", " ").capitalize())


def _hub_view(t: Messages, hub: Hub, distance_m: float | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "hub": hub,
        "facilities": [_facility(t, a) for a in hub.accessibility],
        "distance": None,
    }
    if distance_m is not None:
        km, miles = distance_parts(distance_m)
        view["distance"] = t("hub.distance", km=km, miles=miles)
    return view


def _map_data(
    location: Location | None, found: list[NearbyHub], t: Messages, home: MapView, *,
    distances: bool = True,
) -> str:
    """Results for the map script, safe inside a <script type="application/json">.

    ``home`` is where the map opens when there is nothing to show: the data's extent.
    """
    payload = {
        "home": home.as_json(),
        "centre": None if location is None else {"lat": location.lat, "lon": location.lon,
                                                 "label": location.label},
        "hubs": [
            {"id": f.hub.id, "name": f.hub.name, "lat": f.hub.lat, "lon": f.hub.lon,
             "distance": _hub_view(t, f.hub, f.distance_m)["distance"] if distances else None}
            for f in found
        ],
    }
    return script_json(payload)


def _translated(t: Messages, exc: AssetmapError) -> str:
    """The error in the page's language when the catalogue has it, else its own message."""
    if exc.key is None:
        return exc.message
    template = t.get(exc.key, "")
    try:
        return template.format(**exc.values) if template else exc.message
    except (KeyError, IndexError, ValueError):
        return exc.message


@router.get("/find", response_class=HTMLResponse)
def find(
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    q: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    category: str | None = None,
    lang: str | None = None,
) -> HTMLResponse:
    # A page never answers with a validation error: overlong input is cut, then explained.
    q, lat, lon = (value[:200] if value else value for value in (q, lat, lon))
    t = _messages(request, lang)
    data = finder.data()
    categories = [c for c in finder.hub_categories if c in data.hubs.categories]
    location: Location | None = None
    found: list[NearbyHub] = []
    error: str | None = None
    suggestions: list[str] = []
    chosen = category if category in categories else None
    try:
        if lat or lon:
            try:
                latitude, longitude = float(lat or ""), float(lon or "")
            except ValueError:
                raise ValidationFailed("Latitude and longitude must both be numbers.",
                                       key="error.point_not_numbers") from None
            location = data.locate_point(latitude, longitude)
        elif q and q.strip():
            location = data.locate_text(q)
        if location is not None:
            found = data.hubs.nearest(location.easting, location.northing, RESULTS_ON_PAGE,
                                      [chosen] if chosen else None)
    except AssetmapError as exc:
        error = _translated(t, exc)
        if q:
            matches = data.gazetteer.find_places(q)
            suggestions = [p.name for p in matches] if len(matches) > 1 else []
    place = ""
    if location is not None:
        place = (t("find.point_label", place=location.label) if location.kind == "point"
                 else location.label)
    categories_shown = [(c, data.hubs.category_labels.get(c, c)) for c in categories]
    keep_lang = {"lang": t.code} if t.code != DEFAULT_LANGUAGE else {}
    html = render_fragment(
        "find.html",
        **_common(request, t, data, settings),
        q=q or "",
        error=error,
        suggestions=[(s, "/find?" + urlencode({"q": s, **keep_lang})) for s in suggestions],
        place=place,
        results=[_hub_view(t, f.hub, f.distance_m) for f in found],
        categories=categories_shown,
        chosen=chosen,
        map_data=_map_data(location, found, t, data.home),
    )
    return HTMLResponse(html)


def _missing(request: Request, t: Messages, data: FinderData, settings: Any) -> HTMLResponse:
    html = render_fragment("hub_missing.html", **_common(request, t, data, settings))
    return HTMLResponse(html, status_code=404)


def _hub_or_page(
    request: Request, finder: FinderDep, settings: Any, hub_id: str, lang: str | None
) -> tuple[Messages, FinderData, Hub | HTMLResponse]:
    """The hub asked for, or the friendly "no such hub" page to return instead."""
    t = _messages(request, lang)
    data = finder.data()
    hub = data.hubs.get(hub_id)
    return t, data, hub if hub is not None else _missing(request, t, data, settings)


@router.get("/hubs/{hub_id}", response_class=HTMLResponse)
def hub_page(
    hub_id: str,
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    lang: str | None = None,
) -> HTMLResponse:
    t, data, hub = _hub_or_page(request, finder, settings, hub_id, lang)
    if isinstance(hub, HTMLResponse):
        return hub
    html = render_fragment(
        "hub.html",
        **_common(request, t, data, settings),
        view=_hub_view(t, hub),
        correction_url=f"/hubs/{quote(hub.id, safe='')}/correction",
        map_data=_map_data(None, [NearbyHub(hub, 0.0)], t, data.home, distances=False),
    )
    return HTMLResponse(html)


# -- suggesting a correction ----------------------------------------------------------------
def _correction_target(
    request: Request, finder: FinderDep, settings: Any, store: Store, catalog: LayerCatalog,
    asset_id: str, lang: str | None,
) -> tuple[Messages, FinderData, Feature | HTMLResponse]:
    """Any asset residents can see (hubs, cafés…), or the friendly "not found" page."""
    t = _messages(request, lang)
    data = finder.data()
    try:
        feature = resident_asset(store, catalog[ASSET_LAYER], asset_id)
    except NotFound:
        return t, data, _missing(request, t, data, settings)
    return t, data, feature


def _correction_page(
    request: Request,
    t: Messages,
    data: FinderData,
    settings: Any,
    feature: Feature,
    *,
    submission: Submission | None = None,
    problems: list[dict[str, str]] | None = None,
    general_error: str = "",
    status: int = 200,
) -> HTMLResponse:
    common = _common(request, t, data, settings)
    query = f"?{common['lang_query']}" if common["lang_query"] else ""
    name = str(feature.properties.get("name") or feature.id)
    page = f"/hubs/{quote(feature.id, safe='')}"
    back = ((page + query, t("correction.back_to_hub", name=name))
            if data.hubs.get(feature.id) is not None else ("/find" + query, t("hub.back")))
    subject = t("correction.subject", name=name, id=feature.id)
    problems = problems or []
    html = render_fragment(
        "hub_correction.html",
        **common,
        asset_name=name,
        back=back,
        action=f"{page}/correction{query}",
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
def hub_correction(
    hub_id: str,
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    store: StoreDep,
    catalog: CatalogDep,
    lang: str | None = None,
) -> HTMLResponse:
    t, data, feature = _correction_target(request, finder, settings, store, catalog, hub_id, lang)
    if isinstance(feature, HTMLResponse):
        return feature
    return _correction_page(request, t, data, settings, feature)


def _receive_correction(
    request: Request, finder: FinderDep, settings: Any, store: Store, catalog: LayerCatalog,
    hub_id: str, lang: str | None, form: dict[str, list[str]] | None,
) -> Response:
    t, data, feature = _correction_target(request, finder, settings, store, catalog, hub_id, lang)
    if isinstance(feature, HTMLResponse):
        return feature
    if form is None:
        return _correction_page(request, t, data, settings, feature,
                                general_error=t("correction.too_large"), status=413)
    submission = read_submission(form, feature)
    try:
        correction = submit_correction(
            store, catalog[ASSET_LAYER], feature.id, submission.changes, submission.message,
            submission.contact, client_key_for(request, store),
            per_hour=settings.corrections_per_hour,
        )
    except ValidationFailed as exc:
        return _correction_page(request, t, data, settings, feature, submission=submission,
                                problems=problem_views(t, exc.details, feature), status=422)
    except TooManyRequests as exc:
        response = _correction_page(request, t, data, settings, feature, submission=submission,
                                    general_error=_translated(t, exc), status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotFound:  # closed or removed while the resident was typing
        return _missing(request, t, data, settings)
    # Post/redirect/get: reloading the thank-you page does not send the suggestion again.
    query = urlencode({"ref": correction.id, **({"lang": t.code} if t.code != DEFAULT_LANGUAGE
                                                else {})})
    return RedirectResponse(f"/hubs/{quote(feature.id, safe='')}/correction/sent?{query}", 303)


@router.post("/hubs/{hub_id}/correction", response_class=HTMLResponse)
async def send_hub_correction(
    hub_id: str,
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    store: StoreDep,
    catalog: CatalogDep,
    lang: str | None = None,
) -> Response:
    try:
        form: dict[str, list[str]] | None = await read_form(request, FORM_BODY_LIMIT)
    except PayloadTooLarge:
        form = None
    return await run_in_threadpool(
        _receive_correction, request, finder, settings, store, catalog, hub_id, lang, form
    )


@router.get("/hubs/{hub_id}/correction/sent", response_class=HTMLResponse)
def hub_correction_sent(
    hub_id: str,
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    store: StoreDep,
    catalog: CatalogDep,
    ref: str = "",
    lang: str | None = None,
) -> HTMLResponse:
    t, data, feature = _correction_target(request, finder, settings, store, catalog, hub_id, lang)
    if isinstance(feature, HTMLResponse):
        return feature
    common = _common(request, t, data, settings)
    query = f"?{common['lang_query']}" if common["lang_query"] else ""
    name = str(feature.properties.get("name") or feature.id)
    is_hub = data.hubs.get(feature.id) is not None
    html = render_fragment(
        "hub_correction_sent.html",
        **common,
        asset_name=name,
        reference=ref if ref.isdigit() and len(ref) < 12 else "",
        back=(f"/hubs/{quote(feature.id, safe='')}{query}" if is_hub else "",
              t("correction.back_to_hub", name=name)),
        find_url="/find" + query,
    )
    return HTMLResponse(html)
