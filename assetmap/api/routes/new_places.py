"""A resident's new place as JSON: ``POST /api/new-places`` queues one for an officer;
``POST /api/new-places/check`` checks one and lists the places it may duplicate, storing
nothing (what the form's "Is it one of these?" step shows).

Open to the public, so the body is read with a 16 KB limit and each client (an HMAC of its
address) may send ``corrections_per_hour`` suggestions of any kind an hour. Every problem
is answered 422 with the canonical error body, a detail per field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from assetmap.api.auth import client_key_for
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.request_body import read_json
from assetmap.api.schemas import ErrorResponse
from assetmap.crs import metric_to_lonlat
from assetmap.layers import LayerCatalog
from assetmap.register.new_places import (
    NewPlace,
    PlacedSuggestion,
    check_new_place,
    queue_new_place,
)
from assetmap.register.place_duplicates import PossibleDuplicate, possible_duplicates
from assetmap.store.base import Store

__all__ = ["API_BODY_LIMIT", "router"]

router = APIRouter(prefix="/api/new-places", tags=["corrections"])

API_BODY_LIMIT = 16 * 1024
ASSET_LAYER = "assets"


class NewPlaceIn(BaseModel):
    """A place the register does not have: where is a postcode, a point, or both."""

    model_config = ConfigDict(extra="forbid")

    name: Any = Field(None, description="The place's name, up to 200 characters")
    category: Any = Field(None, description="What it is: one of the asset categories (codes "
                          "as in /api/layers/assets, e.g. village_hall)")
    postcode: Any = Field(None, description="Its postcode, in the county (e.g. LE12 7RX)")
    longitude: Any = Field(None, description="Or where it is: WGS84 longitude")
    latitude: Any = Field(None, description="and latitude")
    contact: Any = Field(None, description="Optional email address or phone number for a "
                         "reply, up to 200 characters; deleted a while after the decision")
    message: Any = Field(None, description="Optional, up to 2,000 characters")

    def place(self) -> NewPlace:
        return NewPlace(**self.model_dump())


class DuplicateOut(BaseModel):
    id: str
    name: str
    similarity: float = Field(description="How alike the names are, 0 to 100")
    distance_m: float | None = Field(description="Straight-line distance in metres")
    same_postcode: bool
    correction_url: str = Field(description="The place's page for suggesting a correction")


class CheckOut(BaseModel):
    longitude: float
    latitude: float
    district_code: str | None
    possible_duplicates: list[DuplicateOut]


class NewPlaceCreated(CheckOut):
    id: int
    status: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "Body over 16 KB"},
    422: {"model": ErrorResponse, "description": "A problem per field: name, category, "
          "postcode (malformed, unknown or outside the county), position, contact, message"},
}
_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": NewPlaceIn.model_json_schema()}}}}


def _duplicate(match: PossibleDuplicate) -> DuplicateOut:
    return DuplicateOut(id=match.id, name=match.name, similarity=round(match.similarity, 1),
                        distance_m=(None if match.distance_m is None
                                    else round(match.distance_m)),
                        same_postcode=match.same_postcode,
                        correction_url=f"/hubs/{match.id}/correction")


def _checked(store: Store, catalog: LayerCatalog,
             body: NewPlaceIn) -> tuple[PlacedSuggestion, dict[str, Any]]:
    layer = catalog[ASSET_LAYER]
    checked = check_new_place(store, catalog, layer, body.place())
    lon, lat = metric_to_lonlat(checked.point.x, checked.point.y)
    matches = possible_duplicates(store, layer, str(checked.properties["name"]), checked.point,
                                  checked.properties.get("postcode"))
    return checked, {"longitude": round(lon, 6), "latitude": round(lat, 6),
                     "district_code": checked.district,
                     "possible_duplicates": [_duplicate(m).model_dump() for m in matches]}


@router.post("/check", summary="Check a new place and list the places it may duplicate "
             "(anyone; nothing is stored)", response_model=CheckOut, responses=_ERRORS,
             openapi_extra=_BODY)
async def check(request: Request, store: StoreDep, catalog: CatalogDep) -> JSONResponse:
    body = await read_json(request, NewPlaceIn, API_BODY_LIMIT)
    _, result = await run_in_threadpool(_checked, store, catalog, body)
    return JSONResponse(result)


@router.post(
    "",
    summary="Tell us about a place we don't have (anyone)",
    status_code=201,
    response_model=NewPlaceCreated,
    responses={**_ERRORS, 429: {"model": ErrorResponse, "description": "Too many suggestions "
                                "from this client; see Retry-After"}},
    openapi_extra=_BODY,
)
async def suggest_new_place(
    request: Request, store: StoreDep, catalog: CatalogDep, settings: SettingsDep
) -> JSONResponse:
    body = await read_json(request, NewPlaceIn, API_BODY_LIMIT)

    def run() -> dict[str, Any]:
        checked, result = _checked(store, catalog, body)
        queued = queue_new_place(store, catalog[ASSET_LAYER], checked,
                                 client_key_for(request, store),
                                 per_hour=settings.corrections_per_hour)
        return {"id": queued.id, "status": queued.status, **result}

    return JSONResponse(await run_in_threadpool(run), status_code=201)
