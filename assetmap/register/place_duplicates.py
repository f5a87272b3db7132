"""Places the register may already have: a suggested new place beside the existing assets with
the same postcode or within 150 m, whose names are alike (rapidfuzz's token set ratio of the
names as imports compare them, at least 85 of 100: "Ashby Hall" and "Ashby Village Hall"
match, "Beeby Scout Hut" and "Beeby Church Hall" do not).

Shown to the resident before they send ("Is it one of these?", linking to the place's
correction form) and to the officer deciding.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from shapely.geometry.base import BaseGeometry

from assetmap.layers import LayerSpec
from assetmap.register.imports.duplicates import name_key
from assetmap.register.suggestion_queue import Correction
from assetmap.store.base import Feature, Store, plain_value

__all__ = [
    "DUPLICATE_RADIUS_M", "SIMILAR_NAME", "PossibleDuplicate", "duplicates_of",
    "possible_duplicates",
]

DUPLICATE_RADIUS_M = 150.0
SIMILAR_NAME = 85.0
_MOST = 5


@dataclass(frozen=True)
class PossibleDuplicate:
    """An existing asset like the new place: how alike the names are and how far apart."""

    feature: Feature
    similarity: float
    distance_m: float | None
    same_postcode: bool

    @property
    def id(self) -> str:
        return self.feature.id

    @property
    def name(self) -> str:
        return str(self.feature.properties.get("name") or self.feature.id)


_SHOWN = ("name", "status", "postcode", "address")  # what a duplicate is shown and judged by


def _nearby(store: Store, layer: LayerSpec, point: BaseGeometry | None,
            postcode: str | None) -> dict[str, Feature]:
    fields = [name for name in _SHOWN if name in layer.field_names]
    frames = []
    if point is not None:
        frames.append(store.read(layer, bbox=point.buffer(DUPLICATE_RADIUS_M).bounds,
                                 fields=fields))
    if postcode and "postcode" in layer.field_names:
        frames.append(store.read(layer, filters={"postcode": [postcode]}, fields=fields))
    found: dict[str, Feature] = {}
    for frame in frames:
        for row in frame.itertuples(index=False):
            values = row._asdict()
            feature_id = str(values[layer.id_field])
            found[feature_id] = Feature(
                feature_id, {name: plain_value(values[name]) for name in fields},
                values.get("geometry"))
    return found


def possible_duplicates(
    store: Store,
    layer: LayerSpec,
    name: str,
    point: BaseGeometry | None,
    postcode: str | None,
    *,
    include_closed: bool = False,
) -> list[PossibleDuplicate]:
    """Existing assets that may be the same place as ``name`` at ``point`` (EPSG:27700) or
    ``postcode``, most alike first (at most five). Residents see only places still open."""
    wanted = name_key(name)
    matches = []
    for feature in _nearby(store, layer, point, postcode).values():
        if not include_closed and feature.properties.get("status") == "closed":
            continue
        distance = (float(point.distance(feature.geometry))
                    if point is not None and feature.geometry is not None else None)
        same_postcode = bool(postcode) and feature.properties.get("postcode") == postcode
        if not same_postcode and (distance is None or distance > DUPLICATE_RADIUS_M):
            continue
        similarity = fuzz.token_set_ratio(wanted, name_key(str(feature.properties.get(
            "name") or "")))
        if similarity >= SIMILAR_NAME:
            matches.append(PossibleDuplicate(feature, similarity, distance, same_postcode))
    matches.sort(key=lambda m: (-m.similarity, m.distance_m or 0.0, m.id))
    return matches[:_MOST]


def duplicates_of(
    store: Store, layer: LayerSpec, correction: Correction
) -> list[PossibleDuplicate]:
    """For the officer: the possible duplicates of a waiting new place, closed ones too."""
    if correction.kind != "new_place":
        return []
    name = str(correction.changes.get("name") or "")
    postcode = correction.changes.get("postcode")
    return possible_duplicates(store, layer, name, correction.point,
                               str(postcode) if postcode else None, include_closed=True)
