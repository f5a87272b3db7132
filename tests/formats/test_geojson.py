"""GeoJSON text: EPSG:4326, rounded coordinates, JSON-ready properties."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

import geopandas as gpd
from shapely.geometry import Point

from assetmap.formats.geojson import feature, feature_collection, plain_records


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["A", "B"], "name": ["Café", None], "n": [1.5, np.nan]},
        geometry=[Point(458_000.123, 304_000.456), None],
        crs="EPSG:27700",
    )


def test_collection_is_in_lonlat_with_extra_members() -> None:
    body = json.loads(feature_collection(_frame(), id_field="id", fields=["name", "n"],
                                         extra={"count": 2}))
    assert body["type"] == "FeatureCollection" and body["count"] == 2
    first, second = body["features"]
    assert first["id"] == "A" and first["properties"] == {"name": "Café", "n": 1.5}
    lon, lat = first["geometry"]["coordinates"]
    assert -1.2 < lon < -1.0 and 52.5 < lat < 52.7
    assert round(lon, 6) == lon and round(lat, 6) == lat
    assert second["geometry"] is None and second["properties"] == {"name": None, "n": None}


def test_feature_is_the_first_row() -> None:
    body = json.loads(feature(_frame(), id_field="id", fields=["name"]))
    assert body["type"] == "Feature" and body["id"] == "A"


def test_plain_records_turn_missing_into_none() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": [np.inf, 2.5], "c": ["x", None]})
    records = plain_records(frame, ["a", "b", "c"])
    assert records == [{"a": 1, "b": None, "c": "x"}, {"a": 2, "b": 2.5, "c": None}]
    assert all(type(r["a"]) is int for r in records), "Python scalars, not numpy ones"
