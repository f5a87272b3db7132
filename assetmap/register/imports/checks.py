"""Row values checked before the layer's own schema check, by the same field rules every write
follows (``assetmap.field_rules``): text hygiene, ids, postcodes, links; problems named with
the row and the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from assetmap.errors import ValidationFailed
from assetmap.field_rules import CheckedText, FieldProblem, checked_text, split_list
from assetmap.layers import FieldFormat, FieldSpec, LayerSpec
from assetmap.register.imports.model import Problem, SourceRow
from assetmap.store.validation import checked_properties

__all__ = ["check_row_values", "choice_codes", "schema_problems"]

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _shown(value: Any) -> str:
    text = str(value)
    # Control and format characters (NUL, a right-to-left override) shown as codes, not obeyed.
    text = "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Cs")
                   else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   for c in text)
    return text if len(text) <= 80 else text[:77] + "…"


def _problem(row: SourceRow, field: str, value: Any, problem: str, fix: str) -> Problem:
    return Problem(where=row.where, row=row.row, field=field, value=_shown(value),
                   problem=problem, fix=fix)


def _refused(row: SourceRow, name: str, value: str, exc: FieldProblem) -> str:
    row.problems.append(_problem(row, name, value.strip(), exc.problem, exc.fix))
    return value.strip()  # refused already; passed on so no "required" is added on top


def _check_other(layer: LayerSpec, row: SourceRow, name: str, value: Any) -> Any:
    """A value that is not text: blanks (NaN) left out, a date-time cut to the date."""
    if isinstance(value, float) and math.isnan(value):
        return None
    spec = layer.field_by_name.get(name)
    if spec is not None and isinstance(value, dt.datetime) and spec.type == "date":
        return value.date()
    return value


def _choice_key(text: str) -> str:
    """"Community Centre", "community-centre" and "community_centre" alike; accents ignored."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_ALNUM.split(plain.lower())).strip()


class _ChoiceCodes:
    """One coded field's lookup from what a file may say (a code, a label, either with other
    spacing or case) to the code, and each text's answer kept: a file of 100,000 rows says
    a handful of different things, so each is worked out once."""

    _MOST_KEPT = 10_000  # a hostile file of all-different values is not kept whole

    def __init__(self, layer: LayerSpec, spec: FieldSpec) -> None:
        choices = spec.choices or ()
        self._is_list = spec.format == "facilities"  # "step free; Hearing loop"
        self._known = {_choice_key(code): code for code in choices}
        for code, label in layer.labels.get(spec.name, {}).items():
            self._known.setdefault(_choice_key(label), code)
        self._answers: dict[str, str] = {code: code for code in choices}
        # Text as written -> what the field's rule made of it (shared: it is read-only).
        self.passed: dict[str, CheckedText | None] = {}

    def keep_passed(self, written: str, passed: CheckedText | None) -> None:
        if passed is not None and len(self.passed) < self._MOST_KEPT:
            self.passed[written] = passed

    def codes_of(self, text: str) -> str:
        """The text with each item (one, or a list's) read as its code."""
        if self._is_list:
            return ";".join(self._code_of(item) for item in split_list(text))
        return self._code_of(text.strip())

    def _code_of(self, item: str) -> str:
        answer = self._answers.get(item)
        if answer is None:
            answer = self._known.get(_choice_key(item), item)
            if len(self._answers) < self._MOST_KEPT:
                self._answers[item] = answer
        return answer


_FieldPlan = tuple[FieldSpec, FieldFormat | None, _ChoiceCodes | None]
_FIELD_PLANS: dict[int, tuple[LayerSpec, dict[str, _FieldPlan]]] = {}


def _field_plans(layer: LayerSpec) -> dict[str, _FieldPlan]:
    """Per field of ``layer``: its spec, the rule its text follows, its choices' lookup.
    Worked out once per layer."""
    known = _FIELD_PLANS.get(id(layer))
    if known is not None and known[0] is layer:
        return known[1]
    plans: dict[str, _FieldPlan] = {
        spec.name: (spec, layer.format_by_name[spec.name],
                    _ChoiceCodes(layer, spec) if spec.choices is not None else None)
        for spec in layer.fields
    }
    if len(_FIELD_PLANS) > 256:  # layers are loaded once; tests load many catalogues
        _FIELD_PLANS.clear()
    _FIELD_PLANS[id(layer)] = (layer, plans)  # the layer is held: its id is not reused
    return plans


def choice_codes(layer: LayerSpec, name: str, text: str) -> str:
    """A coded field's value with labels ("Community Centre") read as their codes
    (``community_centre``), so a file written from what the pages show imports as it reads;
    each item of a list (``step free; Hearing loop``) too. Unknown values are left for the
    schema check to refuse."""
    codes = _field_plans(layer)[layer.field(name).name][2]
    return text.strip() if codes is None else codes.codes_of(text)


def _check_not_text(layer: LayerSpec, row: SourceRow, name: str, value: Any,
                    checked: dict[str, Any]) -> None:
    if isinstance(value, dict | list):
        row.problems.append(_problem(row, name, value, "is a list or object",
                                     "give a single value"))
    else:
        checked[name] = _check_other(layer, row, name, value)


def check_row_values(layer: LayerSpec, row: SourceRow) -> dict[str, Any]:
    """The row's values tidied (trimmed, postcodes normalised); problems go on ``row``.

    Text a field rule passed comes back marked (:func:`checked_text`), so the layer's schema
    check does not run the rule again."""
    plans = _field_plans(layer)
    checked: dict[str, Any] = {}
    for name, value in row.values.items():
        if type(value) is not str and not isinstance(value, str):
            _check_not_text(layer, row, name, value, checked)
            continue
        plan = plans.get(name)
        if plan is None:  # not a field of the layer: the schema check names it
            checked[name] = value
            continue
        spec, format_, codes = plan
        if format_ is None:  # text for a number, date or flag
            checked[name] = value.strip() or None
            continue
        if codes is not None:
            passed = codes.passed.get(value)
            if passed is not None:  # this text, in an earlier row, came out so
                checked[name] = passed
                continue
            value = codes.codes_of(value)
        try:
            checked[name] = checked_text(spec, value, format_)
        except FieldProblem as exc:
            checked[name] = _refused(row, name, value, exc)
        else:
            if codes is not None:
                codes.keep_passed(row.values[name], checked[name])
    return checked


def schema_problems(
    layer: LayerSpec, row: SourceRow, properties: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Run the layer's schema check; its problems named with the row, value and a fix.

    The properties come back marked as checked, so the store does not check them again."""
    try:
        return checked_properties(layer, properties), []
    except ValidationFailed as exc:
        problems = []
        for detail in exc.details:
            name = str(detail.get("field", ""))
            spec = layer.field(name) if name in layer.field_names else None
            fix, problem = str(detail.get("fix", "")), str(detail["problem"])
            if spec is not None and spec.choices is not None and problem.startswith("must be"):
                problem = f"is not a known {name.replace('_', ' ')}"
                shown = [f"{layer.label(name, code)} ({code})" if layer.label(name, code) != code
                         else code for code in spec.choices]
                fix = f"use one of: {', '.join(shown)}"
            elif name == layer.id_field and detail["problem"] == "required":
                fix = "give an id (or a name, from which one is made)"
            elif spec is not None and detail["problem"] == "required":
                fix = f"give a value for {name}"
            elif spec is not None and spec.type == "date":
                fix = "write the date as YYYY-MM-DD, e.g. 2025-06-30"
            problems.append(_problem(row, name, properties.get(name) or "", problem, fix))
        return {}, problems
