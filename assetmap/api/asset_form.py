"""The asset form's questions, its answers read back, and its errors in plain words.

Used by ``api/pages/assets.py``: coded fields are asked as the declared choices (radios
for one, checkboxes for a list such as the facilities), with no answer chosen for the
officer (the category is a required choice, never a silent default), and every problem
the register finds is said as GOV.UK error messages say it ("Enter the name of the
place", not "name: required").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from assetmap.errors import AssetmapError, Forbidden, ValidationFailed
from assetmap.field_rules import split_list
from assetmap.layers import FieldSpec, LayerCatalog, LayerSpec
from assetmap.register.geometry_input import point_from_lon_lat
from assetmap.register.placing import PLACED_FIELDS
from assetmap.register.stewardship import check_steward_write
from assetmap.register.users import User
from assetmap.register.write_preview import WritePreview, preview_asset_write
from assetmap.store.base import Feature, Store

__all__ = [
    "FIELD_LABELS",
    "answer_rows",
    "check_write",
    "form_fields",
    "hidden_answers",
    "plain_problems",
    "position_of",
    "read_answers",
]

# The question each field asks, as a council officer would say it.
FIELD_LABELS = {
    "id": "Id", "name": "Name of the place", "category": "What kind of place it is",
    "status": "Is it open?", "address": "Address", "postcode": "Postcode",
    "opening_times": "Opening times", "accessibility": "Accessibility and facilities",
    "email": "Email address", "website": "Website", "phone": "Telephone",
    "last_verified": "Date the details were last checked", "capacity": "Capacity (people)",
}
_REQUIRED = {
    "name": "Enter the name of the place",
    "category": "Choose what kind of place it is",
    "status": "Choose whether the place is open, at risk or closed",
    "geometry": "Enter the position as longitude and latitude, or choose it on the map",
}
_BAD = {
    "postcode": "Enter a full postcode, like LE12 7RX",
    "email": "Enter an email address in the correct format, like name@example.com",
    "website": "Enter a web address starting https:// or http://, like https://www.example.org",
    "phone": "Enter a telephone number, like 0116 305 0000",
    "last_verified": "Enter the date the details were last checked as a real date, like "
                     "2026-06-30",
    "capacity": "Enter how many people it holds as a whole number, like 80",
    "category": "Choose what kind of place it is from the list",
    "status": "Choose whether the place is open, at risk or closed",
}
_ID_HINT = "Leave empty and a new id is made, or give the id your own register uses."
_FIELD_ALIASES = {"lat": "latitude", "lon": "longitude", "geometry": "longitude"}


def _label(spec: FieldSpec) -> str:
    return FIELD_LABELS.get(spec.name, spec.name.replace("_", " ").capitalize())


def _asked(layer: LayerSpec, *, new: bool) -> list[FieldSpec]:
    # Ids never change; area codes follow from the position.
    return [spec for spec in layer.fields
            if not (spec.name == layer.id_field and not new) and spec.name not in PLACED_FIELDS]


def form_fields(
    layer: LayerSpec, values: Mapping[str, Any], problems: Mapping[str, str], *, new: bool
) -> list[dict[str, Any]]:
    """Each question: ``kind`` is text, date, radios or checkboxes."""
    fields = []
    for spec in _asked(layer, new=new):
        value = "" if values.get(spec.name) is None else str(values[spec.name])
        kind = "date" if spec.type == "date" else "text"
        options = None
        if spec.choices:
            names = layer.labels.get(spec.name, {})
            options = [(choice, names.get(choice, choice.replace("_", " ").capitalize()))
                       for choice in spec.choices]
            kind = "checkboxes" if spec.format == "facilities" else "radios"
        hint = _ID_HINT if spec.name == layer.id_field else spec.description
        if kind == "checkboxes":
            hint = "Select all that apply."
        fields.append({
            "name": spec.name, "label": _label(spec), "hint": hint, "kind": kind,
            "required": spec.required and spec.name != layer.id_field,
            "options": options, "value": value,
            "checked": set(split_list(value)) if kind == "checkboxes" else set(),
            "problem": problems.get(spec.name, ""),
        })
    return fields


def _plain(layer: LayerSpec, field: str, problem: str, message: str) -> str:
    if field in ("geometry", "longitude", "latitude"):
        return message if problem != "required" and message else _REQUIRED["geometry"]
    if problem == "required":
        spec = layer.field(field) if field in layer.field_names else None
        return _REQUIRED.get(field, f"Enter {_label(spec).lower() if spec else field}")
    if field in _BAD:
        return _BAD[field]
    if field in layer.field_names:
        return f"{_label(layer.field(field))} {problem}"
    return message or problem


def plain_problems(layer: LayerSpec, exc: AssetmapError) -> dict[str, str]:
    """Field (the form's input name) -> what to do, in plain words ("" for the whole form)."""
    found: dict[str, str] = {}
    if isinstance(exc, Forbidden):  # what a steward may not change: the register's words
        fields = [str(d.get("field", "")) for d in exc.details] or [""]
        return {_FIELD_ALIASES.get(name, name): exc.message for name in fields}
    for detail in exc.details:
        field = str(detail.get("field", ""))
        for name in field.split(","):
            said = _plain(layer, name, str(detail.get("problem", "")),
                          str(detail.get("message", exc.message)))
            found.setdefault(_FIELD_ALIASES.get(name, name), said)
    if not found:
        found[""] = exc.message
    return found


def read_answers(form: FormData, layer: LayerSpec) -> tuple[dict[str, str], tuple[str, str]]:
    """The form's answers by field (the facilities' boxes joined with ";") and its position."""
    values = {}
    for spec in layer.fields:
        if spec.format == "facilities" and spec.choices:
            if spec.name in form or "asked" in form:  # none ticked is an answer too
                values[spec.name] = ";".join(str(v).strip() for v in form.getlist(spec.name))
        elif spec.name in form:
            values[spec.name] = str(form.get(spec.name, "")).strip()
    coordinates = (str(form.get("longitude", "")).strip(), str(form.get("latitude", "")).strip())
    return values, coordinates


def _shown(layer: LayerSpec, spec: FieldSpec, value: Any) -> str:
    if value is None or value == "":
        return "Not given"
    if spec.format == "facilities":
        return ", ".join(layer.label(spec.name, item).replace("_", " ").capitalize()
                         for item in split_list(str(value)))
    if spec.choices:
        return layer.label(spec.name, str(value))
    return str(value)


def answer_rows(
    layer: LayerSpec, stored: Mapping[str, Any], before: Mapping[str, Any] | None, *, new: bool
) -> list[dict[str, Any]]:
    """The check-answers summary: every answer for a new asset; for an edit, what changes
    (with the value it had)."""
    rows = []
    for spec in _asked(layer, new=new):
        value = stored.get(spec.name)
        if spec.name == layer.id_field and not value:
            continue
        old = None if before is None else before.get(spec.name)
        if before is not None and _same(old, value):
            continue
        rows.append({"name": spec.name, "label": _label(spec),
                     "value": _shown(layer, spec, value),
                     "was": None if before is None else _shown(layer, spec, old)})
    return rows


def _same(a: Any, b: Any) -> bool:
    def text(v: Any) -> str:
        return "" if v is None else str(v)
    return text(a) == text(b)


def hidden_answers(layer: LayerSpec, stored: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The answers as hidden inputs, for the check page's Save and Change buttons."""
    pairs: list[tuple[str, str]] = [("asked", "yes")]
    for spec in layer.fields:
        if spec.name in PLACED_FIELDS or spec.name not in stored:
            continue
        value = stored[spec.name]
        if spec.format == "facilities" and spec.choices:
            pairs += [(spec.name, item) for item in split_list(str(value or ""))]
        else:
            pairs.append((spec.name, "" if value is None else str(value)))
    return pairs


def position_of(coordinates: tuple[str, str]) -> Any:
    """The position typed into the form, checked as the register checks it."""
    if not any(coordinates):
        return None
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except ValueError as exc:
        raise ValidationFailed(
            "Enter the position as decimal longitude and latitude, like -1.13 and 52.63",
            details=[{"field": "longitude", "problem": "not numbers",
                      "message": "Enter the position as decimal longitude and latitude, like "
                                 "-1.13 and 52.63"}],
        ) from exc
    return point_from_lon_lat(lon, lat)


def check_write(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, properties: dict[str, Any],
    coordinates: tuple[str, str], current: Feature | None, user: User | None = None,
) -> WritePreview:
    """The write checked in full; every problem (the position's and the fields') at once,
    then, for an edit by a steward, what a steward may not change (403, before the check
    page, not after it)."""
    try:
        point = position_of(coordinates)
    except ValidationFailed as exc:
        position = [{**detail, "message": exc.message} for detail in exc.details]
        try:
            preview_asset_write(store, catalog, layer, properties, None, current=current)
        except ValidationFailed as fields:
            position += [d for d in fields.details if d.get("field") != "geometry"]
        raise ValidationFailed(exc.message, details=position) from exc
    preview = preview_asset_write(store, catalog, layer, properties, point, current=current)
    if user is not None and current is not None:
        check_steward_write(store, user, layer, current.id, properties,
                            preview.point if preview.move else None)
    return preview
