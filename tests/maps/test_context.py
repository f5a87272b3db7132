"""What maps draw when no tile server is set: outlines simplified for the zoom, each
boundary once, and place names with the bigger places first."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import MultiPolygon, Polygon

from assetmap.config import PROJECT_ROOT
from assetmap.crs import METRIC_CRS
from assetmap.finder.gazetteer import Gazetteer, Place
from assetmap.layers import load_catalog
from assetmap.maps.context import map_context
from assetmap.store import open_store
from assetmap.store.gpkg_write import write_geopackage

CATALOG = load_catalog(PROJECT_ROOT / "layers")


def _vertices(body: dict[str, object], key: str) -> int:
    features = body[key]["features"]  # type: ignore[index]
    total = 0
    for feature in features:
        geometry = feature["geometry"]
        lines = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [
            geometry["coordinates"]]
        total += sum(len(line) for line in lines)
    return total


def test_wiggly_outlines_are_simplified_more_for_the_county_view(tmp_path: Path) -> None:
    # Two districts sharing a wiggly edge of 2,000 vertices, 30 m off a straight line.
    wiggle = [(455_000 + (30 if i % 2 else 0), 300_000 + i * 5) for i in range(2001)]
    west = Polygon([(450_000, 300_000), *wiggle, (450_000, 310_000)])
    east = Polygon([*wiggle, (460_000, 310_000), (460_000, 300_000)])
    districts = gpd.GeoDataFrame({"code": ["E07999001", "E07999002"], "name": ["W", "E"]},
                                 geometry=[MultiPolygon([west]), MultiPolygon([east])],
                                 crs=METRIC_CRS)
    write_geopackage(tmp_path / "w.gpkg", {"districts": districts})
    store = open_store(str(tmp_path / "w.gpkg"))
    coarse = map_context(store, CATALOG, Gazetteer(), "coarse")
    fine = map_context(store, CATALOG, Gazetteer(), "fine")
    assert _vertices(coarse, "districts") < 20  # the 30 m wiggle is gone at county zoom
    assert _vertices(fine, "districts") > 1_000  # and kept close in (each edge once)
    assert _vertices(fine, "districts") < 2_020
    assert coarse["parishes"] == {"type": "FeatureCollection", "features": []}


def test_a_shared_edge_is_one_line_not_two(store_location: str) -> None:
    body = map_context(open_store(store_location), CATALOG, Gazetteer(), "fine")
    [feature] = body["parishes"]["features"]
    # Four 5 km by 10 km parishes in a row: 5 edges up and 8 across, each drawn once
    # (their four outlines, one by one, would be 16).
    lines = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "MultiLineString"
    assert sum(len(line) - 1 for line in lines) == 13


def test_towns_come_first_and_one_name_is_one_label() -> None:
    places = [Place("Belby North (unparished)", "unparished", 450_000, 300_000),
              Place("Belby South (unparished)", "unparished", 450_000, 298_000),
              Place("Kirby Parva", "parish", 455_000, 301_000),
              Place("Belby Orchard", "ward", 450_500, 299_000),
              Place("LZ1", "postcode_district", 450_000, 300_000)]
    body = map_context(None, CATALOG, Gazetteer({}, places), outlines=False)  # type: ignore[arg-type]
    assert [(p["name"], p["rank"]) for p in body["places"]] == [
        ("Belby", 1), ("Kirby Parva", 2), ("Belby Orchard", 3)]
