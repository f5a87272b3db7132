"""The officers' import page: upload a file, see every row checked, then apply it or not.

The checked file waits in the store under a random token (``register/imports/staging``,
so any worker can apply it), and the officer applies exactly what they reviewed without
choosing it again; it
is checked once more against the register when applied (someone may have
edited meanwhile) and written all or nothing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.config import PROJECT_ROOT
from assetmap.errors import AssetmapError
from assetmap.register.imports import (
    ImportLimits,
    ImportPlan,
    ImportResult,
    PlannedRow,
    apply_import,
    plan_import,
)
from assetmap.register.imports.staging import discard, stage, staged
from assetmap.register.users import User
from assetmap.store import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

_SHOWN = 200  # rows listed per section; the counts cover the rest
_SUMMARY = "import summary"  # the staged outcome's name
TEMPLATE = PROJECT_ROOT / "docs" / "examples" / "assets_template.csv"


def _page(
    request: Request, store: Store, user: User | None, status: int = 200, **extra: Any
) -> HTMLResponse:
    failed = status >= 400 and status != 410
    context = page_context(request, store, user, ("Error: " if failed else "") + "Import assets",
                           shown=_SHOWN,
                           template_kb=max(1, round(TEMPLATE.stat().st_size / 1024)), **extra)
    return render_page("import.html", context, status=status)


@router.get("/import", response_class=HTMLResponse)
def import_form(
    request: Request, user: OfficerPageDep, store: StoreDep, settings: SettingsDep
) -> Response:
    return _page(request, store, user, max_mb=settings.import_max_bytes / 1_000_000)


@router.post("/import", response_class=HTMLResponse)
async def check_upload(
    request: Request, user: OfficerPageDep, store: StoreDep, catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    limits = ImportLimits(settings.import_max_bytes, settings.import_max_rows)
    max_mb = settings.import_max_bytes / 1_000_000
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes + 64 * 1024:
        return _page(request, store, user, 413, max_mb=max_mb,
                     failure=f"The file is larger than {max_mb:g} MB; split it and try again.")
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, store, user, 422, max_mb=max_mb, failure="Choose a file to check.")
    data = await upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        return _page(request, store, user, 413, max_mb=max_mb,
                     failure=f"The file is larger than {max_mb:g} MB; split it and try again.")
    try:
        plan = await run_in_threadpool(
            plan_import, store, catalog, data, upload.filename, limits=limits
        )
    except AssetmapError as exc:
        return _page(request, store, user, 422, max_mb=max_mb, failure=exc.message,
                     name=upload.filename)
    waiting = plan.ok and (plan.creates or plan.updates)
    token = await run_in_threadpool(stage, store, upload.filename, data) if waiting else ""
    return _page(request, store, user, 200 if plan.ok else 422, max_mb=max_mb, plan=plan,
                 name=upload.filename, token=token, checked=plan.seen() if token else "")


@router.post("/import/apply", response_class=HTMLResponse)
async def apply_upload(
    request: Request, user: OfficerPageDep, store: StoreDep, catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    form = await request.form(max_fields=5)
    token = str(form.get("token", ""))
    name = str(form.get("name", "upload"))[:200]
    max_mb = settings.import_max_bytes / 1_000_000
    data = await run_in_threadpool(staged, store, token)
    if data is None:
        return _page(request, store, user, 410, max_mb=max_mb,
                     failure="That checked file is no longer waiting (files wait one day). "
                     "Upload it again.")
    limits = ImportLimits(settings.import_max_bytes, settings.import_max_rows)
    try:
        plan = await run_in_threadpool(
            plan_import, store, catalog, data, name or "upload", limits=limits
        )
        if not plan.ok:
            return _page(request, store, user, 422, max_mb=max_mb, plan=plan, name=name, token="",
                         failure="The register changed since the file was checked and some rows "
                         "no longer pass; nothing was written.")
        checked = str(form.get("checked", "")) or None  # the register as the officer saw it
        result = await run_in_threadpool(apply_import, store, plan, user.name, checked=checked)
    except AssetmapError as exc:
        return _page(request, store, user, exc.status, max_mb=max_mb, failure=exc.message,
                     name=name)
    await run_in_threadpool(discard, store, token)
    if not (result.created or result.changed or result.removed):
        return RedirectResponse("/import", status_code=303)
    # The outcome waits a day under its own token, so the summary page survives a reload
    # and is served by whichever worker is asked.
    summary = await run_in_threadpool(stage, store, _SUMMARY, _summary(plan, result))
    return RedirectResponse(f"/import/summary?{urlencode({'token': summary})}", status_code=303)


def _summary(plan: ImportPlan, result: ImportResult) -> bytes:
    def named(rows: list[PlannedRow]) -> list[dict[str, Any]]:
        return [{"id": row.feature_id, "name": str(row.properties.get("name") or ""),
                 "fields": sorted(row.changes), "moved_m": row.moved_m} for row in rows[:_SHOWN]]

    return json.dumps({
        "source": plan.source, "created": result.created, "changed": result.changed,
        "unchanged": result.unchanged, "removed": result.removed,
        "creates": named(plan.creates), "updates": named(plan.updates),
    }).encode()


@router.get("/import/summary", response_class=HTMLResponse)
def import_summary(request: Request, user: OfficerPageDep, store: StoreDep,
                   token: str = "") -> Response:
    """What an import added and changed, with links to each asset and to the audit log."""
    data = staged(store, token) if token else None
    if data is None:
        return _page(request, store, user, 410, max_mb=0, failure="That import summary is "
                     "no longer kept (summaries are kept one day). The audit log lists every "
                     "import.")
    context = page_context(request, store, user, "Import complete", summary=json.loads(data),
                           audit=f"/audit?{urlencode({'actor': user.name})}")
    return render_page("import_summary.html", context)


@router.get("/import/template.csv")
def import_template() -> FileResponse:
    """A CSV with every asset column and two example rows (one placed by postcode alone)."""
    return FileResponse(TEMPLATE, media_type="text/csv; charset=utf-8",
                        filename="assets_template.csv")
