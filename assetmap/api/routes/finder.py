"""The finder's JSON: nearest hubs as GeoJSON (``/api/hubs/nearest?lat=&lon=`` or ``?postcode=``
or ``?place=``) and activities (``/api/activities/search?what=&postcode=&day=&audience=``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from assetmap.api.activity_view import activity_json
from assetmap.api.deps import FinderDep
from assetmap.crs import GB_BOUNDS
from assetmap.errors import ValidationFailed
from assetmap.finder import MAX_RESULTS, FinderData, Location, NearbyHub
from assetmap.finder.whats_on import DAY_CHOICES, check_audience, check_day

__all__ = ["hub_feature", "locate", "router", "split_categories"]

router = APIRouter(tags=["finder"])


def split_categories(values: list[str] | None) -> list[str]:
    """``category=a,b`` and ``category=a&category=b`` alike."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def locate(
    data: FinderData,
    *,
    lat: float | None,
    lon: float | None,
    postcode: str | None,
    place: str | None,
) -> Location:
    """Exactly one of: lat and lon together, a postcode, a place name."""
    given = [name for name, value in
             (("lat/lon", lat if lat is not None else lon), ("postcode", postcode),
              ("place", place)) if value is not None]
    if len(given) != 1:
        raise ValidationFailed(
            "Give exactly one of: lat and lon, postcode, or place "
            f"({'none given' if not given else ', '.join(given) + ' given'}).",
            details=[{"field": "query", "problem": "give one of lat+lon, postcode, place"}],
        )
    if given[0] == "lat/lon":
        if lat is None or lon is None:
            raise ValidationFailed("Give both lat and lon (WGS84 degrees).",
                                   details=[{"field": "lat,lon", "problem": "both required"}])
        return data.locate_point(lat, lon)
    if postcode is not None:
        return data.locate_postcode(postcode)
    assert place is not None
    return data.locate_place(place)


def hub_feature(found: NearbyHub) -> dict[str, Any]:
    hub = found.hub
    return {
        "type": "Feature",
        "id": hub.id,
        "geometry": {"type": "Point", "coordinates": [round(hub.lon, 6), round(hub.lat, 6)]},
        "properties": {
            "id": hub.id,
            "name": hub.name,
            "category": hub.category,
            "category_label": hub.category_label,
            "status": hub.status,
            "address": hub.address,
            "postcode": hub.postcode,
            "opening_times": hub.opening_times,
            "accessibility": list(hub.accessibility),
            "email": hub.email,
            "website": hub.safe_website,
            "phone": hub.phone,
            "last_verified": hub.last_verified,
            "distance_m": round(found.distance_m, 1),
            "page": f"/hubs/{hub.id}",
        },
    }


@router.get(
    "/api/hubs/nearest",
    summary="The nearest open or at-risk hubs to a point, postcode or place, nearest first",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def nearest_hubs(
    finder: FinderDep,
    # Bounds described, not declared: the service's own 422 says when lat and lon look swapped.
    lat: float | None = Query(None, description=(
        f"latitude, WGS84 degrees (with lon), in Great Britain: {GB_BOUNDS[1]} to "
        f"{GB_BOUNDS[3]}; outside it (or swapped with lon) is a 422 saying so")),
    lon: float | None = Query(None, description=(
        f"longitude, WGS84 degrees (with lat), in Great Britain: {GB_BOUNDS[0]} to "
        f"{GB_BOUNDS[2]}")),
    postcode: str | None = Query(None, max_length=16, description="a full UK postcode"),
    place: str | None = Query(None, max_length=100, description="a parish, town or village"),
    n: int = Query(5, ge=1, le=MAX_RESULTS, description=f"how many hubs (1–{MAX_RESULTS})"),
    category: Annotated[
        list[str] | None, Query(description="hub categories, comma-separated or repeated")
    ] = None,
) -> JSONResponse:
    data = finder.data()
    categories = data.check_categories(split_categories(category), finder.hub_categories)
    location = locate(data, lat=lat, lon=lon, postcode=postcode, place=place)
    found = data.hubs.nearest(location.easting, location.northing, n, categories)
    body = {
        "type": "FeatureCollection",
        "query": {
            "kind": location.kind,
            "label": location.label,
            "lon": round(location.lon, 6),
            "lat": round(location.lat, 6),
            "n": n,
            "category": categories,
        },
        "features": [hub_feature(f) for f in found],
    }
    return JSONResponse(body, media_type="application/geo+json")


def _locate_if_given(data: FinderData, lat: float | None, lon: float | None,
                     postcode: str | None, place: str | None) -> Location | None:
    if lat is None and lon is None and postcode is None and place is None:
        return None  # county-wide
    return locate(data, lat=lat, lon=lon, postcode=postcode, place=place)


@router.get(
    "/api/activities/search",
    summary="Activities matching words, near a point, postcode or place (or county-wide)",
    description=(
        "Every word of `what` must match an activity's name, category or description (stemmed, "
        "accents ignored: `toddlers` finds *Toddler Time*, `cafe` finds *Dementia Café*). With a "
        "place (lat+lon, postcode or place) nearest first, each at its nearest venue, with "
        "`distance_m`; without, county-wide, best match first (then `what` is needed). `day` "
        f"({', '.join(DAY_CHOICES)}) keeps what runs then; `audience` what is for them (or for "
        "everyone). `next_sessions` are the next dates, ISO 8601 in Europe/London time."
    ),
)
def search_activities(
    finder: FinderDep,
    what: str = Query("", max_length=200, description="words to search for, e.g. yoga"),
    lat: float | None = Query(None, description="latitude, WGS84 degrees (with lon)"),
    lon: float | None = Query(None, description="longitude, WGS84 degrees (with lat)"),
    postcode: str | None = Query(None, max_length=16, description="a full UK postcode"),
    place: str | None = Query(None, max_length=100, description="a parish, town or village"),
    day: str | None = Query(None, max_length=8, description="today, week, or mo … su"),
    audience: str | None = Query(None, max_length=40, description="e.g. children, carers"),
    n: int = Query(10, ge=1, le=MAX_RESULTS, description=f"how many (1–{MAX_RESULTS})"),
) -> JSONResponse:
    data = finder.data()
    day_code, audience_code = check_day(day), check_audience(audience)
    location = _locate_if_given(data, lat, lon, postcode, place)
    if location is None and not what.strip():
        raise ValidationFailed(
            "Give words to search for (what=) or a place (lat and lon, postcode, or place).",
            details=[{"field": "what", "problem": "required when no place is given"}],
        )
    found = data.find_activities(what, near=location, day=day_code, audience=audience_code,
                                 limit=n)
    body = {
        "query": {
            "what": what, "day": day_code, "audience": audience_code, "n": n,
            "place": None if location is None else {
                "kind": location.kind, "label": location.label,
                "lon": round(location.lon, 6), "lat": round(location.lat, 6)},
        },
        "activities": [activity_json(f, data) for f in found],
    }
    return JSONResponse(body)
