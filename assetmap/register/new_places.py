""""Tell us about a place we don't have": a resident's new place, checked and queued for an
officer, and the asset it becomes when accepted.

A resident gives the place's name, what it is (one of the layer's categories), where it is
(a postcode the store's postcode reference knows, or a point clicked on the map, or both:
the point then places it and the postcode is kept as its postcode), and may leave an email
address or phone number for a reply and a message. Everything is checked before anything
is stored: a malformed or unknown postcode and a point outside the county are refused with
the field named, and the same hourly limit and sizes as corrections apply. Possible
duplicates are found by :mod:`assetmap.register.place_duplicates`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from assetmap.crs import lonlat_to_metric
from assetmap.errors import ValidationFailed
from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.postcodes import normalise_postcode
from assetmap.register.correction_values import MAX_CONTACT, MAX_MESSAGE, optional_text, problem
from assetmap.register.editing import create_in_transaction
from assetmap.register.placing import new_feature_id, place_codes, require_in_county
from assetmap.register.suggestion_queue import Correction, queue_suggestion
from assetmap.store.base import Feature, Store, Transaction

__all__ = [
    "NewPlace",
    "PlacedSuggestion",
    "check_new_place",
    "create_new_place",
    "queue_new_place",
    "submit_new_place",
]

MAX_NAME = 200


@dataclass(frozen=True)
class NewPlace:
    """What a resident sent, as typed (the form's strings or the API's JSON values)."""

    name: Any = None
    category: Any = None
    postcode: Any = None
    longitude: Any = None
    latitude: Any = None
    contact: Any = None
    message: Any = None


@dataclass(frozen=True)
class PlacedSuggestion:
    """A new place checked: its proposed properties, where it is (EPSG:27700) and the rest."""

    properties: dict[str, Any]
    point: BaseGeometry
    district: str | None
    contact: str | None
    message: str | None


def _name(value: Any, problems: list[dict[str, Any]]) -> str | None:
    text = optional_text("name", value, MAX_NAME, problems, allow_breaks=False)
    if text is None and not any(p["field"] == "name" for p in problems):
        problems.append(problem("name", "is missing", "enter the name of the place",
                                "required"))
    return text


def _category(layer: LayerSpec, value: Any, problems: list[dict[str, Any]]) -> str | None:
    choices: list[str] = list(layer.field("category").choices or [])
    if isinstance(value, str) and value.strip() in choices:
        return value.strip()
    labels = ", ".join(layer.label("category", c) for c in choices)
    problems.append(problem("category", "is not one of the kinds of place listed",
                            f"choose one of: {labels}", "category"))
    return None


def _contact(layer: LayerSpec, value: Any, problems: list[dict[str, Any]]) -> str | None:
    """An email address or a phone number, by the rules of the layer's own fields."""
    text = optional_text("contact", value, MAX_CONTACT, problems, allow_breaks=False)
    if text is None:
        return None
    name = "email" if "@" in text else "phone"
    spec = layer.field(name)
    try:
        return check_text(spec, text, layer.format_of(spec))
    except FieldProblem as exc:
        problems.append(problem("contact", f"{exc.problem}",
                                "give an email address like name@example.org or a phone "
                                "number like 0116 496 0123, or leave it empty", "contact"))
        return None


def _coordinate(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(value)  # ValueError/TypeError for words; the caller reports it
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _clicked(place: NewPlace, problems: list[dict[str, Any]]) -> Point | None:
    try:
        lon, lat = _coordinate(place.longitude), _coordinate(place.latitude)
    except (TypeError, ValueError):
        problems.append(problem("position", "is not a longitude and latitude",
                                "click the map again, or enter a postcode instead",
                                "position"))
        return None
    if lon is None and lat is None:
        return None
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problems.append(problem("position", "is not a longitude and latitude",
                                "click the map again, or enter a postcode instead",
                                "position"))
        return None
    return Point(lonlat_to_metric(lon, lat))


def _postcode(store: Store, catalog: LayerCatalog, value: Any,
              problems: list[dict[str, Any]]) -> tuple[str | None, Point | None]:
    """The postcode as written in the register and its point from the postcode reference."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    code = normalise_postcode(value) if isinstance(value, str) else None
    if code is None:
        problems.append(problem("postcode", "is not a full UK postcode",
                                "enter it like LE12 7RX", "postcode"))
        return None, None
    reference = catalog.get("postcodes")
    found = store.get(reference, code) if reference is not None and store.has_layer(
        reference) else None
    if found is None or found.geometry is None:
        problems.append(problem("postcode", f"{code} is not a postcode in the county",
                                "check it, or click where the place is on the map",
                                "postcode_unknown", postcode=code))
        return code, None
    return code, Point(found.geometry.x, found.geometry.y)


def _placed(store: Store, catalog: LayerCatalog, layer: LayerSpec,
            point: BaseGeometry) -> dict[str, Any] | None:
    """The area codes of ``point``, or None when it lies outside the county. A point the
    district polygons (or 100 m beyond them) place is inside, which is what
    ``require_in_county`` asks; only an unplaced point needs its fuller check."""
    codes = place_codes(store, catalog, layer, point)
    if codes.get("district_code"):
        return codes
    try:
        require_in_county(store, catalog, point)  # a store without districts has no county
    except ValidationFailed:
        return None
    return codes


def check_new_place(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, place: NewPlace
) -> PlacedSuggestion:
    """The new place checked, or :class:`ValidationFailed` with every problem at once."""
    problems: list[dict[str, Any]] = []
    name = _name(place.name, problems)
    category = _category(layer, place.category, problems)
    postcode, postcode_point = _postcode(store, catalog, place.postcode, problems)
    clicked = _clicked(place, problems)
    point = clicked or postcode_point
    if point is None and not any(p["field"] in ("postcode", "position") for p in problems):
        problems.append(problem("postcode", "is missing",
                                "enter the postcode, or click where the place is on the map",
                                "where"))
    codes = None if point is None else _placed(store, catalog, layer, point)
    if point is not None and codes is None:
        problems.append(problem("position" if clicked else "postcode", "is outside the county",
                                "we can only add places in the county; check where it is",
                                "outside"))
    contact = _contact(layer, place.contact, problems)
    message = optional_text("message", place.message, MAX_MESSAGE, problems, allow_breaks=True)
    if problems or point is None or codes is None:
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ValidationFailed(f"The new place was not sent: {summary}", details=problems)
    properties = {"name": name, "category": category}  # open once accepted
    if postcode is not None:
        properties["postcode"] = postcode
    return PlacedSuggestion(properties, point, codes.get("district_code"), contact, message)


def submit_new_place(
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    place: NewPlace,
    client_key: str,
    now: dt.datetime | None = None,
    *,
    per_hour: int = 5,
) -> Correction:
    """Check a resident's new place and queue it (kind ``new_place``) for an officer."""
    checked = check_new_place(store, catalog, layer, place)
    return queue_new_place(store, layer, checked, client_key, now, per_hour=per_hour)


def queue_new_place(
    store: Store,
    layer: LayerSpec,
    checked: PlacedSuggestion,
    client_key: str,
    now: dt.datetime | None = None,
    *,
    per_hour: int = 5,
) -> Correction:
    """Queue a new place :func:`check_new_place` passed; 429 past the hourly limit."""
    values = {
        "layer": layer.name,
        "feature_id": "",
        "changes": json.dumps(checked.properties, ensure_ascii=False, sort_keys=True),
        "message": checked.message,
        "contact": checked.contact,
        "kind": "new_place",
        "author": None,
        "district": checked.district,
        "position": checked.point.wkt,
    }
    return queue_suggestion(store, values, client_key=client_key,
                            now=now or dt.datetime.now(dt.UTC), per_hour=per_hour)


def create_new_place(
    transaction: Transaction,
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    properties: Mapping[str, Any],
    point: BaseGeometry | None,
    *,
    actor: str,
    at: str,
) -> Feature:
    """The asset an accepted new place becomes (audited as ``create``), in the caller's
    transaction: a fresh id, its area codes from where it lies, open unless said otherwise."""
    if point is None:
        raise ValidationFailed("The suggested new place has no position, so it cannot be "
                               "added; reject it, or add the place with the asset form.")
    placed = _placed(store, catalog, layer, point)
    if placed is None:
        require_in_county(store, catalog, point)  # raises, saying how far outside
        placed = {}
    values = {"status": "open", **properties}
    values[layer.id_field] = new_feature_id(store, layer)
    values.update({k: v for k, v in placed.items() if not values.get(k)})
    return create_in_transaction(transaction, layer, values, point, actor=actor, at=at)
