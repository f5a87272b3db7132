"""The rows of the correction form's "Check your answers" page (GOV.UK summary list)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assetmap.api.correction_form import Submission, facility_labels, field_label
from assetmap.messages import Messages
from assetmap.store.base import Feature

__all__ = ["answer_rows"]


def _shown(t: Messages, name: str, value: Any) -> str:
    if name == "accessibility":
        return facility_labels(t, value) or t("correction.check.none")
    if name == "status":
        return t("correction.check.closed")
    return "" if value is None else str(value)


def answer_rows(
    t: Messages, feature: Feature, proposed: Mapping[str, Any], submission: Submission
) -> list[dict[str, str]]:
    """Each answer as ``key``, ``value`` and, for a changed detail, ``was`` (what we have)."""
    rows = []
    for name, value in proposed.items():
        key = t("correction.field.status") if name == "status" else field_label(t, name)
        was = "" if name == "status" else _shown(t, name, feature.properties.get(name))
        rows.append({"key": key, "value": _shown(t, name, value), "was": was})
    rows.append({"key": t("correction.field.message"),
                 "value": submission.message.strip() or t("correction.check.none"), "was": ""})
    rows.append({"key": t("correction.field.contact"),
                 "value": submission.contact.strip() or t("correction.check.no_contact"),
                 "was": ""})
    return rows
