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


def test_coordinates_are_those_of_geopandas_to_crs_with_z_kept() -> None:
    """The bbox path's own transform gives what GeoSeries.to_crs gives, z and all."""
    from shapely.geometry import Polygon

    frame = gpd.GeoDataFrame(
        {"id": ["flat", "tall", "area", "in degrees"]},
        geometry=[Point(450_000, 300_000), Point(451_000, 301_000, 52.5),
                  Polygon([(450_000, 300_000), (451_000, 300_000), (451_000, 301_000)]),
                  None],
        crs="EPSG:27700",
    )
    body = json.loads(feature_collection(frame, id_field="id", fields=["id"]))
    expected = json.loads(frame.to_crs("EPSG:4326").set_precision(1e-6, mode="pointwise").to_json())
    got = [f["geometry"] for f in body["features"]]
    assert got == [f["geometry"] for f in expected["features"]]
    assert got[1]["coordinates"][2] == 52.5 and len(got[0]["coordinates"]) == 2


def test_a_frame_already_in_lonlat_is_served_as_it_is() -> None:
    frame = gpd.GeoDataFrame({"id": ["A"]}, geometry=[Point(-1.1234567, 52.6)], crs="EPSG:4326")
    body = json.loads(feature_collection(frame, id_field="id", fields=["id"]))
    assert body["features"][0]["geometry"]["coordinates"] == [-1.123457, 52.6]
