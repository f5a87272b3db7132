"""Nearest hubs as GeoJSON: ``/api/hubs/nearest?lat=&lon=`` or ``?postcode=`` or ``?place=``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from assetmap.api.deps import FinderDep
from assetmap.crs import GB_BOUNDS
from assetmap.errors import ValidationFailed
from assetmap.finder import MAX_RESULTS, FinderData, Location, NearbyHub

__all__ = ["hub_feature", "locate", "router", "split_categories"]

router = APIRouter(prefix="/api/hubs", tags=["finder"])


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
    "/nearest",
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
