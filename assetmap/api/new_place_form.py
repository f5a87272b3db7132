"""The public "Tell us about a place we don't have" form: reading a submission, the kinds of
place as radios, and each problem worded for the reader and linked to its field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from assetmap.layers import LayerSpec
from assetmap.messages import Messages
from assetmap.register.new_places import NewPlace

__all__ = [
    "FORM_BODY_LIMIT",
    "NewPlaceForm",
    "category_options",
    "problem_views",
    "read_form_values",
]

# As the correction form: percent-encoding can triple non-ASCII text.
FORM_BODY_LIMIT = 64 * 1024
_TEXT = ("name", "category", "postcode", "longitude", "latitude", "contact", "message")


@dataclass(frozen=True)
class NewPlaceForm:
    """What the form sent, as typed (every value a string, "" when left out)."""

    name: str = ""
    category: str = ""
    postcode: str = ""
    longitude: str = ""
    latitude: str = ""
    contact: str = ""
    message: str = ""
    # "yes" once the resident has seen the possible duplicates and says it is another place.
    different: str = ""

    def place(self) -> NewPlace:
        return NewPlace(**{name: getattr(self, name) for name in _TEXT})

    def hidden(self) -> list[tuple[str, str]]:
        """The values to carry through the "Is it one of these?" step."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)
                if f.name != "different" and getattr(self, f.name)]


def read_form_values(form: Mapping[str, Sequence[str]]) -> NewPlaceForm:
    def first(name: str) -> str:
        values = form.get(name) or [""]
        return values[0]

    return NewPlaceForm(**{f.name: first(f.name) for f in fields(NewPlaceForm)})


def category_options(layer: LayerSpec, chosen: str) -> list[dict[str, Any]]:
    """The kinds of place, by their labels, as radios (each with its id for error links)."""
    choices = list(layer.field("category").choices or [])
    return [{"code": code, "label": layer.label("category", code), "id": f"category-{code}",
             "checked": code == chosen} for code in choices]


def _target(name: str, layer: LayerSpec) -> str:
    if name == "category":
        options = category_options(layer, "")
        return str(options[0]["id"]) if options else "name"
    if name == "position":
        return "postcode"  # the map is optional; the postcode is what a keyboard user has
    return name if name in ("name", "postcode", "contact", "message") else "name"


def problem_views(
    t: Messages, details: Sequence[Mapping[str, Any]], layer: LayerSpec
) -> list[dict[str, str]]:
    """Each problem in the reader's language, with the control its link goes to; the field
    it shows under (a point's problem shows under the postcode, where to fix it)."""
    views = []
    for detail in details:
        name = str(detail.get("field", ""))
        label = t.get(f"new_place.field.{name}", name.capitalize())
        values = {**(detail.get("values") or {}), "field": label}
        if isinstance(values.get("max"), int):
            values["max"] = f"{values['max']:,}"
        key = str(detail.get("key", ""))
        template = t.get(key.replace("correction.problem.", "new_place.problem."), "") or t.get(
            key, "")
        try:
            text = template.format(**values) if template else ""
        except (KeyError, IndexError, ValueError):
            text = ""
        shown = "postcode" if name == "position" else name
        views.append({"field": shown, "target": _target(name, layer),
                      "text": text or f"{label}: {detail.get('problem', '')}"})
    return views
