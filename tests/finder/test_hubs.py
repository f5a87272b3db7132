"""The hub index: open and at-risk hubs in a KD-tree, nearest and within, in metres."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from assetmap.finder.hubs import HubIndex, distance_parts
from tests.conftest import BNG, XSS_NAME, tiny_tables

HUB_CATEGORIES = ("village_hall", "church_hall", "community_centre")


def test_index_keeps_open_and_at_risk_hubs_never_closed_or_non_hubs() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    assert sorted(h.id for h in index.hubs) == ["A1", "A2", "A3"]  # A4 café, A5 closed


def test_nearest_is_sorted_by_distance_in_metres() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    found = index.nearest(452_000, 305_000, n=3)
    assert [f.hub.id for f in found] == ["A1", "A2", "A3"]
    assert [round(f.distance_m) for f in found] == [0, 5000, 10000]
    assert index.nearest(452_000, 305_000, n=50)[-1].hub.id == "A3"  # n above the count is fine


def test_nearest_by_category() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    found = index.nearest(452_000, 305_000, n=5, categories=["community_centre", "church_hall"])
    assert [f.hub.id for f in found] == ["A2", "A3"]
    assert index.nearest(452_000, 305_000, n=5, categories=["community_library"]) == []


def test_nearest_matches_brute_force_on_random_points() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 50_000, size=(500, 2))
    frame = gpd.GeoDataFrame(
        {"id": [f"H{i}" for i in range(500)], "name": ["h"] * 500,
         "category": rng.choice(["village_hall", "church_hall"], 500).tolist(),
         "status": ["open"] * 500},
        geometry=[Point(x, y) for x, y in xy], crs=BNG,
    )
    index = HubIndex.from_frame(frame, HUB_CATEGORIES)
    for x, y in rng.uniform(0, 50_000, size=(20, 2)):
        expected = np.sort(np.hypot(xy[:, 0] - x, xy[:, 1] - y))[:7]
        got = [f.distance_m for f in index.nearest(x, y, 7)]
        assert np.allclose(got, expected)
        halls = [f for f in index.nearest(x, y, 7, ["village_hall"])]
        assert all(f.hub.category == "village_hall" for f in halls)
        assert [f.distance_m for f in halls] == sorted(f.distance_m for f in halls)


def test_within_radius_is_ordered_and_bounded() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    found = index.within(452_000, 305_000, 6_000)
    assert [f.hub.id for f in found] == ["A1", "A2"]
    assert len(index.within(452_000, 305_000)) == 3


def test_hub_website_is_only_an_http_link() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    hub = index.get("A3")
    assert hub is not None and hub.name == XSS_NAME
    assert hub.website == "javascript:alert(1)" and hub.safe_website is None
    a1 = index.get("A1")
    assert a1 is not None and a1.accessibility == ("step_free", "hearing_loop")


def test_distance_in_km_and_miles() -> None:
    assert distance_parts(1200) == ("1.2", "0.7")
    assert distance_parts(0) == ("0.0", "0.0")
