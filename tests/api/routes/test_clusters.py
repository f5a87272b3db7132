"""``/api/layers/{name}/clusters``: a point layer grouped for a map view."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import assert_canonical_error


def test_clusters_group_points_for_the_view(client: TestClient) -> None:
    far = client.get("/api/layers/assets/clusters", params={"zoom": 8}).json()
    assert far["numberMatched"] == 5
    groups = [f for f in far["features"] if f["properties"]["cluster"]]
    assert groups and all(f["properties"]["count"] >= 2 for f in groups)
    assert sum(f["properties"]["count"] for f in far["features"]) == 5
    near = client.get("/api/layers/assets/clusters",
                      params={"zoom": 15, "status": "open"}).json()
    assert sorted(f["id"] for f in near["features"]) == ["A1", "A2", "A3"]
    assert near["features"][0]["properties"]["name"] == "Ashby Village Hall"
    assert "address" not in near["features"][0]["properties"]  # details come with the popup
    in_view = client.get("/api/layers/assets/clusters",
                         params={"zoom": 15, "bbox": "-1.30,52.60,-1.15,52.70"}).json()
    assert sorted(f["id"] for f in in_view["features"]) == ["A1", "A2", "A5"]


def test_clusters_refuse_bad_input(client: TestClient) -> None:
    assert_canonical_error(client.get("/api/layers/assets/clusters"), 422, mentions="zoom")
    assert_canonical_error(
        client.get("/api/layers/assets/clusters", params={"zoom": 30}), 422, mentions="zoom"
    )
    assert_canonical_error(
        client.get("/api/layers/districts/clusters", params={"zoom": 9}), 422, mentions="points"
    )
    assert_canonical_error(
        client.get("/api/layers/assets/clusters", params={"zoom": 9, "bbox": "1,2"}), 422,
        mentions="bbox",
    )
    assert_canonical_error(
        client.get("/api/layers/assets/clusters", params={"zoom": 9, "category": "pub"}), 422,
        mentions="valid values",
    )
