"""Residents find hubs: ``/find`` (nearest hubs) and ``/hubs/{id}`` (one hub's details).

Server-rendered and complete without JavaScript: the form is a plain GET and
the list is the result; ``/static/js/finder.js`` only adds the map, "use my
location" and searching by clicking the map. Text comes from the message
catalogues (``assetmap/messages``), chosen by ``?lang=`` or Accept-Language.
The JSON of the same search is ``routes/finder.py``; suggesting a correction
to a hub is ``pages/corrections.py``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assetmap.api.deps import FinderDep, SettingsDep
from assetmap.api.public_view import (
    HubNotFound,
    common_context,
    keep_language,
    page_messages,
    translated,
)
from assetmap.errors import AssetmapError, ValidationFailed
from assetmap.extent import MapView
from assetmap.finder import Hub, Location, NearbyHub, distance_parts
from assetmap.maps.page import render_fragment, script_json
from assetmap.messages import Messages

__all__ = ["router"]

router = APIRouter(tags=["public pages"], include_in_schema=False)

RESULTS_ON_PAGE = 10


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
    t = page_messages(request, lang)
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
        error = translated(t, exc)
        if q:
            matches = data.gazetteer.find_places(q)
            suggestions = [p.name for p in matches] if len(matches) > 1 else []
    place = ""
    if location is not None:
        place = (t("find.point_label", place=location.label) if location.kind == "point"
                 else location.label)
    categories_shown = [(c, data.hubs.category_labels.get(c, c)) for c in categories]
    keep_lang = keep_language(t)
    html = render_fragment(
        "find.html",
        **common_context(request, t, data, settings),
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


@router.get("/hubs/{hub_id}", response_class=HTMLResponse)
def hub_page(
    hub_id: str,
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    lang: str | None = None,
) -> HTMLResponse:
    t = page_messages(request, lang)
    data = finder.data()
    common = common_context(request, t, data, settings)
    hub = data.hubs.get(hub_id)
    if hub is None:
        raise HubNotFound(common)
    html = render_fragment(
        "hub.html",
        **common,
        view=_hub_view(t, hub),
        correction_url=f"/hubs/{quote(hub.id, safe='')}/correction",
        map_data=_map_data(None, [NearbyHub(hub, 0.0)], t, data.home, distances=False),
    )
    return HTMLResponse(html)
