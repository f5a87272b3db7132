"""What an asset's position decides: its district and community area, and a fresh id.

Officers place assets; they should not have to look up ONS codes. Codes are
taken from the polygons the point falls in (or the nearest within 100 m, for
points on a boundary line), by the one rule importers use too
(:func:`assetmap.locate.assign_to_areas`).
"""

from __future__ import annotations

import secrets
from typing import Any

import pandas as pd

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from assetmap.crs import METRIC_CRS, metric_to_lonlat
from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.locate import assign_to_areas
from assetmap.store.base import Store

__all__ = [
    "PLACED_FIELDS", "codes_of_points", "new_feature_id", "place_codes", "require_in_county",
]

# Field -> the layer whose polygons give it.
PLACED_FIELDS = {"district_code": "districts", "community_area_code": "community_areas"}
_TOLERANCE_M = 100.0


def codes_of_points(
    points: gpd.GeoSeries, areas: gpd.GeoDataFrame, code_field: str
) -> pd.Series:
    """The code of the area each point lies in, by the rule officers' edits use (many at once)."""
    return assign_to_areas(points, areas, code_field, tolerance_m=_TOLERANCE_M)


def place_codes(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, point: BaseGeometry
) -> dict[str, Any]:
    """The codes of the areas ``point`` (EPSG:27700) lies in, for the fields ``layer`` has."""
    codes: dict[str, Any] = {}
    for field, area_layer_name in PLACED_FIELDS.items():
        area_layer = catalog.get(area_layer_name)
        if field not in layer.field_names or area_layer is None:
            continue
        box = point.buffer(_TOLERANCE_M).bounds
        areas = store.read(area_layer, bbox=box, fields=[area_layer.id_field])
        found = codes_of_points(gpd.GeoSeries([point], crs=METRIC_CRS), areas,
                                area_layer.id_field)
        codes[field] = found.iloc[0]
    return codes


def _outside_by(districts: gpd.GeoDataFrame, geometry: BaseGeometry) -> str:
    distances = districts.distance(geometry)
    best = distances.idxmin()
    name = districts.loc[best].get("name") or districts.loc[best].get("code")
    return f"{distances[best] / 1000:.1f} km from the nearest district, {name}"


def require_in_county(store: Store, catalog: LayerCatalog, geometry: BaseGeometry) -> None:
    """Refuse a position (EPSG:27700) outside the county: the store's districts and 100 m
    beyond them (as imports check). A store with no districts has no county to check."""
    layer = catalog.get("districts")
    if layer is None or not store.has_layer(layer):
        return
    box = geometry.buffer(_TOLERANCE_M).bounds
    near = store.read(layer, bbox=box, fields=[layer.id_field])
    if len(near) and bool(near.geometry.dwithin(geometry, _TOLERANCE_M).any()):
        return
    everywhere = store.read(layer)
    if everywhere.empty:
        return
    point = geometry.representative_point()
    lon, lat = metric_to_lonlat(point.x, point.y)
    raise ValidationFailed(
        f"The position (longitude {lon:.5f}, latitude {lat:.5f}) lies outside the county: "
        f"{_outside_by(everywhere, geometry)}. Only places in the county's districts can be "
        "added to the register; check the longitude and latitude (not swapped?).",
        details=[{"field": "geometry", "problem": "outside the county",
                  "fix": "give a position inside one of the county's districts"}],
    )


def new_feature_id(store: Store, layer: LayerSpec, prefix: str = "A-") -> str:
    """An id nobody has used: short enough to read out on the phone."""
    while True:
        candidate = prefix + secrets.token_hex(4).upper()
        if store.get(layer, candidate) is None:
            return candidate
