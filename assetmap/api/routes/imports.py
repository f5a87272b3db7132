"""Bulk import of assets from an uploaded file (officers only): check, then write all or nothing.

``POST /api/layers/assets/import`` takes a multipart ``file`` (CSV, GeoJSON or
GeoPackage). With ``dry_run=true`` (the default) it only reports what would
happen, row by row; with ``dry_run=false`` it writes everything, audited
under the officer's name, or, if any row has a problem, nothing (422, the
problems in ``details``). A body over ``ASSETMAP_IMPORT_MAX_BYTES`` is refused
(413) before it is read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException

from assetmap.api.auth import OfficerDep
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.schemas import ErrorResponse
from assetmap.errors import BadRequest, ValidationFailed
from assetmap.register.imports import (
    FileTooLarge,
    ImportLimits,
    apply_import,
    check_size,
    plan_as_dict,
    plan_import,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/layers", tags=["imports"])
# Multipart framing around the file: boundaries, headers, the other fields.
_FORM_OVERHEAD = 64 * 1024


class RowProblem(BaseModel):
    row: int | None
    where: str
    field: str
    value: str
    problem: str
    fix: str


class ImportApplied(BaseModel):
    created: int
    changed: int
    unchanged: int


class ImportReport(BaseModel):
    """What the import does (``dry_run=true``) or did; ``ok`` is false when any row is wrong."""

    source: str
    format: str
    layer: str
    summary: str
    ok: bool
    counts: dict[str, int]
    errors: list[RowProblem]
    warnings: list[RowProblem]
    skipped: dict[str, int]
    new: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    applied: ImportApplied | None = None


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": "assets as .csv, .geojson or .gpkg"}},
        }}},
    }
}


async def _read_upload(request: Request, limits: ImportLimits) -> tuple[str, bytes]:
    """The uploaded file's name and bytes; an oversized body is refused before it is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes + _FORM_OVERHEAD:
        check_size(int(declared) - _FORM_OVERHEAD, "the upload", limits)
    try:
        form = await request.form(max_files=1, max_fields=10)
    except (AssertionError, ValueError, HTTPException) as exc:
        raise BadRequest(f"send the file as multipart/form-data field 'file' ({exc})") from exc
    upload = form.get("file")
    if not isinstance(upload, StarletteUpload):
        raise BadRequest("send the file as multipart/form-data field 'file'")
    name = upload.filename or "upload"
    data = await upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise FileTooLarge(f"{name} is larger than the {limits.max_bytes:,} bytes one import "
                           "takes (ASSETMAP_IMPORT_MAX_BYTES); split it into smaller files")
    return name, data


@router.post(
    "/assets/import",
    summary="Import assets from a CSV, GeoJSON or GeoPackage file (officer)",
    response_model=ImportReport,
    openapi_extra=_UPLOAD_BODY,
    responses={
        400: {"model": ErrorResponse, "description": "No file in the upload"},
        401: {"model": ErrorResponse, "description": "Not signed in"},
        403: {"model": ErrorResponse, "description": "Role not allowed"},
        409: {"model": ErrorResponse, "description": "An asset changed while importing"},
        413: {"model": ErrorResponse, "description": "The file is too large"},
        422: {"model": ErrorResponse, "description": "Unreadable file, or rows with problems"},
    },
)
async def import_assets(
    request: Request,
    user: OfficerDep,
    store: StoreDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    dry_run: Annotated[bool, Query(description="only check and report; write nothing")] = True,
) -> ImportReport:
    limits = ImportLimits(settings.import_max_bytes, settings.import_max_rows)
    name, data = await _read_upload(request, limits)
    plan = await run_in_threadpool(plan_import, store, catalog, data, name, limits=limits)
    report = ImportReport.model_validate(plan_as_dict(plan))
    if dry_run:
        return report
    if not plan.ok:
        raise ValidationFailed(
            f"{name}: {plan.summary()}; nothing was written. Fix the rows listed and upload again.",
            details=[problem.as_dict() for problem in plan.errors[:1000]],
        )
    result = await run_in_threadpool(apply_import, store, plan, user.name)
    report.applied = ImportApplied(created=result.created, changed=result.changed,
                                   unchanged=result.unchanged)
    return report
