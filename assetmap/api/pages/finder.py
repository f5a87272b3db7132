"""Residents find hubs: ``/find`` (nearest hubs) and ``/hubs/{id}`` (one hub's details).

Server-rendered and complete without JavaScript: the form is a plain GET and
the list is the result; ``/static/js/finder.js`` only adds the map, "use my
location" and searching by clicking the map. Text comes from the message
catalogues (``assetmap/messages``), chosen by ``?lang=`` or Accept-Language.
The JSON of the same search is ``routes/finder.py``; suggesting a correction
to a hub is ``pages/corrections.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assetmap.api.activity_view import (
    audience_choices,
    day_choices,
    found_view,
    venue_activities,
)
from assetmap.api.deps import FinderDep, SettingsDep
from assetmap.api.distance_words import distance_text
from assetmap.api.public_view import (
    HubNotFound,
    common_context,
    keep_language,
    page_messages,
    translated,
)
from assetmap.errors import AssetmapError, ValidationFailed
from assetmap.extent import MapView
from assetmap.finder import FinderData, FoundActivity, Hub, Location, NearbyHub
from assetmap.finder.gazetteer import choice_labels
from assetmap.finder.whats_on import check_audience, check_day
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
        view["distance"] = distance_text(t, distance_m)
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
        # "number" is the hub's number in the page's list, drawn on its pin.
        "hubs": [
            {"id": f.hub.id, "name": f.hub.name, "lat": f.hub.lat, "lon": f.hub.lon,
             "number": number if len(found) > 1 else None,
             "distance": _hub_view(t, f.hub, f.distance_m)["distance"] if distances else None}
            for number, f in enumerate(found, start=1)
        ],
    }
    return script_json(payload)


def _corrected(t: Messages, location: Location | None) -> str:
    """What the page says when it searched for a near spelling of what was typed."""
    if location is None or not location.corrected_from:
        return ""
    return t("find.corrected", query=location.corrected_from, place=location.label)


def _choices(data: FinderData, q: str, location: Location | None) -> tuple[list[str], list[str]]:
    """Places the search could mean (the person chooses) and names nearly typed."""
    search = data.gazetteer.search(q)
    labels = choice_labels(search.matches)
    choices: list[str] = []
    suggestions: list[str] = []
    if location is None and len(labels) > 1:
        choices = labels if search.how != "fuzzy" else []
        suggestions = labels if search.how == "fuzzy" else []
    suggestions += [s for s in choice_labels(search.suggestions) if s not in suggestions]
    return choices, suggestions


def _locate(data: FinderData, q: str | None, lat: str | None, lon: str | None
            ) -> Location | None:
    if lat or lon:
        try:
            latitude, longitude = float(lat or ""), float(lon or "")
        except ValueError:
            raise ValidationFailed("Latitude and longitude must both be numbers.",
                                   key="error.point_not_numbers") from None
        return data.locate_point(latitude, longitude)
    if q and q.strip():
        return data.locate_text(q)
    return None


# Errors about a field other than the place box, by message key.
_ERROR_FIELDS = {"error.day_unknown": "day", "error.audience_unknown": "audience"}


def _hint(t: Messages, data: FinderData) -> str:
    """The search box's example: a postcode and a place this store knows (never LE1 1AA)."""
    postcode, place = data.example.postcode, data.example.place
    if postcode and place:
        return t("find.hint", postcode=postcode, place=place)
    if postcode or place:
        return t("find.hint_one", example=postcode or place)
    return ""


@dataclass
class _Search:
    """What one /find request found: a place, hubs, and activities when asked for."""

    location: Location | None = None
    found: list[NearbyHub] = field(default_factory=list)
    places_matched: bool = False
    activities: list[FoundActivity] | None = None  # None: no activity search was asked for
    error: str | None = None
    error_field: str = "q"  # the form field the error is about, which the summary links to


# reads better long: one request's steps (filters, place, activities, places) in order
def _search(t: Messages, data: FinderData, q: str | None, lat: str | None, lon: str | None,
            what: str, day: str | None, audience: str | None, chosen: str | None) -> _Search:
    result = _Search()
    try:
        day_code, audience_code = check_day(day), check_audience(audience)
        result.location = _locate(data, q, lat, lon)
        # Activities when asked for: by words (near the place or county-wide), or by day or
        # audience near a place.
        asked = what.strip() or ((day_code or audience_code) and result.location is not None)
        if asked:
            result.activities = data.find_activities(
                what, near=result.location, day=day_code, audience=audience_code,
                limit=RESULTS_ON_PAGE)
        location = result.location
        if location is not None:
            if what.strip() and not chosen:
                result.found = data.find_places(what, location, RESULTS_ON_PAGE)
                result.places_matched = bool(result.found)
            if not result.found:
                result.found = data.hubs.nearest(location.easting, location.northing,
                                                 RESULTS_ON_PAGE, [chosen] if chosen else None)
    except AssetmapError as exc:
        # Examples of a postcode name one the store knows, never one outside the area.
        known = {"example": data.example.postcode} if data.example.postcode else {}
        result.error = translated(t, exc, **known)
        result.error_field = _ERROR_FIELDS.get(exc.key or "", "q")
    return result


def _choice_links(t: Messages, data: FinderData, q: str | None, by_point: bool,
                  result: _Search) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Places to choose from and names nearly typed, each as (name, search link)."""
    location = result.location
    if not q or by_point or not (result.error or (location and location.corrected_from)):
        return [], []
    choices, suggestions = _choices(data, q, location)
    keep_lang = keep_language(t)

    def links(names: list[str]) -> list[tuple[str, str]]:
        return [(n, "/find?" + urlencode({"q": n, **keep_lang})) for n in names]

    return links(choices), links(suggestions)


@router.get("/find", response_class=HTMLResponse)
def find(
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    q: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    category: str | None = None,
    what: str | None = None,
    day: str | None = None,
    audience: str | None = None,
    lang: str | None = None,
) -> HTMLResponse:
    # A page never answers with a validation error: overlong input is cut, then explained.
    q, lat, lon, what = (value[:200] if value else value for value in (q, lat, lon, what))
    t = page_messages(request, lang)
    data = finder.data()
    categories = [c for c in finder.hub_categories if c in data.hubs.categories]
    chosen = category if category in categories else None
    result = _search(t, data, q, lat, lon, what or "", day, audience, chosen)
    location = result.location
    choices, suggestions = _choice_links(t, data, q, bool(lat or lon), result)
    place = ""
    if location is not None:
        place = (t("find.point_label", place=location.label) if location.kind == "point"
                 else location.label)
    common = common_context(request, t, data, settings)
    html = render_fragment(
        "find.html",
        **common,
        q=q or "",
        what=what or "",
        day=day if day in dict(day_choices(t)) else "",
        audience=audience if audience in dict(audience_choices(t)) else "",
        days=day_choices(t),
        audiences=audience_choices(t),
        error=result.error,
        error_field=result.error_field,
        hint=_hint(t, data),
        choices=choices,
        suggestions=suggestions,
        did_you_mean_one=t("find.did_you_mean_one", place="\x00").split("\x00", 1),
        corrected=_corrected(t, location),
        place=place,
        results=[_hub_view(t, f.hub, f.distance_m) for f in result.found],
        places_matched=result.places_matched,
        places_note=(t("find.places_none", place=place)
                     if what and what.strip() and location and not result.places_matched
                     and not chosen else ""),
        activities=None if result.activities is None else [
            found_view(t, data, f, common["lang_query"]) for f in result.activities],
        categories=[(c, data.hubs.category_labels.get(c, c)) for c in categories],
        chosen=chosen,
        map_data=_map_data(location, result.found, t, data.home),
    )
    # A search the page cannot answer is a form error: 422, so it is no success to a crawler
    # or an accessibility checker either.
    return HTMLResponse(html, status_code=422 if result.error else 200)


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
        whats_on=venue_activities(t, data, hub.id, common["lang_query"]),
        correction_url=f"/hubs/{quote(hub.id, safe='')}/correction",
        map_data=_map_data(None, [NearbyHub(hub, 0.0)], t, data.home, distances=False),
    )
    return HTMLResponse(html)
