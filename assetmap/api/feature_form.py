"""The HTML forms that add and edit a plain layer's features (organisations, activities), for
officers and stewards: fields from the layer's declaration, the error summary and inline
errors from the register's own checks, the version the form was opened on.

Every write goes through :mod:`assetmap.register.steward_edits`, as the JSON API's do, so a
steward's form is refused (403, nothing written) exactly where their API call would be. The
fields a steward may not change are shown, not offered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.officer_view import page_context, render_page
from assetmap.errors import AssetmapError, Forbidden, NotFound, PreconditionFailed
from assetmap.field_rules import split_list
from assetmap.layers import FieldSpec, LayerCatalog, LayerSpec
from assetmap.register.corrections import Correction
from assetmap.register.editing import delete_feature, feature_etag
from assetmap.register.steward_edits import change_as, create_as
from assetmap.register.stewardship import STEWARD_LOCKED_FIELDS, may_edit
from assetmap.register.users import User
from assetmap.store.base import Feature, Store

__all__ = [
    "FormPage",
    "Options",
    "create_from_form",
    "delete_from_form",
    "edit_form",
    "new_form",
    "save_from_form",
]

# Field -> (value, label) choices a page offers in place of free text (e.g. a steward's places).
Options = dict[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class FormPage:
    """What differs between the organisation and the activity forms."""

    layer: str
    noun: str  # "activity", "organisation"
    path: str  # "/activities"
    labels: Mapping[str, str]
    hints: Mapping[str, str] = field(default_factory=dict)
    # Where a steward's form reads differently (their places as checkboxes, not typed ids).
    steward_hints: Mapping[str, str] = field(default_factory=dict)
    # Fields offered as several checkboxes whose ticked values are kept as a semicolon list.
    multiple: frozenset[str] = frozenset()
    # The choices for fields that would otherwise be typed, for this user and these values.
    options: Callable[[Store, LayerCatalog, User, Mapping[str, Any]], Options] = (
        lambda *_: {})
    added: str = "created"  # the FLASHES code shown after adding


def _kind(spec: FieldSpec, page: FormPage, options: Options) -> str:
    if spec.name in options:
        return "checkboxes" if spec.name in page.multiple else "select"
    if spec.choices:
        return "checkboxes" if spec.format == "facilities" else "select"
    if spec.format == "multiline":
        return "textarea"
    return {"date": "date", "int": "number"}.get(spec.type, "text")


def _field(layer: LayerSpec, spec: FieldSpec, page: FormPage, options: Options,
           value: Any, problem: str, *, locked: bool, hints: Mapping[str, str]
           ) -> dict[str, Any]:
    text = "" if value is None else str(value)
    names = layer.labels.get(spec.name, {})
    choices = options.get(spec.name) or [(c, names.get(c, c)) for c in spec.choices or ()]
    return {
        "name": spec.name,
        "label": page.labels.get(spec.name, spec.name.replace("_", " ").capitalize()),
        "hint": hints.get(spec.name, spec.description),
        "required": spec.required,
        "kind": "locked" if locked else _kind(spec, page, options),
        "options": choices,
        "value": text,
        "shown": dict(choices).get(text, text) or "(none)",
        "ticked": set(split_list(text)),
        "problem": problem,
    }


def _locked(user: User, layer: LayerSpec) -> frozenset[str]:
    """The fields this user's form shows but does not offer."""
    if user.can("officer"):
        return frozenset()
    return STEWARD_LOCKED_FIELDS.get(layer.name, frozenset())


def _fields(store: Store, catalog: LayerCatalog, user: User, page: FormPage,
            values: Mapping[str, Any], problems: Mapping[str, str]) -> list[dict[str, Any]]:
    layer = catalog[page.layer]
    options = page.options(store, catalog, user, values)
    officer = user.can("officer")
    locked = _locked(user, layer)
    hints = {**page.hints, **({} if officer else page.steward_hints)}
    return [
        _field(layer, spec, page, options, values.get(spec.name), problems.get(spec.name, ""),
               locked=spec.name in locked, hints=hints)
        for spec in layer.fields if spec.name != layer.id_field
    ]


def problems_of(exc: AssetmapError) -> dict[str, str]:
    """Field -> what is wrong with it, from an error's details ("" for the form as a whole)."""
    found: dict[str, str] = {}
    for detail in exc.details:
        for name in str(detail.get("field", "")).split(","):
            if name:
                found.setdefault(name, str(detail.get("problem", "")))
    if not found or isinstance(exc, Forbidden):
        found = {"": exc.message, **found}
    return found


def _page(request: Request, store: Store, user: User, catalog: LayerCatalog, page: FormPage, *,
          feature: Feature | None, values: Mapping[str, Any],
          problems: Mapping[str, str] | None = None, status: int = 200,
          **extra: Any) -> HTMLResponse:
    problems = problems or {}
    name = feature.properties.get("name") or feature.id if feature is not None else ""
    title = f"Add an {page.noun}" if page.noun[0] in "aeiou" else f"Add a {page.noun}"
    fields = _fields(store, catalog, user, page, values, problems)
    labels = {f["name"]: f["label"] for f in fields}
    context = page_context(
        request, store, user, f"Edit {name}" if feature is not None else title,
        page=page, feature=feature, fields=fields,
        etag=feature_etag(feature) if feature is not None else "",
        action=(f"{page.path}/new" if feature is None
                else f"{page.path}/{quote(feature.id, safe='')}/edit"),
        errors=[{"text": f"{labels[key]}: {text}" if key in labels else text,
                 "target": key if key in labels else ""} for key, text in problems.items()],
        **extra,
    )
    if problems:
        context["title"] = f"Error: {context['title']}"
    return render_page("feature_form.html", context, status=status)


async def _submitted(request: Request, layer: LayerSpec, page: FormPage,
                     user: User) -> tuple[dict[str, Any], str]:
    """The values the form sent (blank -> None; ticked boxes joined by ';') and its etag."""
    form = await request.form()
    locked = _locked(user, layer)
    values: dict[str, Any] = {}
    for spec in layer.fields:
        if spec.name == layer.id_field or spec.name in locked:
            continue
        if spec.name in page.multiple or (spec.choices and spec.format == "facilities"):
            ticked = [str(v).strip() for v in form.getlist(spec.name) if str(v).strip()]
            values[spec.name] = ";".join(ticked) or None
        elif spec.name in form:
            values[spec.name] = str(form.get(spec.name, "")).strip() or None
    return values, str(form.get("etag", ""))


def _current(store: Store, user: User, layer: LayerSpec, feature_id: str) -> Feature:
    feature = store.get(layer, feature_id)
    if feature is None:
        raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
    if not may_edit(store, user, layer, feature_id):
        raise Forbidden(f"{user.name} does not steward {layer.name} {feature_id!r}; your "
                        "places and groups are at /your-places.")
    return feature


def new_form(request: Request, store: Store, user: User, catalog: LayerCatalog,
             page: FormPage, values: Mapping[str, Any]) -> HTMLResponse:
    return _page(request, store, user, catalog, page, feature=None, values=values)


def edit_form(request: Request, store: Store, user: User, catalog: LayerCatalog,
              page: FormPage, feature_id: str, **extra: Any) -> HTMLResponse:
    layer = catalog[page.layer]
    feature = _current(store, user, layer, feature_id)
    return _page(request, store, user, catalog, page, feature=feature,
                 values=feature.properties, **extra)


async def create_from_form(request: Request, store: Store, user: User, catalog: LayerCatalog,
                           page: FormPage, *, review: bool) -> Response:
    layer = catalog[page.layer]
    values, _ = await _submitted(request, layer, page, user)
    try:
        saved = create_as(store, catalog, layer, values, None, user=user, review=review)
    except AssetmapError as exc:
        if exc.status not in {403, 404, 422}:
            raise
        return _page(request, store, user, catalog, page, feature=None, values=values,
                     problems=problems_of(exc), status=exc.status)
    return RedirectResponse(
        f"{page.path}/{quote(saved.id, safe='')}/edit?done={page.added}", 303)


async def save_from_form(request: Request, store: Store, user: User, catalog: LayerCatalog,
                         page: FormPage, feature_id: str, *, review: bool) -> Response:
    layer = catalog[page.layer]
    current = _current(store, user, layer, feature_id)
    values, etag = await _submitted(request, layer, page, user)
    changes = {name: value for name, value in values.items()
               if _as_text(value) != _as_text(current.properties.get(name))}
    try:
        saved = change_as(store, catalog, layer, feature_id, if_match=etag, user=user,
                          properties=changes, review=review)
    except PreconditionFailed:
        latest = store.get(layer, feature_id) or current
        return _page(request, store, user, catalog, page, feature=latest,
                     values=latest.properties, status=412, problems={"": (
                         f"Someone else changed this {page.noun} after you opened it, so "
                         "nothing was saved. The form now shows it as it is: make your "
                         "change again.")})
    except AssetmapError as exc:
        if exc.status not in {403, 404, 422}:
            raise
        return _page(request, store, user, catalog, page, feature=current,
                     values={**current.properties, **values}, problems=problems_of(exc),
                     status=exc.status)
    if isinstance(saved, Correction):
        return RedirectResponse("/your-places?done=steward_queued", 303)
    return RedirectResponse(f"{page.path}/{quote(feature_id, safe='')}/edit?done=saved", 303)


def _as_text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


async def delete_from_form(request: Request, store: Store, user: User, catalog: LayerCatalog,
                           page: FormPage, feature_id: str) -> Response:
    """An officer's delete, once the box is ticked (archived, so it can be restored); an
    organisation or place that activities still name is refused with the form shown."""
    layer = catalog[page.layer]
    current = _current(store, user, layer, feature_id)
    form = await request.form()
    problems, status = {"": "Tick the box to confirm the deletion; nothing was deleted."}, 422
    if form.get("confirm") == "yes":
        try:
            delete_feature(store, layer, feature_id, if_match=str(form.get("etag", "")),
                           actor=user.name, catalog=catalog)
        except AssetmapError as exc:
            if exc.status not in {409, 412, 428}:
                raise
            problems, status = {"": exc.message}, exc.status
        else:
            return RedirectResponse("/your-places?done=deleted", 303)
    latest = store.get(layer, feature_id) or current
    return _page(request, store, user, catalog, page, feature=latest, values=latest.properties,
                 problems=problems, status=status)
