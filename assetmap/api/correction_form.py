"""The public correction form: its questions, fields, reading a submission, problems per field.

GOV.UK question pages, one thing per page: first "What do you want to tell us?"
(:data:`WHAT`: it has closed, details are wrong, something else), for wrong details
"Which details are wrong?" (:data:`DETAIL_GROUPS`), then only those fields, then
"Check your answers". Answers travel in the URL (the first two, which hold nothing
personal) and in hidden fields (the rest), so no JavaScript or session is needed.
The fields are prefilled with the asset's current values, so a resident only edits
what is wrong; values sent back unchanged are not suggestions. Accessibility is offered
as checkboxes of known facilities (plus any other codes the asset already has), so
nobody has to type a code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assetmap.messages import Messages
from assetmap.store.base import Feature

__all__ = [
    "DETAIL_GROUPS",
    "FACILITIES",
    "FORM_BODY_LIMIT",
    "GROUP_WORDS",
    "TEXT_FIELDS",
    "WHAT",
    "WHAT_WORDS",
    "Submission",
    "accessibility_view",
    "chosen_groups",
    "facility_labels",
    "field_label",
    "field_views",
    "problem_views",
    "read_submission",
]

# Percent-encoding can triple non-ASCII text, so the form gets more room than the JSON API.
FORM_BODY_LIMIT = 64 * 1024
# Field -> the kind of keyboard a phone should show.
TEXT_FIELDS: dict[str, str] = {
    "name": "text",
    "address": "text",
    "postcode": "text",
    "opening_times": "text",
    "phone": "tel",
    "email": "email",
    "website": "url",
}
FACILITIES = ("step_free", "accessible_toilet", "hearing_loop", "parking", "baby_change")
# The first question's answers: what the resident wants to tell us.
WHAT = ("closed", "details", "other")
# Each answer's words: its label and hint, and the fields page's heading.
WHAT_WORDS: dict[str, tuple[str, str, str]] = {
    "closed": ("correction.what.closed", "correction.what_hint.closed",
               "correction.fields_title.closed"),
    "details": ("correction.what.details", "correction.what_hint.details",
                "correction.fields_title.details"),
    "other": ("correction.what.other", "correction.what_hint.other",
              "correction.fields_title.other"),
}
# "Which details are wrong?": each choice and the text fields it shows (accessibility: the
# checkboxes instead).
DETAIL_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "address": ("address", "postcode"),
    "opening_times": ("opening_times",),
    "contact_details": ("phone", "email", "website"),
    "accessibility": (),
}
GROUP_WORDS = {
    "name": "correction.group.name",
    "address": "correction.group.address",
    "opening_times": "correction.group.opening_times",
    "contact_details": "correction.group.contact_details",
    "accessibility": "correction.group.accessibility",
}


class Submission:
    """What a resident sent: proposed values, message and contact, as typed."""

    def __init__(self, form: Mapping[str, Sequence[str]], feature: Feature) -> None:
        def first(name: str) -> str:
            values = form.get(name) or [""]
            return values[0]

        self.values: dict[str, str] = {name: first(name) for name in TEXT_FIELDS if name in form}
        self.changes: dict[str, Any] = dict(self.values)
        self.checked = [code for code in form.get("accessibility", []) if code]
        self.accessibility_shown = bool(form.get("accessibility_shown"))
        if self.accessibility_shown:
            current = _codes(feature.properties.get("accessibility"))
            if set(self.checked) != set(current):
                self.changes["accessibility"] = ";".join(self.checked)
        self.closed = first("closed") == "yes"
        if self.closed:
            self.changes["status"] = "closed"
        self.message = first("message")
        self.contact = first("contact")


def read_submission(form: Mapping[str, Sequence[str]], feature: Feature) -> Submission:
    return Submission(form, feature)


def _codes(value: Any) -> list[str]:
    return [code.strip() for code in str(value or "").split(";") if code.strip()]


def _label(t: Messages, name: str) -> str:
    return t.get(f"correction.field.{name}", name.replace("_", " ").capitalize())


def _facility(t: Messages, code: str) -> str:
    return t.get(f"facility.{code}", code.replace("_", " ").capitalize())


def field_target(name: str, feature: Feature) -> str:
    """The id of the control an error about ``name`` should link to."""
    if name == "accessibility":
        return f"accessibility-{accessibility_options(feature)[0]}"
    if name == "status":
        return "closed"
    if name in TEXT_FIELDS or name in ("message", "contact"):
        return name
    return "message"


def accessibility_options(feature: Feature) -> list[str]:
    extra = [c for c in _codes(feature.properties.get("accessibility")) if c not in FACILITIES]
    return [*FACILITIES, *extra]


def problem_views(
    t: Messages, details: Sequence[Mapping[str, Any]], feature: Feature,
    example: str | None = None,
) -> list[dict[str, str]]:
    """Each problem as the reader's language says it, with the control it links to;
    ``example`` is a postcode the store knows, for "Enter a full postcode, like …"."""
    known = {"example": example} if example else {}
    views = []
    for detail in details:
        name = str(detail.get("field", ""))
        values = {**known, **(detail.get("values") or {}), "field": _label(t, name)}
        if isinstance(values.get("max"), int):
            values["max"] = f"{values['max']:,}"
        template = t.get(str(detail.get("key", "")), "")
        try:
            text = template.format(**values) if template else ""
        except (KeyError, IndexError, ValueError):
            text = ""
        if not text:
            text = f"{_label(t, name)}: {detail.get('problem', '')}"
        views.append({"field": name, "target": field_target(name, feature), "text": text})
    return views


def chosen_groups(values: Sequence[str]) -> list[str]:
    """The detail groups chosen, in the form's order; unknown values are dropped."""
    return [group for group in DETAIL_GROUPS if group in values]


def field_views(
    t: Messages, feature: Feature, submission: Submission | None,
    problems: Sequence[dict[str, str]], groups: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The text inputs of ``groups`` (all when None), prefilled with what was sent or else
    the current value; a field with a problem is shown whatever was chosen."""
    by_field = {p["field"]: p["text"] for p in problems}
    shown = set(TEXT_FIELDS) if groups is None else {
        name for group in groups for name in DETAIL_GROUPS.get(group, ())}
    views = []
    for name, keyboard in TEXT_FIELDS.items():
        if name not in shown and name not in by_field:
            continue
        if submission is not None and name in submission.values:
            value = submission.values[name]
        else:
            current = feature.properties.get(name)
            value = "" if current is None else str(current)
        views.append({
            "name": name,
            "label": _label(t, name),
            "hint": t.get(f"correction.hint.{name}", ""),
            "value": value,
            "inputmode": keyboard,
            "problem": by_field.get(name, ""),
        })
    return views


def accessibility_view(
    t: Messages, feature: Feature, submission: Submission | None,
    problems: Sequence[dict[str, str]],
) -> dict[str, Any]:
    chosen = (
        set(submission.checked) if submission is not None and submission.accessibility_shown
        else set(_codes(feature.properties.get("accessibility")))
    )
    return {
        "options": [(code, _facility(t, code), code in chosen)
                    for code in accessibility_options(feature)],
        "problem": next((p["text"] for p in problems if p["field"] == "accessibility"), ""),
    }


def facility_labels(t: Messages, value: Any) -> str:
    """Stored accessibility codes as the page's words: "Step-free access, Hearing loop"."""
    return ", ".join(_facility(t, code) for code in _codes(value))


def field_label(t: Messages, name: str) -> str:
    return _label(t, name)
