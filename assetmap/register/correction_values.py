"""Checking the values a correction proposes: text limits, shapes, who may set what.

Each problem is reported in English and as a message key with values
(``correction.problem.<kind>``), so the public form can say it in the
reader's language; every bad field is reported at once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import LayerSpec
from assetmap.store.validation import convert_value

__all__ = [
    "MAX_CONTACT",
    "MAX_MESSAGE",
    "MAX_NOTE",
    "MAX_VALUE",
    "RESIDENT_FIELDS",
    "RESIDENT_STATUSES",
    "as_text",
    "clean_changes",
    "optional_text",
    "problem",
    "same",
]

# What a resident can know without an officer's records; category, district and
# the verified date stay with officers.
RESIDENT_FIELDS = (
    "name", "address", "postcode", "opening_times", "accessibility",
    "email", "website", "phone", "status",
)
# Residents may report that a place has closed; "at risk" is the council's judgement.
RESIDENT_STATUSES = ("closed",)
MAX_MESSAGE = 2_000
MAX_VALUE = 500
MAX_CONTACT = 200
MAX_NOTE = 2_000
_LINE_BREAKS = {"\n", "\r", "\t"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # javascript:, mailto:, https: …


def problem(field: str, text: str, fix: str, key: str, **values: Any) -> dict[str, Any]:
    """One problem, in English and as a message key the public pages can translate."""
    return {"field": field, "problem": text, "fix": fix,
            "key": f"correction.problem.{key}", "values": values}


def _control_characters(text: str, *, allow_breaks: bool) -> bool:
    return any(
        unicodedata.category(char) == "Cc" and not (allow_breaks and char in _LINE_BREAKS)
        for char in text
    )


def _text_problem(
    field: str, value: Any, limit: int, *, allow_breaks: bool = False
) -> dict[str, Any] | None:
    if not isinstance(value, str):
        return problem(field, "must be text", "send the value as a string", "not_text")
    if len(value) > limit:
        return problem(field, f"is {len(value):,} characters, more than the {limit:,} allowed",
                       f"shorten it to {limit:,} characters or fewer", "too_long", max=limit)
    if _control_characters(value, allow_breaks=allow_breaks):
        return problem(field, "contains control characters",
                       "remove them (paste the text as plain text)", "control")
    return None


def optional_text(
    field: str, value: Any, limit: int, problems: list[dict[str, Any]], *, allow_breaks: bool
) -> str | None:
    if value is None:
        return None
    found = _text_problem(field, value, limit, allow_breaks=allow_breaks)
    if found is not None:
        problems.append(found)
        return None
    return str(value).strip() or None


# A field rule's kind of refusal -> the public form's message key.
_KEYS = {"too_long": "too_long", "control": "control", "invisible": "control",
         "postcode": "postcode", "email": "email", "url": "website", "phone": "phone",
         "facilities": "accessibility"}


def _checked(layer: LayerSpec, name: str, raw: str) -> tuple[Any, dict[str, Any] | None]:
    """The value by the field rules every write follows; a bare "www.…" gets ``https://``."""
    spec = layer.field(name)
    format_ = layer.format_of(spec)
    if format_ == "url" and raw.strip() and not _SCHEME.match(raw.strip()):
        raw = "https://" + raw.strip()
    try:
        return (check_text(spec, raw, format_) if format_ else raw.strip() or None), None
    except FieldProblem as exc:
        values = {"max": exc.limit} if exc.kind == "too_long" else {}
        return None, problem(name, exc.problem, exc.fix, _KEYS.get(exc.kind, "invalid"), **values)


def clean_changes(
    layer: LayerSpec, changes: Mapping[str, Any], *, resident: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Proposed values checked and converted, with a problem per bad field."""
    allowed = [name for name in RESIDENT_FIELDS if name in layer.field_names]
    specs = {spec.name: spec for spec in layer.fields}
    cleaned: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for name, raw in changes.items():
        if name not in allowed:
            problems.append(problem(
                str(name)[:100], "cannot be corrected here",
                f"suggest changes to {', '.join(allowed)}, or say what is wrong in the message",
                "not_allowed"))
            continue
        value: Any = raw
        if raw is not None:
            found = (problem(name, "must be text", "send the value as a string", "not_text")
                     if not isinstance(raw, str) else None)
            if found is None:
                value, found = _checked(layer, name, raw)
            if found is not None:
                problems.append(found)
                continue
        if name == "status" and resident and value not in RESIDENT_STATUSES:
            problems.append(problem(name, "can only be reported as closed",
                                    "send \"closed\", or describe the change in the message",
                                    "status"))
            continue
        try:
            value = convert_value(specs[name], value)
        except (TypeError, ValueError) as exc:
            problems.append(problem(name, str(exc), f"give a valid {specs[name].type}",
                                    "invalid"))
            continue
        if value is None and specs[name].required:
            problems.append(problem(name, "cannot be left empty", "give the right value",
                                    "required"))
            continue
        cleaned[name] = value
    return cleaned, problems


def as_text(value: Any) -> str | None:
    """A stored value as text for comparing (empty and missing are the same)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return str(value)


def same(sent: Any, current: Any) -> bool:
    """Is a sent value just the current one sent back (as a prefilled form does)?"""
    if sent is None or isinstance(sent, str):
        return (sent or "").strip() == (as_text(current) or "")
    return False
