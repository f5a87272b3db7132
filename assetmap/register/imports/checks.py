"""Row values checked before the layer's own schema check: text hygiene, ids, postcodes, links.

Text is stored as typed: HTML in a name is kept verbatim (pages escape it on
output) and a cell starting with ``=`` stays as it is (CSV exports neutralise
it). What is refused is what no person means to type: control characters,
right-to-left overrides in a name, web addresses that are not http(s).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.postcodes import normalise_postcode
from assetmap.register.imports.model import Problem, SourceRow
from assetmap.store.validation import clean_properties

__all__ = ["check_row_values", "schema_problems"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
# Characters that reorder text on screen: a name could be made to read differently.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_SINGLE_LINE = ("name",)  # besides the id field
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 4000


def _shown(value: Any) -> str:
    text = str(value)
    text = "".join(c if unicodedata.category(c) != "Cc" else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= 80 else text[:77] + "…"


def _problem(row: SourceRow, field: str, value: Any, problem: str, fix: str) -> Problem:
    return Problem(where=row.where, row=row.row, field=field, value=_shown(value),
                   problem=problem, fix=fix)


def _text_problem(name: str, text: str, single_line: bool) -> tuple[str, str] | None:
    allowed = "" if single_line else "\n\t"
    # Plain printable ASCII holds no control or direction character: skip the scan.
    for char in "" if text.isascii() and text.isprintable() else text:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            what = "a line break" if char in "\n\r" else f"a control character (U+{ord(char):04X})"
            return f"contains {what}", "remove it: this field is one line of plain text"
        if single_line and char in _BIDI:
            return (f"contains a text-direction control (U+{ord(char):04X}) that changes how the "
                    "name reads on screen"), "remove it and type the name plainly"
    limit = MAX_NAME_CHARS if name == "name" else MAX_TEXT_CHARS
    if len(text) > limit:
        return f"is {len(text):,} characters long (at most {limit:,})", "shorten it"
    return None


def _check_one(layer: LayerSpec, row: SourceRow, name: str, value: Any) -> Any:
    """The value to pass on, or raise ValueError-like problems by appending to ``row``."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime) and layer.field(name).type == "date":
        value = value.date()
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    single = name == layer.id_field or name in _SINGLE_LINE
    found = _text_problem(name, text, single)
    if found is not None:
        row.problems.append(_problem(row, name, text, *found))
        return text  # refused already; passed on so no "required" is added on top
    if name == layer.id_field and not _ID.match(text):
        row.problems.append(_problem(
            row, name, text, "is not a usable id (it appears in web addresses)",
            "use at most 64 letters, digits, '-', '_', '.' or ':', starting with a letter or digit",
        ))
    elif name == "postcode":
        postcode = normalise_postcode(text)
        if postcode is None:
            row.problems.append(_problem(
                row, name, text, "is not a full UK postcode",
                "correct it (e.g. LE1 1AA) or leave it empty",
            ))
        return postcode
    elif name == "website" and not text.lower().startswith(("https://", "http://")):
        row.problems.append(_problem(
            row, name, text, "is not a web address starting with https:// or http://",
            "give the full address, e.g. https://www.example.org/",
        ))
    elif name == "email" and not _EMAIL.match(text):
        row.problems.append(_problem(
            row, name, text, "is not an email address", "give one like bookings@example.org",
        ))
    return text


def check_row_values(layer: LayerSpec, row: SourceRow) -> dict[str, Any]:
    """The row's values tidied (trimmed, postcodes normalised); problems go on ``row``."""
    checked: dict[str, Any] = {}
    for name, value in row.values.items():
        if isinstance(value, dict | list):
            row.problems.append(_problem(
                row, name, value, "is a list or object", "give a single value",
            ))
            continue
        checked[name] = _check_one(layer, row, name, value)
    return checked


def schema_problems(
    layer: LayerSpec, row: SourceRow, properties: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Run the layer's schema check; its problems named with the row, value and a fix."""
    try:
        return clean_properties(layer, properties), []
    except ValidationFailed as exc:
        problems = []
        for detail in exc.details:
            name = str(detail.get("field", ""))
            spec = layer.field(name) if name in layer.field_names else None
            fix, problem = str(detail.get("fix", "")), str(detail["problem"])
            if spec is not None and spec.choices is not None and problem.startswith("must be"):
                problem = f"is not a known {name.replace('_', ' ')}"
                fix = f"use one of: {', '.join(spec.choices)}"
            elif name == layer.id_field and detail["problem"] == "required":
                fix = "give an id (or a name, from which one is made)"
            elif spec is not None and detail["problem"] == "required":
                fix = f"give a value for {name}"
            elif spec is not None and spec.type == "date":
                fix = "write the date as YYYY-MM-DD, e.g. 2025-06-30"
            problems.append(_problem(row, name, properties.get(name) or "", problem, fix))
        return {}, problems
