"""The OGC pages' small offline map: true proportions, numbered dots, nothing fetched."""

from __future__ import annotations

import re

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.maps.mini_map import mini_map_svg


def test_points_are_numbered_in_order_and_shapes_drawn() -> None:
    frame = gpd.GeoDataFrame(
        geometry=[Point(-1.10, 52.60), Point(-1.00, 52.70), box(-1.2, 52.5, -1.1, 52.6)],
        crs="EPSG:4326")
    svg = mini_map_svg(frame, "Map of three things")
    assert svg.startswith("<svg") and 'aria-label="Map of three things"' in svg
    assert re.findall(r'class="mm-number">(\d+)<', svg) == ["1", "2"]
    assert svg.count('class="mm-shape"') == 1


def test_nothing_drawable_is_no_map() -> None:
    assert mini_map_svg(gpd.GeoDataFrame(geometry=[None], crs="EPSG:4326"), "x") == ""
