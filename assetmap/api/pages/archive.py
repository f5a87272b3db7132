"""Deleted records for officers (``/archive``): each kept whole when it was deleted, and
restored from here: a confirmation page shows what comes back, and a refusal (restored
already, its id given to another record since) says why, with nothing changed.

The JSON of the same list is ``routes/archive.py``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.api.records_view import history_url, page_links
from assetmap.errors import Conflict, ValidationFailed
from assetmap.layers import LayerCatalog
from assetmap.register.archive import (
    ArchivedRecord,
    archived_record,
    archived_records,
    count_archived,
    restore_archived,
)
from assetmap.register.history_values import field_label, readable
from assetmap.register.users import User
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

PER_PAGE = 25


@router.get("/archive", response_class=HTMLResponse)
def archive_page(request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep,
                 layer: str | None = None, page: int = 1) -> Response:
    layer = layer if layer and catalog.get(layer) is not None else None
    total = count_archived(store, layer=layer)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    items = archived_records(store, layer=layer, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)

    def url(number: int) -> str:
        return "/archive?" + urlencode({**({"layer": layer} if layer else {}), "page": number})

    context = page_context(
        request, store, user, "Deleted records", items=items, total=total, page=page,
        chosen=layer or "", layers={name: spec.title for name, spec in catalog.items()
                                    if name in ("assets", "organisations", "activities")},
        titles={name: spec.title for name, spec in catalog.items()},
        links=page_links(page, pages, url), previous=url(page - 1) if page > 1 else None,
        following=url(page + 1) if page < pages else None, history_url=history_url,
        first=(page - 1) * PER_PAGE + 1,
    )
    return render_page("archive.html", context)


def _values(catalog: LayerCatalog, record: ArchivedRecord) -> list[tuple[str, str]]:
    layer = catalog.get(record.layer)
    names = layer.field_names if layer is not None else tuple(record.properties)
    rows = [(field_label(layer, n), readable(layer, n, record.properties.get(n))) for n in names
            if record.properties.get(n) not in (None, "")]
    if record.geometry is not None:
        rows.append((field_label(layer, "geometry"), readable(layer, "geometry", record.geometry)))
    return rows


def _confirm(request: Request, user: User, store: Store, catalog: LayerCatalog,
             record: ArchivedRecord, *, problem: str | None = None,
             status: int = 200) -> HTMLResponse:
    context = page_context(
        request, store, user, ("Error: " if problem else "") + f"Restore {record.title}?",
        record=record, values=_values(catalog, record), problem=problem,
        kind=getattr(catalog.get(record.layer), "title", record.layer),
        history=history_url(record.layer, record.feature_id),
    )
    return render_page("archive_record.html", context, status=status)


@router.get("/archive/{archive_id}", response_class=HTMLResponse)
def archived_page(request: Request, archive_id: int, user: OfficerPageDep, catalog: CatalogDep,
                  store: StoreDep) -> Response:
    return _confirm(request, user, store, catalog, archived_record(store, archive_id))


@router.post("/archive/{archive_id}/restore")
def restore(request: Request, archive_id: int, user: OfficerPageDep, catalog: CatalogDep,
            store: StoreDep) -> Response:
    record = archived_record(store, archive_id)
    try:
        restore_archived(store, catalog, archive_id, actor=user.name)
    except (Conflict, ValidationFailed) as exc:
        return _confirm(request, user, store, catalog, archived_record(store, archive_id),
                        problem=exc.message, status=exc.status)
    return RedirectResponse(f"{history_url(record.layer, record.feature_id)}?done=restored", 303)
