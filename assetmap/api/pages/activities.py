"""Officers' and stewards' forms for activities: ``/activities/new`` and
``/activities/{id}/edit``. A steward adds and edits only the activities of their organisations
or at their places (their places as checkboxes, their organisations as a choice); officers
type ids. The schedule is checked by the same field rules as every write, and the edit page
says when it runs next, in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assetmap.activities import next_occurrences
from assetmap.api.activity_view import session_text
from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.feature_form import (
    FormPage,
    Options,
    create_from_form,
    delete_from_form,
    edit_form,
    new_form,
    save_from_form,
)
from assetmap.api.officer_view import OfficerPageDep, StewardPageDep
from assetmap.errors import ValidationFailed
from assetmap.field_rules import split_list
from assetmap.layers import LayerCatalog
from assetmap.messages import DEFAULT_LANGUAGE, messages
from assetmap.register.stewardship import stewarded_by
from assetmap.register.users import User
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

_SCHEDULE_HINT = (
    "When it runs, in OpenStreetMap opening-hours form. For example: "
    "Tu 10:00-12:00 (every Tuesday, 10am to noon); "
    "Mo,Th 10:00-16:00 (Mondays and Thursdays); "
    "Mo[1] 14:00-16:00 (the first Monday of each month); "
    "2026 Dec 24 10:00-12:00 (one date only). Use the 24-hour clock."
)


def _named(store: Store, catalog: LayerCatalog, layer: str, ids: set[str]) -> list[
        tuple[str, str]]:
    """(id, "Name (id)") for each id the layer holds, by name."""
    found = [store.get(catalog[layer], feature_id) for feature_id in sorted(ids)]
    return sorted(((f.id, f"{f.properties.get('name') or f.id} ({f.id})") for f in found
                   if f is not None), key=lambda pair: pair[1].casefold())


def _steward_options(store: Store, catalog: LayerCatalog, user: User,
                     values: Mapping[str, Any]) -> Options:
    """A steward picks among their own places and organisations (and those already named)."""
    if user.can("officer"):
        return {}
    held = stewarded_by(store, user.name)
    listed = set(split_list(None if values.get("asset_ids") is None
                            else str(values["asset_ids"])))
    current = {str(values["organisation_id"])} if values.get("organisation_id") else set()
    return {
        "asset_ids": _named(store, catalog, "assets", set(held.assets) | listed),
        "organisation_id": _named(store, catalog, "organisations",
                                  set(held.organisations) | current),
    }


PAGE = FormPage(
    layer="activities",
    noun="activity",
    path="/activities",
    added="activity_added",
    labels={
        "name": "Name", "category": "What it is", "description": "Description",
        "organisation_id": "Who runs it", "asset_ids": "Where it runs",
        "schedule": "When it runs", "audience": "Who it is for",
        "age_min": "Youngest age (years)", "age_max": "Oldest age (years)", "cost": "Cost",
        "email": "Email address for enquiries", "phone": "Phone number for enquiries",
        "website": "Website", "status": "Is it running?", "last_verified": "Last checked",
    },
    hints={
        "name": "What people call it, for example Friendship Lunch",
        "organisation_id": "The id of the organisation that runs it, for example O1",
        "asset_ids": "The ids of the places where it runs, separated by semicolons, for "
                     "example A1;A2",
        "schedule": _SCHEDULE_HINT,
        "audience": "Tick everyone it is meant for",
        "age_min": "Leave empty if there is no lower age limit",
        "age_max": "Leave empty if there is no upper age limit",
        "cost": "For example: free, or £2 including tea",
        "last_verified": "The date these details were last confirmed",
    },
    steward_hints={
        "organisation_id": "One of your organisations, or none",
        "asset_ids": "Tick the places where it runs",
    },
    multiple=frozenset({"asset_ids"}),
    options=_steward_options,
)


def _sessions(schedule: Any) -> list[str]:
    """The next three sessions in words (none when the schedule does not parse)."""
    if not schedule:
        return []
    t = messages(DEFAULT_LANGUAGE)
    try:
        return [session_text(t, s) for s in next_occurrences(str(schedule), count=3)]
    except ValidationFailed:
        return []


@router.get("/activities/new", response_class=HTMLResponse)
def new_activity_form(
    request: Request, user: StewardPageDep, catalog: CatalogDep, store: StoreDep,
    asset: str | None = None, organisation: str | None = None,
) -> Response:
    values = {"status": "active", "asset_ids": asset, "organisation_id": organisation}
    return new_form(request, store, user, catalog, PAGE, values)


@router.post("/activities/new", response_class=HTMLResponse)
async def create_activity_page(
    request: Request, user: StewardPageDep, catalog: CatalogDep, store: StoreDep,
    settings: SettingsDep,
) -> Response:
    return await create_from_form(request, store, user, catalog, PAGE,
                                  review=settings.steward_edits == "review")


@router.get("/activities/{activity_id}/edit", response_class=HTMLResponse)
def edit_activity_form(
    request: Request, user: StewardPageDep, activity_id: str, catalog: CatalogDep,
    store: StoreDep,
) -> Response:
    feature = store.get(catalog[PAGE.layer], activity_id)
    schedule = feature.properties.get("schedule") if feature is not None else None
    return edit_form(request, store, user, catalog, PAGE, activity_id,
                     sessions=_sessions(schedule))


@router.post("/activities/{activity_id}/edit", response_class=HTMLResponse)
async def save_activity_page(
    request: Request, user: StewardPageDep, activity_id: str, catalog: CatalogDep,
    store: StoreDep, settings: SettingsDep,
) -> Response:
    return await save_from_form(request, store, user, catalog, PAGE, activity_id,
                                review=settings.steward_edits == "review")


@router.post("/activities/{activity_id}/delete", response_class=HTMLResponse)
async def delete_activity_page(
    request: Request, user: OfficerPageDep, activity_id: str, catalog: CatalogDep,
    store: StoreDep,
) -> Response:
    return await delete_from_form(request, store, user, catalog, PAGE, activity_id)
