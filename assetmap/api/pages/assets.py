"""The officers' asset forms: add, edit, move, verify, close and delete (``/assets/…``).

Marking an asset closed or at risk goes through a confirmation step that shows
the residents who would lose their only hub within reach (``api/impact_view.py``);
the change is saved, with that impact in its audit entry, only once confirmed.

Plain HTML forms that work without JavaScript (the map links into them);
every write goes through the same register functions as the JSON API
(``routes/assets.py``). A form carries the ETag of the version it was opened
on, so a form submitted after someone else's change is refused, never silently
applied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.analysis import ReportService
from assetmap.api.deps import CatalogDep, ReportsDep, SettingsDep, StoreDep
from assetmap.api.impact_view import (
    CONFIRMED,
    IMPACT_STATUSES,
    closure_impact_for,
    confirmation_page,
    impact_note,
)
from assetmap.api.officer_view import (
    OfficerPageDep,
    StewardPageDep,
    page_context,
    render_page,
    safe_next,
)
from assetmap.crs import metric_to_lonlat
from assetmap.errors import AssetmapError, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.register.audit import audit_entries
from assetmap.register.editing import (
    VERIFIED_FIELD,
    check_new_properties,
    create_asset,
    delete_feature,
    feature_etag,
    update_feature,
)
from assetmap.register.geometry_input import point_from_lon_lat
from assetmap.register.placing import PLACED_FIELDS
from assetmap.register.steward_edits import change_as
from assetmap.register.stewardship import may_edit
from assetmap.register.users import User
from assetmap.store.base import Feature, Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

LAYER = "assets"


# -- the form -------------------------------------------------------------------------------
def _form_fields(
    layer: LayerSpec, values: dict[str, Any], problems: dict[str, str], *, new: bool
) -> list[dict[str, Any]]:
    labels = layer.labels
    fields = []
    for spec in layer.fields:
        if (spec.name == layer.id_field and not new) or spec.name in PLACED_FIELDS:
            continue  # ids never change; area codes follow from the position
        options = None
        if spec.choices and spec.format != "facilities":  # a list of them is typed
            names = labels.get(spec.name, {})
            options = [(choice, names.get(choice, choice)) for choice in spec.choices]
        fields.append(
            {
                "name": spec.name,
                "label": spec.name.replace("_", " ").capitalize(),
                "hint": _ID_HINT if spec.name == layer.id_field else spec.description,
                "required": spec.required and spec.name != layer.id_field,
                "type": spec.type,
                "options": options,
                "value": "" if values.get(spec.name) is None else str(values[spec.name]),
                "problem": problems.get(spec.name, ""),
            }
        )
    return fields


def _problems(exc: AssetmapError) -> dict[str, str]:
    """Field -> what is wrong with it, from an error's details ("" for the form as a whole)."""
    found: dict[str, str] = {}
    for detail in exc.details:
        field = str(detail.get("field", ""))
        for name in field.split(","):
            found.setdefault(_FIELD_ALIASES.get(name, name), str(detail.get("problem", "")))
    if not found:
        found[""] = exc.message
    return found


_ID_HINT = "Leave empty and a new id is made, or give the id your own register uses."
_FIELD_ALIASES = {"lat": "latitude", "lon": "longitude", "geometry": "longitude"}


def _asset_page(
    request: Request,
    store: Store,
    user: User,
    layer: LayerSpec,
    *,
    feature: Feature | None,
    values: dict[str, Any],
    coordinates: tuple[str, str],
    problems: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    moved_from: tuple[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    problems = problems or {}
    new = feature is None
    title = (
        "Add an asset" if feature is None
        else f"Edit {feature.properties.get('name') or feature.id}"
    )
    context = page_context(
        request, store, user, title,
        new=new,
        feature=feature,
        etag=feature_etag(feature) if feature is not None else "",
        fields=_form_fields(layer, values, problems, new=new),
        longitude=coordinates[0],
        latitude=coordinates[1],
        problems=problems,
        conflict=conflict,
        moved_from=moved_from,
        today=dt.date.today().isoformat(),
    )
    return render_page("asset_form.html", context, status=status)


def _conflict_page(
    request: Request, user: User, store: Store, layer: LayerSpec, seen: Feature,
    yours: dict[str, Any],
) -> HTMLResponse:
    """412: the asset as it is now (with its new ETag), what this officer tried, and who
    changed it meanwhile."""
    latest = store.get(layer, seen.id) or seen
    entries = audit_entries(store, where={"layer": layer.name, "feature_id": seen.id}, limit=10)
    return _asset_page(
        request, store, user, layer, feature=latest, values=latest.properties,
        coordinates=_coordinates_of(latest), conflict={"yours": yours, "entries": entries},
        status=412,
    )


def _coordinates_of(feature: Feature) -> tuple[str, str]:
    lon, lat = metric_to_lonlat(feature.geometry.x, feature.geometry.y)  # type: ignore[union-attr]
    return f"{lon:.6f}", f"{lat:.6f}"


async def _submitted(request: Request, layer: LayerSpec) -> tuple[dict[str, Any], tuple[str, str]]:
    form = await request.form()
    values = {
        spec.name: str(form.get(spec.name, "")).strip()
        for spec in layer.fields
        if spec.name in form
    }
    coordinates = (str(form.get("longitude", "")).strip(), str(form.get("latitude", "")).strip())
    return values, coordinates


def _point(coordinates: tuple[str, str]) -> Any:
    """The position typed into the form, checked as the register checks it."""
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except ValueError as exc:
        raise ValidationFailed(
            "Give the position as decimal longitude and latitude, e.g. -1.13 and 52.63",
            details=[{"field": "longitude", "problem": "longitude and latitude must be numbers"}],
        ) from exc
    return point_from_lon_lat(lon, lat)


def _asset(catalog: CatalogDep, store: Store, asset_id: str,
           user: User | None = None) -> tuple[LayerSpec, Feature]:
    """The asset, if ``user`` (when given) may edit it: a steward only what they steward."""
    layer = catalog[LAYER]
    feature = store.get(layer, asset_id)
    if feature is None:
        raise NotFound(f"No asset with id {asset_id!r}")
    if user is not None and not may_edit(store, user, layer, asset_id):
        raise Forbidden(f"{user.name} does not steward asset {asset_id!r}; your places are "
                        "listed at /your-places.")
    return layer, feature


def _property_problems(layer: LayerSpec, properties: dict[str, Any]) -> dict[str, str]:
    try:
        check_new_properties(layer, properties)
    except ValidationFailed as exc:
        return _problems(exc)
    return {}


# -- adding and editing ---------------------------------------------------------------------
@router.get("/assets/new", response_class=HTMLResponse)
def new_asset_form(
    request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep,
    lon: float | None = None, lat: float | None = None,
) -> Response:
    coordinates = ("" if lon is None else f"{lon:.6f}", "" if lat is None else f"{lat:.6f}")
    values = {"status": "open", VERIFIED_FIELD: dt.date.today().isoformat()}
    return _asset_page(
        request, store, user, catalog[LAYER], feature=None, values=values,
        coordinates=coordinates,
    )


@router.post("/assets/new", response_class=HTMLResponse)
async def create_asset_page(
    request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep
) -> Response:
    layer = catalog[LAYER]
    values, coordinates = await _submitted(request, layer)
    properties = {k: v or None for k, v in values.items()}

    def refused(problems: dict[str, str]) -> Response:
        return _asset_page(
            request, store, user, layer, feature=None, values=values, coordinates=coordinates,
            problems=problems, status=422,
        )

    try:
        point = _point(coordinates)
    except ValidationFailed as exc:
        # List the fields' problems with the position's, so the form shows them all at once.
        return refused({**_problems(exc), **_property_problems(layer, properties)})
    try:
        saved = create_asset(store, catalog, layer, properties, point, actor=user.name)
    except ValidationFailed as exc:
        return refused(_problems(exc))
    return RedirectResponse(f"/assets/{quote(saved.id, safe='')}/edit?done=created", 303)


@router.get("/assets/{asset_id}/edit", response_class=HTMLResponse)
def edit_asset_form(
    request: Request, user: StewardPageDep, asset_id: str, catalog: CatalogDep, store: StoreDep,
    lon: float | None = None, lat: float | None = None,
) -> Response:
    layer, feature = _asset(catalog, store, asset_id, user)
    # "Move on the map" lands here with the new position, saved only when the form is.
    chosen = lon is not None and lat is not None
    coordinates = (f"{lon:.6f}", f"{lat:.6f}") if chosen else _coordinates_of(feature)
    return _asset_page(
        request, store, user, layer, feature=feature, values=feature.properties,
        coordinates=coordinates, moved_from=_coordinates_of(feature) if chosen else None,
    )


async def _impact_step(
    request: Request, user: User, store: Store, reports: ReportService, current: Feature,
    status: str, action: str,
) -> tuple[Response | None, dict[str, Any]]:
    """Before a closure (or at-risk) is saved: the confirmation page, or once confirmed the
    audit note of the impact that page showed."""
    form = await request.form()
    impact = await run_in_threadpool(closure_impact_for, reports, current.id)
    if form.get("confirm") == CONFIRMED:
        return None, impact_note(impact, status)
    name = current.properties.get("name") or current.id
    label = "closed" if status == "closed" else "at risk"
    page = confirmation_page(
        request, store, user, title=f"Mark {name} {label}?",
        lead=f"You are about to mark {name} ({current.id}) {label}.",
        impact=impact, status=status, action=action,
        hidden=[(k, str(v)) for k, v in form.multi_items() if k != "confirm"],
        button=f"Yes, mark it {label}", back=f"/assets/{quote(current.id, safe='')}/edit",
    )
    return page, {}


@router.post("/assets/{asset_id}/edit", response_class=HTMLResponse)
async def save_asset(
    request: Request, user: StewardPageDep, asset_id: str, catalog: CatalogDep, store: StoreDep,
    reports: ReportsDep, settings: SettingsDep,
) -> Response:
    layer, current = _asset(catalog, store, asset_id, user)
    values, coordinates = await _submitted(request, layer)
    etag = str((await request.form()).get("etag", ""))
    values.pop(layer.id_field, None)
    changes = {
        name: (value or None)
        for name, value in values.items()
        if (value or None) != _as_text(current.properties.get(name))
    }
    notes: dict[str, Any] = {}
    if changes.get("status") in IMPACT_STATUSES:
        action = f"/assets/{quote(asset_id, safe='')}/edit"
        page, notes = await _impact_step(request, user, store, reports, current,
                                         str(changes["status"]), action)
        if page is not None:
            return page
    try:
        point = _point(coordinates)
        moved = coordinates != _coordinates_of(current)
        saved = change_as(
            store, catalog, layer, asset_id, if_match=etag, user=user,
            properties=changes, geometry=point if moved else None, notes=notes,
            review=settings.steward_edits == "review",
        )
    except PreconditionFailed:
        return _conflict_page(request, user, store, layer, current, changes)
    except (ValidationFailed, NotFound, Forbidden) as exc:
        return _asset_page(
            request, store, user, layer, feature=current, values={**current.properties, **values},
            coordinates=coordinates, problems=_problems(exc), status=exc.status,
        )
    if not isinstance(saved, Feature):  # a steward's change waits for an officer
        return RedirectResponse("/your-places?done=steward_queued", 303)
    return RedirectResponse(f"/assets/{quote(asset_id, safe='')}/edit?done=saved", 303)


def _as_text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


# -- quick actions from the map and the stale list ------------------------------------------
async def _quick_change(
    request: Request, user: User, asset_id: str, catalog: CatalogDep, store: Store,
    properties: dict[str, Any], done: str, notes: dict[str, Any] | None = None,
) -> Response:
    """Change a field or two, then go back to the page the button was on."""
    layer, current = _asset(catalog, store, asset_id)
    form = await request.form()
    back = safe_next(str(form.get("next", f"/assets/{quote(asset_id, safe='')}/edit")))
    try:
        update_feature(
            store, layer, asset_id, if_match=str(form.get("etag", "")), actor=user.name,
            properties=properties, notes=notes,
        )
    except PreconditionFailed:
        return _conflict_page(request, user, store, layer, current, properties)
    separator = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{separator}done={done}", 303)


@router.post("/assets/{asset_id}/verify")
async def verify_asset(
    request: Request, user: StewardPageDep, asset_id: str, catalog: CatalogDep, store: StoreDep
) -> Response:
    _asset(catalog, store, asset_id, user)  # a steward: only what they steward
    today = dt.date.today().isoformat()
    return await _quick_change(
        request, user, asset_id, catalog, store, {VERIFIED_FIELD: today}, "verified"
    )


@router.post("/assets/{asset_id}/close")
async def close_asset(
    request: Request, user: OfficerPageDep, asset_id: str, catalog: CatalogDep, store: StoreDep,
    reports: ReportsDep,
) -> Response:
    _, current = _asset(catalog, store, asset_id)
    action = f"/assets/{quote(asset_id, safe='')}/close"
    page, notes = await _impact_step(request, user, store, reports, current, "closed", action)
    if page is not None:
        return page
    return await _quick_change(
        request, user, asset_id, catalog, store, {"status": "closed"}, "closed", notes
    )


@router.post("/assets/{asset_id}/delete")
async def delete_asset(
    request: Request, user: OfficerPageDep, asset_id: str, catalog: CatalogDep, store: StoreDep
) -> Response:
    layer, current = _asset(catalog, store, asset_id)
    form = await request.form()
    if form.get("confirm") != "yes":
        return _asset_page(
            request, store, user, layer, feature=current, values=current.properties,
            coordinates=_coordinates_of(current), status=422,
            problems={"": "Tick the box to confirm the deletion; nothing was deleted."},
        )
    try:
        delete_feature(store, layer, asset_id, if_match=str(form.get("etag", "")),
                       actor=user.name, catalog=catalog)
    except PreconditionFailed:
        return _conflict_page(request, user, store, layer, current, {})
    query = urlencode({"layer": layer.name, "feature_id": asset_id, "done": "deleted"})
    return RedirectResponse(f"/audit?{query}", 303)
