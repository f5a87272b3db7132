"""How far and which way a point moved, and a postcode far from its point (both backends)."""

from __future__ import annotations

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.position_checks import (
    describe_move,
    distance_words,
    far_postcode,
    postcode_points,
)
from assetmap.store import open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")


@pytest.mark.parametrize(("dx", "dy", "said"), [
    (99, 99, "moved 140 m north-east"),
    (0, -250, "moved 250 m south"),
    (-3_000, 10, "moved 3.0 km west"),
    (-700, 700, "moved 990 m north-west"),
    (0.2, 0.3, "not moved"),
])
def test_a_move_is_said_as_distance_and_compass_point(dx: float, dy: float, said: str) -> None:
    assert describe_move((450_000.0, 300_000.0), (450_000 + dx, 300_000 + dy)) == said


def test_distances_read_as_people_say_them() -> None:
    assert [distance_words(m) for m in (12.4, 999, 1_450, 36_200)] == [
        "12 m", "999 m", "1.4 km", "36 km"]


def test_a_postcode_far_from_the_point_is_found_on_both_backends(store_location: str) -> None:
    store = open_store(store_location)
    assert postcode_points(store, CATALOG, ["LZ1 1AA", "LZ9 9ZZ"]) == {
        "LZ1 1AA": (452_010.0, 305_010.0)}
    far = far_postcode(store, CATALOG, "LZ2 1AA", (452_000.0, 305_000.0))
    assert far is not None and far.distance_m == pytest.approx(10_010, abs=1)
    assert far.message.startswith("The postcode LZ2 1AA is 10 km from the point on the map.")
    assert far_postcode(store, CATALOG, "LZ1 1AA", (452_000.0, 305_000.0)) is None
    assert far_postcode(store, CATALOG, "LZ9 9ZZ", (452_000.0, 305_000.0)) is None
    assert far_postcode(store, CATALOG, None, (452_000.0, 305_000.0)) is None
