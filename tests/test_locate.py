"""One rule for which area a point is in: inside first (smallest code), then nearest within
the tolerance (smallest code on ties), else missing; in metres whatever the input CRS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geopandas as gpd
from shapely.geometry import Point, box

from assetmap.crs import METRIC_CRS, WEB_CRS
from assetmap.errors import CRSError
from assetmap.locate import assign_to_areas

# Two 10 km squares side by side (B first, so row order cannot be what decides), and a
# third square C overlapping the east half of A.
AREAS = gpd.GeoDataFrame(
    {"code": ["B", "A", "C"]},
    geometry=[box(10_000, 0, 20_000, 10_000), box(0, 0, 10_000, 10_000),
              box(5_000, 0, 10_000, 10_000)],
    crs=METRIC_CRS,
)


def _points(*xy: tuple[float, float], crs: str = METRIC_CRS) -> gpd.GeoSeries:
    return gpd.GeoSeries([Point(x, y) for x, y in xy], crs=crs,
                         index=[f"p{i}" for i in range(len(xy))])


def test_a_point_inside_one_area_takes_its_code() -> None:
    codes = assign_to_areas(_points((2_000, 5_000), (15_000, 5_000)), AREAS, "code")
    assert codes.to_dict() == {"p0": "A", "p1": "B"}


def test_a_point_on_a_shared_boundary_takes_the_smallest_code() -> None:
    # x = 20 000 is only B's; x = 10 000 is A's, B's and C's east edge.
    codes = assign_to_areas(_points((10_000, 5_000)), AREAS[AREAS["code"] != "C"], "code")
    assert codes.tolist() == ["A"]
    codes = assign_to_areas(_points((10_000, 5_000)), AREAS[AREAS["code"] != "A"], "code")
    assert codes.tolist() == ["B"]


def test_a_point_inside_two_overlapping_areas_takes_the_smallest_code() -> None:
    codes = assign_to_areas(_points((7_000, 5_000)), AREAS, "code")
    assert codes.tolist() == ["A"]
    codes = assign_to_areas(_points((7_000, 5_000)), AREAS.iloc[::-1], "code")
    assert codes.tolist() == ["A"], "row order does not decide"


def test_a_point_50_m_outside_takes_the_nearest_within_the_tolerance() -> None:
    codes = assign_to_areas(_points((2_000, -50), (15_000, 10_050)), AREAS, "code",
                            tolerance_m=100)
    assert codes.tolist() == ["A", "B"]


def test_a_point_500_m_outside_gets_none() -> None:
    codes = assign_to_areas(_points((2_000, -500)), AREAS, "code", tolerance_m=100)
    assert codes.tolist() == [None]
    assert codes.dtype == object


def test_no_tolerance_means_inside_only() -> None:
    assert assign_to_areas(_points((2_000, -50)), AREAS, "code", tolerance_m=0).tolist() == [None]


def test_equally_near_areas_are_decided_by_the_smallest_code() -> None:
    # 50 m below the corner A, B and C share: equally near all three.
    codes = assign_to_areas(_points((10_000, -50)), AREAS, "code", tolerance_m=100)
    assert codes.tolist() == ["A"]
    codes = assign_to_areas(_points((10_000, -50)), AREAS[AREAS["code"] != "A"], "code")
    assert codes.tolist() == ["B"]


def test_inside_wins_over_a_nearer_edge_of_another_area() -> None:
    # 1 m inside B, 1 m from A: B contains it, so B.
    assert assign_to_areas(_points((10_001, 5_000)), AREAS, "code").tolist() == ["B"]


def test_points_in_wgs84_are_measured_in_metres() -> None:
    areas = gpd.GeoDataFrame({"code": ["E1", "E2"]},
                             geometry=[box(450_000, 300_000, 460_000, 310_000),
                                       box(460_000, 300_000, 470_000, 310_000)], crs=METRIC_CRS)
    metric = _points((455_000, 305_000), (465_000, 305_000), (455_000, 299_950),
                     (455_000, 299_000))
    web = metric.to_crs(WEB_CRS)
    codes = assign_to_areas(web, areas.to_crs(WEB_CRS), "code", tolerance_m=100)
    assert codes.tolist() == ["E1", "E2", "E1", None]
    assert assign_to_areas(web, areas, "code").equals(codes)


def test_a_frame_keeps_its_index_and_missing_geometries_get_none() -> None:
    frame = gpd.GeoDataFrame({"name": ["x", "y", "z"]},
                             geometry=[Point(2_000, 5_000), None, Point()], crs=METRIC_CRS,
                             index=[10, 20, 30])
    codes = assign_to_areas(frame, AREAS, "code")
    assert codes.index.tolist() == [10, 20, 30]
    assert codes.tolist() == ["A", None, None]


def test_codes_are_text_and_areas_without_a_code_are_ignored() -> None:
    areas = gpd.GeoDataFrame({"n": ["7", None]}, geometry=[box(0, 0, 10, 10), box(0, 0, 20, 20)],
                             crs=METRIC_CRS)
    codes = assign_to_areas(_points((5, 5), (15, 15)), areas, "n", tolerance_m=0)
    assert codes.tolist() == ["7", None]
    numbers = gpd.GeoDataFrame({"n": [7]}, geometry=[box(0, 0, 10, 10)], crs=METRIC_CRS)
    assert assign_to_areas(_points((5, 5)), numbers, "n").tolist() == ["7"]


def test_nothing_to_assign() -> None:
    assert assign_to_areas(_points(), AREAS, "code").empty
    empty = AREAS.iloc[:0]
    assert assign_to_areas(_points((1, 1)), empty, "code").tolist() == [None]


def test_data_without_a_crs_is_refused() -> None:
    with pytest.raises(CRSError):
        assign_to_areas(gpd.GeoSeries([Point(1, 1)]), AREAS, "code")


def test_100k_points_each_get_the_area_they_are_in() -> None:
    # How fast: benchmarks/bench_import.py (a timed unit test would only measure the machine).
    rng = np.random.default_rng(7)
    xy = rng.uniform(-1_000, 21_000, size=(100_000, 2))
    points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=METRIC_CRS)
    codes = assign_to_areas(points, AREAS, "code")
    inside_a = (xy[:, 0] >= 0) & (xy[:, 0] <= 10_000) & (xy[:, 1] >= 0) & (xy[:, 1] <= 10_000)
    assert (codes[inside_a] == "A").all()
    assert pd.isna(codes[(xy[:, 1] < -100) | (xy[:, 1] > 10_100)]).all()


def test_matches_the_rule_written_out_by_hand_on_random_points() -> None:
    """Brute force over every area: the smallest code among those touching the point, else
    among the nearest within the tolerance; points on grid lines test the ties."""
    rng = np.random.default_rng(3)
    cells = [(i, j) for i in range(4) for j in range(3)]
    codes = [f"E{rng.integers(100, 999)}{i}{j}" for i, j in cells]
    areas = gpd.GeoDataFrame(
        {"code": codes},
        geometry=[box(i * 1_000, j * 1_000, (i + 1) * 1_000, (j + 1) * 1_000) for i, j in cells],
        crs=METRIC_CRS,
    ).sample(frac=1, random_state=3)
    xy = np.round(rng.uniform(-300, 4_300, size=(600, 2)) / 100) * 100  # many on grid lines
    points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=METRIC_CRS)
    got = assign_to_areas(points, areas, "code", tolerance_m=120)
    seen = {"inside": 0, "tie": 0, "near": 0, "none": 0}
    for point, code in zip(points, got, strict=True):
        touching = sorted(c for c, g in zip(areas["code"], areas.geometry, strict=True)
                          if g.intersects(point))
        if touching:
            assert code == touching[0]
            seen["tie" if len(touching) > 1 else "inside"] += 1
            continue
        distances = {c: g.distance(point) for c, g in zip(areas["code"], areas.geometry,
                                                           strict=True)}
        nearest = min(distances.values())
        expected = min(c for c, d in distances.items() if d == nearest) if nearest <= 120 else None
        assert code == expected
        seen["near" if expected else "none"] += 1
    assert all(n > 10 for n in seen.values()), seen


def test_inside_is_what_an_intersects_query_of_the_polygons_gives() -> None:
    """The fast path (points sorted by easting, tested from their coordinates) finds the same
    (point, area) pairs as GEOS's intersects, on the boundaries and vertices too."""
    import shapely

    from assetmap.locate import _inside_pairs

    rng = np.random.default_rng(15)
    areas = np.array([
        shapely.buffer(Point(rng.uniform(0, 10_000), rng.uniform(0, 10_000)),
                       rng.uniform(300, 3_000), quad_segs=5)
        for _ in range(40)
    ] + [box(0, 0, 5_000, 5_000), box(5_000, 0, 10_000, 5_000)], dtype=object)
    xy = np.vstack([rng.uniform(-500, 10_500, (5_000, 2)),
                    shapely.get_coordinates(areas)[::3],  # on the outlines
                    [[5_000, 2_500], [5_000, 0]]])  # on a shared edge, and a shared corner
    points = shapely.points(xy)
    expected = shapely.STRtree(areas).query(points, predicate="intersects")
    found = _inside_pairs(areas, points)
    assert set(map(tuple, found.T.tolist())) == set(map(tuple, expected.T.tolist()))
    assert found.shape[1] > 5_000  # many points fall in some area: the test compares something
