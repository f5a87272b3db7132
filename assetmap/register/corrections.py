"""Corrections suggested by the public (and stewards' edits under review), queued until an
officer accepts or rejects them.

A resident may suggest new values for the details they can check from the
street or a leaflet (name, address, contact details, opening times,
accessibility) and report that a place has closed. Nothing on the map changes
until an officer accepts: then the values are applied and audited as a
``correction`` in the same transaction that records the decision, and only if
the asset is still as the officer saw it (its ETag), so a decision is never
made against values that changed meanwhile. A resident's new place comes in through
:mod:`assetmap.register.new_places`; deciding is :mod:`assetmap.register.correction_decisions`
and listing :mod:`assetmap.register.correction_lists` (both named here too).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from assetmap.errors import NotFound, ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.register.correction_decisions import decide
from assetmap.register.correction_lists import (
    DiffRow,
    Review,
    count_corrections,
    list_corrections,
)
from assetmap.register.correction_values import (
    MAX_CONTACT,
    MAX_MESSAGE,
    as_text,
    clean_changes,
    optional_text,
    problem,
    same,
)
from assetmap.register.suggestion_queue import (
    CORRECTIONS_TABLE,
    KINDS,
    STATUSES,
    Correction,
    get_correction,
    queue_suggestion,
)
from assetmap.store.base import Feature, Store
from assetmap.store.validation import clean_properties

__all__ = [
    "CORRECTIONS_TABLE",
    "KINDS",
    "STATUSES",
    "Correction",
    "DiffRow",
    "Review",
    "count_corrections",
    "decide",
    "get_correction",
    "list_corrections",
    "resident_asset",
    "submit_correction",
]


def resident_asset(store: Store, layer: LayerSpec, feature_id: str) -> Feature:
    """The asset as residents may see it: an asset layer's feature that is not closed."""
    feature = store.get(layer, feature_id) if layer.hub_categories else None
    if feature is None or feature.properties.get("status") == "closed":
        raise NotFound(
            f"No {layer.name} feature {feature_id!r} that residents can see "
            "(it may have closed, or the id is wrong)",
            key="hub.not_found",
        )
    return feature


def _refuse(problems: list[dict[str, Any]]) -> None:
    if problems:
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ValidationFailed(f"The suggestion was not sent: {summary}", details=problems)


def _checked_suggestion(
    layer: LayerSpec, feature: Feature, changes: Mapping[str, Any] | None,
    message: str | None, contact: str | None, *, steward: bool,
) -> tuple[dict[str, Any], str | None, str | None]:
    """The proposed values that differ from the asset's, the message and the contact, checked;
    :class:`ValidationFailed` with every problem when any is wrong or there is nothing to send.

    A resident may propose only :data:`RESIDENT_FIELDS`; a steward any field (which ones
    they may change is :mod:`assetmap.register.stewardship`'s to check before this).
    """
    if changes is not None and not isinstance(changes, Mapping):
        raise ValidationFailed(
            "changes must be an object of field names and proposed values",
            details=[problem("changes", "is not an object", 'send {"field": "value"}',
                              "invalid")],
        )
    # Values sent back unchanged (a prefilled form) are not suggestions, and are not checked:
    # a resident must not be blocked by an old value they did not touch.
    touched = {
        name: value for name, value in (changes or {}).items()
        if not same(value, feature.properties.get(name))
    }
    problems: list[dict[str, Any]] = []
    if steward:
        if layer.id_field in touched:
            problems.append(problem(layer.id_field, "cannot be changed",
                                    "leave the id as it is", "not_allowed"))
            touched.pop(layer.id_field)
        cleaned = clean_properties(layer, touched, partial=True)
    else:
        cleaned, problems = clean_changes(layer, touched, resident=True)
    text = optional_text("message", message, MAX_MESSAGE, problems, allow_breaks=True)
    reply_to = optional_text("contact", contact, MAX_CONTACT, problems, allow_breaks=False)
    proposed = {
        name: value for name, value in cleaned.items()
        if as_text(value) != as_text(feature.properties.get(name))
    }
    if not problems and not proposed and not text:
        problems.append(problem("message", "there is nothing to send",
                                 "change at least one detail or write a message", "nothing"))
    _refuse(problems)
    return proposed, text, reply_to


def _feature_to_edit(store: Store, layer: LayerSpec, feature_id: str, kind: str,
                     author: str | None) -> Feature:
    if kind == "correction":
        return resident_asset(store, layer, feature_id)
    if kind != "steward_edit":
        raise ValueError(
            f"submit_correction queues corrections and steward edits, not {kind!r} "
            "(a new place is register.new_places.submit_new_place)"
        )
    if not author:
        raise ValueError("a steward's edit needs its author, the steward's user name")
    feature = store.get(layer, feature_id)
    if feature is None:
        raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
    return feature


def submit_correction(
    store: Store,
    layer: LayerSpec,
    feature_id: str,
    changes: Mapping[str, Any] | None,
    message: str | None,
    contact: str | None,
    client_key: str,
    now: dt.datetime | None = None,
    *,
    per_hour: int = 5,
    kind: str = "correction",
    author: str | None = None,
) -> Correction:
    """Queue a suggestion; all is checked before anything is stored.

    Proposed values equal to the current ones are dropped. ``client_key`` is an
    opaque key for the sender (see :mod:`assetmap.register.client_keys`): a resident's
    suggestions count against ``per_hour``. ``kind="steward_edit"`` queues a signed-in
    steward's edit (``author`` their user name) for review: no hourly limit, any field of
    the layer, on any of its features (closed ones too).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown suggestion kind {kind!r}")
    feature = _feature_to_edit(store, layer, feature_id, kind, author)
    steward = kind == "steward_edit"
    proposed, text, reply_to = _checked_suggestion(
        layer, feature, changes, message, contact, steward=steward
    )
    values = {
        "layer": layer.name,
        "feature_id": feature.id,
        "changes": json.dumps(proposed, ensure_ascii=False, sort_keys=True, default=str),
        "message": text,
        "contact": reply_to,
        "kind": kind,
        "author": author if steward else None,
        "district": as_text(feature.properties.get("district_code")),
    }
    return queue_suggestion(store, values, client_key=None if steward else client_key,
                            now=now or dt.datetime.now(dt.UTC), per_hour=per_hour)
