"""Writes to a layer with optimistic concurrency and an audit row per changed field.

Every read hands out an ETag (a hash of the feature's content); every write
must send the ETag it started from. The check and the write happen in one
transaction holding the write lock, so of two editors who started from the
same version exactly one wins and the other gets 412 with nothing lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry

from assetmap.errors import NotFound, PreconditionFailed, PreconditionRequired, ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.activity_rules import check_links, check_not_referenced
from assetmap.register.archive import archive_feature
from assetmap.register.audit import log_write, utc_now
from assetmap.register.placing import new_feature_id, place_codes, require_in_county
from assetmap.store.base import Feature, Store, Transaction
from assetmap.store.validation import clean_geometry, clean_properties

__all__ = [
    "VERIFIED_FIELD",
    "change_asset",
    "change_in_transaction",
    "check_new_properties",
    "create_asset",
    "create_feature",
    "create_in_transaction",
    "delete_feature",
    "feature_etag",
    "mark_verified",
    "matches",
    "require_version",
    "update_feature",
]

VERIFIED_FIELD = "last_verified"
_CLOSED = {"status": "closed"}
# New ids of plain layers say what they are (assets keep the prefix they always had).
_ID_PREFIXES = {"activities": "AC-", "organisations": "O-"}
# Stands in for the id create_asset makes, when properties are only checked.
_ID_TO_BE_MADE = "A-00000000"


def feature_etag(feature: Feature) -> str:
    """A strong ETag for the feature's current content (properties and geometry)."""
    content = json.dumps(feature.properties, sort_keys=True, default=str, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8"))
    digest.update(feature.geometry.wkb if feature.geometry is not None else b"")
    return f'"{digest.hexdigest()[:32]}"'


def matches(if_match: str | None, feature: Feature) -> bool:
    """Does an ``If-Match`` header value name the feature's current version?"""
    if if_match is None:
        return False
    current = feature_etag(feature)
    # RFC 9110: If-Match uses strong comparison, so a weak W/"…" tag never matches.
    candidates = [part.strip() for part in if_match.split(",")]
    return "*" in candidates or current in candidates


def _require_version(feature: Feature, if_match: str | None) -> None:
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "This write needs an If-Match header: read the feature first and send back its "
            "ETag, so that a change made meanwhile by someone else is never overwritten."
        )
    if not matches(if_match, feature):
        raise PreconditionFailed(
            f"{feature.id} was changed by someone else after you read it; nothing was saved. "
            "Reload it, check their change and make yours again.",
            details=[{"current_etag": feature_etag(feature)}],
        )


# Public for writes queued rather than applied (a steward's edit under review).
require_version = _require_version


def _current(transaction: Transaction, layer: LayerSpec, feature_id: str) -> Feature:
    feature = transaction.get(layer, feature_id)
    if feature is None:
        raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
    return feature


def _action(layer: LayerSpec, before: Feature, changes: Mapping[str, Any], moved: bool) -> str:
    closing = all(changes.get(k) == v for k, v in _CLOSED.items()) and any(
        before.properties.get(k) != v for k, v in _CLOSED.items()
    )
    if closing and "status" in layer.field_names:
        return "close"
    if moved and not any(before.properties.get(k) != v for k, v in changes.items()):
        return "move"
    return "change"


def create_feature(
    store: Store,
    layer: LayerSpec,
    properties: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    actor: str,
) -> Feature:
    """Add a feature (its id taken from ``properties``); audited as ``create``.

    ``geometry`` is None for a plain layer (``geometry_type: none``), required otherwise.
    """
    values = dict(properties)
    if VERIFIED_FIELD in layer.field_names and not values.get(VERIFIED_FIELD):
        values[VERIFIED_FIELD] = dt.date.today().isoformat()
    values = clean_properties(layer, values)
    geometry = clean_geometry(layer, geometry)
    with store.transaction() as transaction:
        return create_in_transaction(transaction, layer, values, geometry, actor=actor)


def create_in_transaction(
    transaction: Transaction,
    layer: LayerSpec,
    properties: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    actor: str,
    at: str | None = None,
) -> Feature:
    """:func:`create_feature` inside a transaction the caller holds (to commit more with it)."""
    values = dict(properties)
    if VERIFIED_FIELD in layer.field_names and not values.get(VERIFIED_FIELD):
        values[VERIFIED_FIELD] = dt.date.today().isoformat()
    feature_id = transaction.add(layer, clean_properties(layer, values),
                                 clean_geometry(layer, geometry))
    after = _current(transaction, layer, feature_id)
    log_write(
        transaction, actor=actor, action="create", layer=layer,
        feature_id=feature_id, before=None, after=after, at=at,
    )
    return after


def update_feature(
    store: Store,
    layer: LayerSpec,
    feature_id: str,
    *,
    if_match: str | None,
    actor: str,
    properties: Mapping[str, Any] | None = None,
    geometry: BaseGeometry | None = None,
    action: str | None = None,
    notes: Mapping[str, Any] | None = None,
) -> Feature:
    """Change some properties and/or move a feature, if it is still at version ``if_match``.

    ``notes`` go into the audit entry beside the changed fields (see ``log_write``).
    """
    with store.transaction() as transaction:
        return change_in_transaction(
            transaction, layer, feature_id, if_match=if_match, actor=actor,
            properties=properties, geometry=geometry, action=action, notes=notes,
        )


def change_in_transaction(
    transaction: Transaction,
    layer: LayerSpec,
    feature_id: str,
    *,
    if_match: str | None,
    actor: str,
    properties: Mapping[str, Any] | None = None,
    geometry: BaseGeometry | None = None,
    action: str | None = None,
    at: str | None = None,
    notes: Mapping[str, Any] | None = None,
) -> Feature:
    """:func:`update_feature` inside a transaction the caller holds (to commit more with it)."""
    changes = clean_properties(layer, properties or {}, partial=True)
    if layer.id_field in changes and str(changes[layer.id_field]) != feature_id:
        raise ValidationFailed(f"The id of a {layer.name} feature cannot be changed")
    if geometry is not None:
        geometry = clean_geometry(layer, geometry)
    before = _current(transaction, layer, feature_id)
    _require_version(before, if_match)
    transaction.change(layer, feature_id, changes, geometry)
    after = _current(transaction, layer, feature_id)
    moved = geometry is not None and not geometry.equals_exact(before.geometry, 0.0)
    log_write(
        transaction, actor=actor, action=action or _action(layer, before, changes, moved),
        layer=layer, feature_id=feature_id, before=before, after=after, at=at, notes=notes,
    )
    return after


def delete_feature(
    store: Store, layer: LayerSpec, feature_id: str, *, if_match: str | None, actor: str,
    catalog: LayerCatalog | None = None,
) -> None:
    """Remove a feature from the layer, keeping it whole in the archive (officers can restore
    it, see :mod:`assetmap.register.archive`); closing keeps an asset on the map instead.

    With ``catalog``, an asset or organisation that activities still name is refused (409).
    The delete, its audit rows and the archived copy are one transaction.
    """
    if catalog is not None:
        check_not_referenced(store, catalog, layer, feature_id)
    with store.transaction() as transaction:
        before = _current(transaction, layer, feature_id)
        _require_version(before, if_match)
        transaction.delete(layer, feature_id)
        when = utc_now()
        change_id = log_write(
            transaction, actor=actor, action="delete", layer=layer,
            feature_id=feature_id, before=before, after=None, at=when,
        )
        archive_feature(transaction, layer, before, actor=actor, change_id=change_id, at=when)


# -- what the API and the officer forms call: the register fills in what follows --------------
def create_asset(
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    properties: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    actor: str,
) -> Feature:
    """Add a feature, with the id and area codes the register can work out itself.

    The position must lie in the county (``require_in_county``). Without an id, a new
    one is made (an activity or organisation needs its own). An
    activity's assets, organisation, schedule and audience are checked against the store
    (:mod:`assetmap.register.activity_rules`). For a point, each area code (district,
    community area) left empty is taken from where it lies; a code the caller
    gives is kept (``POST /api/layers/{name}/items`` documents this, and the
    officer form never offers the codes). Audited as ``create``.
    """
    values = dict(properties)
    if not values.get(layer.id_field):
        values[layer.id_field] = new_feature_id(store, layer, _ID_PREFIXES.get(layer.name, "A-"))
    if geometry is not None:
        geometry = clean_geometry(layer, geometry)
        require_in_county(store, catalog, geometry)
    if geometry is not None and geometry.geom_type == "Point":
        placed = place_codes(store, catalog, layer, geometry)
        values.update({k: v for k, v in placed.items() if not values.get(k)})
    check_links(store, catalog, layer, clean_properties(layer, values))  # assets, schedules…
    return create_feature(store, layer, values, geometry, actor=actor)


def change_asset(
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    feature_id: str,
    *,
    if_match: str | None,
    actor: str,
    properties: Mapping[str, Any] | None = None,
    geometry: BaseGeometry | None = None,
    notes: Mapping[str, Any] | None = None,
) -> Feature:
    """Change some properties and/or move a feature, if it is still at version ``if_match``.

    A move to a point changes the areas it is in: each area code the change
    leaves out follows from the new position; a code it names (even null) is kept.
    """
    changes = dict(properties or {})
    if geometry is not None:
        geometry = clean_geometry(layer, geometry)
        require_in_county(store, catalog, geometry)
    if geometry is not None and geometry.geom_type == "Point":
        placed = place_codes(store, catalog, layer, geometry)
        changes.update({k: v for k, v in placed.items() if k not in changes})
    check_links(store, catalog, layer, clean_properties(layer, changes, partial=True))
    return update_feature(
        store, layer, feature_id, if_match=if_match, actor=actor,
        properties=changes, geometry=geometry, notes=notes,
    )


def mark_verified(
    store: Store, layer: LayerSpec, feature_id: str, *, if_match: str | None, actor: str
) -> Feature:
    """Record that the feature was checked today (audited as ``change``)."""
    if VERIFIED_FIELD not in layer.field_names:
        raise ValidationFailed(
            f"Layer {layer.name!r} has no {VERIFIED_FIELD} field to record checks in"
        )
    return update_feature(
        store, layer, feature_id, if_match=if_match, actor=actor,
        properties={VERIFIED_FIELD: dt.date.today().isoformat()}, action="change",
    )


def check_new_properties(layer: LayerSpec, properties: Mapping[str, Any]) -> None:
    """Raise what :func:`create_asset` would about these properties (a missing id is made)."""
    values = dict(properties)
    if not values.get(layer.id_field):
        values[layer.id_field] = _ID_TO_BE_MADE
    clean_properties(layer, values)
