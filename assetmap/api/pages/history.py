"""Every record's history for officers (``/records/{layer}/{id}/history``), from the audit
log, and "restore this version": a confirmation page showing what would change, applied only
over the version it showed (its ETag goes with the form; a stale one gets 412 and the page
again, with nothing saved). The JSON of the same is ``routes/history.py``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.api.records_view import ACTION_LABELS, history_url
from assetmap.errors import NotFound, PreconditionFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.archive import archived_records
from assetmap.register.history import changes_of
from assetmap.register.users import User
from assetmap.register.versions import Version, restore_version, version_after
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)


def _layer(catalog: LayerCatalog, name: str) -> LayerSpec:
    if catalog.get(name) is None:
        raise NotFound(f"No kind of record called {name!r}")
    return catalog[name]


# Where each kind of record is edited (the officers' forms).
_EDIT_PAGES = {"assets": "/assets", "organisations": "/organisations", "activities": "/activities"}


def _edit_url(layer: LayerSpec, feature_id: str) -> str | None:
    base = _EDIT_PAGES.get(layer.name)
    return None if base is None else f"{base}/{quote(feature_id, safe='')}/edit"


@router.get("/records/{name}/{feature_id}/history", response_class=HTMLResponse)
def history_page(request: Request, name: str, feature_id: str, user: OfficerPageDep,
                 catalog: CatalogDep, store: StoreDep) -> Response:
    layer = _layer(catalog, name)
    changes = changes_of(store, layer, feature_id, catalog=catalog)
    current = store.get(layer, feature_id)
    archived = None if current is not None else next(
        (r for r in archived_records(store, layer=name) if r.feature_id == feature_id), None)
    if not changes and current is None and archived is None:
        raise NotFound(f"No {layer.title.lower()} record {feature_id!r} and no history of one")
    title = (changes[0].title if changes else None) or (
        str(current.properties.get("name") or feature_id) if current else feature_id)
    context = page_context(
        request, store, user, f"History of {title}", record_title=title, layer=layer,
        feature_id=feature_id, changes=changes, exists=current is not None, archived=archived,
        edit_url=_edit_url(layer, feature_id), action_labels=ACTION_LABELS,
        history_url=history_url,
        restorable=_restorable(changes) if current is not None else set(),
    )
    return render_page("history.html", context)


def _restorable(changes: list[Any]) -> set[str]:
    """Changes whose version can be put back: not the newest (that is the record now), nor
    a delete, nor one before the record was last created under this id."""
    found: set[str] = set()
    for change in changes[1:]:
        if change.action == "delete":
            continue
        found.add(change.change_id)
        if change.action == "create":
            break
    return found


def _confirm(request: Request, user: User, store: Store, version: Version, layer: LayerSpec,
             *, problem: str | None = None, status: int = 200) -> HTMLResponse:
    target = f"{history_url(layer.name, version.current.id)}/{quote(version.change.change_id)}"
    context = page_context(
        request, store, user,
        ("Error: " if problem else "") + f"Restore {version.change.title} as it was on "
        f"{version.change.when}?", version=version, layer=layer, problem=problem,
        action=f"{target}/restore", back=history_url(layer.name, version.current.id),
        action_labels=ACTION_LABELS,
    )
    return render_page("version_restore.html", context, status=status)


@router.get("/records/{name}/{feature_id}/history/{change_id}/restore",
            response_class=HTMLResponse)
def confirm_restore(request: Request, name: str, feature_id: str, change_id: str,
                    user: OfficerPageDep, catalog: CatalogDep, store: StoreDep) -> Response:
    layer = _layer(catalog, name)
    return _confirm(request, user, store, version_after(store, layer, feature_id, change_id),
                    layer)


@router.post("/records/{name}/{feature_id}/history/{change_id}/restore")
async def apply_restore(request: Request, name: str, feature_id: str, change_id: str,
                        user: OfficerPageDep, catalog: CatalogDep, store: StoreDep) -> Response:
    layer = _layer(catalog, name)
    etag = str((await request.form()).get("etag", ""))
    try:
        restore_version(store, catalog, layer, feature_id, change_id, if_match=etag,
                        actor=user.name)
    except PreconditionFailed:
        fresh = version_after(store, layer, feature_id, change_id)
        return _confirm(request, user, store, fresh, layer, status=412, problem=(
            "Someone changed this record after you opened this page, so nothing was "
            "restored. Check what restoring would change now, then restore it again."))
    return RedirectResponse(f"{history_url(name, feature_id)}?done=restored", 303)
