"""Server-side clustering: counts add up, groups split as you zoom, markers never overlap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetmap.clustering import PointGrid, mercator, unmercator


def pixels(lon: np.ndarray, lat: np.ndarray, zoom: int) -> np.ndarray:
    x, y = mercator(lon, lat)
    return np.asarray(np.column_stack([x, y]) * 256 * 2**zoom, dtype=np.float64)


def test_mercator_round_trip_and_known_values() -> None:
    lon, lat = np.array([-1.13, 0.0, 179.0]), np.array([52.63, 0.0, -60.0])
    back_lon, back_lat = unmercator(*mercator(lon, lat))
    assert np.allclose(back_lon, lon) and np.allclose(back_lat, lat)
    x, y = mercator(np.array([0.0]), np.array([0.0]))
    assert x[0] == pytest.approx(0.5) and y[0] == pytest.approx(0.5)


def test_neighbours_group_when_far_and_part_when_near() -> None:
    # Two halls 300 m apart in Leicestershire, one far away.
    grid = PointGrid(np.array([-1.130, -1.126, -0.80]), np.array([52.630, 52.630, 52.70]))
    far = grid.clusters(9)
    assert sorted(far.count.tolist()) == [1, 2]
    near = grid.clusters(17)
    assert near.count.tolist() == [1, 1, 1]


def test_lone_point_is_drawn_where_it_is_and_bounds_hold_members() -> None:
    grid = PointGrid(np.array([-1.13, -1.12, -0.5]), np.array([52.63, 52.64, 52.9]))
    groups = grid.clusters(8)
    lone = groups.count == 1
    assert groups.lon[lone].tolist() == [-0.5] and groups.lat[lone].tolist() == [52.9]
    (pair,) = np.flatnonzero(groups.count == 2)
    west, south, east, north = groups.bounds[pair]
    assert (west, south, east, north) == (-1.13, 52.63, -1.12, 52.64)


def test_bbox_keeps_only_points_in_view() -> None:
    grid = PointGrid(np.array([-1.1, -1.0, 0.5]), np.array([52.6, 52.6, 52.6]))
    groups = grid.clusters(12, (-1.2, 52.5, -0.9, 52.7))
    assert groups.count.sum() == 2


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 400),
    zoom=st.integers(6, 16),
)
def test_counts_add_up_and_group_markers_never_overlap(seed: int, n: int, zoom: int) -> None:
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-1.6, -0.7, n), rng.uniform(52.4, 52.9, n)
    grid = PointGrid(lon, lat)
    groups = grid.clusters(zoom)
    assert groups.count.sum() == n
    several = groups.count > 1
    centres = pixels(groups.lon[several], groups.lat[several], zoom)
    if len(centres) > 1:
        gaps = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=2)
        np.fill_diagonal(gaps, np.inf)
        assert gaps.min() >= 2 * grid.margin_px - 1e-6
