"""/ogc read by a real OGC API – Features client: GDAL's OAPIF driver (ogrinfo, ogr2ogr)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import geopandas as gpd

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.crs import to_web
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.e2e.browser import live_server

OGRINFO, OGR2OGR = shutil.which("ogrinfo"), shutil.which("ogr2ogr")


@pytest.fixture
def ogc_url(tiny_gpkg: Path) -> Iterator[str]:
    if not (OGRINFO and OGR2OGR):
        if os.environ.get("CI"):
            pytest.fail("GDAL's ogrinfo is missing in CI: scripts/setup.sh --test installs it")
        pytest.skip("GDAL's ogrinfo not installed (run scripts/setup.sh --test)")
    with live_server(create_app(Settings(store=str(tiny_gpkg)))) as url:
        yield f"{url}/ogc"


def gdal(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ogrinfo_lists_collections_and_counts_features(ogc_url: str) -> None:
    listing = gdal(str(OGRINFO), "-ro", f"OAPIF:{ogc_url}")
    assert re.search(r"\bassets\b.*\(Point\)", listing), listing
    assert re.search(r"\bcommunity_areas\b.*\(Multi Polygon\)", listing), listing
    summary = gdal(str(OGRINFO), "-ro", "-so", f"OAPIF:{ogc_url}", "assets")
    assert "Feature Count: 5" in summary
    extent = re.search(r"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)", summary)
    assert extent is not None
    west, south, east, north = map(float, extent.groups())
    assert -1.26 < west < east < -1.0 and 52.59 < south < north < 52.65


@pytest.mark.parametrize("layer_name", ["assets", "community_areas"])
def test_ogr2ogr_pages_through_every_feature_with_matching_coordinates(
    ogc_url: str, tiny_gpkg: Path, tmp_path: Path, layer_name: str
) -> None:
    out = tmp_path / f"{layer_name}.geojson"
    # Two features a page: GDAL must follow `next` links to get them all.
    gdal(str(OGR2OGR), "-f", "GeoJSON", "-oo", "PAGE_SIZE=2", str(out), f"OAPIF:{ogc_url}",
         layer_name)
    layer = load_catalog(Settings().layers_dir)[layer_name]
    fetched = gpd.read_file(out).set_index(layer.id_field)
    store = open_store(str(tiny_gpkg))
    try:
        expected = to_web(store.read(layer)).set_index(layer.id_field)
        assert len(fetched) == store.count(layer) > 2
    finally:
        store.close()
    assert sorted(fetched.index) == sorted(expected.index)
    for feature_id, geometry in expected.geometry.items():
        assert fetched.geometry[feature_id].equals_exact(geometry, tolerance=1e-6), feature_id
    names = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert all(f["properties"].get("name") for f in names)
