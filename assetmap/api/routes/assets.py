"""Writing features (assets, or any layer's): create, change, move, verify, close and delete
(officers; stewards change what they steward and add activities, never delete). Reading them
is ``routes/layers.py``; the officers' forms are ``pages/assets.py``.

Reads give an ``ETag``; every change must send it back as ``If-Match`` and gets
412 if someone else changed the feature meanwhile (428 if it is missing).
Each write is audited field by field (``/api/audit``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assetmap.api.auth import OfficerDep, StewardDep
from assetmap.api.deps import CatalogDep, ReportsDep, SettingsDep, StoreDep
from assetmap.api.impact_view import IMPACT_STATUSES, closure_impact_for, impact_note
from assetmap.api.schemas import error_responses
from assetmap.formats.geojson import feature
from assetmap.layers import LayerSpec
from assetmap.register.corrections import Correction
from assetmap.register.editing import delete_feature, feature_etag
from assetmap.register.geometry_input import geometry_from_geojson
from assetmap.register.steward_edits import change_as, create_as, verify_as
from assetmap.register.stewardship import check_steward_write
from assetmap.store.base import Feature

__all__ = ["router"]

router = APIRouter(prefix="/api/layers", tags=["editing"])

GEOJSON = "application/geo+json"
_ERRORS = error_responses({
    401: "Not signed in",
    403: "Role not allowed, or a steward's write to what they do not steward or to a field "
         "that stays with officers (category, status closed, position)",
    404: "No such layer or feature",
    409: "Activities still name the asset or organisation being deleted",
    412: "Someone else changed the feature since you read it",
    422: "Invalid properties or geometry",
    428: "If-Match missing",
})
_IF_MATCH = Header(
    None,
    alias="If-Match",
    description="The ETag from your last read of the feature (required)",
)


class NewFeature(BaseModel):
    """A GeoJSON Feature in WGS84 (lon, lat). Without an id one is made; district and
    community-area codes left empty are taken from the position. A plain layer's feature
    (activities, organisations) has no geometry: send null or leave it out."""

    type: str = Field("Feature", pattern="^Feature$")
    properties: dict[str, Any]
    geometry: dict[str, Any] | None = None


class FeatureChange(BaseModel):
    """Properties to set (null clears a field) and/or a new geometry (WGS84)."""

    properties: dict[str, Any] = Field(default_factory=dict)
    geometry: dict[str, Any] | None = None


def _response(
    layer: LayerSpec, saved: Feature, status: int = 200, impact: dict[str, Any] | None = None
) -> Response:
    import json

    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {name: [saved.properties.get(name)] for name in layer.field_names},
        geometry=[saved.geometry],
        crs="EPSG:27700",
    )
    body = feature(frame, id_field=layer.id_field, fields=layer.field_names)
    if impact:
        # A GeoJSON foreign member: what the closure did, as its audit entry records it.
        body = json.dumps({**json.loads(body), **impact}, ensure_ascii=False)
    return Response(
        body,
        status_code=status,
        media_type=GEOJSON,
        headers={
            "ETag": feature_etag(saved),
            "Location": f"/api/layers/{layer.name}/items/{saved.id}",
        },
    )


@router.post(
    "/{name}/items",
    summary="Add a feature (officer; a steward: an activity of theirs)",
    status_code=201,
    response_class=Response,
    responses={201: {"content": {GEOJSON: {}}, "description": "The new feature"}, **_ERRORS},
)
def add_feature(
    name: str, body: NewFeature, user: StewardDep, catalog: CatalogDep, store: StoreDep,
    settings: SettingsDep,
) -> Response:
    layer = catalog[name]
    geometry = geometry_from_geojson(body.geometry) if body.geometry is not None else None
    saved = create_as(store, catalog, layer, body.properties, geometry, user=user,
                      review=settings.steward_edits == "review")
    return _response(layer, saved, status=201)


@router.patch(
    "/{name}/items/{feature_id}",
    summary="Change or move a feature (officer, or its steward; needs If-Match)",
    response_class=Response,
    responses={
        200: {"content": {GEOJSON: {}}, "description": "The feature as saved"},
        202: {"description": "A steward's change, queued for an officer's approval "
                             "(ASSETMAP_STEWARD_EDITS=review)"},
        **_ERRORS,
    },
)
def change_feature(
    name: str,
    feature_id: str,
    body: FeatureChange,
    user: StewardDep,
    catalog: CatalogDep,
    store: StoreDep,
    reports: ReportsDep,
    settings: SettingsDep,
    if_match: str | None = _IF_MATCH,
) -> Response:
    layer = catalog[name]
    geometry = geometry_from_geojson(body.geometry) if body.geometry is not None else None
    status = body.properties.get("status")
    notes: dict[str, Any] = {}
    if name == "assets" and isinstance(status, str) and status in IMPACT_STATUSES:
        # A steward's write is refused before the impact is counted, not after.
        check_steward_write(store, user, layer, feature_id, body.properties, geometry)
        # Counted before the change: who would lose their only hub within reach.
        notes = impact_note(closure_impact_for(reports, feature_id), status)
    # A move changes the areas the asset is in, unless the caller says otherwise.
    saved = change_as(
        store, catalog, layer, feature_id, if_match=if_match, user=user,
        properties=body.properties, geometry=geometry, notes=notes,
        review=settings.steward_edits == "review",
    )
    if isinstance(saved, Correction):
        return _queued(saved)
    return _response(layer, saved, impact=notes)


def _queued(queued: Correction) -> Response:
    """202: a steward's change waits for an officer (ASSETMAP_STEWARD_EDITS=review)."""
    body = {"queued": {"id": queued.id, "kind": queued.kind, "status": queued.status,
                       "layer": queued.layer, "feature_id": queued.feature_id,
                       "changes": queued.changes},
            "message": "This council checks stewards' changes before they are published: "
                       "yours waits for an officer to approve it."}
    return JSONResponse(body, status_code=202)


@router.post(
    "/{name}/items/{feature_id}/verify",
    summary="Record that a feature was checked today (officer, or its steward; If-Match)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "The feature as saved"}, **_ERRORS},
)
def verify_feature(
    name: str,
    feature_id: str,
    user: StewardDep,
    catalog: CatalogDep,
    store: StoreDep,
    if_match: str | None = _IF_MATCH,
) -> Response:
    layer = catalog[name]
    saved = verify_as(store, layer, feature_id, if_match=if_match, user=user)
    return _response(layer, saved)


@router.delete(
    "/{name}/items/{feature_id}",
    summary="Delete a feature for good (officer; needs If-Match). Close assets instead.",
    status_code=204,
    response_class=Response,
    responses=_ERRORS,
)
def remove_feature(
    name: str,
    feature_id: str,
    user: OfficerDep,
    catalog: CatalogDep,
    store: StoreDep,
    if_match: str | None = _IF_MATCH,
) -> Response:
    delete_feature(store, catalog[name], feature_id, if_match=if_match, actor=user.name,
                   catalog=catalog)
    return Response(status_code=204)
