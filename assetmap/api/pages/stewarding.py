"""``/your-places``: "Your places and groups", where a steward lands after signing in. It
lists what they steward (places, organisations, and the activities of either) with links to
edit each and to add an activity; an officer sees every organisation and activity, a page at
a time, with the same links.

A record of theirs not checked for ``ASSETMAP_STALE_AFTER_DAYS`` asks its steward first:
it is listed at the top with "These details are still right" (``POST /your-places/checked``),
which records the check under the steward's name, before it reaches the officers' stale list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.officer_view import StewardPageDep, page_context, render_page
from assetmap.errors import NotFound, PreconditionFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.corrections import CORRECTIONS_TABLE, Correction
from assetmap.register.editing import VERIFIED_FIELD, feature_etag
from assetmap.register.steward_edits import verify_as
from assetmap.register.stewardship import stewarded_activities, stewarded_by
from assetmap.register.users import User
from assetmap.store.base import Feature, Store, feature_from_row

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

PAGE_SIZE = 50


def _needs_checking(properties: dict[str, Any], stale_after_days: int) -> bool:
    """Not checked for ``stale_after_days`` (or never), and not closed."""
    if properties.get("status") == "closed":
        return False
    try:
        checked = dt.date.fromisoformat(str(properties.get(VERIFIED_FIELD))[:10])
    except ValueError:
        return True
    return (dt.date.today() - checked).days >= stale_after_days


def _row(layer: LayerSpec, feature: Feature, stale_after_days: int = 0) -> dict[str, Any]:
    """One record as the tables show it: name, its kind or status in words, and the values."""
    properties = feature.properties
    labels = layer.labels
    code = next((f for f in ("kind", "category") if f in properties), None)
    return {
        "id": feature.id,
        "name": properties.get("name") or feature.id,
        "what": labels.get(code, {}).get(str(properties.get(code)), "") if code else "",
        "status": labels.get("status", {}).get(str(properties.get("status")), ""),
        "schedule": properties.get("schedule") or "",
        "asset_ids": properties.get("asset_ids") or "",
        "layer": layer.name,
        "etag": feature_etag(feature) if stale_after_days else "",  # only for "still right"
        "checked": properties.get(VERIFIED_FIELD) or "never",
        "stale": bool(stale_after_days) and _needs_checking(properties, stale_after_days),
    }


def _steward_lists(store: Store, catalog: LayerCatalog, user: User,
                   stale_after_days: int) -> dict[str, Any]:
    held = stewarded_by(store, user.name)
    assets, organisations = catalog["assets"], catalog["organisations"]
    activities = catalog["activities"]

    def rows(layer: LayerSpec, ids: frozenset[str]) -> list[dict[str, Any]]:
        found = (store.get(layer, feature_id) for feature_id in sorted(ids))
        return [_row(layer, feature, stale_after_days) for feature in found
                if feature is not None]

    lists = {
        "assets": rows(assets, held.assets),
        "organisations": rows(organisations, held.organisations),
        "activities": [_row(activities, a, stale_after_days)
                       for a in stewarded_activities(store, activities, held)],
    }
    to_check = [row for name in ("assets", "organisations", "activities")
                for row in lists[name] if row["stale"]]
    return {**lists, "to_check": to_check, "nothing": held.empty,
            "waiting": _waiting(store, user), "stale_after_days": stale_after_days}


def _waiting(store: Store, user: User) -> list[dict[str, Any]]:
    """This steward's changes still waiting for an officer (ASSETMAP_STEWARD_EDITS=review)."""
    rows = store.records(CORRECTIONS_TABLE, where={
        "author": user.name, "kind": "steward_edit", "status": "pending"})
    edits = [Correction.from_record(row) for row in rows]
    return [{"when": e.created_at, "layer": e.layer, "feature_id": e.feature_id,
             "fields": ", ".join(name.replace("_", " ") for name in sorted(e.changes))}
            for e in edits]


def _officer_lists(store: Store, catalog: LayerCatalog, page: int) -> dict[str, Any]:
    found: dict[str, Any] = {"page": page}
    for name in ("organisations", "activities"):
        layer = catalog[name]
        frame = store.read(layer, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        found[name] = [_row(layer, feature_from_row(layer, row)) for _, row in frame.iterrows()]
        found[f"{name}_total"] = store.count(layer)
    found["pages"] = max(1, -(-max(found["organisations_total"],
                                   found["activities_total"]) // PAGE_SIZE))
    return found


@router.get("/your-places", response_class=HTMLResponse)
def your_places(
    request: Request, user: StewardPageDep, catalog: CatalogDep, store: StoreDep,
    settings: SettingsDep, page: int = Query(1, ge=1, le=10_000),
) -> HTMLResponse:
    return _places_page(request, user, catalog, store, settings.stale_after_days, page)


def _places_page(request: Request, user: User, catalog: LayerCatalog, store: Store,
                 stale_after_days: int, page: int = 1, *, errors: list[dict[str, str]] | None
                 = None, status: int = 200) -> HTMLResponse:
    lists = (_officer_lists(store, catalog, page) if user.can("officer")
             else _steward_lists(store, catalog, user, stale_after_days))
    title = "Places and groups" if user.can("officer") else "Your places and groups"
    context = page_context(request, store, user, ("Error: " if errors else "") + title,
                           errors=errors or [], **lists)
    return render_page("your_places.html", context, status=status)


_CHECKABLE = ("assets", "organisations", "activities")


@router.post("/your-places/checked", response_class=HTMLResponse)
async def record_checked(
    request: Request, user: StewardPageDep, catalog: CatalogDep, store: StoreDep,
    settings: SettingsDep,
) -> Response:
    """ "These details are still right": the record's check, under the steward's name."""
    form = await request.form()
    layer, feature_id = str(form.get("layer", "")), str(form.get("feature_id", ""))
    if layer not in _CHECKABLE:
        raise NotFound(f"No layer {layer!r} a steward checks ({', '.join(_CHECKABLE)})")
    try:
        verify_as(store, catalog[layer], feature_id, if_match=str(form.get("etag", "")),
                  user=user)
    except PreconditionFailed:
        return _places_page(request, user, catalog, store, settings.stale_after_days,
                            status=412, errors=[{"target": "", "text": (
                                f"{feature_id} was changed after you opened this page, so "
                                "nothing was recorded. Look at its details again, then say "
                                "whether they are still right.")}])
    return RedirectResponse(f"/your-places?done=verified#{quote(feature_id, safe='')}", 303)
