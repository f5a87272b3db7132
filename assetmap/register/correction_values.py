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
from urllib.parse import urlsplit

from assetmap.layers import LayerSpec
from assetmap.postcodes import normalise_postcode
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
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9 ().\-]+(?:\s*(?:ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)
_FACILITY = re.compile(r"^[a-z][a-z0-9_]*$")


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


def _not_facilities(value: str) -> bool:
    return not all(_FACILITY.match(code.strip()) for code in value.split(";") if code.strip())


def _web_address(value: str) -> bool:
    """An http(s) address with a dotted host name (never ``javascript:`` or a bare word)."""
    if not _WEBSITE.match(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and "." in (parts.hostname or "")


def _shaped(name: str, value: str) -> tuple[str | None, dict[str, Any] | None]:
    """Normalise fields with a known shape; a problem says how to write them."""
    if name == "postcode":
        postcode = normalise_postcode(value)
        if postcode is None:
            return None, problem(name, "is not a UK postcode", "write it like LE1 1AA",
                                 "postcode")
        return postcode, None
    if name == "email" and not _EMAIL.match(value):
        return None, problem(name, "is not an email address",
                             "write it like name@example.org", "email")
    if name == "website":
        if "://" not in value:
            value = "https://" + value
        if not _web_address(value):
            return None, problem(name, "is not a web address",
                                 "write it like https://www.example.org", "website")
    if name == "phone" and (
        not _PHONE.match(value) or sum(char.isdigit() for char in value) < 6
    ):
        return None, problem(name, "is not a phone number",
                             "write it like 0116 123 4567", "phone")
    if name == "accessibility":
        if _not_facilities(value):
            return None, problem(name, "is not a list of facility codes",
                                 "write codes separated by ;, e.g. step_free;hearing_loop",
                                 "accessibility")
        value = ";".join(code.strip() for code in value.split(";") if code.strip())
    return value, None


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
            found = _text_problem(name, raw, MAX_VALUE)
            if found is not None:
                problems.append(found)
                continue
            value = raw.strip() or None
        if value is not None:
            value, found = _shaped(name, value)
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
