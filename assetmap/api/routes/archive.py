"""Deleted records, kept whole (``/api/archive``), and restoring one (officers); the page of
the same list is ``pages/archive.py``."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.feature_json import GEOJSON, feature_response
from assetmap.api.history_view import ArchivePage, archived_out
from assetmap.api.params import MAX_OFFSET
from assetmap.api.schemas import error_responses
from assetmap.register.archive import (
    archived_record,
    archived_records,
    count_archived,
    restore_archived,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["register upkeep"])

_ERRORS = error_responses({
    401: "Not signed in", 403: "Role not allowed", 404: "No such archived record",
    409: "Restored already, or its id now names another record",
    422: "It names a place or organisation that is gone",
})


@router.get("/archive", summary="Deleted records, the latest first (officer)",
            response_model=ArchivePage, responses=_ERRORS)
def archive(
    user: OfficerDep,
    store: StoreDep,
    layer: str | None = Query(None, max_length=100),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> ArchivePage:
    items = archived_records(store, layer=layer, limit=limit, offset=offset)
    return ArchivePage(items=[archived_out(item) for item in items],
                       total=count_archived(store, layer=layer), limit=limit, offset=offset)


@router.post(
    "/archive/{archive_id}/restore",
    summary="Bring a deleted record back as it was when deleted (officer; audited as restore)",
    status_code=201,
    response_class=Response,
    responses={201: {"content": {GEOJSON: {}}, "description": "The record, restored"},
               **_ERRORS},
)
def restore(archive_id: int, user: OfficerDep, catalog: CatalogDep, store: StoreDep) -> Response:
    layer = archived_record(store, archive_id).layer
    restored = restore_archived(store, catalog, archive_id, actor=user.name)
    return feature_response(catalog[layer], restored, 201)
