"""Every record's history from the audit log (``/api/layers/{name}/items/{id}/history``) and
restoring an earlier version (officers; needs If-Match). The page is ``pages/history.py``."""

from __future__ import annotations

from fastapi import APIRouter, Header, Response

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.feature_json import GEOJSON, feature_response
from assetmap.api.history_view import ChangeOut, change_out
from assetmap.api.schemas import error_responses
from assetmap.register.history import changes_of
from assetmap.register.versions import restore_version

__all__ = ["router"]

router = APIRouter(prefix="/api/layers", tags=["editing"])

_ERRORS = error_responses({
    401: "Not signed in", 403: "Role not allowed", 404: "No such layer, record or change",
    409: "That version belongs to an earlier record with the same id",
    412: "Someone else changed the record since you read it",
    422: "That version is the record as it is now",
    428: "If-Match missing",
})


@router.get("/{name}/items/{feature_id}/history", response_model=list[ChangeOut],
            summary="Every change to one record, newest first (officer)", responses=_ERRORS)
def history(name: str, feature_id: str, user: OfficerDep, catalog: CatalogDep,
            store: StoreDep) -> list[ChangeOut]:
    return [change_out(c) for c in changes_of(store, catalog[name], feature_id,
                                              catalog=catalog)]


@router.post(
    "/{name}/items/{feature_id}/history/{change_id}/restore",
    summary="Put back the record as it was right after one change (officer; needs If-Match)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "The record as restored"},
               **_ERRORS},
)
def restore(
    name: str, feature_id: str, change_id: str, user: OfficerDep, catalog: CatalogDep,
    store: StoreDep,
    if_match: str | None = Header(None, alias="If-Match",
                                  description="The ETag of the record as it is now (required)"),
) -> Response:
    layer = catalog[name]
    saved = restore_version(store, catalog, layer, feature_id, change_id, if_match=if_match,
                            actor=user.name)
    return feature_response(layer, saved)
