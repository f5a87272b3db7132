"""What saving an asset would store, worked out before anything is written.

The officer's check-answers page shows it: the values as they will be stored (a postcode
typed "lz1 0rx" reads "LZ1 0RX"), how far and which way a move goes, and a warning when
the postcode lies far from the point. Every problem :func:`create_asset` or
:func:`change_asset` would refuse is raised here at once (the fields' and the position's),
so the check page is only shown for a write that will succeed unless someone else changes
the asset meanwhile (the ETag still decides that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.placing import require_in_county
from assetmap.register.position_checks import FarPostcode, describe_move, far_postcode
from assetmap.store.base import Feature, Store
from assetmap.store.validation import clean_geometry, clean_properties

__all__ = ["WritePreview", "preview_asset_write"]

_ID_TO_BE_MADE = "A-00000000"  # stands in for the id a new asset is given when saved


@dataclass(frozen=True)
class WritePreview:
    properties: dict[str, Any]  # as they will be stored (normalised)
    point: Point  # EPSG:27700
    before: Point | None = None  # where an existing asset is now
    far: FarPostcode | None = None

    @property
    def move(self) -> str | None:
        """"moved 140 m north-east", or None for a new asset or one staying put."""
        if self.before is None:
            return None
        said = describe_move((self.before.x, self.before.y), (self.point.x, self.point.y))
        return None if said == "not moved" else said


def preview_asset_write(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, properties: Mapping[str, Any],
    point: Point | None, *, current: Feature | None = None,
) -> WritePreview:
    """The write checked in full, as the write will check it: for a new asset ``properties``
    are the whole record; for an edit (``current`` given) only the changes, checked as a
    change is (a value stored before today's rules, left alone, does not stop the edit).
    ``point`` in EPSG:27700, None when not given."""
    problems: list[dict[str, Any]] = []
    message = ""
    values = dict(properties)
    if current is None and not values.get(layer.id_field):
        values[layer.id_field] = _ID_TO_BE_MADE
    cleaned: dict[str, Any] = {}
    try:
        if current is None:
            cleaned = clean_properties(layer, values)
        else:
            cleaned = {**current.properties, **clean_properties(layer, values, partial=True)}
    except ValidationFailed as exc:
        problems += exc.details
        message = exc.message
    placed: Point | None = None
    if point is None:
        problems.append({"field": "geometry", "problem": "required", "fix": "give a position"})
    else:
        try:
            placed = clean_geometry(layer, point)
            require_in_county(store, catalog, point)
        except ValidationFailed as exc:  # the position's message says where and why
            problems += [{**detail, "message": exc.message} for detail in exc.details]
            message = message or exc.message
    if problems or placed is None:
        raise ValidationFailed(message or "The asset cannot be saved as it is", details=problems)
    if cleaned.get(layer.id_field) == _ID_TO_BE_MADE:
        cleaned[layer.id_field] = None
    before = current.geometry if current is not None else None
    far = far_postcode(store, catalog, cleaned.get("postcode"), (placed.x, placed.y))
    return WritePreview(cleaned, placed, before if isinstance(before, Point) else None, far)
