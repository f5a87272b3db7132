"""The search form's example comes from the store: a postcode inside the county, a place."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.config import PROJECT_ROOT
from assetmap.finder import FinderData
from assetmap.finder.examples import SearchExample, search_example
from assetmap.finder.gazetteer import Gazetteer
from assetmap.layers import load_catalog
from assetmap.store import open_store

CRS = "EPSG:27700"
COUNTY = gpd.GeoDataFrame({"code": ["D1"], "name": ["Riverside"]},
                          geometry=[box(0, 0, 10_000, 10_000)], crs=CRS)


def _postcodes(rows: dict[str, tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"postcode": list(rows)},
                            geometry=[Point(xy) for xy in rows.values()], crs=CRS)


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Ashby", "Beeby"], "governance": ["parish", "parish"], "district": ["D1"] * 2},
        geometry=[box(0, 0, 5000, 10_000), box(5000, 0, 10_000, 10_000)], crs=CRS)


def test_the_example_postcode_is_inside_the_county_nearest_its_middle() -> None:
    postcodes = _postcodes({
        "LZ9 9ZZ": (10_400, 5000),  # outside the county, though near enough
        "LZ1 1AA": (1000, 1000),  # inside, far from the middle
        "LZ2 2BB": (5600, 5200),  # inside, nearest the middle
    })
    gazetteer = Gazetteer.from_frames(postcodes, _areas(), districts={"D1": "Riverside"})
    example = search_example(postcodes, COUNTY, gazetteer)
    assert example.postcode == "LZ2 2BB"
    assert example.place == "Beeby"  # the place nearest it, found by its name alone
    assert gazetteer.search(example.place).found is not None


def test_no_postcode_inside_the_county_falls_back_to_any_and_none_to_nothing() -> None:
    outside = _postcodes({"LZ9 9ZZ": (20_000, 5000)})
    gazetteer = Gazetteer.from_frames(outside, None)
    assert search_example(outside, COUNTY, gazetteer).postcode == "LZ9 9ZZ"
    assert search_example(None, COUNTY, Gazetteer.from_frames(None, None)) == SearchExample()


def test_the_finder_reads_its_example_from_either_store(store_location: str) -> None:
    data = FinderData.from_store(open_store(store_location), load_catalog(PROJECT_ROOT / "layers"))
    assert data.example.postcode is not None
    assert data.gazetteer.postcode(data.example.postcode)[0] == data.example.postcode
    assert data.example.place is not None
    assert data.gazetteer.search(data.example.place).found is not None
