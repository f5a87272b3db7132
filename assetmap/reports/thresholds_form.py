"""The report page's "Change the thresholds" form: values echoed, errors in plain words.

The form asks again by GET, so the address it leads to is the report with those
thresholds, to bookmark or share. A value the analysis refuses comes back on the same
form with a GOV.UK error summary and the message at the field (status 422).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assetmap.analysis import GapThresholds
from assetmap.reports.wording import plain_words, threshold_label

__all__ = ["ThresholdField", "ThresholdsForm", "thresholds_form"]

_MUST = re.compile(r"^(?:Input|Value) should be ")
_TOTAL = re.compile(r"= ([0-9.]+);")


@dataclass(frozen=True)
class ThresholdField:
    name: str  # the query parameter (the threshold's code)
    label: str
    hint: str
    value: str  # as shown in the input: the value used, or what was typed when refused
    default: str
    yes_no: bool = False  # asked as Yes/No radios (sent as true or false)
    error: str = ""


@dataclass(frozen=True)
class ThresholdsForm:
    fields: tuple[ThresholdField, ...]
    hidden: tuple[tuple[str, str], ...]  # the request's other parameters, kept
    errors: tuple[tuple[str, str], ...] = ()  # (field name, message) for the error summary


def _problem(label: str, problem: str) -> str:
    """ "Input should be greater than 0" → "Catchment radius … must be greater than 0"."""
    problem = _MUST.sub("must be ", problem.strip())
    problem = problem.replace("a valid number, unable to parse string as a number", "a number")
    problem = problem.replace("a valid integer, unable to parse string as an integer",
                              "a whole number")
    if problem.startswith("must"):
        return f"{label} {problem}"
    return f"{label}: {plain_words(problem)}"


def _sentence(text: str) -> str:
    text = plain_words(text)
    return text[:1].upper() + text[1:]


def _errors(details: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, str]:
    """Each refused threshold's message; the weights' sum is said at the first weight."""
    found: dict[str, str] = {}
    for item in details:
        field = str(item.get("field", ""))
        problem = str(item.get("problem", ""))
        if field.startswith("weights"):
            field = next((n for n in names if n.startswith("weight_")), field)
            total = _TOTAL.search(problem)
            found.setdefault(field, "The score weights must add up to 1" + (
                f"; these add up to {total.group(1)}" if total else ""))
        elif field in names:
            found.setdefault(field, _problem(threshold_label(field), problem))
    return found


def thresholds_form(
    used: Mapping[str, float | int], query: Mapping[str, str],
    details: Sequence[Mapping[str, Any]] = (),
) -> ThresholdsForm:
    """The form for thresholds ``used``; given refused ``details``, what was typed, with errors."""
    defaults = GapThresholds().as_flat_dict()
    descriptions = GapThresholds.descriptions()
    errors = _errors(details, list(used))
    fields = []
    for name, value in used.items():
        yes_no = isinstance(defaults.get(name), bool)
        used_text = ("true" if value else "false") if yes_no else f"{value:g}"
        fields.append(ThresholdField(
            name=name, label=threshold_label(name), hint=_sentence(descriptions.get(name, "")),
            value=query.get(name, used_text) if errors else used_text,
            default=f"{defaults[name]:g}" if name in defaults else "",
            yes_no=yes_no, error=errors.get(name, ""),
        ))
    hidden = tuple((k, v) for k, v in query.items() if k not in used)
    return ThresholdsForm(tuple(fields), hidden, tuple(errors.items()))
