"""GeoJSON and GeoPackage downloads carry the ranked areas and say how they were made."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyogrio

from assetmap.analysis import DistrictReport
from assetmap.reports import report_geojson, report_gpkg


def test_geojson_is_lon_lat_with_the_run_echoed(report: DistrictReport) -> None:
    document = json.loads(report_geojson(report))
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # RFC 7946: WGS84 longitude, latitude
    assert [f["properties"]["code"] for f in document["features"]] == list(report.areas["code"])
    ring = document["features"][0]["geometry"]["coordinates"][0][0]
    for lon, lat in ring:
        assert -2.0 < lon < 0.0 and 52.0 < lat < 53.5  # near Leicester, lon first
    assert document["thresholds"] == report.thresholds.as_flat_dict()
    assert document["synthetic"] is True
    assert document["sources"][0]["synthetic"] is True
    assert document["method"]["document"] == "docs/METHOD.md"
    assert any("greedy maximal covering" in s for s in document["method"]["statements"])
    assert document["district"] == {"code": "E07000901", "name": "Riverside"}
    assert [s["rank"] for s in document["candidate_sites"]] == [1, 2, 3, 4, 5]
    first = document["features"][0]["properties"]
    assert first["residents_per_hub"] is None  # NaN becomes null, not invalid JSON
    assert first["no_hub"] is True


def test_gpkg_has_the_layers_and_metadata(report: DistrictReport, tmp_path: Path) -> None:
    path = tmp_path / "report.gpkg"
    path.write_bytes(report_gpkg(report))
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"community_areas", "small_areas", "hubs", "candidate_sites",
                           "report_metadata"}
    assert layers["report_metadata"] is None  # an attribute table
    with sqlite3.connect(path) as db:  # GeoPackage 1.2, like every other download
        assert db.execute("PRAGMA user_version").fetchone() == (10200,)
    areas = pyogrio.read_dataframe(path, layer="community_areas")
    assert areas.crs.to_epsg() == 27700
    assert list(areas["code"]) == list(report.areas["code"])
    assert list(areas["reasons"]) == list(report.areas["reasons"])
    assert len(pyogrio.read_dataframe(path, layer="small_areas")) == 16
    assert set(pyogrio.read_dataframe(path, layer="hubs")["id"]) == {"H1", "H2", "H3"}
    assert len(pyogrio.read_dataframe(path, layer="candidate_sites")) == 5
    metadata = pyogrio.read_dataframe(path, layer="report_metadata")
    values = dict(zip(metadata["key"], metadata["value"], strict=True))
    for name, value in report.thresholds.as_flat_dict().items():
        assert float(values[f"threshold:{name}"]) == value
    assert values["synthetic"] == "true"
    assert "seed 7" in values["source:1"]
