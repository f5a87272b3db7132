"""Writes by whoever is signed in: officers' go straight to the register, stewards' are checked
first (:func:`assetmap.register.stewardship.check_steward_write`, 403 with nothing written)
and then applied, audited under the steward's name, or, where the council reviews stewards'
edits (``ASSETMAP_STEWARD_EDITS=review``), queued as a ``steward_edit`` for an officer to
approve (then audited under the steward's name with the approving officer's).

Under review a steward cannot add an activity (the queue holds changes to records that
exist); an officer adds it. Recording a check ("still right") is not reviewed: it changes
nothing residents see but the date.

The API routes and the HTML forms call these, so every write path makes the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry

from assetmap.errors import Forbidden, NotFound
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.activity_rules import check_links
from assetmap.register.corrections import Correction, submit_correction
from assetmap.register.editing import (
    change_asset,
    create_asset,
    mark_verified,
    require_version,
)
from assetmap.register.stewardship import check_steward_write, may_edit
from assetmap.register.users import User
from assetmap.store.base import Feature, Store
from assetmap.store.validation import clean_properties

__all__ = ["change_as", "create_as", "verify_as"]


def create_as(
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    properties: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    user: User,
    review: bool = False,
) -> Feature:
    """:func:`~assetmap.register.editing.create_asset` for ``user``: a steward may add only
    activities of their organisations or at their places, and not under ``review``."""
    check_steward_write(store, user, layer, None, properties, geometry)
    if review and not user.can("officer"):
        raise Forbidden(
            "This council checks stewards' changes before they are published, so new "
            "activities are added by an officer: email the Communities team the details. "
            "Nothing was saved."
        )
    return create_asset(store, catalog, layer, properties, geometry, actor=user.name)


def change_as(
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    feature_id: str,
    *,
    if_match: str | None,
    user: User,
    properties: Mapping[str, Any] | None = None,
    geometry: BaseGeometry | None = None,
    notes: Mapping[str, Any] | None = None,
    review: bool = False,
) -> Feature | Correction:
    """:func:`~assetmap.register.editing.change_asset` for ``user``: a steward may change only
    what they steward, and never a locked field, the status closed or the position. Under
    ``review`` a steward's change is queued (and returned) instead of applied."""
    check_steward_write(store, user, layer, feature_id, properties or {}, geometry)
    if review and not user.can("officer"):
        return _queue(store, catalog, layer, feature_id, if_match, user, properties or {})
    return change_asset(
        store, catalog, layer, feature_id, if_match=if_match, actor=user.name,
        properties=properties, geometry=geometry, notes=notes,
    )


def verify_as(
    store: Store, layer: LayerSpec, feature_id: str, *, if_match: str | None, user: User
) -> Feature:
    """Record that ``user`` checked the feature today (a steward: only what they steward)."""
    if not may_edit(store, user, layer, feature_id):
        raise Forbidden(
            f"{user.name} does not steward {layer.name} {feature_id!r}, so cannot record it "
            "as checked; nothing was saved."
        )
    return mark_verified(store, layer, feature_id, if_match=if_match, actor=user.name)


def _queue(store: Store, catalog: LayerCatalog, layer: LayerSpec, feature_id: str,
           if_match: str | None, user: User, properties: Mapping[str, Any]) -> Correction:
    """A steward's change checked as a live one would be, then queued for an officer."""
    current = store.get(layer, feature_id)
    if current is None:
        raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
    require_version(current, if_match)
    check_links(store, catalog, layer, clean_properties(layer, properties, partial=True))
    return submit_correction(
        store, layer, feature_id, properties, None, None, "", kind="steward_edit",
        author=user.name,
    )
