"""The geography layer's coordinates: frames, points, boxes and the Great Britain check."""

from __future__ import annotations

import numpy as np
import pytest

import geopandas as gpd
from shapely.geometry import Point

from assetmap.crs import (
    GB_BOUNDS,
    GB_EXTENT_M,
    GB_LOOSE_BOUNDS,
    METRIC_CRS,
    WEB_CRS,
    bbox_to_metric,
    bbox_to_web,
    check_lat_lon,
    in_great_britain,
    lonlat_to_metric,
    metric_to_lonlat,
    require_crs,
    to_metric,
    to_web,
    transformer,
)
from assetmap.errors import CRSError, ValidationFailed

# Leicester's clock tower: about (-1.1336, 52.6362) and (458_800, 304_500) in BNG.
LON, LAT = -1.1336, 52.6362


def test_transformer_is_cached_and_lonlat_ordered() -> None:
    assert transformer(WEB_CRS, METRIC_CRS) is transformer(WEB_CRS, METRIC_CRS)
    x, y = transformer(WEB_CRS, METRIC_CRS).transform(LON, LAT)
    assert 458_000 < x < 460_000 and 304_000 < y < 305_500


def test_transformer_gives_what_pyproj_chooses_in_every_thread() -> None:
    """Built from a pipeline (cheap in each new server thread), yet the same coordinates as
    pyproj's own choice from the two CRSs, in the main thread and in another one."""
    from concurrent.futures import ThreadPoolExecutor

    from pyproj import Transformer  # noqa: TID251  (the reference ours is checked against)

    rng = np.random.default_rng(15)
    lon, lat = rng.uniform(-1.6, -0.6, 500), rng.uniform(52.3, 52.9, 500)
    reference = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    expected = np.array(reference.transform(lon, lat))
    ours = transformer("EPSG:4326", "EPSG:27700")
    assert np.allclose(np.array(ours.transform(lon, lat)), expected, atol=1e-6, rtol=0)
    with ThreadPoolExecutor(2) as pool:
        in_thread = pool.submit(lambda: np.array(ours.transform(lon, lat))).result()
    assert np.allclose(in_thread, expected, atol=1e-6, rtol=0)
    x, y = expected
    back = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(x, y)
    ours_back = transformer("EPSG:27700", "EPSG:4326").transform(x, y)
    assert np.allclose(np.array(ours_back), np.array(back), atol=1e-9, rtol=0)
    assert np.allclose(np.array(ours_back), [lon, lat], atol=1e-4, rtol=0)  # within ~10 m


@pytest.mark.parametrize("source", ["EPSG:4258", "EPSG:3857", "OGC:CRS84", "EPSG:32630"])
def test_other_crss_an_import_may_declare_come_out_as_pyproj_would_place_them(
    source: str,
) -> None:
    """ETRS89's only pipeline here is a ballpark 100 m off: pyproj's own choice is kept."""
    from pyproj import Transformer  # noqa: TID251  (the reference ours is checked against)

    rng = np.random.default_rng(15)
    x, y = rng.uniform(430_000, 490_000, 300), rng.uniform(280_000, 330_000, 300)
    a, b = Transformer.from_crs("EPSG:27700", source, always_xy=True).transform(x, y)
    expected = Transformer.from_crs(source, "EPSG:27700", always_xy=True).transform(a, b)
    got = transformer(source, "EPSG:27700").transform(a, b)
    assert np.allclose(np.array(got), np.array(expected), atol=1e-6, rtol=0)
    assert np.allclose(np.array(got), [x, y], atol=5.0, rtol=0)  # and near where they began


def test_points_go_both_ways_as_floats() -> None:
    x, y = lonlat_to_metric(LON, LAT)
    assert type(x) is float and type(y) is float
    assert 458_000 < x < 460_000 and 304_000 < y < 305_500
    lon, lat = metric_to_lonlat(x, y)
    assert type(lon) is float
    assert lon == pytest.approx(LON, abs=1e-6) and lat == pytest.approx(LAT, abs=1e-6)


def test_points_go_both_ways_as_arrays() -> None:
    xs, ys = lonlat_to_metric(np.array([LON, -1.0]), [LAT, 52.0])
    assert isinstance(xs, np.ndarray) and xs.shape == (2,) and ys.shape == (2,)
    assert (xs[0], ys[0]) == pytest.approx(lonlat_to_metric(LON, LAT))
    lons, lats = metric_to_lonlat(xs, ys)
    np.testing.assert_allclose(lons, [LON, -1.0], atol=1e-9)
    np.testing.assert_allclose(lats, [LAT, 52.0], atol=1e-9)


def test_boxes_cover_the_reprojected_box() -> None:
    box = (-1.6, 52.4, -0.7, 52.9)
    minx, miny, maxx, maxy = bbox_to_metric(box)
    for lon, lat in [(-1.6, 52.4), (-0.7, 52.9), (-1.6, 52.9), (-0.7, 52.4), (-1.15, 52.9)]:
        x, y = lonlat_to_metric(lon, lat)
        assert minx <= x <= maxx and miny <= y <= maxy
    west, south, east, north = bbox_to_web((minx, miny, maxx, maxy))
    assert west <= -1.6 and south <= 52.4 and east >= -0.7 and north >= 52.9
    assert all(type(v) is float for v in (west, south, east, north))


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [(LON, LAT, True), (-6.3, 49.9, True), (-1.3, 60.8, True), (LAT, LON, False),
     (2.35, 48.86, False), (float("nan"), LAT, False), (LON, float("inf"), False)],
)
def test_in_great_britain(lon: float, lat: float, inside: bool) -> None:
    assert in_great_britain(lon, lat) is inside


def test_in_great_britain_takes_arrays_and_a_looser_box() -> None:
    lons = np.array([LON, LAT, -8.9, np.nan])
    lats = np.array([LAT, LON, 52.0, LAT])
    assert in_great_britain(lons, lats).tolist() == [True, False, False, False]
    assert in_great_britain(lons, lats, GB_LOOSE_BOUNDS).tolist() == [True, False, True, False]
    west, south, east, north = GB_LOOSE_BOUNDS
    assert west < GB_BOUNDS[0] and south < GB_BOUNDS[1]
    assert east > GB_BOUNDS[2] and north > GB_BOUNDS[3]
    assert GB_EXTENT_M == (0.0, 0.0, 700_000.0, 1_300_000.0)


def test_great_britain_bounds_are_lon_lat() -> None:
    west, south, east, north = GB_BOUNDS
    assert west < east and south < north and south > 40


def test_check_lat_lon_names_a_swap_and_an_outside_point() -> None:
    check_lat_lon(LAT, LON)
    with pytest.raises(ValidationFailed, match="wrong way round") as swapped:
        check_lat_lon(LON, LAT)
    assert swapped.value.key == "error.point_swapped"
    with pytest.raises(ValidationFailed, match="outside Great Britain") as outside:
        check_lat_lon(48.86, 2.35)
    assert outside.value.key == "error.point_outside"
    with pytest.raises(ValidationFailed) as nan:
        check_lat_lon(float("nan"), LON)
    assert nan.value.key == "error.point_not_numbers"


def test_frames_are_reprojected_only_when_needed() -> None:
    frame = gpd.GeoDataFrame(geometry=[Point(LON, LAT)], crs=WEB_CRS)
    assert to_web(frame) is frame
    metric = to_metric(frame)
    assert metric.crs.equals(METRIC_CRS)
    assert to_metric(metric) is metric
    with pytest.raises(CRSError, match="set_crs"):
        require_crs(gpd.GeoSeries([Point(0, 0)]), "points")


def test_frames_reprojected_between_the_two_crss_are_exactly_what_geopandas_gives() -> None:
    from shapely.geometry import Polygon

    frame = gpd.GeoDataFrame(
        {"name": ["hall", "parish", "missing"]},
        geometry=[Point(458_500, 304_000),
                  Polygon([(450_000, 300_000), (452_000, 300_000), (451_000, 302_000)]), None],
        crs=METRIC_CRS,
    ).rename_geometry("shape")
    ours, theirs = to_web(frame), frame.to_crs(WEB_CRS)
    assert ours.crs.equals(WEB_CRS) and ours.geometry.name == "shape"
    assert list(ours.columns) == list(theirs.columns) and list(ours["name"]) == list(theirs["name"])
    assert ours.geometry.iloc[2] is None
    assert ours.geometry.iloc[:2].geom_equals_exact(theirs.geometry.iloc[:2], tolerance=0).all()
    back = to_metric(ours)
    assert back.geometry.iloc[:2].geom_equals_exact(
        theirs.to_crs(METRIC_CRS).geometry.iloc[:2], tolerance=0).all()
    assert frame.crs.equals(METRIC_CRS)  # the frame given is not changed
