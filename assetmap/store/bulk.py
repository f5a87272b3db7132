"""What both backends' bulk writes share: many new features checked as one ``add`` checks one.

A bulk import of 100,000 assets cannot afford a round trip (or a table scan) per row:
the backends insert a :class:`CleanBatch` with one ``executemany`` (GeoPackage) or one
``COPY`` (PostGIS). The checks are the same as :meth:`Transaction.add` makes, so nothing
reaches the store unchecked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from shapely.geometry.base import BaseGeometry

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.store.validation import (
    clean_geometries,
    require_value_columns,
    trusted_or_cleaned,
)

__all__ = ["CleanBatch", "clean_batch", "refuse_existing"]

NewFeature = tuple[Mapping[str, Any], BaseGeometry | None]


@dataclass(frozen=True)
class CleanBatch:
    """Checked features as columns: ``names`` (declared order), one tuple per row, geometries."""

    ids: list[str]
    names: list[str]
    rows: list[tuple[Any, ...]]
    geometries: list[BaseGeometry | None]  # all None for a plain (non-spatial) layer


def clean_batch(
    layer: LayerSpec, features: Sequence[NewFeature], existing: Collection[str], fix: str
) -> CleanBatch:
    """Every feature checked (properties, geometry), the batch's ids unique, columns present."""
    cleaned = [trusted_or_cleaned(layer, properties) for properties, _ in features]
    geometries = clean_geometries(layer, [geometry for _, geometry in features])
    ids = [str(values[layer.id_field]) for values in cleaned]
    if len(set(ids)) < len(ids):
        repeated = [feature_id for feature_id, n in Counter(ids).items() if n > 1]
        raise ValidationFailed(
            f"{len(repeated):,} {layer.name} id(s) appear more than once, e.g. {repeated[0]!r}"
        )
    given = {name for values in cleaned for name, value in values.items() if value is not None}
    require_value_columns(layer, dict.fromkeys(given, ""), existing, fix)
    names = [name for name in layer.field_names if name in given or name == layer.id_field]
    return CleanBatch(ids, names, _rows(cleaned, names), geometries)


def _rows(cleaned: Sequence[Mapping[str, Any]], names: list[str]) -> list[tuple[Any, ...]]:
    """Each feature's values in ``names`` order (None where it has none)."""
    if len(names) > 1:  # one name: itemgetter gives the value, not a tuple
        take = itemgetter(*names)  # twice as fast as a get per name, where every name is there
        try:
            return [take(values) for values in cleaned]
        except KeyError:
            pass  # some feature lacks a field
    return [tuple(map(values.get, names)) for values in cleaned]


def refuse_existing(layer: LayerSpec, present: Collection[str]) -> None:
    """The all-or-nothing rule of :meth:`Transaction.add_many`: no id may exist already."""
    if present:
        first = min(present)
        raise ValidationFailed(
            f"{len(present):,} {layer.name} feature(s) exist already, e.g. id {first!r}; "
            "nothing was added"
        )
