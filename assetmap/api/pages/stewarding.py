"""``/your-places``: "Your places and groups", where a steward lands after signing in. It
lists what they steward (places, organisations, and the activities of either) with links to
edit each and to add an activity; an officer sees every organisation and activity, a page at
a time, with the same links.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import StewardPageDep, page_context, render_page
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.corrections import CORRECTIONS_TABLE, Correction
from assetmap.register.stewardship import stewarded_activities, stewarded_by
from assetmap.register.users import User
from assetmap.store.base import Feature, Store, feature_from_row

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

PAGE_SIZE = 50


def _row(layer: LayerSpec, feature: Feature) -> dict[str, Any]:
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
    }


def _steward_lists(store: Store, catalog: LayerCatalog, user: User) -> dict[str, Any]:
    held = stewarded_by(store, user.name)
    assets, organisations = catalog["assets"], catalog["organisations"]
    activities = catalog["activities"]

    def rows(layer: LayerSpec, ids: frozenset[str]) -> list[dict[str, Any]]:
        found = (store.get(layer, feature_id) for feature_id in sorted(ids))
        return [_row(layer, feature) for feature in found if feature is not None]

    return {
        "assets": rows(assets, held.assets),
        "organisations": rows(organisations, held.organisations),
        "activities": [_row(activities, a)
                       for a in stewarded_activities(store, activities, held)],
        "nothing": held.empty,
        "waiting": _waiting(store, user),
    }


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
    page: int = Query(1, ge=1, le=10_000),
) -> HTMLResponse:
    lists = (_officer_lists(store, catalog, page) if user.can("officer")
             else _steward_lists(store, catalog, user))
    title = "Places and groups" if user.can("officer") else "Your places and groups"
    return render_page("your_places.html", page_context(request, store, user, title, **lists))
