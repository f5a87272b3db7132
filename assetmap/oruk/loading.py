"""Read the directory from the store: organisations, activities and the assets they use.

:class:`DirectoryCache` keeps one :class:`~assetmap.oruk.directory.Directory` per store
version, so ``/oruk`` requests answer from memory and see an edit at once.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from assetmap.activities import AUDIENCES, TAXONOMY
from assetmap.crs import to_metric, to_web
from assetmap.formats.geojson import plain_records
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.oruk.directory import Directory
from assetmap.oruk.records import (
    Place,
    Term,
    activity_from_row,
    organisation_from_row,
    split_list,
    text,
)
from assetmap.store.base import Store

__all__ = ["DirectoryCache", "directory_terms", "load_directory"]

# Activities the directory does not publish: none. An ended one is published as
# ``defunct`` so a consumer that copied it learns to take it down.


def directory_terms() -> dict[tuple[str, str], Term]:
    """The activity taxonomy and the audiences, as the taxonomies ``/oruk`` publishes."""
    terms = {("activity_category", c.code): Term("activity_category", c.code, c.label,
                                                 c.description) for c in TAXONOMY}
    terms.update({("audience", a.code): Term("audience", a.code, a.label,
                                             f"Activities for {a.label[0].lower()}{a.label[1:]}.")
                  for a in AUDIENCES})
    return terms


def _rows(store: Store, layer: LayerSpec | None) -> list[dict[str, Any]]:
    if layer is None or not store.has_layer(layer):
        return []
    frame = store.read(layer)
    return plain_records(frame, [f for f in layer.field_names if f in frame.columns])


def _places(store: Store, layer: LayerSpec | None, wanted: set[str]) -> dict[str, Place]:
    if layer is None or not wanted or not store.has_layer(layer):
        return {}
    frame = to_metric(store.read(layer), "assets")
    frame = frame[frame[layer.id_field].astype(str).isin(wanted).to_numpy(dtype=bool)]
    frame = frame[frame.geometry.notna().to_numpy(dtype=bool)]
    web = to_web(frame.geometry, "assets")
    rows = plain_records(frame, [f for f in layer.field_names if f in frame.columns])
    places = {}
    for row, point, lonlat in zip(rows, frame.geometry, web, strict=True):
        place_id = str(row[layer.id_field])
        places[place_id] = Place(
            id=place_id, name=text(row.get("name")) or place_id, lon=float(lonlat.x),
            lat=float(lonlat.y), easting=float(point.x), northing=float(point.y),
            address=text(row.get("address")), postcode=text(row.get("postcode")),
            accessibility=split_list(row.get("accessibility")),
            opening_times=text(row.get("opening_times")),
        )
    return places


def _labels(layer: LayerSpec | None, field: str) -> Mapping[str, str]:
    return layer.labels.get(field, {}) if layer is not None else {}


def load_directory(store: Store, catalog: LayerCatalog) -> Directory:
    """Everything ``/oruk`` publishes, read from the store as it is now."""
    org_layer, assets = catalog.get("organisations"), catalog.get("assets")
    kinds = _labels(org_layer, "kind")
    organisations = {o.id: o for o in (organisation_from_row(row, kinds)
                                       for row in _rows(store, org_layer))}
    activities = [activity_from_row(row) for row in _rows(store, catalog.get("activities"))]
    wanted = {asset_id for a in activities for asset_id in a.asset_ids}
    metadata = store.metadata()
    return Directory(
        organisations, activities, _places(store, assets, wanted), directory_terms(),
        county=metadata.get("county_name") or "",
        facility_labels=_labels(assets, "accessibility"),
    )


class DirectoryCache:
    """The directory for the store's current version, rebuilt only when the store changes."""

    def __init__(self, store: Store, catalog: LayerCatalog) -> None:
        self._store, self._catalog = store, catalog
        self._current: tuple[str, Directory] | None = None
        self._lock = threading.Lock()

    def current(self) -> Directory:
        version = self._store.version()
        held = self._current
        if held is not None and held[0] == version:
            return held[1]
        with self._lock:  # one build at a time; later callers reuse it
            if self._current is None or self._current[0] != version:
                self._current = (version, load_directory(self._store, self._catalog))
            return self._current[1]
