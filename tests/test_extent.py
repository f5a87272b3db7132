"""Where maps open: the data's own extent (any CRS), else Great Britain; never a fixed county."""

from __future__ import annotations

import pytest

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.crs import GB_BOUNDS, METRIC_CRS, WEB_CRS
from assetmap.extent import GREAT_BRITAIN, MapView, view_of, web_bounds

SQUARE = gpd.GeoDataFrame(geometry=[box(450_000, 300_000, 470_000, 310_000)], crs=METRIC_CRS)


def test_web_bounds_hold_the_data_in_any_crs() -> None:
    exact = SQUARE.to_crs(WEB_CRS).total_bounds
    west, south, east, north = web_bounds(SQUARE.geometry)
    assert west <= exact[0] and south <= exact[1] and east >= exact[2] and north >= exact[3]
    assert (west, south, east, north) == pytest.approx(tuple(exact), abs=0.01)
    assert web_bounds(SQUARE.to_crs(WEB_CRS).geometry) == tuple(exact)
    mercator = web_bounds(SQUARE.to_crs("EPSG:3857").geometry)
    assert mercator == pytest.approx(tuple(exact), abs=1e-6)


def test_view_of_the_first_layer_with_geometry() -> None:
    empty = SQUARE.iloc[:0]
    only_missing = gpd.GeoDataFrame(geometry=[None], crs=METRIC_CRS)
    view = view_of([None, empty, only_missing, SQUARE], zoom=9)
    assert view.zoom == 9
    lat, lon = view.centre
    assert 52.5 < lat < 52.7 and -1.3 < lon < -1.0
    assert view.leaflet_bounds == [[view.south, view.west], [view.north, view.east]]
    assert view.as_json() == {"lat": lat, "lon": lon, "zoom": 9, "bounds": view.leaflet_bounds}


def test_no_geography_opens_on_great_britain() -> None:
    assert view_of([None, SQUARE.iloc[:0]], zoom=9) is GREAT_BRITAIN
    assert (GREAT_BRITAIN.west, GREAT_BRITAIN.south, GREAT_BRITAIN.east,
            GREAT_BRITAIN.north) == GB_BOUNDS
    assert GREAT_BRITAIN.zoom < 9


def test_a_single_point_is_its_own_centre() -> None:
    view = view_of([gpd.GeoDataFrame(geometry=[Point(-1.5, 52.5)], crs=WEB_CRS)], zoom=12)
    assert view == MapView(-1.5, 52.5, -1.5, 52.5, 12)
    assert view.centre == (52.5, -1.5)
