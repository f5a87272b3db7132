"""Writes by whoever is signed in: officers' go straight to the register, stewards' are checked
first (:func:`assetmap.register.stewardship.check_steward_write`, 403 with nothing written)
and then applied, audited under the steward's name.

The API routes and the HTML forms call these, so every write path makes the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry

from assetmap.errors import Forbidden
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.editing import change_asset, create_asset, mark_verified
from assetmap.register.stewardship import check_steward_write, may_edit
from assetmap.register.users import User
from assetmap.store.base import Feature, Store

__all__ = ["change_as", "create_as", "verify_as"]


def create_as(
    store: Store,
    catalog: LayerCatalog,
    layer: LayerSpec,
    properties: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    user: User,
) -> Feature:
    """:func:`~assetmap.register.editing.create_asset` for ``user``: a steward may add only
    activities of their organisations or at their places."""
    check_steward_write(store, user, layer, None, properties, geometry)
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
) -> Feature:
    """:func:`~assetmap.register.editing.change_asset` for ``user``: a steward may change only
    what they steward, and never a locked field, the status closed or the position."""
    check_steward_write(store, user, layer, feature_id, properties or {}, geometry)
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
