"""Suggested corrections: anyone may send one; officers list, accept or reject them (and
residents' new places, ``routes/new_places.py``, and stewards' edits under review).

``POST /api/corrections`` is open to the public, so its body is read with a
16 KB limit and each client (an HMAC of its address, never the address) may
send ``corrections_per_hour`` an hour. Accepting applies the suggestion to the
asset, audited as ``correction``, only if the asset still has the ETag the
officer reviewed; otherwise 412 and the suggestion stays pending.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from assetmap.api.auth import OfficerDep, client_key_for
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.params import MAX_OFFSET
from assetmap.api.request_body import read_json
from assetmap.api.schemas import ErrorResponse
from assetmap.crs import metric_to_lonlat
from assetmap.layers import LayerCatalog
from assetmap.register.corrections import (
    Correction,
    Review,
    count_corrections,
    decide,
    list_corrections,
    submit_correction,
)
from assetmap.register.users import User
from assetmap.store.base import Store

__all__ = ["API_BODY_LIMIT", "router"]

router = APIRouter(prefix="/api/corrections", tags=["corrections"])

API_BODY_LIMIT = 16 * 1024
_OFFICER_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in"},
    403: {"model": ErrorResponse, "description": "Role not allowed, or a cookie write from "
          "another site"},
    404: {"model": ErrorResponse, "description": "No such suggestion or asset"},
    409: {"model": ErrorResponse, "description": "Already accepted or rejected"},
    412: {"model": ErrorResponse, "description": "The asset changed since the etag was read"},
    413: {"model": ErrorResponse, "description": "Body over 16 KB"},
    422: {"model": ErrorResponse, "description": "Invalid note or edits"},
    428: {"model": ErrorResponse, "description": "Accepting without the asset's etag"},
}


class CorrectionIn(BaseModel):
    """A suggestion: new values for some of the asset's details, and/or a message."""

    model_config = ConfigDict(extra="forbid")

    layer: str = Field("assets", max_length=100)
    feature_id: str = Field(min_length=1, max_length=200)
    changes: dict[str, Any] = Field(
        default_factory=dict,
        description="Field -> proposed value for name, address, postcode, opening_times, "
        "accessibility, email, website, phone; status may only be reported as closed.",
    )
    message: str | None = Field(None, description="Up to 2,000 characters")
    contact: str | None = Field(None, description="Optional email or phone, up to 200 characters")


class CorrectionCreated(BaseModel):
    id: int
    status: str


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, description="Optional, up to 2,000 characters")
    etag: str | None = Field(
        None, max_length=200,
        description="Accepting: the asset's etag as listed beside the suggestion (required, "
        "except for a new place, which has no asset yet)",
    )
    edits: dict[str, Any] | None = Field(
        None, description="Accepting: values to use instead of the proposed ones (a new "
        "place's or steward's edit may set any field but the id)"
    )


class DiffOut(BaseModel):
    field: str
    current: Any
    proposed: Any
    changed: bool


class PointOut(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(description="[longitude, latitude], WGS84")


class CorrectionOut(BaseModel):
    id: int
    created_at: str
    kind: str = Field(description="correction (a resident's), new_place (a resident's place "
                      "the register does not have) or steward_edit (waiting for approval)")
    author: str | None = Field(description="The steward who wrote a steward_edit; null for "
                               "residents")
    district: str | None = Field(description="District code of the asset or new place")
    position: PointOut | None = Field(description="A new place's point (WGS84)")
    layer: str
    feature_id: str = Field(description="The asset; empty for a new place not yet accepted")
    feature_name: str | None
    changes: dict[str, Any]
    message: str | None
    contact: str | None
    status: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None
    etag: str | None = Field(description="The asset's current etag (null if it has gone)")
    current: dict[str, Any] | None = Field(description="The asset's current properties")
    diff: list[DiffOut]


class CorrectionsPage(BaseModel):
    corrections: list[CorrectionOut]
    total: int
    limit: int
    offset: int
    next: str | None = None


def _out(review: Review) -> CorrectionOut:
    correction: Correction = review.correction
    feature = review.feature
    point = correction.point
    return CorrectionOut(
        id=correction.id,
        created_at=correction.created_at,
        kind=correction.kind,
        author=correction.author,
        district=correction.district,
        position=None if point is None else PointOut(coordinates=[
            round(value, 6) for value in metric_to_lonlat(point.x, point.y)]),
        layer=correction.layer,
        feature_id=correction.feature_id,
        feature_name=None if feature is None else feature.properties.get("name"),
        changes=correction.changes,
        message=correction.message,
        contact=correction.contact,
        status=correction.status,
        decided_by=correction.decided_by,
        decided_at=correction.decided_at,
        decision_note=correction.decision_note,
        etag=review.etag,
        current=None if feature is None else feature.properties,
        diff=[DiffOut(field=r.field, current=r.current, proposed=r.proposed, changed=r.changed)
              for r in review.rows],
    )


@router.post(
    "",
    summary="Suggest a correction to an asset (anyone)",
    status_code=201,
    response_model=CorrectionCreated,
    responses={
        404: {"model": ErrorResponse, "description": "No such asset residents can see"},
        413: {"model": ErrorResponse, "description": "Body over 16 KB"},
        422: {"model": ErrorResponse, "description": "Invalid suggestion; details per field"},
        429: {"model": ErrorResponse, "description": "Too many suggestions from this client; "
              "see Retry-After"},
    },
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": CorrectionIn.model_json_schema()}}}},
)
async def suggest(
    request: Request, store: StoreDep, catalog: CatalogDep, settings: SettingsDep
) -> Any:
    body = await read_json(request, CorrectionIn, API_BODY_LIMIT)
    layer = catalog[body.layer]
    # Too many from this client: 429 with Retry-After (api/errors.py).
    correction = await run_in_threadpool(
        lambda: submit_correction(
            store, layer, body.feature_id, body.changes, body.message, body.contact,
            client_key_for(request, store), per_hour=settings.corrections_per_hour,
        )
    )
    return JSONResponse({"id": correction.id, "status": correction.status}, status_code=201)


@router.get(
    "",
    summary="Suggested corrections with the current values and a diff (officer)",
    response_model=CorrectionsPage,
    responses=_OFFICER_ERRORS,
)
def corrections(
    request: Request,
    user: OfficerDep,
    store: StoreDep,
    catalog: CatalogDep,
    status: Literal["pending", "accepted", "rejected"] = "pending",
    kind: str | None = Query(None, description="correction, new_place or steward_edit"),
    district: str | None = Query(None, max_length=20, description="A district code"),
    sort: Literal["oldest", "newest"] | None = Query(
        None, description="Default: oldest first while pending, newest first once decided"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> JSONResponse:
    reviews = list_corrections(store, catalog, status, limit=limit, offset=offset, kind=kind,
                               district=district,
                               newest_first=None if sort is None else sort == "newest")
    total = count_corrections(store, status, kind=kind, district=district)
    following = None
    if offset + limit < total:
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    page = CorrectionsPage(corrections=[_out(r) for r in reviews], total=total, limit=limit,
                           offset=offset, next=following)
    # Contact details are personal data: never cached.
    return JSONResponse(page.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


async def _decide(
    request: Request,
    correction_id: int,
    accept: bool,
    user: User,
    store: Store,
    catalog: LayerCatalog,
) -> JSONResponse:
    body = await read_json(request, DecisionIn, API_BODY_LIMIT)

    def run() -> Review:
        decided = decide(store, catalog, correction_id, accept=accept, officer=user,
                         note=body.note, etag=body.etag, edits=body.edits)
        layer = catalog.get(decided.layer)
        return Review(decided, store.get(layer, decided.feature_id)
                      if layer is not None and decided.feature_id else None)

    review = await run_in_threadpool(run)
    return JSONResponse(_out(review).model_dump(mode="json"), headers={"Cache-Control": "no-store"})


_DECISION_BODY = {"requestBody": {"content": {
    "application/json": {"schema": DecisionIn.model_json_schema()}}}}


@router.post(
    "/{correction_id}/accept",
    summary="Accept a suggestion and apply it to the asset (officer; needs its etag)",
    response_model=CorrectionOut,
    responses=_OFFICER_ERRORS,
    openapi_extra=_DECISION_BODY,
)
async def accept(
    request: Request, correction_id: int, user: OfficerDep, store: StoreDep, catalog: CatalogDep
) -> JSONResponse:
    return await _decide(request, correction_id, True, user, store, catalog)


@router.post(
    "/{correction_id}/reject",
    summary="Reject a suggestion; the asset is left as it is (officer)",
    response_model=CorrectionOut,
    responses=_OFFICER_ERRORS,
    openapi_extra=_DECISION_BODY,
)
async def reject(
    request: Request, correction_id: int, user: OfficerDep, store: StoreDep, catalog: CatalogDep
) -> JSONResponse:
    return await _decide(request, correction_id, False, user, store, catalog)
